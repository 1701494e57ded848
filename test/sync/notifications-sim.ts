// Issue 13 in the seeded simulation (test/sync/simulation.ts): desks sweep (raise the notices due on
// their own, skewed clocks, offline or not) and read some of their user's notices; at the end, after
// everyone has synced, every notice the server holds for a desk's user is on that desk with the same
// read state, no notice change was refused, and no recipient holds a notice twice.
import type { Desk } from '../../electron/core/desk.js';
import type { createCaller } from '../../electron/core/api/router.js';
import type { Storage } from '../../server/storage/index.js';

interface NoticeSim { i: number; desk: Desk; api: ReturnType<typeof createCaller> }

/** One notice step on desk `d`, drawing from its own stream `nr` (so the other streams replay as they were). */
export async function noticeStep(d: NoticeSim, nr: () => number, count: (k: string) => void): Promise<void> {
  const { raised } = await d.api.notice.sweep();
  for (let k = 0; k < raised; k++) count('notice raised');
  const { items } = await d.api.notice.list();
  const unread = items.filter((n) => !n.readAt);
  if (!unread.length) return;
  if (nr() < 0.3) {
    await d.api.notice.markAllRead();
  } else {
    await d.api.notice.markRead({ ids: [unread[Math.floor(nr() * unread.length)].id] });
  }
  count('notice read');
}

/** The invariants, after the final sync rounds; returns the problems found. */
export async function checkNotices(desks: NoticeSim[], storage: Storage): Promise<string[]> {
  const problems: string[] = [];
  for (const d of desks) {
    const user = d.desk.store.currentUser();
    if (!user) continue;
    const held = await storage.read((q) => q.all<{ notice_id: string; read_at: string | null }>('SELECT notice_id, read_at FROM notice_recipients WHERE user_id = ?', [user.id]));
    const local = new Map((d.desk.store.db.prepare('SELECT notice_id, read_at FROM notice_recipients WHERE user_id = ?').all(user.id) as Array<{ notice_id: string; read_at: string | null }>)
      .map((r) => [r.notice_id, r.read_at]));
    for (const h of held) {
      if (!local.has(h.notice_id)) problems.push(`desk ${d.i}: lacks notice ${h.notice_id} the server holds for its user`);
      else if (!!local.get(h.notice_id) !== !!h.read_at) problems.push(`desk ${d.i}: notice ${h.notice_id} read here ${!!local.get(h.notice_id)}, on the server ${!!h.read_at}`);
    }
    const refused = d.desk.store.db.prepare("SELECT seq, name, code, reason FROM sync_rejections WHERE name LIKE 'notice.%'").all() as Array<{ seq: number; name: string; code: string; reason: string }>;
    for (const x of refused) problems.push(`desk ${d.i}: ${x.name} ${x.seq} refused: ${x.code} ${x.reason}`);
    const listed = (await d.api.notice.list({ limit: 500 })).items.map((n) => n.id);
    if (new Set(listed).size !== listed.length) problems.push(`desk ${d.i}: a notice listed twice`);
  }
  return problems;
}
