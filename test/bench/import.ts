// Import benchmark (issue #4, part 3): `npx tsx test/bench/import.ts` (BENCH_IMPORT_ROWS=50000,
// BENCH_XES=0 to skip the XES). Each import runs through the renderer's API (tRPC caller of the real
// router, real SQLite file) beside a raw better-sqlite3 insert of the same rows in the same run: the
// incidents, full-text entries, history, work-log and outbox rows the import wrote, copied in one
// transaction with plain prepared statements. Prints wall and CPU seconds and the ratio. Not part of
// `npm test`.
//
// The full-text index is contentless (it keeps no copy of the text), so its entries cannot be read
// back: the raw copy indexes the same text the store does (`ftsText` of number, title, description,
// requester, department, resolution). Before 2026-12-02 it copied `SELECT body` of that index, which is
// NULL, and so indexed nothing; that figure is still printed ("FTS entries empty") for comparison with
// older runs.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../electron/core/db/connection.js';
import { tempDir } from '../helpers/desk.js';
import { createDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { LIST_FIELDS, templateHeader } from '../../electron/core/import/fields.js';
import { csvField } from '../../electron/core/import/csv.js';
import { ftsText } from '../../electron/core/store/fts.js';

const N_LIST = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
const DATA = fileURLToPath(new URL('../../../shared/data/incidents/', import.meta.url));
// Removed when the bench exits (each run writes hundreds of MB).
const tmp = () => tempDir('relay-bench-import-');
const s = (ms: number) => (ms / 1000).toFixed(2) + ' s';
/**
 * Wall time and this process's CPU time (on a shared, loaded machine the CPU figure is the steadier
 * one), and the longest the event loop stood still meanwhile: how long a progress poll or any other
 * call to the desk would have waited at worst.
 */
async function timed<T>(fn: () => Promise<T> | T): Promise<{ res: T; wall: number; cpu: number; stall: number }> {
  let last = performance.now();
  let stall = 0;
  const tick = setInterval(() => { const now = performance.now(); stall = Math.max(stall, now - last); last = now; }, 5);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const res = await fn();
  const c = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 20)); // the tick after a last stand-still measures it
  clearInterval(tick);
  return { res, wall, cpu: (c.user + c.system) / 1000, stall };
}
const both = (t: { wall: number; cpu: number; stall?: number }) => `${s(t.wall)} wall, ${s(t.cpu)} cpu${t.stall !== undefined ? `, longest stall ${s(t.stall)}` : ''}`;

async function freshDesk() {
  const desk = await createDesk({ dataDir: tmp(), backgroundSync: false });
  const api = createCaller({ store: desk.store, sync: desk.sync });
  await api.desk.setup({ name: 'Bench', role: 'lead', group: 'Desk', locale: 'zh-CN' });
  return { desk, api };
}

/** A 50,000-row incident list in the template's bilingual layout, values in both languages. */
function listCsv(n: number): string {
  const head = LIST_FIELDS.map(templateHeader);
  const cats = ['硬件', 'software', 'network.vpn', '打印机/外设', 'security', 'other'];
  const lines = [head.map((h) => csvField(h)).join(',')];
  const base = Date.UTC(2025, 0, 1);
  for (let i = 0; i < n; i++) {
    const reported = base + i * 600_000;
    const closed = i % 3 !== 0;
    const v: Record<string, string> = {
      number: `OLD-${100000 + i}`, channel: ['热线电话', 'email', '现场', 'web'][i % 4], requester: `用户${i % 2000}`, department: ['财务部', 'Sales', '人事部'][i % 3],
      phone: `138 ${String(i % 10000).padStart(4, '0')} 8000`, email: '', serviceLevel: i % 50 === 0 ? 'VIP' : '普通', serviceType: ['故障报告', 'consultation', '权限变更'][i % 3],
      category: cats[i % cats.length], title: `打印机无法打印 #${i}, "urgent"`, description: `第三层打印机卡纸，已重启。\nLine two of ${i}`, affected: `PRN-${i % 40}`,
      impactScope: '个人', impact: ['高', 'medium', '低'][i % 3], urgency: ['中', 'high', 'low'][i % 3], priority: '', status: closed ? '已关闭' : '处理中',
      occurred: new Date(reported - 300_000).toISOString(), reported: new Date(reported).toISOString().replace('T', ' ').slice(0, 16),
      firstResponse: '', resolved: closed ? new Date(reported + 3_600_000).toISOString() : '', closed: closed ? new Date(reported + 7_200_000).toISOString() : '',
      resolution: closed ? '清理卡纸 / cleared the jam' : '', group: '服务台', tier: ['L1', '二线', 'L3'][i % 3],
    };
    lines.push(LIST_FIELDS.map((d) => csvField(v[d.key] ?? '')).join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** The rows an import wrote, copied with plain prepared statements into a fresh database of the same schema. */
function rawCopy(from: ReturnType<typeof openDatabase>, opts: { ftsText: boolean } = { ftsText: true }): { wall: number; cpu: number } {
  // stored columns only (table_info leaves out generated ones, e.g. imported_history, migration 010)
  const incCols = (from.prepare('PRAGMA table_info(incidents)').all() as Array<{ name: string }>).map((c) => c.name);
  const incidents = from.prepare(`SELECT ${incCols.join(', ')} FROM incidents`).all() as Record<string, unknown>[];
  const fts = opts.ftsText
    ? (from.prepare('SELECT rowid, number, title, description, requester_name, requester_dept, resolution FROM incidents').raw().all() as Array<[number, ...Array<string | null>]>)
      .map(([rowid, ...text]) => [rowid, ftsText(text)])
    : from.prepare('SELECT rowid, body FROM incidents_fts').raw().all() as unknown[][];
  const history = from.prepare('SELECT * FROM history').all() as Record<string, unknown>[];
  const logs = from.prepare('SELECT * FROM work_logs').all() as Record<string, unknown>[];
  const outbox = from.prepare('SELECT * FROM outbox').all() as Record<string, unknown>[];
  const users = from.prepare('SELECT * FROM users').all() as Record<string, unknown>[];
  const cats = from.prepare('SELECT * FROM categories').all() as Record<string, unknown>[];
  const db = openDatabase(path.join(tmp(), 'raw.db'));
  const insert = (table: string, row: Record<string, unknown>) => db.prepare(`INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((k) => '@' + k).join(', ')})`);
  for (const c of cats) insert('categories', c).run(c);
  for (const u of users) insert('users', u).run(u);
  const insInc = insert('incidents', incidents[0]);
  const insFts = db.prepare('INSERT INTO incidents_fts (rowid, body) VALUES (?, ?)');
  const insHist = insert('history', history[0]);
  const insLog = logs.length ? insert('work_logs', logs[0]) : null;
  const insOutbox = outbox.length ? insert('outbox', outbox[0]) : null;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  db.transaction(() => {
    for (const r of incidents) insInc.run(r);
    for (const [rowid, body] of fts) insFts.run(rowid, body);
    for (const h of history) insHist.run(h);
    for (const w of logs) insLog!.run(w);
    for (const o of outbox) insOutbox!.run(o);
  })();
  const took = performance.now() - t0;
  const c = process.cpuUsage(c0);
  db.close();
  return { wall: took, cpu: (c.user + c.system) / 1000 };
}

async function importFile(label: string, fileName: string, content: Buffer, out: Record<string, string | number>) {
  const contentBase64 = content.toString('base64');
  // cold commit: parse, validate and write in one call (no preview before it)
  {
    const { desk, api } = await freshDesk();
    const t = await timed(() => api.import.commit({ fileName, contentBase64 }));
    const q = (sql: string) => desk.store.db.prepare(sql).pluck().get() as number;
    out[`${label}: incidents created`] = t.res.created;
    out[`${label}: history rows`] = q('SELECT count(*) FROM history');
    out[`${label}: outbox rows`] = q('SELECT count(*) FROM outbox');
    out[`${label}: commit (parse + check + write)`] = both(t);
    const raw = rawCopy(desk.store.db);
    out[`${label}: raw better-sqlite3 insert, same rows`] = both(raw);
    out[`${label}: ratio commit / raw`] = `${(t.wall / raw.wall).toFixed(1)}× wall, ${(t.cpu / raw.cpu).toFixed(1)}× cpu`;
    const rawEmpty = rawCopy(desk.store.db, { ftsText: false });
    out[`${label}: raw insert, FTS entries empty (old baseline)`] = `${both(rawEmpty)}; ratio ${(t.wall / rawEmpty.wall).toFixed(1)}× wall, ${(t.cpu / rawEmpty.cpu).toFixed(1)}× cpu`;
    desk.close();
  }
  // what the user waits for: preview, then commit (which reuses the preview's work)
  {
    const { desk, api } = await freshDesk();
    const p = await timed(() => api.import.preview({ fileName, contentBase64 }));
    const commit = await timed(() => api.import.commit({ fileName, contentBase64 }));
    const again = await timed(() => api.import.commit({ fileName, contentBase64 }));
    out[`${label}: preview`] = `${both(p)} (${p.res.rows} rows, ${p.res.errorCount} errors)`;
    out[`${label}: commit after preview (writing only)`] = both(commit);
    out[`${label}: same file again (skips ${again.res.skipped})`] = both(again);
    desk.close();
  }
}

export async function benchImport(): Promise<Record<string, string | number>> {
  const out: Record<string, string | number> = {};
  const t0 = performance.now();
  const list = Buffer.from(listCsv(N_LIST), 'utf8');
  out['list: generated CSV'] = `${N_LIST} rows, ${(list.length / 1e6).toFixed(1)} MB in ${s(performance.now() - t0)}`;
  await importFile('list', 'incidents.csv', list, out);
  const csv = path.join(DATA, 'VINST-new.csv.gz');
  if (fs.existsSync(csv)) await importFile('VINST csv.gz', 'VINST-new.csv.gz', fs.readFileSync(csv), out);
  const xes = path.join(DATA, 'BPI_Challenge_2013_incidents.xes.gz');
  if (fs.existsSync(xes) && process.env.BENCH_XES !== '0') await importFile('VINST xes.gz', 'BPI_Challenge_2013_incidents.xes.gz', fs.readFileSync(xes), out);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const res = await benchImport();
  for (const [k, v] of Object.entries(res)) console.log(`${k.padEnd(48)} ${v}`);
}
