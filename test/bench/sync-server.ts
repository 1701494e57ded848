/**
 * Sync server throughput: push 10,000 mutations (incident.create, batches of 500) and pull the
 * resulting changes back over real HTTP on loopback, on SQLite and on PostgreSQL, compared with a
 * raw better-sqlite3 insert of the same rows (WAL, synchronous=FULL, one transaction per 500).
 *
 *   npx tsx test/bench/sync-server.ts [--count 10000] [--skip-postgres]
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HlcClock } from '../../shared/hlc.js';
import type { Incident } from '../../shared/schemas.js';
import { PUSH_MAX_MUTATIONS, type Mutation } from '../../shared/sync.js';
import { upsertGroup, upsertUser } from '../../server/accounts.js';
import { startServer } from '../../server/app.js';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { ServerRouter } from '../../server/app.js';
import { freshStore, makeClient, type Backend } from '../server/harness.js';

/**
 * The desktop's side of the wire, as a desktop should do it: the request body goes to fetch as
 * UTF-8 bytes (a large string body costs undici a USV-string scan and a second encode).
 */
const bytesFetch: typeof fetch = (url, init) =>
  fetch(url, init && typeof init.body === 'string' ? { ...init, body: Buffer.from(init.body) } : init);
const deskClient = (url: string, token: string) =>
  createTRPCClient<ServerRouter>({ links: [httpLink({ url, fetch: bytesFetch, headers: { authorization: `Bearer ${token}` } })] });

const { values } = parseArgs({ options: { count: { type: 'string' }, 'skip-postgres': { type: 'boolean' } } });
const COUNT = Number(values.count ?? 10_000);
const BATCH = PUSH_MAX_MUTATIONS;

function incident(i: number, userId: string, deviceId: string): Incident {
  const now = new Date(Date.UTC(2026, 10, 22, 8, 0, 0) + i * 1000).toISOString();
  return {
    id: `bench-${i}`, number: `BN-${i}`, channel: 'phone', requesterId: null, requesterName: '张三', requesterDept: '财务部',
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
  const server = await startServer({ storage: store.storage, dataDir: store.dataDir, port: 0 });
  try {
    const deps = { storage: server.storage, now: () => new Date(), clock: new HlcClock('bench') };
    await upsertGroup(deps, { name: 'Hotline' });
    const user = await upsertUser(deps, { name: 'bench', password: 'bench-password', role: 'agent', groupName: 'Hotline', active: true });
    const { token } = await makeClient(server.url).auth.login.mutate({ name: 'bench', password: 'bench-password' });
    const client = deskClient(server.url, token);
    const { deviceId } = await client.device.register.mutate({ name: 'bench' });
    const hlc = new HlcClock(deviceId);
    const mutations: Mutation[] = Array.from({ length: COUNT }, (_, i) => ({
      deviceId, seq: i + 1, name: 'incident.create', version: 1, hlc: hlc.tick(), userId: user.id,
      args: { incident: incident(i, user.id, deviceId), history: [] },
    }));
    const { cursor: start } = await client.sync.pull.query({ deviceId, cursor: 0, limit: 5000 });

    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < COUNT; i += BATCH) {
      const out = await client.sync.push.mutate({ deviceId, mutations: mutations.slice(i, i + BATCH) });
      if (out.results.some((r) => r.status !== 'applied')) throw new Error(`not applied: ${JSON.stringify(out.results.find((r) => r.status !== 'applied'))}`);
    }
    const t1 = performance.now();
    let cursor = start, pulled = 0;
    for (;;) {
      const page = await client.sync.pull.query({ deviceId, cursor, limit: 5000 });
      pulled += page.changes.filter((c) => c.entity === 'incident').length;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const t2 = performance.now();
    const cpu = process.cpuUsage(c0);
    if (pulled !== COUNT) throw new Error(`pulled ${pulled} incidents, expected ${COUNT}`);
    return { cpu: (cpu.user + cpu.system) / 1e6, push: (t1 - t0) / 1000, pull: (t2 - t1) / 1000, total: (t2 - t0) / 1000, rows: mutations.map((m) => m.args.incident as Incident) };
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
  const r = await runServer(backend);
  if (!raw) raw = rawSqlite(r.rows);
  console.log(`${backend.padEnd(8)} ${COUNT} mutations: push ${fmt(r.push)}, pull ${fmt(r.pull)}, total ${fmt(r.total)} ` +
    `(${Math.round(COUNT / r.total)}/s; ${(r.total / raw).toFixed(1)}× raw better-sqlite3 insert ${fmt(raw)}) ${r.total < 1.5 ? 'OK' : 'over the 1.5 s target'}; ` +
    `CPU of this process (client and server together) ${fmt(r.cpu)}`);
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
}
