// Notice sweep benchmark (issue 13): what the bell's poll costs a desk with N incidents (default
// 100,000, BENCH_INCIDENTS): the SLA sweep the first time (it raises what is due) and in steady state
// (nothing new), beside a raw baseline in the same run: the same columns of the open incidents read
// with one statement and nothing computed. Prints figures; not part of `npm test`.
// Run: npx tsx test/bench/notices.ts
import { performance } from 'node:perf_hooks';
import { tempDir } from '../helpers/desk.js';
import { createDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { loadSampleData } from '../../electron/core/store/sample.js';
import { sweepEventNotices, sweepNotices } from '../../electron/core/notifications/notices.js';

const N = Number(process.env.BENCH_INCIDENTS ?? 100_000);

async function main() {
  const desk = await createDesk({ dataDir: tempDir('relay-bench-'), backgroundSync: false });
  const api = createCaller({ store: desk.store, sync: desk.sync });
  await api.desk.setup({ name: 'Bench', role: 'lead', group: '服务台', locale: 'zh-CN' });
  for (let done = 0; done < N; done += 10_000) {
    desk.store.db.transaction(() => loadSampleData(desk.store, { incidents: Math.min(10_000, N - done), seed: done + 1 }))();
  }
  const db = desk.store.db;
  const open = db.prepare("SELECT count(*) FROM incidents WHERE status NOT IN ('resolved', 'closed')").pluck().get() as number;
  const raw = () => {
    const t = performance.now();
    db.prepare(`SELECT id, number, priority, status, service_level, reported_at, first_response_at, resolved_at, pending_since,
      pending_spells, owner_id, assignee_id, group_name FROM incidents WHERE status NOT IN ('resolved', 'closed')`).all();
    return performance.now() - t;
  };
  const time = (f: () => unknown) => { const t = performance.now(); const v = f(); return [performance.now() - t, v] as const; };
  const raw1 = raw();
  const [first, raised] = time(() => sweepNotices(desk.store));
  const steady: number[] = [];
  const raws: number[] = [];
  for (let i = 0; i < 5; i++) { raws.push(raw()); steady.push(time(() => sweepNotices(desk.store))[0]); }
  const [events] = time(() => sweepEventNotices(desk.store));
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const out = {
    incidents: desk.store.incidentCount(),
    'open incidents swept': open,
    'raw read of their columns (median of 5)': `${med(raws).toFixed(0)} ms`,
    'first sweep (raises what is due)': `${first.toFixed(0)} ms, ${raised} notices (raw read ${raw1.toFixed(0)} ms)`,
    'steady sweep, nothing new (median of 5)': `${med(steady).toFixed(0)} ms`,
    'steady sweep / raw read': `${(med(steady) / med(raws)).toFixed(1)}×`,
    'event sweep (history since cursor, first run)': `${events.toFixed(0)} ms`,
  };
  console.log(out);
  desk.close();
}
void main();
