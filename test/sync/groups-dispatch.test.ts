import { afterEach, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createDesk, type Desk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { httpCentralClient, type CentralClient } from '../../electron/core/sync/central-client.js';
import { DeskInputError } from '../../electron/core/store/errors.js';
import { upsertUser } from '../../server/accounts.js';
import { HlcClock } from '../../shared/hlc.js';
import { startWorld, type World } from '../server/harness.js';
import { baseIncident, openTestDesk, tempDir } from '../helpers/desk.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => { while (cleanup.length) await cleanup.pop()!(); });

/** The issues a refused desk call names (field → message). */
async function refused(p: Promise<unknown>): Promise<Array<{ path: string; message: string }>> {
  try { await p; } catch (e) {
    const cause = e instanceof TRPCError ? e.cause : e;
    if (cause instanceof DeskInputError) return cause.issues;
    throw e;
  }
  throw new Error('expected the desk to refuse');
}

/** The server with first line (Hotline, L1) and second line (网络组, L2, the default group for network), and their people. */
async function world() {
  const w = await startWorld('sqlite');
  w.clock.ms = Date.now(); // the desks run on the real clock
  cleanup.push(() => w.close());
  const deps = { storage: w.server.storage, now: () => new Date(), clock: new HlcClock('t') };
  const net = await w.admin.admin.saveGroup.mutate({ name: '网络组', tier: 'L2' });
  const vendor = await w.admin.admin.saveGroup.mutate({ name: '华为维保', tier: 'vendor' });
  await upsertUser(deps, { name: 'agent', role: 'agent', groupName: 'Hotline', password: 'agent-password', active: true });
  const tech = await upsertUser(deps, { name: 'tech', role: 'technician', groupName: '网络组', password: 'tech-password', active: true });
  // listed in the vendor group too, besides their own group
  await w.admin.admin.setGroupMembers.mutate({ groupId: vendor.id, members: [tech.id] });
  await w.admin.admin.setAssignmentRule.mutate({ categoryId: 'network', groupId: net.id });
  return { w, net, vendor, tech };
}

/** A desk on its own SQLite file; `offline` cuts it from the server (every request fails as a dropped network would). */
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
  const me = (await api.sync.signIn({ serverUrl: w.url, name, password: `${name}-password` })).user;
  await desk.sync.syncNow();
  return { desk, api, me, setOffline: (v: boolean) => { offline = v; } };
}

describe('dispatch by category to groups, accept or return with a reason (issue 12)', () => {
  it('a desk that never signed in keeps its local setup: its people\'s groups are groups', async () => {
    const t = await openTestDesk();
    cleanup.push(() => t.close());
    const groups = (await t.api.group.list()).groups;
    expect(groups.map((g) => [g.name, g.tier])).toEqual([['服务台', 'L1']]);
    const inc = await t.api.incident.create(baseIncident);
    // a free-text group it does not know still dispatches as before
    const out = await t.api.incident.transition({ id: inc.id, to: 'assigned', tier: 'L2', group: '网络组' });
    expect(out).toMatchObject({ tier: 'L2', groupName: '网络组', dispatchGroup: '服务台' });
  });

  it('groups, members and rules reach the desk; a dispatch keeps person and group consistent; a vendor keeps no person', async () => {
    const { w, net, tech } = await world();
    const a = await openDesk(w, 'agent');
    const groups = (await a.api.group.list()).groups;
    expect(groups.find((g) => g.name === '网络组')).toMatchObject({ id: net.id, tier: 'L2', categories: ['network'] });
    expect(groups.find((g) => g.name === '华为维保')).toMatchObject({ tier: 'vendor', members: [tech.id] });

    const inc = await a.api.incident.create(baseIncident); // network.vpn: its root's rule applies
    const before = { history: a.desk.store.db.prepare('SELECT count(*) FROM history').pluck().get(), outbox: a.desk.store.db.prepare('SELECT count(*) FROM outbox').pluck().get() };
    // the agent is not in 网络组: refused naming assigneeId, nothing written
    const issues = await refused(a.api.incident.transition({ id: inc.id, to: 'assigned', group: '网络组', assigneeId: a.me.id }));
    expect(issues).toEqual([{ path: 'assigneeId', message: expect.stringMatching(/^not_in_group/) }]);
    expect({ history: a.desk.store.db.prepare('SELECT count(*) FROM history').pluck().get(), outbox: a.desk.store.db.prepare('SELECT count(*) FROM outbox').pluck().get() }).toEqual(before);
    expect((await a.api.incident.get({ id: inc.id })).incident).toMatchObject({ status: 'new', groupName: 'Hotline', tier: 'L1' });

    // picking a person alone sends it to their group, at that group's tier
    const d = await a.api.incident.transition({ id: inc.id, to: 'assigned', tier: 'L3', assigneeId: tech.id });
    expect(d).toMatchObject({ groupName: '网络组', tier: 'L2', assigneeId: tech.id, dispatchGroup: 'Hotline' });
    // re-dispatched to the vendor group: the L2 person is cleared
    const v = await a.api.incident.transition({ id: inc.id, to: 'assigned', group: '华为维保', assigneeId: tech.id });
    expect(v).toMatchObject({ groupName: '华为维保', tier: 'vendor', assigneeId: null, dispatchGroup: 'Hotline' });
    await a.desk.sync.syncNow();
    const server = await w.server.storage.read((q) => q.get<{ data: string }>('SELECT data FROM incidents WHERE id = ?', [inc.id]));
    expect(JSON.parse(server!.data)).toMatchObject({ groupName: '华为维保', tier: 'vendor', assigneeId: null, dispatchGroup: 'Hotline' });
  });

  it('second line, offline, returns with a reason; after sync it is in first line\'s group queue with the reason; first line re-dispatches; second line accepts', async () => {
    const { w, tech } = await world();
    const a = await openDesk(w, 'agent');
    const b = await openDesk(w, 'tech');
    const inc = await a.api.incident.create({ ...baseIncident, categoryId: 'network.lan', title: '三楼无线断开' });
    await a.api.incident.transition({ id: inc.id, to: 'assigned', group: '网络组', assigneeId: tech.id });
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();
    expect((await b.api.incident.queue({ scope: 'mine' })).rows.map((r) => r.id)).toEqual([inc.id]);

    b.setOffline(true);
    await b.desk.sync.syncNow().catch(() => undefined); // the desk notices it is offline
    // bad input first: no code, an unknown code; refused naming the field, nothing changed
    expect((await refused(b.api.incident.transition({ id: inc.id, to: 'returned', reason: '不是网络问题' })))[0].path).toBe('returnReason');
    await expect(b.api.incident.transition({ id: inc.id, to: 'returned', reason: '不是网络问题', returnReason: 'bored' as never })).rejects.toThrow(/returnReason/);
    const back = await b.api.incident.transition({ id: inc.id, to: 'returned', reason: '是账号权限问题，应由一线重置', returnReason: 'wrong_category' });
    expect(back).toMatchObject({ status: 'returned', tier: 'L1', groupName: 'Hotline', assigneeId: null, returnCount: 1, returnReason: 'wrong_category' });
    await b.desk.sync.syncNow().catch(() => undefined); // offline: nothing reaches the server
    expect(b.desk.sync.status().pending).toBeGreaterThan(0);
    b.setOffline(false);
    await b.desk.sync.syncNow();
    expect(b.desk.sync.status().pending).toBe(0);

    await a.desk.sync.syncNow();
    const mine = await a.api.incident.queue({ scope: 'group' });
    expect(mine.rows.find((r) => r.id === inc.id)).toMatchObject({ status: 'returned', returnReason: 'wrong_category', returnCount: 1 });
    const seen = await a.api.incident.get({ id: inc.id });
    expect(seen.incident).toMatchObject({ returnNote: '是账号权限问题，应由一线重置', groupName: 'Hotline' });
    const returnRow = seen.history.find((h) => h.kind === 'transition' && h.newValue === 'returned')!;
    expect(returnRow).toMatchObject({ actorId: tech.id, online: false, deviceId: b.desk.store.deviceId });

    await a.api.incident.transition({ id: inc.id, to: 'assigned', group: '网络组', assigneeId: tech.id });
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();
    // only the assignee accepts
    expect((await refused(a.api.incident.accept({ id: inc.id })))[0].path).toBe('assigneeId');
    const taken = await b.api.incident.accept({ id: inc.id });
    expect(taken).toMatchObject({ status: 'in_progress', assigneeId: tech.id, returnCount: 1 });
    await b.desk.sync.syncNow();
    await a.desk.sync.syncNow();
    const final = await a.api.incident.get({ id: inc.id });
    expect(final.incident).toMatchObject({ status: 'in_progress', assigneeId: tech.id, groupName: '网络组', tier: 'L2', returnCount: 1 });
    expect(final.history.some((h) => h.kind === 'accepted' && h.actorId === tech.id)).toBe(true);
    const server = await w.server.storage.read((q) => q.get<{ data: string }>('SELECT data FROM incidents WHERE id = ?', [inc.id]));
    expect(JSON.parse(server!.data)).toMatchObject({ status: 'in_progress', returnCount: 1, dispatchGroup: 'Hotline' });
  });
});
