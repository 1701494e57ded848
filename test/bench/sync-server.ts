/**
 * Sync server throughput: push 10,000 mutations (incident.create, batches of 500) and pull the
 * resulting changes back over real HTTP on loopback, on SQLite and on PostgreSQL, compared with a
 * raw better-sqlite3 insert of the same rows. The server runs in its own process, as deployed (WAL, synchronous=FULL, one transaction per 500).
 *
 *   npx tsx test/bench/sync-server.ts [--count 10000] [--rounds 3] [--skip-postgres]
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HlcClock } from '../../shared/hlc.js';
import type { Incident } from '../../shared/schemas.js';
import { PUSH_MAX_MUTATIONS, type Mutation } from '../../shared/sync.js';
import { startServerProcess } from './server-process.js';
import { httpCentralClient } from '../../electron/core/sync/central-client.js';
import { freshStore, type Backend } from '../server/harness.js';

const { values } = parseArgs({ options: { count: { type: 'string' }, rounds: { type: 'string' }, 'skip-postgres': { type: 'boolean' } } });
const COUNT = Number(values.count ?? 10_000);
const ROUNDS = Number(values.rounds ?? 3);
const BATCH = PUSH_MAX_MUTATIONS;
const WARMUP = 2_000;

function incident(i: number, userId: string, deviceId: string, prefix: string): Incident {
  const now = new Date(Date.UTC(2026, 10, 22, 8, 0, 0) + i * 1000).toISOString();
  return {
    id: `${prefix}-${i}`, number: `${prefix}-${i}`, channel: 'phone', requesterId: null, requesterName: '张三', requesterDept: '财务部',
    requesterPhone: '010-1234567', requesterEmail: null, serviceLevel: 'normal', serviceType: 'fault', categoryId: 'hardware',
    title: `打印机卡纸 ${i}`, description: 'Paper jam in tray 2, error E-102, happens every morning.', affectedName: 'HP LaserJet', affectedIp: '10.0.0.12',
    affectedLocation: '3F', impactScope: 'individual', impact: 'medium', urgency: 'medium', majorReasons: [], urgentReason: null,
    autoEscalated: false, priority: 'P3', status: 'new', occurredAt: null, reportedAt: now, recordedAt: now, firstResponseAt: null,
    resolvedAt: null, closedAt: null, pendingSince: null, pausedMs: 0, resolveDueAt: now, responseDueAt: now, ownerId: userId,
    tier: 'L1', groupName: 'Hotline', assigneeId: null, resolution: null, rootCause: null, problemRef: null, changeRef: null,
    kbArticleId: null, satisfaction: null, satisfactionComment: null, backfilled: false, backfillReason: null, origin: 'desk', externalRef: null, createdBy: userId,
    deviceId, updatedAt: now,
  };
}

async function runServer(backend: Backend) {
  const store = await freshStore(backend);
  // The server in its own process, as deployed: this process is the desk's side of the wire.
  const server = await startServerProcess(store.storage, store.dataDir, 'bench', 'bench-password');
  try {
    // The desk's own client for the central server (what its sync engine sends with).
    const client = httpCentralClient(server.url);
    const { token } = await client.login({ name: 'bench', password: 'bench-password' });
    const desk = async (prefix: string, count: number) => {
      const { deviceId, deviceSecret } = await client.register(token, { deviceId: `bench-${prefix}-${Date.now()}`, code: prefix });
      const hlc = new HlcClock(deviceId);
      const mutations: Mutation[] = Array.from({ length: count }, (_, i) => ({
        deviceId, seq: i + 1, name: 'incident.create', version: 1, hlc: hlc.tick(), userId: server.userId,
        args: { incident: incident(i, server.userId, deviceId, prefix), history: [] },
      }));
      return { deviceId, deviceSecret, mutations };
    };
    // As the desk's sync engine pushes (electron/core/sync/engine.ts): batches of 500, the next one
    // sent before the previous one is answered, two in flight.
    const push = async (d: { deviceId: string; deviceSecret: string; mutations: Mutation[] }) => {
      const send = (i: number) => (i < d.mutations.length ? client.push(token, { deviceId: d.deviceId, deviceSecret: d.deviceSecret, mutations: d.mutations.slice(i, i + BATCH) }) : null);
      let current = send(0);
      for (let i = 0; current; i += BATCH) {
        const following = send(i + BATCH);
        const out = await current;
        if (out.results.some((r) => r.status !== 'applied')) throw new Error(`not applied: ${JSON.stringify(out.results.find((r) => r.status !== 'applied'))}`);
        current = following;
      }
    };
    const pullAll = async ({ deviceId, deviceSecret }: { deviceId: string; deviceSecret: string }, from: number) => {
      let cursor = from, incidents = 0;
      for (;;) {
        const page = await client.pull(token, { deviceId, deviceSecret, cursor, limit: 5000, count: cursor === from });
        incidents += page.changes.filter((c) => c.entity === 'incident').length;
        cursor = page.cursor;
        if (!page.hasMore) return { cursor, incidents };
      }
    };
    // A server in service has run its code many times: one unmeasured round from another desk first,
    // so the figures are steady-state throughput, not V8 compiling the server's code.
    const warm = await desk('WARM', WARMUP);
    await push(warm);
    await pullAll(warm, 0);
    // Several measured rounds, each a new desk with 10,000 new incidents: this machine's speed drifts
    // by a quarter between minutes, so one round alone says little. The median is the figure.
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      const d = await desk(`BN${r}`, COUNT);
      const { cursor: start } = await pullAll(d, 0);
      const c0 = process.cpuUsage();
      const s0 = await server.cpuSeconds();
      const t0 = performance.now();
      await push(d);
      const t1 = performance.now();
      const s1 = await server.cpuSeconds();
      const { incidents: pulled } = await pullAll(d, start);
      const t2 = performance.now();
      const s2 = await server.cpuSeconds();
      const cpu = process.cpuUsage(c0);
      if (pulled !== COUNT) throw new Error(`pulled ${pulled} incidents, expected ${COUNT}`);
      rounds.push({
        cpu: (cpu.user + cpu.system) / 1e6, serverPushCpu: s1 - s0, serverPullCpu: s2 - s1,
        push: (t1 - t0) / 1000, pull: (t2 - t1) / 1000, total: (t2 - t0) / 1000, rows: d.mutations.map((m) => m.args.incident as Incident),
      });
    }
    return rounds;
  } finally {
    await server.close();
    await store.drop();
  }
}

function rawSqlite(rows: Incident[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'rd-bench-raw-'));
  try {
    const db = new Database(join(dir, 'raw.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE incidents (id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, status TEXT NOT NULL, data TEXT NOT NULL)');
    const ins = db.prepare('INSERT INTO incidents (id, number, status, data) VALUES (?, ?, ?, ?)');
    const batch = db.transaction((xs: Incident[]) => { for (const r of xs) ins.run(r.id, r.number, r.status, JSON.stringify(r)); });
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += BATCH) batch(rows.slice(i, i + BATCH));
    const t = (performance.now() - t0) / 1000;
    db.close();
    return t;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (s: number) => `${s.toFixed(3)} s`;
const backends: Backend[] = values['skip-postgres'] ? ['sqlite'] : ['sqlite', 'postgres'];
let raw = 0;
for (const backend of backends) {
  const rounds = await runServer(backend);
  if (!raw) raw = rawSqlite(rounds[0].rows);
  for (const [i, r] of rounds.entries()) {
    console.log(`${backend.padEnd(8)} round ${i + 1}: push ${fmt(r.push)}, pull ${fmt(r.pull)}, total ${fmt(r.total)}; ` +
      `CPU: desk side ${fmt(r.cpu)}, server push ${fmt(r.serverPushCpu)}, server pull ${fmt(r.serverPullCpu)}`);
  }
  const median = [...rounds].sort((a, b) => a.total - b.total)[Math.floor(rounds.length / 2)];
  console.log(`${backend.padEnd(8)} ${COUNT} mutations, median of ${rounds.length}: push ${fmt(median.push)}, pull ${fmt(median.pull)}, total ${fmt(median.total)} ` +
    `(${Math.round(COUNT / median.total)}/s; ${(median.total / raw).toFixed(1)}× raw better-sqlite3 insert ${fmt(raw)}) ${median.total < 1.5 ? 'OK' : 'over the 1.5 s target'}` +
    `; range ${fmt(Math.min(...rounds.map((r) => r.total)))}–${fmt(Math.max(...rounds.map((r) => r.total)))}`);
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
}
