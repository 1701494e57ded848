// Knowledge in the seeded simulation (issue 12, item 8): desks propose the resolution of a resolved
// incident as a draft (written locally with its outbox record, sent whenever the faulty network lets
// it through), a lead publishes or edits drafts on the server, and desks resolve incidents with a
// published article they pulled. Invariants after the final sync: every replica holds the same
// articles (status, version, use count); each use count equals the incidents on the server that link
// the article; every proposal reached the server as its desk user's draft (or later state).
import type { createCaller } from '../../electron/core/api/router.js';
import type { Desk } from '../../electron/core/desk.js';
import { publishArticle, saveArticle } from '../../server/knowledge.js';
import type { AuthUser, SyncDeps } from '../../server/sync.js';
import type { Storage } from '../../server/storage/index.js';

interface KbSim { i: number; desk: Desk; api: ReturnType<typeof createCaller> }
export interface KbWorld { lead: AuthUser; proposed: Map<string, number> }

/** Two published articles to start with, written by the simulation's admin. */
export async function seedKnowledge(deps: SyncDeps): Promise<KbWorld> {
  const row = await deps.storage.read((q) => q.get<{ id: string }>("SELECT id FROM users WHERE name = 'sim-admin'"));
  const lead: AuthUser = { id: row!.id, name: 'sim-admin', role: 'admin', groupName: 'Desk' };
  await saveArticle(deps, lead, { title: '打印机卡纸', body: '取出卡纸后重新打印。', tags: ['打印机'], categoryId: 'hardware' });
  await saveArticle(deps, lead, { title: 'VPN 连不上', body: '重新导入证书。', tags: ['vpn'], categoryId: 'network' });
  return { lead, proposed: new Map() };
}

/** One knowledge step, drawing from its own stream `kr`. */
export async function knowledgeStep(world: KbWorld, deps: () => SyncDeps, d: KbSim, kr: () => number, count: (k: string) => void,
  tolerate: (p: Promise<unknown>) => Promise<void>, seed: number): Promise<void> {
  const db = d.desk.store.db;
  const kind = kr();
  if (kind < 0.45) {
    // Propose the resolution of a resolved incident as a draft (offline or not: it waits in the outbox).
    const done = db.prepare("SELECT id, title, resolution, category_id AS categoryId FROM incidents WHERE status IN ('resolved', 'closed') AND number NOT LIKE 'DEMO-%' ORDER BY id")
      .all() as Array<{ id: string; title: string; resolution: string | null; categoryId: string }>;
    if (!done.length) return;
    const inc = done[Math.floor(kr() * done.length)];
    const waiting = (db.prepare('SELECT count(*) FROM outbox WHERE sent_at IS NULL').pluck().get() as number) > 0;
    await tolerate((async () => {
      const a = await d.api.knowledge.propose({ title: `${inc.title} 的处理`, body: inc.resolution || `处理步骤 ${seed}`, tags: ['sim'], categoryId: inc.categoryId, sourceIncidentId: inc.id });
      world.proposed.set(a.id, d.i);
      count(waiting ? 'kb proposed with changes unsent' : 'kb proposed');
    })());
  } else if (kind < 0.7) {
    // A lead publishes a draft the server holds, or edits a published article (a new version).
    const rows = await deps().storage.read((q) => q.all<{ id: string; status: string; title: string; body: string; category_id: string | null; version: number | string }>(
      'SELECT id, status, title, body, category_id, version FROM kb_articles ORDER BY id'));
    if (!rows.length) return;
    const drafts = rows.filter((x) => x.status === 'draft');
    const a = drafts.length && kr() < 0.7 ? drafts[Math.floor(kr() * drafts.length)] : rows[Math.floor(kr() * rows.length)];
    if (a.status === 'draft') { await publishArticle(deps(), world.lead, { id: a.id }); count('kb draft published'); }
    else { await saveArticle(deps(), world.lead, { id: a.id, title: a.title, body: `${a.body} v${Number(a.version) + 1}`, tags: [], categoryId: a.category_id }); count('kb article edited'); }
  } else {
    // Resolve an open incident with a published article this desk pulled.
    const open = db.prepare("SELECT id, title, category_id AS categoryId FROM incidents WHERE status IN ('new', 'assigned', 'in_progress', 'pending', 'reopened', 'returned') AND number NOT LIKE 'DEMO-%' ORDER BY id")
      .all() as Array<{ id: string; title: string; categoryId: string }>;
    if (!open.length) return;
    const inc = open[Math.floor(kr() * open.length)];
    const offered = await d.api.knowledge.suggest({ title: inc.title, categoryId: inc.categoryId });
    const all = offered.length ? offered : await d.api.knowledge.search({ q: '', limit: 10 });
    if (!all.length) return;
    const a = all[Math.floor(kr() * all.length)];
    await tolerate(d.api.knowledge.resolveWith({ id: inc.id, resolution: `按知识库处理 ${seed}`, kbArticleId: a.id }));
    count('resolved with an article');
  }
}

/** After the final sync: the same articles everywhere, use counts as the server's incidents link them, proposals arrived. */
export async function checkKnowledge(world: KbWorld, desks: KbSim[], storage: Storage, users: Map<number, string>): Promise<string[]> {
  const problems: string[] = [];
  const articles = await storage.read((q) => q.all<{ id: string; status: string; version: number | string; use_count: number | string; owner_id: string | null }>(
    'SELECT id, status, version, use_count, owner_id FROM kb_articles ORDER BY id'));
  const links = new Map<string, number>();
  const linked = new Map<string, string | null>();
  for (const r of await storage.read((q) => q.all<{ id: string; data: string }>('SELECT id, data FROM incidents'))) {
    const id = (JSON.parse(r.data) as { kbArticleId?: string | null }).kbArticleId ?? null;
    linked.set(r.id, id);
    if (id) links.set(id, (links.get(id) ?? 0) + 1);
  }
  const server = new Map(articles.map((a) => [a.id, `${a.status}/${Number(a.version)}/${Number(a.use_count)}`]));
  for (const a of articles) {
    if (Number(a.use_count) !== (links.get(a.id) ?? 0)) problems.push(`server article ${a.id} counts ${a.use_count} uses, its incidents link it ${links.get(a.id) ?? 0} times`);
  }
  for (const [id, n] of links) if (!server.has(id)) problems.push(`server incidents link article ${id} (${n}), which the server does not hold`);
  for (const [id, i] of world.proposed) {
    const a = articles.find((x) => x.id === id);
    if (!a) problems.push(`proposal ${id} of desk ${i} never reached the server`);
    else if (a.owner_id !== users.get(i)) problems.push(`proposal ${id} of desk ${i} is owned by ${a.owner_id}`);
  }
  for (const d of desks) {
    const rows = d.desk.store.db.prepare('SELECT id, status, version, use_count AS n FROM kb_articles ORDER BY id').all() as Array<{ id: string; status: string; version: number; n: number }>;
    const here = new Map(rows.map((r) => [r.id, `${r.status}/${r.version}/${r.n}`]));
    for (const [id, v] of server) if (here.get(id) !== v) problems.push(`desk ${d.i} holds article ${id} as ${here.get(id)}, the server ${v}`);
    for (const id of here.keys()) if (!server.has(id)) problems.push(`desk ${d.i} holds article ${id}, which the server does not`);
    for (const r of d.desk.store.db.prepare("SELECT id, kb_article_id AS kb FROM incidents WHERE number NOT LIKE 'DEMO-%'").all() as Array<{ id: string; kb: string | null }>) {
      if (linked.has(r.id) && linked.get(r.id) !== (r.kb ?? null)) problems.push(`desk ${d.i} links incident ${r.id} to article ${r.kb}, the server to ${linked.get(r.id)}`);
    }
  }
  return problems;
}
