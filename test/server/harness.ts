import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { HlcClock } from '../../shared/hlc.js';
import type { HistoryEntry, Incident, WorkLog } from '../../shared/schemas.js';
import type { MutationArgsInput } from '../../shared/sync-mutations.js';
import type { Change, Mutation, MutationName, PullOutput, PushOutput } from '../../shared/sync.js';
import { upsertGroup, upsertUser } from '../../server/accounts.js';
import { startServer, type RunningServer, type ServerRouter } from '../../server/app.js';

// Cheaper password hashes for test users (the production cost is checked in auth.test.ts).
process.env.RELAY_DESK_SCRYPT_LOG2N ??= '10';

export type Backend = 'sqlite' | 'postgres';
export const PG_ADMIN_URL = process.env.RD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgChecked = false;
/** Starts the local cluster if it is down (CI machines boot with it stopped). */
function ensurePostgres() {
  if (pgChecked) return;
  pgChecked = true;
  try {
    execSync('pg_isready -h 127.0.0.1 -p 5432', { stdio: 'ignore' });
  } catch {
    execSync('pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -1) main start', { stdio: 'ignore', shell: '/bin/bash' });
    execSync('for i in $(seq 50); do pg_isready -h 127.0.0.1 -p 5432 && exit 0; sleep 0.2; done; exit 1', { stdio: 'ignore', shell: '/bin/bash' });
  }
}

/** A fresh, isolated database (PostgreSQL) or data directory (SQLite); `drop` removes it. */
export async function freshStore(backend: Backend): Promise<{ storage: string; dataDir: string; url?: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rd-server-'));
  if (backend === 'sqlite') return { storage: 'sqlite', dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  ensurePostgres();
  const name = `rd_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    storage: url, dataDir, url,
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export type Client = ReturnType<typeof makeClient>;
export const makeClient = (url: string, token?: string) =>
  createTRPCClient<ServerRouter>({ links: [httpLink({ url, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })] });

/** A settable clock for the server and the simulated desktops. */
export class TestClock {
  constructor(public ms = Date.parse('2026-11-22T08:00:00.000Z')) {}
  now = () => new Date(this.ms);
  advance(ms: number) { this.ms += ms; }
}

export interface World {
  server: RunningServer;
  url: string;
  clock: TestClock;
  admin: Client;
  adminId: string;
  /** Creates a user (via the admin API) and signs them in. */
  user(name: string, role?: 'agent' | 'technician' | 'lead' | 'admin'): Promise<{ id: string; token: string; client: Client }>;
  close(): Promise<void>;
}

export async function startWorld(backend: Backend): Promise<World> {
  const store = await freshStore(backend);
  const clock = new TestClock();
  const server = await startServer({ storage: store.storage, dataDir: store.dataDir, port: 0, now: clock.now });
  const deps = { storage: server.storage, now: clock.now, clock: new HlcClock('seed') };
  await upsertGroup(deps, { name: 'Hotline' });
  const root = await upsertUser(deps, { name: 'root', password: 'root-password', role: 'admin', groupName: 'Hotline', active: true });
  const anon = makeClient(server.url);
  const { token } = await anon.auth.login.mutate({ name: 'root', password: 'root-password' });
  const admin = makeClient(server.url, token);
  return {
    server, url: server.url, clock, admin, adminId: root.id,
    async user(name, role = 'agent') {
      // Made in-process: `<name>-password` contains the name, which the admin API's password policy refuses.
      const u = await upsertUser(deps, { name, role, groupName: 'Hotline', password: `${name}-password`, active: true });
      const login = await anon.auth.login.mutate({ name, password: `${name}-password` });
      return { id: u.id, token: login.token, client: makeClient(server.url, login.token) };
    },
    async close() { await server.close(); await store.drop(); },
  };
}

/** The tRPC error code of a failed call. */
export async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string; httpStatus?: number; data: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCClientError) {
      const data = (e.data ?? {}) as Record<string, unknown>;
      return { code: String(data.code), message: e.message, httpStatus: data.httpStatus as number | undefined, data };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A simulated desktop: its own device id, seq counter and HLC on a (possibly skewed) clock. */
export class Desk {
  seq = 0;
  cursor = 0;
  readonly hlc: HlcClock;
  readonly seen = new Map<string, Change>();
  constructor(
    readonly client: Client, readonly userId: string, readonly deviceId: string, readonly code: string,
    readonly wallMs: () => number, readonly secret: string,
  ) {
    this.hlc = new HlcClock(deviceId, wallMs);
  }

  static async open(world: World, who: { id: string; client: Client }, skewMs = 0, code?: string): Promise<Desk> {
    const reg = await who.client.device.register.mutate({ name: 'test desk', code });
    return new Desk(who.client, who.id, reg.deviceId, reg.code, () => world.clock.ms + skewMs, reg.deviceSecret);
  }

  mutation<N extends MutationName>(name: N, args: MutationArgsInput<N>): Mutation {
    return { deviceId: this.deviceId, seq: ++this.seq, name, version: 1, hlc: this.hlc.tick(), userId: this.userId, args: args as Record<string, unknown> };
  }
  push(mutations: Mutation[], withClientTime = true): Promise<PushOutput> {
    return this.client.sync.push.mutate({ deviceId: this.deviceId, deviceSecret: this.secret, mutations, ...(withClientTime ? { clientTime: iso(this.wallMs()) } : {}) });
  }
  /** Pulls until caught up; returns the new changes and feeds server HLCs to the local clock. */
  async pullAll(limit = 1000): Promise<Change[]> {
    const got: Change[] = [];
    for (;;) {
      const page: PullOutput = await this.client.sync.pull.query({ deviceId: this.deviceId, deviceSecret: this.secret, cursor: this.cursor, limit });
      got.push(...page.changes);
      for (const c of page.changes) this.seen.set(`${c.entity}:${c.id}`, c);
      this.cursor = page.cursor;
      if (page.serverHlc) this.hlc.receive(page.serverHlc);
      if (!page.hasMore) return got;
    }
  }
  incident(id: string): Incident | undefined { return this.seen.get(`incident:${id}`)?.data as Incident | undefined; }
  history(incidentId: string): HistoryEntry[] {
    return [...this.seen.values()].filter((c) => c.entity === 'history' && (c.data as unknown as HistoryEntry).incidentId === incidentId)
      .map((c) => c.data as unknown as HistoryEntry);
  }

  newIncident(id: string, over: Partial<Incident> = {}): Incident {
    const now = iso(this.wallMs());
    return {
      id, number: `${this.code}-${id}`, channel: 'phone', requesterId: null, requesterName: '张三', requesterDept: '财务部',
      requesterPhone: '010-1234567', requesterEmail: null, serviceLevel: 'normal', serviceType: 'fault', categoryId: 'hardware',
      title: `Printer jam ${id}`, description: 'paper stuck', affectedName: null, affectedIp: null, affectedLocation: null,
      impactScope: 'individual', impact: 'low', urgency: 'low', majorReasons: [], urgentReason: null, autoEscalated: false,
      priority: 'P4', status: 'new', occurredAt: null, reportedAt: now, recordedAt: now, firstResponseAt: null, resolvedAt: null,
      closedAt: null, pendingSince: null, pausedMs: 0, resolveDueAt: now, responseDueAt: now, ownerId: this.userId, tier: 'L1',
      groupName: 'Hotline', assigneeId: null, resolution: null, rootCause: null, problemRef: null, changeRef: null,
      kbArticleId: null, satisfaction: null, satisfactionComment: null, backfilled: false, backfillReason: null, origin: 'desk', externalRef: null,
      createdBy: this.userId, deviceId: this.deviceId, updatedAt: now, ...over,
    };
  }
  historyRow(incidentId: string, kind: string, over: Partial<HistoryEntry> = {}): HistoryEntry {
    return {
      id: `${this.deviceId}:h${this.seq}:${Math.random().toString(36).slice(2, 8)}`, incidentId, at: iso(this.wallMs()), actorId: this.userId,
      actorName: null, deviceId: this.deviceId, online: true, kind, field: null, oldValue: null, newValue: null, note: null, ...over,
    };
  }
  workLog(id: string, incidentId: string, body: string): WorkLog {
    const now = iso(this.wallMs());
    return { id, incidentId, at: now, recordedAt: now, authorId: this.userId, authorName: null, body, kind: 'note' };
  }
  create(id: string, over: Partial<Incident> = {}): Mutation {
    return this.mutation('incident.create', { incident: this.newIncident(id, over), history: [this.historyRow(id, 'create')] });
  }
}
