// Export benchmark (issue 11, item 3): `npx tsx test/bench/export.ts [N]` (default 200,000 incidents;
// BENCH_EXPORT_FORMATS=csv,xlsx,pdf chooses the files; BENCH_EXPORT_COMPUTE=0 skips timing the report alone).
// A desk store with N incidents reported in November 2026 (copies of one real incident with varied
// number, title, channel, priority and times, written by raw SQL), then the CSV, the XLSX and the PDF
// of the month through the export job runner (the code the renderer and the CLI use), beside a raw
// baseline: better-sqlite3 reading the same rows and writing them comma-joined. Prints wall time,
// rows/s, the ratio to the raw baseline, the longest stand-still of the desk's event loop (the
// export runs on the report worker, so this stays small), and the process's peak RSS
// sampled while each export runs (worker threads included), beside the whole run's peak. Not part of `npm test`.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { tempDir } from '../helpers/desk.js';
import { createDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { exportProgress, startExport, waitForExport } from '../../electron/core/reports/export/job.js';
import { baseIncident } from '../helpers/desk.js';
import { reportQuerySchema, type ExportFormat } from '../../shared/reports.js';
import { computeReport } from '../../electron/core/reports/compute.js';
import { refreshMinutesSql } from '../../electron/core/db/migrations/022_report_minutes.js';

const N = Number(process.argv[2] ?? 200_000);
const query = { from: '2026-11-01', to: '2026-11-30', timeZone: 'Asia/Shanghai' };
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Wall time, the longest stand-still of this event loop, and the highest RSS sampled meanwhile (worker threads included). */
async function timed<T>(fn: () => Promise<T>): Promise<{ res: T; wall: number; stall: number; rss: number }> {
  let last = performance.now(); let stall = 0; let rss = 0;
  const tick = setInterval(() => { const now = performance.now(); stall = Math.max(stall, now - last); last = now; }, 5);
  const mem = setInterval(() => { rss = Math.max(rss, process.memoryUsage.rss()); }, 50);
  const t0 = performance.now();
  const res = await fn();
  const wall = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(tick); clearInterval(mem);
  return { res, wall, stall, rss: rss / 1024 };
}

const dataDir = tempDir('relay-bench-export-');
const desk = await createDesk({ dataDir, backgroundSync: false });
// The desk's escalation sweep (every 60 s, on the desk's thread) is switched off here: on this store it
// would escalate the 250,000 overdue P3 copies in one transaction (minutes, 2.6 GB), and even with
// nothing to escalate its scan of a million open incidents holds the event loop 1–2.5 s, charged to
// whichever export happens to run. Neither is the export's doing; this bench measures the export.
desk.store.sweepEscalations = () => 0;
const api = createCaller({ store: desk.store, sync: desk.sync });
await api.desk.setup({ name: '王芳', role: 'lead', group: '服务台', locale: 'zh-CN' });
await api.incident.create({ ...baseIncident, reportedAt: '2026-11-15T02:00:00.000Z' });
const db = desk.store.db;
const cols = (db.prepare('PRAGMA table_info(incidents)').all() as Array<{ name: string }>).map((c) => c.name);
const vary: Record<string, string> = {
  id: "id || '-' || n", number: "number || '-' || n", client_id: 'NULL', import_key: 'NULL',
  title: "CASE n % 3 WHEN 0 THEN '打印机卡纸 #' || n WHEN 1 THEN 'VPN 连接不上 after password change #' || n ELSE '=1+1 邮箱无法登录 #' || n END",
  channel: "CASE n % 4 WHEN 0 THEN 'phone' WHEN 1 THEN 'email' WHEN 2 THEN 'web' ELSE 'walk_in' END",
  priority: "CASE n % 4 WHEN 0 THEN 'P1' WHEN 1 THEN 'P2' WHEN 2 THEN 'P3' ELSE 'P4' END",
  reported_at: "strftime('%Y-%m-%dT%H:%M:%fZ', '2026-10-31T16:00:00Z', '+' || (n * 12 % 2592000) || ' seconds')",
  recorded_at: "strftime('%Y-%m-%dT%H:%M:%fZ', '2026-10-31T16:05:00Z', '+' || (n * 12 % 2592000) || ' seconds')",
};
const t0 = performance.now();
db.prepare(`INSERT INTO incidents (${cols.join(', ')}) WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ${N - 1})
  SELECT ${cols.map((c) => vary[c] ?? c).join(', ')} FROM incidents, k`).run();
// the copies' report minutes (migration 022) for their own reported times, as the store's writers keep them
db.prepare(refreshMinutesSql('1')).run();
console.log(`store: ${N.toLocaleString('en-US')} incidents written in ${s(performance.now() - t0)}, peak RSS so far ${mb(process.resourceUsage().maxRSS)}`);

// The exports first, then the raw baseline: the baseline leaves a heap of garbage (its RSS peaks at
// ~1.5 GB at 1,000,000 rows) whose collection would otherwise land in the exports' memory and
// event-loop figures. The ratios are printed once the baseline is known.
const lines: Array<(rawMs: number) => string> = [];

// the report behind the XLSX and PDF (reports/compute.ts called here directly, synchronously: this event loop waits
// for it; the export jobs and report.compute run it on the report worker)
if (process.env.BENCH_EXPORT_COMPUTE !== '0') {
  const { wall } = await timed(async () => computeReport(desk.store, reportQuerySchema.parse(query)));
  console.log(`computeReport of the month (part of the XLSX and PDF figures below): ${s(wall)}`);
}

for (const format of (process.env.BENCH_EXPORT_FORMATS ?? 'csv,xlsx,pdf').split(',') as ExportFormat[]) {
  const phases: Record<string, number> = {};
  const { res, wall, stall, rss } = await timed(async () => {
    const { jobId, path: file } = startExport(desk.store, { query, format, lang: 'zh-CN', user: '王芳' });
    const t0 = performance.now();
    const watch = setInterval(() => { const ph = exportProgress(jobId)?.phase; if (ph && !(ph in phases)) phases[ph] = performance.now() - t0; }, 2);
    const st = await waitForExport(jobId);
    clearInterval(watch);
    if (st.state !== 'done') throw new Error(`${format}: ${st.state} ${st.error}`);
    return { file, rows: st.total };
  });
  const rows = format === 'pdf' ? '' : `, ${Math.round(res.rows / (wall / 1000)).toLocaleString('en-US')} rows/s`;
  const reportMs = format === 'csv' ? 0 : (phases.rows ?? phases.pdf ?? 0);
  const size = mb(fs.statSync(res.file).size / 1024);
  const line = (rawMs: number) => {
    const ratio = format === 'pdf' ? '' : `, ${(wall / rawMs).toFixed(2)}× the raw baseline${reportMs ? ` (the file alone ${((wall - reportMs) / rawMs).toFixed(2)}×)` : ''}`;
    return `${format}: ${s(wall)}${rows}${reportMs ? ` (report ${s(reportMs)}, the file ${s(wall - reportMs)})` : ''}${ratio}, ${size} file, longest stall of the desk's event loop ${s(stall)}, peak RSS while it ran ${mb(rss)}`;
  };
  console.log(line(NaN).replace(/, NaN× the raw baseline( \(the file alone NaN×\))?/, ''));
  lines.push(line);
}

// raw baseline: the same rows read and comma-joined
{
  const file = path.join(dataDir, 'raw.csv');
  const { wall, rss } = await timed(async () => {
    const fd = fs.openSync(file, 'w');
    let buf = '';
    for (const r of db.prepare('SELECT * FROM incidents').raw().iterate() as Iterable<unknown[]>) {
      buf += r.join(',') + '\r\n';
      if (buf.length > 1 << 20) { fs.writeSync(fd, buf); buf = ''; }
    }
    fs.writeSync(fd, buf); fs.closeSync(fd);
  });
  console.log(`raw baseline (SELECT * → comma-joined lines): ${s(wall)}, ${Math.round(N / (wall / 1000)).toLocaleString('en-US')} rows/s, ${mb(fs.statSync(file).size / 1024)}, peak RSS while it ran ${mb(rss)}`);
  for (const line of lines) console.log(`  ${line(wall)}`);
}
desk.close();
