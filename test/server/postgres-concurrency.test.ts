import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { HlcClock } from '../../shared/hlc.js';
import type { Incident } from '../../shared/schemas.js';
import type { Change } from '../../shared/sync.js';
import { upsertGroup, upsertUser } from '../../server/accounts.js';
import { startServer, type RunningServer } from '../../server/app.js';
import { openPostgres } from '../../server/storage/postgres.js';
import { allocateSeqs, type Storage } from '../../server/storage/index.js';
import { Desk, freshStore, makeClient, TestClock, type World } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL: change seqs never commit out of order', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let server: RunningServer;
  let other: Storage;
  beforeAll(async () => {
    store = await freshStore('postgres');
    server = await startServer({ storage: store.storage, port: 0 });
    other = await openPostgres(store.url!); // a second server process's pool
  });
  afterAll(async () => { await other?.close(); await server?.close(); await store?.drop(); });

  it('control: with a plain sequence, a cursor skips a change that commits late', async () => {
    const a = new pg.Client({ connectionString: store.url }), b = new pg.Client({ connectionString: store.url }), r = new pg.Client({ connectionString: store.url });
    await Promise.all([a.connect(), b.connect(), r.connect()]);
    try {
      await a.query('CREATE TABLE naive_changes (seq BIGSERIAL PRIMARY KEY, v TEXT)');
      await a.query('BEGIN');
      const s1 = Number((await a.query("INSERT INTO naive_changes (v) VALUES ('first') RETURNING seq")).rows[0].seq);
      await b.query('BEGIN');
      const s2 = Number((await b.query("INSERT INTO naive_changes (v) VALUES ('second') RETURNING seq")).rows[0].seq);
      expect(s2).toBeGreaterThan(s1);
      await b.query('COMMIT'); // the higher seq commits first
      const seen = (await r.query('SELECT seq FROM naive_changes WHERE seq > 0 ORDER BY seq')).rows.map((x) => Number(x.seq));
      expect(seen).toEqual([s2]);
      await a.query('COMMIT');
      const after = (await r.query('SELECT seq FROM naive_changes WHERE seq > $1', [s2])).rows;
      expect(after).toEqual([]); // seq s1 is never delivered to a reader whose cursor is s2
    } finally {
      await Promise.all([a.end(), b.end(), r.end()]);
    }
  });

  it('with the counter row, a later seq cannot commit before an earlier one; pull never skips', async () => {
    const clock = new HlcClock('seed');
    const deps = { storage: server.storage, now: () => new Date(), clock };
    await upsertGroup(deps, { name: 'G' });
    const u = await upsertUser(deps, { name: 'late', password: 'late-password', role: 'agent', groupName: 'G', active: true });
    const { token } = await makeClient(server.url).auth.login.mutate({ name: 'late', password: 'late-password' });
    const client = makeClient(server.url, token);
    const world = { clock: new TestClock(Date.now()) } as World;
    const desk = await Desk.open(world, { id: u.id, client });
    await desk.pullAll();
    const cursor0 = desk.cursor;

    // Connection 1 (another process) takes a seq and holds its transaction open.
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let seq1 = 0;
    const t1 = other.write(async (q) => {
      seq1 = await allocateSeqs(q, 1);
      await q.run("INSERT INTO changes (seq, entity, entity_id, audience, data) VALUES (?, 'group', 'late-group', NULL, '{\"id\":\"late-group\",\"name\":\"Late\"}')", [seq1]);
      await gate;
    });
    while (!seq1) await sleep(10);

    // Connection 2 (this server) pushes: its change would get a later seq and would commit first.
    let pushed = false;
    const t2 = desk.push([desk.create('late-1')]).then((r) => { pushed = true; return r; });
    await sleep(400);
    expect(pushed).toBe(false); // it waits for connection 1: seqs commit in seq order
    const during = await client.sync.pull.query({ deviceId: desk.deviceId, deviceSecret: desk.secret, cursor: cursor0, limit: 100 });
    expect(during.changes).toEqual([]);
    expect(during.cursor).toBe(cursor0);

    release();
    await t1;
    expect((await t2).results[0].status).toBe('applied');
    const after = await desk.pullAll();
    expect(after[0]).toMatchObject({ seq: seq1, entity: 'group', id: 'late-group' });
    const incident = after.find((c) => c.entity === 'incident')!;
    expect(incident.seq).toBeGreaterThan(seq1);
  });
});

describe('PostgreSQL: two server processes pushing concurrently lose nothing', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  const procs: ChildProcess[] = [];
  const urls: string[] = [];

  async function spawnServer(): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', '0'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { ...process.env, DATABASE_URL: store.url, RELAY_DESK_SCRYPT_LOG2N: '10' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    procs.push(child);
    let out = '';
    for await (const chunk of child.stdout!) {
      out += String(chunk);
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m) return m[1];
    }
    throw new Error(`server did not start: ${out}`);
  }

  beforeAll(async () => {
    store = await freshStore('postgres');
    const storage = await openPostgres(store.url!);
    const deps = { storage, now: () => new Date(), clock: new HlcClock('seed') };
    await upsertGroup(deps, { name: 'G' });
    for (const n of ['p1', 'p2', 'p3', 'p4', 'reader']) await upsertUser(deps, { name: n, password: `${n}-password`, role: 'technician', groupName: 'G', active: true });
    await storage.close();
    urls.push(...(await Promise.all([spawnServer(), spawnServer()])));
  }, 30_000);
  afterAll(async () => {
    for (const p of procs) { p.kill('SIGTERM'); await once(p, 'exit').catch(() => undefined); }
    await store?.drop();
  });

  it('every mutation applies exactly once, and a reader following the cursor sees every change', async () => {
    const world = { clock: new TestClock(Date.now()) } as World;
    const signIn = async (name: string, url: string) => {
      const r = await makeClient(url).auth.login.mutate({ name, password: `${name}-password` });
      return { id: r.user.id, client: makeClient(url, r.token) };
    };
    const desks = await Promise.all(['p1', 'p2', 'p3', 'p4'].map(async (n, i) => Desk.open(world, await signIn(n, urls[i % 2]))));
    // The same device talks to both processes: each batch is sent to both at once (a retry storm).
    const twins = await Promise.all(['p1', 'p2', 'p3', 'p4'].map(async (n, i) => signIn(n, urls[(i + 1) % 2])));
    const reader = await Desk.open(world, await signIn('reader', urls[1]));

    const PER_DESK = 60, BATCH = 20;
    let pushing = true;
    const seenSeqs: number[] = [];
    const follow = (async () => {
      while (pushing) {
        const page = await reader.client.sync.pull.query({ deviceId: reader.deviceId, deviceSecret: reader.secret, cursor: reader.cursor, limit: 37 });
        for (const c of page.changes) { seenSeqs.push(c.seq); reader.seen.set(`${c.entity}:${c.id}`, c); }
        reader.cursor = page.cursor;
      }
    })();
    await Promise.all(desks.map(async (d, i) => {
      const all = [];
      for (let k = 0; k < PER_DESK; k++) {
        all.push(d.create(`${d.code}-${k}`));
        all.push(d.mutation('incident.update', { id: `${d.code}-${k}`, fields: { title: `final ${d.code}-${k}` }, base: {}, history: [] }));
      }
      for (let k = 0; k < all.length; k += BATCH) {
        const batch = all.slice(k, k + BATCH);
        const input = { deviceId: d.deviceId, deviceSecret: d.secret, mutations: batch };
        const [x, y] = await Promise.all([d.client.sync.push.mutate(input), twins[i].client.sync.push.mutate(input)]);
        const statuses = batch.map((_, j) => [x.results[j].status, y.results[j].status].sort().join('+'));
        expect(new Set(statuses)).toEqual(new Set(['applied+duplicate']));
      }
    }));
    pushing = false;
    await follow;
    await reader.pullAll(37);

    const incidents = [...reader.seen.values()].filter((c: Change) => c.entity === 'incident');
    expect(incidents).toHaveLength(4 * PER_DESK);
    for (const c of incidents) expect((c.data as unknown as Incident).title).toBe(`final ${c.id}`);
    const pageSeqs = seenSeqs;
    expect([...pageSeqs].sort((a, b) => a - b)).toEqual(pageSeqs);
    const check = await openPostgres(store.url!);
    try {
      const acks = await check.read((q) => q.all<{ acked_through: number }>('SELECT acked_through FROM devices WHERE id IN (?, ?, ?, ?)', desks.map((d) => d.deviceId)));
      expect(acks.map((a) => Number(a.acked_through))).toEqual([2 * PER_DESK, 2 * PER_DESK, 2 * PER_DESK, 2 * PER_DESK]);
      const logged = await check.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM mutation_log'));
      expect(Number(logged!.n)).toBe(4 * 2 * PER_DESK);
    } finally {
      await check.close();
    }
  }, 45_000);
});
