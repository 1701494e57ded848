// Desk benchmark (issue #2): create rate through the renderer's API against raw better-sqlite3, and
// the queue and full-text search at 100,000 incidents. Prints figures; not part of `npm test`.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../electron/core/db/connection.js';
import { tempDir } from '../helpers/desk.js';
import { createDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { loadSampleData, seededRandom } from '../../electron/core/store/sample.js';
import { ftsText } from '../../electron/core/store/fts.js';
import { INSERT_INCIDENT, QUEUE_SELECT, incidentParams } from '../../electron/core/store/rows.js';
import { incidentClocks, type Incident } from '../../shared/index.js';
import { ms, rate, timeMany } from './stats.js';

const N_CREATE = Number(process.env.BENCH_CREATE ?? 3000);
const N_BIG = Number(process.env.BENCH_INCIDENTS ?? 100_000);
// Removed when the bench exits (each run writes hundreds of MB).
const tmp = () => tempDir('relay-bench-');

export async function benchDesk(): Promise<Record<string, string | number>> {
  const out: Record<string, string | number> = {};
  // 1. Create rate through the API: validation, requester directory, history, outbox, FTS; one transaction per incident.
  const desk = await createDesk({ dataDir: tmp() });
  const api = createCaller({ store: desk.store, sync: desk.sync });
  await api.desk.setup({ name: 'Bench', role: 'agent', group: 'Desk', locale: 'en' });
  const r = seededRandom(1);
  const inputs = Array.from({ length: N_CREATE }, (_, i) => ({
    channel: 'phone' as const,
    requester: { name: `用户${i % 500}`, department: '财务部', phone: `138${String(i % 500).padStart(8, '0')}`, serviceLevel: 'normal' as const },
    serviceType: 'fault' as const,
    categoryId: 'network.vpn',
    title: `VPN 连接不上 ${i}`,
    description: '出差在外无法连接 VPN，提示证书错误。 Certificate error on connect, retried twice.',
    impact: r() < 0.5 ? 'medium' as const : 'low' as const,
    urgency: 'medium' as const,
  }));
  let t = performance.now();
  const created: Incident[] = [];
  for (const input of inputs) created.push(await api.incident.create(input));
  const apiMs = performance.now() - t;
  desk.close();

  // 2. Raw: the same incident rows with the same pragmas and schema (FTS included), one transaction each.
  const raw = (withFts: boolean) => {
    const db = openDatabase(path.join(tmp(), 'raw.db'));
    db.exec(`INSERT INTO categories (id, parent_id, code, name_zh, name_en) VALUES ('network.vpn', NULL, 'network', 'VPN', 'VPN')`);
    const ins = db.prepare(INSERT_INCIDENT);
    const fts = db.prepare('INSERT INTO incidents_fts (rowid, body) VALUES (?, ?)');
    const rows = created.map((c) => ({ ...incidentParams({ ...c, id: randomUUID(), number: 'R' + c.number, requesterId: null }), clientId: null, importKey: null }));
    const one = db.transaction((row: Record<string, unknown>, inc: Incident) => {
      const info = ins.run(row);
      if (withFts) fts.run(info.lastInsertRowid, ftsText([inc.number, inc.title, inc.description, inc.requesterName, inc.requesterDept, inc.resolution]));
    });
    const t0 = performance.now();
    rows.forEach((row, i) => one(row, created[i]));
    const took = performance.now() - t0;
    db.close();
    return took;
  };
  const rawFtsMs = raw(true);
  const rawMs = raw(false);
  out['create via API (incidents/s)'] = rate(N_CREATE, apiMs);
  out['raw insert + FTS (incidents/s)'] = rate(N_CREATE, rawFtsMs);
  out['raw insert, no FTS (incidents/s)'] = rate(N_CREATE, rawMs);
  out['API / raw+FTS'] = `${((rawFtsMs / apiMs) * 100).toFixed(0)} %`;
  out['API / raw no FTS'] = `${((rawMs / apiMs) * 100).toFixed(0)} %`;

  // 3. Queue and search at N_BIG incidents.
  // BENCH_DESK_DIR keeps the 100,000-incident store for another run (loaded once: minutes on a busy machine)
  const big = await createDesk({ dataDir: process.env.BENCH_DESK_DIR ?? tmp() });
  const bigApi = createCaller({ store: big.store, sync: big.sync });
  t = performance.now();
  if (!big.store.currentUser()) {
    await bigApi.desk.setup({ name: 'Bench', role: 'agent', group: '服务台', locale: 'zh-CN' });
    const chunk = 10_000;
    for (let done = 0; done < N_BIG; done += chunk) {
      big.store.db.transaction(() => loadSampleData(big.store, { incidents: Math.min(chunk, N_BIG - done), seed: done + 1 }))();
    }
  }
  out['incidents loaded'] = big.store.incidentCount();
  out['load time'] = `${((performance.now() - t) / 1000).toFixed(1)} s`;
  big.store.db.pragma('optimize');
  const queueQueries = [
    { scope: 'all' as const, offset: 0, limit: 200 },
    { scope: 'mine' as const, offset: 0, limit: 200 },
    { scope: 'group' as const, offset: 0, limit: 200 },
    { scope: 'all' as const, offset: 5000, limit: 200 },
    { scope: 'all' as const, priorities: ['P1', 'P2'] as ('P1' | 'P2')[], offset: 0, limit: 200 },
    { scope: 'all' as const, categoryId: 'network', channel: 'phone' as const, offset: 0, limit: 200 },
  ];
  const qs = timeMany(120, (i) => big.store.queue(queueQueries[i % queueQueries.length]));
  out['queue (200 rows + total) median'] = ms(qs.median);
  out['queue p95'] = ms(qs.p95);
  // Issue 13: the queue page with both SLA clocks on business time for each of its rows (what the
  // renderer computes per row shown), beside a raw baseline: the same 200 rows' columns read by rowid.
  const settings = big.store.slaSettings;
  // One round first: a calendar builds its day and chunk caches once per process (on the first
  // pages a desk shows); that first round is reported apart.
  const cold = performance.now();
  for (const q of queueQueries) { const at = Date.now(); for (const row of big.store.queue(q).rows) incidentClocks(row, settings, at); }
  out['first round of 6 pages + clocks (cold calendar caches)'] = ms(performance.now() - cold);
  const qc = timeMany(120, (i) => {
    const page = big.store.queue(queueQueries[i % queueQueries.length]);
    const at = Date.now();
    for (const row of page.rows) incidentClocks(row, settings, at);
    return page;
  });
  const rawPage = big.store.db.prepare(`SELECT ${QUEUE_SELECT} FROM incidents i WHERE i.rowid > ? LIMIT 200`);
  const rq = timeMany(120, (i) => rawPage.all((i * 797) % 90_000));
  out['queue + both clocks (200 rows) median'] = ms(qc.median);
  out['queue + both clocks p95'] = ms(qc.p95);
  out['raw 200-row read p95 (baseline)'] = ms(rq.p95);
  out['queue + clocks p95 / queue p95'] = `${(qc.p95 / qs.p95).toFixed(2)}×`;
  out['queue + clocks p95 / raw p95'] = `${(qc.p95 / rq.p95).toFixed(1)}×`;
  const searches = ['打印机', '网络', 'VPN', 'printer', '证书错误', 'excel', '蓝屏', 'wi-fi', '邮件', 'server room'];
  const ss = timeMany(120, (i) => big.store.search(searches[i % searches.length], 50));
  out['search (50 hits) median'] = ms(ss.median);
  out['search p95'] = ms(ss.p95);
  big.close();
  return out;
}
