import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHlc, HlcClock } from '../../shared/hlc.js';
import type { Incident } from '../../shared/schemas.js';
import type { Mutation } from '../../shared/sync.js';
import { registerDevice, upsertGroup, upsertUser } from '../../server/accounts.js';
import { openSqlite } from '../../server/storage/sqlite.js';
import { pull, push, type AuthUser, type SyncDeps } from '../../server/sync.js';
import { Desk } from './harness.js';

const NOW = Date.parse('2026-11-22T08:00:00.000Z');
const FIELDS = ['title', 'description', 'urgency'] as const;
const valueFor = (field: (typeof FIELDS)[number], v: number) => (field === 'urgency' ? (['high', 'medium', 'low'] as const)[v % 3] : `${field} ${v}`);

/** Three desktops edit the same incident offline; whatever order their queues reach the server in, the result is the same. */
async function replay(edits: { desk: number; field: (typeof FIELDS)[number]; v: number; wall: number }[], order: number[]): Promise<Incident> {
  const dir = mkdtempSync(join(tmpdir(), 'rd-lww-'));
  const storage = openSqlite(dir);
  try {
    const deps: SyncDeps = { storage, now: () => new Date(NOW), clock: new HlcClock('server', () => NOW) };
    await upsertGroup(deps, { name: 'G' });
    const u = await upsertUser(deps, { name: 'u', password: 'password-u', role: 'agent', groupName: 'G', active: true });
    const user: AuthUser = { id: u.id, name: 'u', role: 'agent', groupName: 'G' };
    const devices = await Promise.all([0, 1, 2].map((i) => registerDevice(deps, user, { deviceId: `dev-${i}`, code: `D${i}` })));
    const creator = new Desk(null as never, u.id, devices[0].deviceId, 'D0', () => NOW - 3_600_000, devices[0].deviceSecret);
    const secretOf = (id: string) => devices.find((d) => d.deviceId === id)!.deviceSecret;
    const create = creator.create('inc-1');
    await push(deps, user, { deviceId: 'dev-0', deviceSecret: secretOf('dev-0'), mutations: [create] });
    // Each desk's queue, in its own seq order, with HLCs from its own clock.
    const queues: Mutation[][] = [[], [], []];
    const seqs = [1, 0, 0];
    edits.forEach((e, i) => {
      const fields = { [e.field]: valueFor(e.field, e.v) };
      queues[e.desk].push({
        deviceId: `dev-${e.desk}`, seq: ++seqs[e.desk], name: 'incident.update', version: 1, userId: u.id,
        hlc: formatHlc({ wall: NOW - 1_000_000 + e.wall, counter: i, node: `dev-${e.desk}` }),
        args: { id: 'inc-1', fields, base: {}, history: [] },
      });
    });
    const next = [0, 0, 0];
    for (const d of order) {
      const m = queues[d][next[d]++];
      if (m) await push(deps, user, { deviceId: m.deviceId, deviceSecret: secretOf(m.deviceId), mutations: [m] });
    }
    for (const d of [0, 1, 2]) while (next[d] < queues[d].length) await push(deps, user, { deviceId: `dev-${d}`, deviceSecret: secretOf(`dev-${d}`), mutations: [queues[d][next[d]++]] });
    const out = await pull(deps, user, { deviceId: 'dev-0', deviceSecret: secretOf('dev-0'), cursor: 0, limit: 5000 });
    return out.changes.find((c) => c.entity === 'incident')!.data as unknown as Incident;
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('per-field last-writer-wins converges', () => {
  it('any interleaving of three desks’ queues gives the same incident, each field holding its highest-HLC value', async () => {
    process.env.RELAY_DESK_SCRYPT_LOG2N ??= '10';
    const edit = fc.record({ desk: fc.integer({ min: 0, max: 2 }), field: fc.constantFrom(...FIELDS), v: fc.integer({ min: 0, max: 99 }), wall: fc.integer({ min: 0, max: 50 }) });
    await fc.assert(fc.asyncProperty(
      fc.array(edit, { minLength: 1, maxLength: 8 }),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 4, maxLength: 12 }),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 4, maxLength: 12 }),
      async (edits, orderA, orderB) => {
        const [a, b] = [await replay(edits, orderA), await replay(edits, orderB)];
        for (const f of FIELDS) {
          expect(a[f]).toEqual(b[f]);
          const hlcs = edits.map((e, i) => ({ e, hlc: formatHlc({ wall: NOW - 1_000_000 + e.wall, counter: i, node: `dev-${e.desk}` }) })).filter((x) => x.e.field === f);
          if (hlcs.length) {
            const win = hlcs.reduce((m, x) => (x.hlc > m.hlc ? x : m));
            expect(a[f]).toEqual(valueFor(f, win.e.v));
          }
        }
        expect(a.updatedAt).toEqual(b.updatedAt);
      },
    ), { numRuns: 10 });
  }, 60_000);
});
