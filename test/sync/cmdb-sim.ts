// Configuration items in the seeded simulation (issue 12, item 7): the server holds a few items that
// every desk pulls; desks record calls picking one (online or not), type free text for systems not
// in the list, or pick an item only they believe in (a stale row the server never had: its ciId is
// left out, the rest applies). Invariant after the final sync: every replica holds the same ciId
// for every incident, and it names an item the server holds (or none).
import { saveCi } from '../../server/cmdb.js';
import type { SyncDeps } from '../../server/sync.js';
import type { Storage } from '../../server/storage/index.js';
import type { createCaller } from '../../electron/core/api/router.js';
import type { Desk } from '../../electron/core/desk.js';

interface SimDesk { i: number; desk: Desk; api: ReturnType<typeof createCaller>; created: string[] }

export async function seedCis(deps: SyncDeps): Promise<void> {
  await saveCi(deps, { name: 'OA 办公系统', type: 'system', ip: '10.1.2.3', location: '机房 A', groupId: null, critical: true, active: true });
  await saveCi(deps, { name: '核心交换机', type: 'network_device', ip: '10.0.0.1', location: '机房 A', groupId: null, critical: true, active: true });
  await saveCi(deps, { name: '打印机 3F', type: 'printer', ip: null, location: '3 楼', groupId: null, critical: false, active: true });
}

/** One call recorded with the affected system picked from the desk's list, typed free, or a stale pick. */
export async function ciStep(d: SimDesk, r: () => number, count: (k: string) => void, tolerate: (p: Promise<unknown>) => Promise<void>): Promise<void> {
  const roll = r();
  let affected: { name: string; ciId?: string | null };
  if (roll < 0.15) {
    // A row this desk believes the server holds, which it never had.
    const id = `stale-ci-${d.i}`;
    d.desk.store.db.prepare("INSERT OR IGNORE INTO cis (id, name, type, critical, active, updated_at) VALUES (?, '旧系统', 'system', 0, 1, '2026-01-01T00:00:00.000Z')").run(id);
    affected = { name: '旧系统', ciId: id };
    count('CI picked that the server never had');
  } else if (roll < 0.35) {
    affected = { name: `未登记系统 ${Math.floor(r() * 3)}` };
    count('affected system as free text');
  } else {
    const list = await d.api.cmdb.suggest({ q: ['OA', '机房', '打印'][Math.floor(r() * 3)] });
    if (!list.length) return;
    const ci = list[Math.floor(r() * list.length)];
    affected = { name: ci.name, ciId: ci.id };
    count('CI picked as typed');
  }
  await tolerate((async () => {
    const inc = await d.api.incident.create({
      channel: 'phone', requester: { name: '请求者C', phone: '13700000000', serviceLevel: 'normal' }, serviceType: 'fault', categoryId: 'software',
      title: `系统故障 ${affected.name}`, description: 'ci step', impact: 'low', urgency: 'low', affected,
    });
    d.created.push(inc.id);
  })());
}

/** After the final sync: one ciId per incident everywhere, naming an item the server holds. */
export async function checkCis(desks: SimDesk[], storage: Storage): Promise<string[]> {
  const problems: string[] = [];
  const held = new Set(await storage.read(async (q) => (await q.all<{ id: string }>('SELECT id FROM cis')).map((r) => r.id)));
  const server = new Map(await storage.read(async (q) => (await q.all<{ id: string; data: string }>('SELECT id, data FROM incidents')).map((r) => [r.id, (JSON.parse(r.data) as { ciId?: string | null }).ciId ?? null] as const)));
  for (const [id, ciId] of server) if (ciId && !held.has(ciId)) problems.push(`server incident ${id} names configuration item ${ciId}, which the server does not hold`);
  for (const d of desks) {
    const rows = d.desk.store.db.prepare("SELECT id, ci_id AS ciId FROM incidents WHERE number NOT LIKE 'DEMO-%'").all() as Array<{ id: string; ciId: string | null }>;
    for (const r of rows) {
      if (!server.has(r.id)) continue;
      if ((server.get(r.id) ?? null) !== (r.ciId ?? null)) problems.push(`desk ${d.i} has ciId ${r.ciId} for incident ${r.id}, the server ${server.get(r.id)}`);
    }
  }
  return problems;
}
