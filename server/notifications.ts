import type { Incident } from '../shared/schemas.js';
import type { SlaSettings } from '../shared/sla-clocks.js';
import { MAX_CLOCK_SKEW_MS } from '../shared/sync.js';
import { NOTICE_AUDIENCE, dueSlaNotices, noticeId, type NoticeData, type NoticeRaiseArgs, type NoticeReadArgs } from '../shared/notices.js';
import type { RefusalCode } from '../shared/sync-rules.js';
import { ChangeBuffer } from './changes.js';
import { loadSlaSettings } from './sla-settings.js';
import type { Sql, Storage } from './storage/index.js';

/**
 * Notices on the server (issue 13): stored once per id (a notice raised by several desks, or by the
 * desk and this server's sweep, is one notice), per recipient with its read state, and sent in pull
 * pages to the recipient's devices only (`changes.audience`). Recipients are resolved here from the
 * server's own incident and accounts; a desk may name the people it resolved, never anyone else.
 */

/** A notice change that can never apply; server/sync.ts turns it into a refusal with this code. */
export class NoticeRefused extends Error {
  constructor(message: string, readonly code: RefusalCode) { super(message); }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The people a notice of this kind about this incident is for. */
export async function noticeRecipients(q: Sql, kind: NoticeRaiseArgs['kind'], inc: Incident | undefined): Promise<string[]> {
  const ids = new Set<string>();
  const leads = async () => (await q.all<{ id: string }>("SELECT id FROM users WHERE role IN ('lead', 'admin') AND active = 1 ORDER BY id")).map((r) => r.id);
  switch (NOTICE_AUDIENCE[kind]) {
    case 'owner_assignee':
      if (inc?.ownerId) ids.add(inc.ownerId);
      if (inc?.assigneeId) ids.add(inc.assigneeId);
      break;
    case 'assignee':
      if (inc?.assigneeId) ids.add(inc.assigneeId);
      break;
    // No separate process-owner role yet: the team leads own the incident process (DOMAIN.md).
    case 'leads': case 'process_owner':
      for (const id of await leads()) ids.add(id);
      break;
    case 'first_line': {
      // The group's listed members and the people whose own group it is.
      // The first-line group that dispatched it (where a return sends it), as desks take it.
      const group = inc?.dispatchGroup ?? inc?.groupName;
      const rows = group
        ? await q.all<{ user_id: string }>(`SELECT m.user_id FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name = ?
            UNION SELECT id AS user_id FROM users WHERE group_name = ? AND active = 1 ORDER BY user_id`, [group, group])
        : [];
      for (const r of rows) ids.add(r.user_id);
      break;
    }
  }
  if (!ids.size) return [];
  const list = [...ids];
  const active = await q.all<{ id: string }>(`SELECT id FROM users WHERE active = 1 AND id IN (${list.map(() => '?').join(', ')})`, list);
  const keep = new Set(active.map((r) => r.id));
  return list.filter((id) => keep.has(id));
}

/**
 * Stores a notice unless it is held already (idempotent by id) and tells each recipient's devices.
 * Returns whether it was new.
 */
export async function storeNotice(q: Sql, out: ChangeBuffer, a: Omit<NoticeRaiseArgs, 'recipients'>, recipients: string[], raisedBy: string): Promise<boolean> {
  const added = await q.run(
    'INSERT INTO notices (id, kind, incident_id, clock, at_ms, params, raised_at, raised_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    [a.id, a.kind, a.incidentId, a.clock, a.atMs, JSON.stringify(a.params ?? {}), a.raisedAt, raisedBy]);
  if (!added) return false;
  for (const userId of recipients) {
    await q.run('INSERT INTO notice_recipients (notice_id, user_id, read_at) VALUES (?, ?, NULL) ON CONFLICT (notice_id, user_id) DO NOTHING', [a.id, userId]);
    const data: NoticeData = { id: a.id, kind: a.kind, incidentId: a.incidentId, clock: a.clock, atMs: a.atMs, params: a.params ?? {}, raisedAt: a.raisedAt, recipientId: userId, readAt: null };
    out.add('notice', a.id, data, { audience: userId });
  }
  return true;
}

/** `notice.raise` from a desk. */
export async function raiseNotice(q: Sql, out: ChangeBuffer, a: NoticeRaiseArgs, inc: Incident | undefined, pusherId: string, nowMs: number, shiftMs = 0): Promise<{ status: 'applied' }> {
  if (!inc) throw new NoticeRefused(`args.incidentId: unknown incident ${a.incidentId}`, 'unknown_incident');
  // A breach cannot be told before its due instant, by the desk's clock: the server's, plus the
  // skew it measured for the pushing desk (as for its other times), plus the tolerated skew.
  if (a.kind === 'sla_breach' && a.atMs > nowMs + Math.max(0, shiftMs) + MAX_CLOCK_SKEW_MS) throw new NoticeRefused('args.atMs: a breach is told at or after its due instant', 'invalid_args');
  const recipients = await noticeRecipients(q, a.kind, inc);
  const allowed = new Set(recipients);
  a.recipients.forEach((id, i) => {
    if (!allowed.has(id)) throw new NoticeRefused(`forbidden: args.recipients.${i}: ${id} is not a recipient of a ${a.kind} notice about this incident`, 'forbidden');
  });
  await storeNotice(q, out, a, recipients, pusherId);
  return { status: 'applied' };
}

/** `notice.read`: only a recipient marks their own copy read; the earliest read time stands. */
export async function readNotice(q: Sql, out: ChangeBuffer, a: NoticeReadArgs, userId: string): Promise<{ status: 'applied' }> {
  const row = await q.get<{ read_at: string | null; kind: NoticeData['kind']; incident_id: string; clock: NoticeData['clock']; at_ms: number; params: string; raised_at: string }>(
    `SELECT r.read_at, n.kind, n.incident_id, n.clock, n.at_ms, n.params, n.raised_at FROM notice_recipients r JOIN notices n ON n.id = r.notice_id
     WHERE r.notice_id = ? AND r.user_id = ?`, [a.id, userId]);
  if (!row) throw new NoticeRefused(`forbidden: args.id: ${a.id} is not a notice of yours`, 'forbidden');
  if (row.read_at && row.read_at <= a.readAt) return { status: 'applied' };
  await q.run('UPDATE notice_recipients SET read_at = ? WHERE notice_id = ? AND user_id = ?', [a.readAt, a.id, userId]);
  const data: NoticeData = {
    id: a.id, kind: row.kind, incidentId: row.incident_id, clock: row.clock, atMs: Number(row.at_ms), params: JSON.parse(row.params), raisedAt: row.raised_at, recipientId: userId, readAt: a.readAt,
  };
  out.add('notice', a.id, data, { audience: userId });
  return { status: 'applied' };
}

/**
 * A user's own notices, newest first (`notice.mine`): what a desk pulls when this user signs in on it.
 * The change feed delivers a notice to the devices its recipient was signed in on when it came; a
 * desk where someone else was signed in then has moved its cursor past it, so it asks once here.
 */
export async function myNotices(storage: Storage, userId: string, limit: number): Promise<NoticeData[]> {
  return storage.read(async (q) => {
    const rows = await q.all<{ id: string; kind: NoticeData['kind']; incident_id: string; clock: NoticeData['clock']; at_ms: number; params: string; raised_at: string; read_at: string | null }>(
      `SELECT n.id, n.kind, n.incident_id, n.clock, n.at_ms, n.params, n.raised_at, r.read_at FROM notice_recipients r JOIN notices n ON n.id = r.notice_id
       WHERE r.user_id = ? ORDER BY n.raised_at DESC, n.id LIMIT ?`, [userId, limit]);
    return rows.map((r) => ({ id: r.id, kind: r.kind, incidentId: r.incident_id, clock: r.clock, atMs: Number(r.at_ms), params: JSON.parse(r.params), raisedAt: r.raised_at, recipientId: userId, readAt: r.read_at }));
  });
}

/**
 * The server's own sweep: SLA notices due at `now` for every open incident, raised as a desk would
 * (same ids), so a notice falls due even when no desk is running. Returns how many were new.
 */
export async function sweepNotices(storage: Storage, now: Date): Promise<number> {
  const nowMs = now.getTime();
  return storage.write(async (q) => {
    const settings: SlaSettings = await loadSlaSettings(q);
    const rows = await q.all<{ data: string }>("SELECT data FROM incidents WHERE status NOT IN ('resolved', 'closed')");
    // Notices held already are skipped before their recipients are resolved (most, in steady state).
    const held = new Set((await q.all<{ id: string }>("SELECT id FROM notices WHERE kind IN ('sla_warning', 'sla_breach')")).map((x) => x.id));
    const out = new ChangeBuffer();
    let n = 0;
    for (const r of rows) {
      const inc = JSON.parse(r.data) as Incident;
      for (const d of dueSlaNotices(inc, settings, nowMs)) {
        if (held.has(d.id)) continue;
        const recipients = await noticeRecipients(q, d.kind, inc);
        const a = { id: noticeId(d.kind, inc.id, d.clock, d.atMs), kind: d.kind, incidentId: inc.id, clock: d.clock, atMs: d.atMs, params: {}, raisedAt: iso(nowMs) };
        if (await storeNotice(q, out, a, recipients, 'server')) n++;
      }
    }
    await out.flush(q);
    return n;
  });
}
