// First sync of a big database to an empty desk (issue #3): the server holds N incidents and 3N work
// logs; a new desk signs in and pulls everything over real HTTP on loopback. Beside it, the raw
// better-sqlite3 insert of the same rows into the same desk schema, in the same run.
// `npx tsx test/bench/sync-desk.ts [incidents]`  (default 100000; also runs a quarter-size pass to show growth)
process.env.RELAY_DESK_SCRYPT_LOG2N ??= '10';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { HlcClock } from '../../shared/hlc.js';
import { uuidv7 } from '../../shared/ids.js';
import type { Incident, Mutation, WorkLog } from '../../shared/index.js';
import { startServerProcess } from './server-process.js';
import { freshStore } from '../server/harness.js';
import { createDesk } from '../../electron/core/desk.js';
import { openDatabase } from '../../electron/core/db/connection.js';
import { httpCentralClient } from '../../electron/core/sync/central-client.js';
import { INSERT_INCIDENT, incidentParams } from '../../electron/core/store/rows.js';
import { ftsText } from '../../electron/core/store/fts.js';
import { tempDir } from '../helpers/desk.js';

// Ids as a desk makes them (UUIDv7 from the time of recording), made once so the raw baseline inserts the same keys.
const T0 = Date.UTC(2026, 9, 1);
const incidentIds: string[] = [];
const workLogIds: string[] = [];
function makeIds(n: number) {
  for (let i = incidentIds.length; i < n; i++) {
    incidentIds.push(uuidv7(T0 + i * 20_000));
    for (let k = 0; k < 3; k++) workLogIds.push(uuidv7(T0 + i * 20_000 + k * 60_000 + 1));
  }
}

function incident(i: number, userId: string, deviceId: string): Incident {
  const t = new Date(T0 + i * 20_000).toISOString();
  return {
    id: incidentIds[i], number: `BN-${String(i).padStart(6, '0')}`, channel: 'phone', requesterId: null, requesterName: `用户${i % 700}`, requesterDept: '财务部',
    requesterPhone: '010-1234567', requesterEmail: null, serviceLevel: 'normal', serviceType: 'fault', categoryId: i % 2 ? 'hardware' : 'network',
    title: `打印机卡纸 printer jam ${i}`, description: 'Paper jam in tray 2, error E-102, happens every morning. 每天早上都会卡纸。', affectedName: 'HP LaserJet', affectedIp: '10.0.0.12',
    affectedLocation: '3F', impactScope: 'individual', impact: 'medium', urgency: i % 3 ? 'medium' : 'low', majorReasons: [], urgentReason: null,
    autoEscalated: false, priority: 'P3', status: i % 4 ? 'closed' : 'new', occurredAt: null, reportedAt: t, recordedAt: t, firstResponseAt: null,
    resolvedAt: null, closedAt: null, pendingSince: null, pausedMs: 0, resolveDueAt: t, responseDueAt: t, ownerId: userId, tier: 'L1', groupName: 'Hotline',
    assigneeId: null, resolution: i % 4 ? '清理搓纸轮后恢复' : null, rootCause: null, problemRef: null, changeRef: null, kbArticleId: null, satisfaction: null,
    satisfactionComment: null, backfilled: false, backfillReason: null, origin: 'desk', externalRef: null, createdBy: userId, deviceId, updatedAt: t,
  };
}
const workLog = (i: number, k: number, userId: string): WorkLog => ({
  id: workLogIds[3 * i + k], incidentId: incidentIds[i], at: new Date(T0 + i * 20_000 + k * 60_000).toISOString(),
  recordedAt: new Date(T0 + i * 20_000 + k * 60_000).toISOString(), authorId: userId, authorName: null,
  body: `第 ${k + 1} 次处理：检查纸路 checked the paper path (${i})`, kind: 'note',
});

export async function benchFirstSync(n: number, backend: 'sqlite' | 'postgres' = 'sqlite'): Promise<Record<string, string | number>> {
  makeIds(n);
  const store = await freshStore(backend);
  // The server in its own process, as deployed: the desk (this process) and the server each have their own event loop.
  const server = await startServerProcess(store.storage, store.dataDir, 'seed', 'seed-password');
  const user = { id: server.userId };
  const client = httpCentralClient(server.url, { timeoutMs: 600_000 });
  const { token } = await client.login({ name: 'seed', password: 'seed-password' });
  const deviceId = randomUUID();
  const { deviceSecret } = await client.register(token, { deviceId, code: 'SEED' });
  const hlc = new HlcClock(deviceId);
  let seq = 0;
  const t0 = performance.now();
  let batch: Mutation[] = [];
  const flush = async () => { if (batch.length) { await client.push(token, { deviceId, deviceSecret, mutations: batch }); batch = []; } };
  const add = async (name: Mutation['name'], args: Record<string, unknown>) => {
    batch.push({ deviceId, seq: ++seq, name, version: 1, hlc: hlc.tick(), userId: user.id, args });
    if (batch.length === 500) await flush();
  };
  for (let i = 0; i < n; i++) {
    await add('incident.create', { incident: incident(i, user.id, deviceId), history: [] });
    for (let k = 0; k < 3; k++) await add('worklog.add', { workLog: workLog(i, k, user.id) });
  }
  await flush();
  const seedS = (performance.now() - t0) / 1000;
  // A server in service has planner statistics (autovacuum gathers them within a minute of a bulk
  // load); right after seeding 400k rows PostgreSQL would still plan for empty tables.
  if (backend === 'postgres' && store.url) {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: store.url });
    await c.connect();
    await c.query('ANALYZE');
    await c.end();
  }

  // The measured part: an empty desk signs in and pulls everything.
  let pullMs = 0;
  const timed = (u: string) => {
    const c = httpCentralClient(u, { timeoutMs: 600_000 });
    return { ...c, pull: async (tk: string, input: Parameters<typeof c.pull>[1]) => { const s = performance.now(); try { return await c.pull(tk, input); } finally { pullMs += performance.now() - s; } } };
  };
  const desk = await createDesk({ dataDir: tempDir('relay-bench-'), backgroundSync: false, clientFor: timed });
  await desk.sync.signIn({ serverUrl: server.url, name: 'seed', password: 'seed-password' });
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const sc1 = await server.cpuSeconds();
  // BENCH_DESK_PROF=file.cpuprofile profiles the desk's side of the sync only.
  const profiler = process.env.BENCH_DESK_PROF ? new (await import('node:inspector/promises')).Session() : null;
  if (profiler) { profiler.connect(); await profiler.post('Profiler.enable'); await profiler.post('Profiler.start'); }
  await desk.sync.syncNow();
  if (profiler) writeFileSync(process.env.BENCH_DESK_PROF!, JSON.stringify((await profiler.post('Profiler.stop')).profile));
  const syncS = (performance.now() - t1) / 1000;
  const deskCpu = process.cpuUsage(c1);
  const serverCpu = (await server.cpuSeconds()) - sc1;
  const got = { incidents: desk.store.incidentCount(), workLogs: desk.store.db.prepare('SELECT count(*) FROM work_logs').pluck().get() as number };
  desk.close();
  await server.close();
  await store.drop();

  // Raw: the same rows into the same desk schema (FTS included), pages of 2,000 per transaction.
  const db = openDatabase(path.join(tempDir('relay-bench-raw-'), 'raw.db'));
  db.exec(`INSERT OR IGNORE INTO categories (id, parent_id, code, name_zh, name_en) VALUES ('hardware', NULL, 'hardware', 'h', 'h'), ('network', NULL, 'network', 'n', 'n')`);
  const ins = db.prepare(INSERT_INCIDENT);
  const fts = db.prepare('INSERT INTO incidents_fts (rowid, body) VALUES (?, ?)');
  const wl = db.prepare('INSERT INTO work_logs (id, incident_id, at, recorded_at, author_id, body, kind) VALUES (@id, @incidentId, @at, @recordedAt, @authorId, @body, @kind)');
  const t2 = performance.now();
  const page = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const inc = incident(i, user.id, deviceId);
      const info = ins.run({ ...incidentParams(inc), clientId: null, importKey: null });
      fts.run(info.lastInsertRowid, ftsText([inc.number, inc.title, inc.description, inc.requesterName, inc.requesterDept, inc.resolution]));
      for (let k = 0; k < 3; k++) { const { authorName: _a, ...w } = workLog(i, k, user.id); wl.run(w); }
    }
  });
  for (let i = 0; i < n; i += 500) page(i, Math.min(n, i + 500));
  const rawS = (performance.now() - t2) / 1000;
  db.close();
  return {
    [`first sync ${n} incidents + ${3 * n} work logs (server on ${backend})`]: `${syncS.toFixed(1)} s`,
    'rows on the desk': `${got.incidents} incidents, ${got.workLogs} work logs`,
    '  pull requests in flight (overlap the desk\'s writes)': `${(pullMs / 1000).toFixed(1)} s`,
    '  CPU: desk / server': `${((deskCpu.user + deskCpu.system) / 1e6).toFixed(1)} s / ${serverCpu.toFixed(1)} s`,
    'raw insert of the same rows': `${rawS.toFixed(1)} s`,
    'sync / raw': `${(syncS / rawS).toFixed(1)}×`,
    '(seeding the server by push, not measured)': `${seedS.toFixed(1)} s`,
  };
}

if (process.argv[1]?.endsWith('sync-desk.ts')) {
  // `npx tsx test/bench/sync-desk.ts [incidents] [--skip-postgres]`
  const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
  const runs: Array<[number, 'sqlite' | 'postgres']> = [[Math.round(n / 4), 'sqlite'], [n, 'sqlite']];
  if (!process.argv.includes('--skip-postgres')) runs.push([n, 'postgres']);
  for (const [size, backend] of runs) {
    const res = await benchFirstSync(size, backend);
    for (const [k, v] of Object.entries(res)) console.log(`${k.padEnd(62)} ${v}`);
  }
}
