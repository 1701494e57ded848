import { afterEach, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createDesk, type Desk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { httpCentralClient, type CentralClient } from '../../electron/core/sync/central-client.js';
import { DeskInputError } from '../../electron/core/store/errors.js';
import { upsertUser } from '../../server/accounts.js';
import { HlcClock } from '../../shared/hlc.js';
import type { ChangeRecord, ProblemRecord } from '../../shared/problems.js';
import type { Incident } from '../../shared/schemas.js';
import { startWorld, type World } from '../server/harness.js';
import { baseIncident, tempDir } from '../helpers/desk.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => { while (cleanup.length) await cleanup.pop()!(); });

async function refused(p: Promise<unknown>): Promise<Array<{ path: string; message: string }>> {
  try { await p; } catch (e) {
    const cause = e instanceof TRPCError ? e.cause : e;
    if (cause instanceof DeskInputError) return cause.issues as never;
    throw e;
  }
  throw new Error('expected the desk to refuse');
}

async function world() {
  const w = await startWorld('sqlite');
  w.clock.ms = Date.now();
  cleanup.push(() => w.close());
  const deps = { storage: w.server.storage, now: () => new Date(), clock: new HlcClock('t') };
  await upsertUser(deps, { name: 'agent', role: 'agent', groupName: 'Hotline', password: 'agent-password', active: true });
  await upsertUser(deps, { name: 'tech', role: 'technician', groupName: 'Hotline', password: 'tech-password', active: true });
  return w;
}

async function openDesk(w: World, name: string) {
  let offline = false;
  const gate = (c: CentralClient): CentralClient => ({
    ...c,
    async push(token, input) { if (offline) throw new TypeError('fetch failed'); return c.push(token, input); },
    async pull(token, input) { if (offline) throw new TypeError('fetch failed'); return c.pull(token, input); },
  });
  const desk: Desk = await createDesk({ dataDir: tempDir(), backgroundSync: false, clientFor: (url) => gate(httpCentralClient(url)) });
  cleanup.push(() => desk.close());
  const api = createCaller({ store: desk.store, sync: desk.sync });
  await api.sync.signIn({ serverUrl: w.url, name, password: `${name}-password` });
  await desk.sync.syncNow();
  return { desk, api, setOffline: (v: boolean) => { offline = v; } };
}

/** What a replica holds of the records and the incidents, for comparing A, B and the server. */
function deskView(d: Desk, ids: string[]) {
  const db = d.store.db;
  return {
    problems: db.prepare('SELECT id, number, status, title, root_cause AS rootCause, workaround FROM problems ORDER BY id').all(),
    changes: db.prepare('SELECT id, number, status, title, planned_start AS plannedStart, planned_end AS plannedEnd FROM change_records ORDER BY id').all(),
    links: db.prepare('SELECT change_id AS changeId, problem_id AS problemId FROM change_problems ORDER BY 1, 2').all(),
    incidents: ids.map((id) => db.prepare('SELECT id, status, resolution, problem_id AS problemId, change_id AS changeId FROM incidents WHERE id = ?').get(id)),
  };
}
async function serverView(w: World, ids: string[]) {
  return w.server.storage.read(async (q) => {
    const problems = (await q.all<{ data: string }>('SELECT data FROM problems ORDER BY id')).map((r) => JSON.parse(r.data) as ProblemRecord);
    const changes = (await q.all<{ data: string }>('SELECT data FROM change_records ORDER BY id')).map((r) => JSON.parse(r.data) as ChangeRecord);
    const links = await q.all<{ changeId: string; problemId: string }>('SELECT change_id AS "changeId", problem_id AS "problemId" FROM change_problems ORDER BY 1, 2');
    const incidents = [];
    for (const id of ids) {
      const inc = JSON.parse((await q.get<{ data: string }>('SELECT data FROM incidents WHERE id = ?', [id]))!.data) as Incident;
      incidents.push({ id, status: inc.status, resolution: inc.resolution, problemId: inc.problemId ?? null, changeId: inc.changeId ?? null });
    }
    return {
      problems: problems.map((p) => ({ id: p.id, number: p.number, status: p.status, title: p.title, rootCause: p.rootCause, workaround: p.workaround })),
      changes: changes.map((c) => ({ id: c.id, number: c.number, status: c.status, title: c.title, plannedStart: c.plannedStart, plannedEnd: c.plannedEnd })),
      links: links.map((l) => ({ changeId: l.changeId, problemId: l.problemId })),
      incidents,
    };
  });
}

describe('problem and change records with second line offline throughout (issue 12, item 6)', () => {
  it('B raises a problem offline, links two incidents, plans a change, resolves the problem with its incidents; after sync A, B and the server agree', async () => {
    const w = await world();
    const a = await openDesk(w, 'agent');
    const b = await openDesk(w, 'tech');
    const i1 = await a.api.incident.create({ ...baseIncident, title: 'VPN 断线 一' });
    const i2 = await a.api.incident.create({ ...baseIncident, title: 'VPN 断线 二' });
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();
    // First line does not raise problems.
    expect((await refused(a.api.problem.raise({ incidentId: i1.id, title: 'x' })))[0].message).toMatch(/^forbidden/);

    b.setOffline(true);
    await b.desk.sync.syncNow().catch(() => undefined); // the desk finds the server gone: what it records is marked offline
    const p = await b.api.problem.raise({ incidentId: i1.id, title: 'VPN 网关证书过期', rootCause: '网关证书 11 月过期', workaround: '重新导入证书后重连' });
    expect(p.number).toBe(`PRB-${b.desk.store.deviceCode}-00001`);
    expect((await b.api.incident.get({ id: i1.id })).incident.problemId).toBe(p.id);
    // The second incident is linked with the picker: found by number or title, stored as the id.
    expect((await b.api.problem.suggest({ kind: 'problem', q: '证书' })).map((r) => r.id)).toEqual([p.id]);
    expect((await b.api.problem.suggest({ kind: 'problem', q: p.number.slice(-5) })).map((r) => r.id)).toEqual([p.id]);
    await b.api.incident.update({ id: i2.id, patch: { problemId: p.id } });
    // A record that does not exist is refused naming the field, nothing changed.
    expect((await refused(b.api.incident.update({ id: i2.id, patch: { problemId: 'no-such-problem' } }))).map((i) => i.path)).toEqual(['problemId']);
    expect((await refused(b.api.incident.update({ id: i2.id, patch: { changeId: 'no-such-change' } }))).map((i) => i.path)).toEqual(['changeId']);
    // A change record: the window must end after it starts, refused naming the field.
    expect((await refused(b.api.change.create({ title: '更换网关证书', plannedStart: '2026-12-10T22:00:00+08:00', plannedEnd: '2026-12-10T21:00:00+08:00', problemIds: [p.id] }))).map((i) => i.path)).toEqual(['plannedEnd']);
    const c = await b.api.change.create({ title: '更换网关证书', plannedStart: '2026-12-10T22:00:00+08:00', plannedEnd: '2026-12-10T23:30:00+08:00', problemIds: [p.id], incidentIds: [i1.id] });
    expect(c.number).toBe(`CHG-${b.desk.store.deviceCode}-00001`);
    expect((await refused(b.api.change.save({ id: c.id, fields: { plannedEnd: '2026-12-10T20:00:00+08:00' } }))).map((i) => i.path)).toEqual(['plannedEnd']);
    await b.api.change.save({ id: c.id, fields: { status: 'approved' } });

    // Resolving the problem offers its linked open incidents; both are resolved, each on its own.
    const offered = (await b.api.problem.get({ id: p.id })).incidents.filter((i) => i.status !== 'resolved' && i.status !== 'closed');
    expect(offered.map((i) => i.id).sort()).toEqual([i1.id, i2.id].sort());
    const before = b.desk.store.db.prepare("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND name = 'incident.transition'").pluck().get() as number;
    const res = await b.api.problem.resolve({ id: p.id, resolution: '重新导入证书后恢复', incidentIds: offered.map((i) => i.id) });
    expect(res.results.map((r) => r.ok)).toEqual([true, true]);
    expect(b.desk.store.db.prepare("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND name = 'incident.transition'").pluck().get()).toBe(before + 2);
    expect(res.problem.status).toBe('resolved');
    expect(b.desk.sync.status().pending).toBeGreaterThan(5);

    b.setOffline(false);
    await b.desk.sync.syncNow();
    expect(b.desk.sync.status().pending).toBe(0);
    expect(b.desk.store.db.prepare('SELECT count(*) FROM sync_rejections').pluck().get()).toBe(0);
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();

    const ids = [i1.id, i2.id];
    const onB = deskView(b.desk, ids);
    expect(onB.problems).toEqual([{ id: p.id, number: p.number, status: 'resolved', title: 'VPN 网关证书过期', rootCause: '网关证书 11 月过期', workaround: '重新导入证书后重连' }]);
    expect(onB.changes).toMatchObject([{ id: c.id, number: c.number, status: 'approved', plannedStart: '2026-12-10T14:00:00.000Z', plannedEnd: '2026-12-10T15:30:00.000Z' }]);
    expect(onB.links).toEqual([{ changeId: c.id, problemId: p.id }]);
    expect(onB.incidents).toEqual([
      { id: i1.id, status: 'resolved', resolution: '重新导入证书后恢复', problemId: p.id, changeId: c.id },
      { id: i2.id, status: 'resolved', resolution: '重新导入证书后恢复', problemId: p.id, changeId: null },
    ]);
    expect(deskView(a.desk, ids)).toEqual(onB);
    expect(await serverView(w, ids)).toEqual(onB);

    // A sees who did it, when and from which device; the problem lists its incidents and its change.
    const onA = await a.api.problem.get({ id: p.id });
    expect(onA.history.map((h) => [h.kind, h.field, h.actorName, h.deviceId, h.online])).toEqual([
      ['create', null, 'tech', b.desk.store.deviceId, false],
      ['field', 'status', 'tech', b.desk.store.deviceId, false],
    ]);
    expect(onA.changes.map((x) => x.id)).toEqual([c.id]);
    expect((await a.api.change.get({ id: c.id })).problems.map((x) => x.number)).toEqual([p.number]);
  });
});
