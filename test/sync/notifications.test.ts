import { afterEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { httpCentralClient, type CentralClient } from '../../electron/core/sync/central-client.js';
import { upsertUser } from '../../server/accounts.js';
import { HlcClock } from '../../shared/hlc.js';
import { incidentClocks } from '../../shared/sla-clocks.js';
import type { Incident } from '../../shared/schemas.js';
import { startWorld, type World } from '../server/harness.js';
import { baseIncident, openTestDesk, testClock, tempDir } from '../helpers/desk.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => { while (cleanup.length) await cleanup.pop()!(); });

const clocksOf = (d: { store: Desk['store'] }, inc: Incident, at: number) => incidentClocks(inc, d.store.slaSettings, at);

describe('notices on the desk (issue 13)', () => {
  it('the sweep, on a clock the test sets, warns at 75 % and tells a breach at 100 %, each once', async () => {
    const clock = testClock('2026-11-23T01:30:00.000Z'); // a Monday, 09:30 in Shanghai
    const t = await openTestDesk({ now: clock.now });
    cleanup.push(() => t.close());
    const inc = await t.api.incident.create(baseIncident);
    const { response } = clocksOf(t.desk, inc, clock.now().getTime());
    const me = t.desk.store.currentUser()!; // 王芳, an agent, owns it
    expect(me.role).toBe('agent');

    clock.set(new Date(response.warnMs - 60_000).toISOString());
    expect((await t.api.notice.sweep()).raised).toBe(0);
    clock.set(new Date(response.warnMs).toISOString());
    expect((await t.api.notice.sweep()).raised).toBe(1);
    expect((await t.api.notice.sweep()).raised).toBe(0);
    let list = await t.api.notice.list();
    expect(list.unread).toBe(1);
    expect(list.items).toEqual([expect.objectContaining({ kind: 'sla_warning', clock: 'response', incidentNumber: inc.number, incidentTitle: inc.title, atMs: response.dueMs, readAt: null })]);

    clock.set(new Date(response.dueMs).toISOString());
    expect((await t.api.notice.sweep()).raised).toBe(1);
    expect((await t.api.notice.sweep()).raised).toBe(0);
    list = await t.api.notice.list();
    // the breach is recorded, for the team leads: not in the owner's list
    expect(t.count("notices WHERE kind = 'sla_breach'")).toBe(1);
    expect(list.items.map((n) => n.kind)).toEqual(['sla_warning']);

    // mark read: gone from the unread count, and queued for the server
    await t.api.notice.markAllRead();
    expect((await t.api.notice.list()).unread).toBe(0);
    expect(t.count("outbox WHERE name = 'notice.read'")).toBe(1);
    expect(t.count("outbox WHERE name = 'notice.raise'")).toBe(2);
  });

  it('two desks offline when a warning and a breach fall due both raise them; after sync the server holds one per recipient and each desk shows it once', async () => {
    const w: World = await startWorld('sqlite');
    cleanup.push(() => w.close());
    w.clock.ms = Date.parse('2026-11-23T01:30:00.000Z'); // desks and server on one clock the test sets
    const deps = { storage: w.server.storage, now: w.clock.now, clock: new HlcClock('t') };
    await upsertUser(deps, { name: 'agent', role: 'agent', groupName: 'Hotline', password: 'agent-password', active: true });
    await upsertUser(deps, { name: 'lead', role: 'lead', groupName: 'Hotline', password: 'lead-password', active: true });

    const open = async (name: string) => {
      let offline = false;
      const gate = (c: CentralClient): CentralClient => ({
        ...c,
        async push(token, input) { if (offline) throw new TypeError('fetch failed'); return c.push(token, input); },
        async pull(token, input) { if (offline) throw new TypeError('fetch failed'); return c.pull(token, input); },
      });
      const desk = await createDesk({ dataDir: tempDir(), now: w.clock.now, backgroundSync: false, clientFor: (url) => gate(httpCentralClient(url)) });
      cleanup.push(() => desk.close());
      const api = createCaller({ store: desk.store, sync: desk.sync });
      const me = (await api.sync.signIn({ serverUrl: w.url, name, password: `${name}-password` })).user;
      await desk.sync.syncNow();
      return { desk, api, me, setOffline: (v: boolean) => { offline = v; } };
    };
    const a = await open('agent');
    const b = await open('lead');
    const inc = await a.api.incident.create(baseIncident);
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();
    expect((await b.api.incident.get({ id: inc.id })).incident.number).toBe(inc.number);

    a.setOffline(true);
    b.setOffline(true);
    const { response } = clocksOf(a.desk, inc, w.clock.ms);
    w.clock.ms = response.warnMs + 1000;
    expect((await a.api.notice.sweep()).raised).toBe(1);
    expect((await b.api.notice.sweep()).raised).toBe(1);
    w.clock.ms = response.dueMs + 1000;
    expect((await a.api.notice.sweep()).raised).toBe(1);
    expect((await b.api.notice.sweep()).raised).toBe(1);

    a.setOffline(false);
    b.setOffline(false);
    for (const d of [a, b, a, b]) await d.desk.sync.syncNow();
    const rows = await w.server.storage.read((q) => q.all<{ kind: string; user_id: string }>(
      'SELECT n.kind, r.user_id FROM notices n JOIN notice_recipients r ON r.notice_id = n.id WHERE n.incident_id = ? ORDER BY n.kind, r.user_id', [inc.id]));
    expect(rows).toEqual([
      ...[w.adminId, b.me.id].sort().map((id) => ({ kind: 'sla_breach', user_id: id })),
      { kind: 'sla_warning', user_id: a.me.id },
    ]);
    expect(await w.server.storage.read((q) => q.all('SELECT id FROM notices WHERE incident_id = ?', [inc.id]))).toHaveLength(2);
    // nothing of it refused
    expect((await a.api.sync.rejections()).length + (await b.api.sync.rejections()).length).toBe(0);

    const aList = await a.api.notice.list();
    const bList = await b.api.notice.list();
    expect(aList.items.map((n) => [n.kind, n.incidentNumber])).toEqual([['sla_warning', inc.number]]);
    expect(bList.items.map((n) => [n.kind, n.incidentNumber])).toEqual([['sla_breach', inc.number]]);

    // read on the lead's desk: the lead's other desk learns it; the admin's copy stays unread
    await b.api.notice.markAllRead();
    await b.desk.sync.syncNow();
    const c = await open('lead');
    const cList = await c.api.notice.list();
    expect(cList.items).toEqual([expect.objectContaining({ kind: 'sla_breach', readAt: expect.any(String) })]);
    expect(cList.unread).toBe(0);
    const adminRead = await w.server.storage.read((q) => q.get<{ read_at: string | null }>(
      "SELECT r.read_at FROM notice_recipients r JOIN notices n ON n.id = r.notice_id WHERE n.kind = 'sla_breach' AND r.user_id = ?", [w.adminId]));
    expect(adminRead?.read_at).toBeNull();
  });

  it('an assignment tells the assignee and a return tells first line, once each, on whichever desk they use', async () => {
    const w: World = await startWorld('sqlite');
    cleanup.push(() => w.close());
    w.clock.ms = Date.now();
    const deps = { storage: w.server.storage, now: w.clock.now, clock: new HlcClock('t') };
    await w.admin.admin.saveGroup.mutate({ name: '网络组', tier: 'L2' });
    await upsertUser(deps, { name: 'agent', role: 'agent', groupName: 'Hotline', password: 'agent-password', active: true });
    const tech = await upsertUser(deps, { name: 'tech', role: 'technician', groupName: '网络组', password: 'tech-password', active: true });
    const open = async (name: string) => {
      const desk = await createDesk({ dataDir: tempDir(), now: () => new Date(), backgroundSync: false });
      cleanup.push(() => desk.close());
      const api = createCaller({ store: desk.store, sync: desk.sync });
      const me = (await api.sync.signIn({ serverUrl: w.url, name, password: `${name}-password` })).user;
      await desk.sync.syncNow();
      return { desk, api, me };
    };
    const a = await open('agent');
    const b = await open('tech');
    const inc = await a.api.incident.create({ ...baseIncident, categoryId: 'network.lan', title: '三楼无线断开' });
    await a.api.incident.transition({ id: inc.id, to: 'assigned', group: '网络组', assigneeId: tech.id });
    await a.api.notice.sweep();
    expect((await a.api.notice.list()).items).toEqual([]); // the agent assigned it: not theirs
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();
    await b.api.notice.sweep();
    expect((await b.api.notice.list()).items.map((n) => [n.kind, n.incidentNumber])).toEqual([['assigned_to_me', inc.number]]);

    await b.api.incident.transition({ id: inc.id, to: 'returned', reason: '是账号权限问题，应由一线重置', returnReason: 'wrong_category' });
    await b.api.notice.sweep();
    await b.desk.sync.syncNow();
    await a.desk.sync.syncNow();
    await a.api.notice.sweep();
    await a.desk.sync.syncNow();
    expect((await a.api.notice.list()).items.map((n) => [n.kind, n.incidentNumber])).toEqual([['returned_to_l1', inc.number]]);
    expect((await b.api.notice.list()).items.map((n) => n.kind)).toEqual(['assigned_to_me']);
    const rows = await w.server.storage.read((q) => q.all<{ kind: string; user_id: string }>(
      'SELECT n.kind, r.user_id FROM notices n JOIN notice_recipients r ON r.notice_id = n.id WHERE n.incident_id = ? ORDER BY n.kind, r.user_id', [inc.id]));
    // first line: everyone in Hotline (the agent, and root, whose own group it is)
    expect(rows).toEqual([{ kind: 'assigned_to_me', user_id: tech.id }, ...[a.me.id, w.adminId].sort().map((id) => ({ kind: 'returned_to_l1', user_id: id }))]);
    expect((await a.api.sync.rejections()).length + (await b.api.sync.rejections()).length).toBe(0);
  });
  it('a notice that came while someone else was signed in on a desk reaches its recipient when they sign in there', async () => {
    const w: World = await startWorld('sqlite');
    cleanup.push(() => w.close());
    const deps = { storage: w.server.storage, now: w.clock.now, clock: new HlcClock('t') };
    await w.admin.admin.saveGroup.mutate({ name: '网络组', tier: 'L2' });
    await upsertUser(deps, { name: 'agent', role: 'agent', groupName: 'Hotline', password: 'agent-password', active: true });
    await upsertUser(deps, { name: 'night', role: 'agent', groupName: 'Hotline', password: 'night-password', active: true });
    const tech = await upsertUser(deps, { name: 'tech', role: 'technician', groupName: '网络组', password: 'tech-password', active: true });
    await upsertUser(deps, { name: 'lead', role: 'lead', groupName: 'Hotline', password: 'lead-password', active: true });
    const open = async (name: string) => {
      const desk = await createDesk({ dataDir: tempDir(), now: () => new Date(), backgroundSync: false });
      cleanup.push(() => desk.close());
      const api = createCaller({ store: desk.store, sync: desk.sync });
      await api.sync.signIn({ serverUrl: w.url, name, password: `${name}-password` });
      await desk.sync.syncNow();
      return { desk, api };
    };
    // the agent dispatches to the technician on the hotline desk; the technician's notice goes to the server
    const a = await open('agent');
    const inc = await a.api.incident.create({ ...baseIncident, categoryId: 'network.lan', title: '二楼打印机离线' });
    await a.api.incident.transition({ id: inc.id, to: 'assigned', group: '网络组', assigneeId: tech.id });
    // … and asks management to step in: a notice for the leads, raised once, by this desk only
    await a.api.escalation.askManagement({ id: inc.id, reason: '影响全楼打印' });
    await a.api.notice.sweep();
    await a.desk.sync.syncNow();
    // a shared desk in the machine room: the night shift is signed in and pulls past the technician's notice
    const d = await open('night');
    await d.desk.sync.syncNow();
    expect(d.desk.store.db.prepare("SELECT count(*) FROM notices WHERE kind = 'assigned_to_me'").pluck().get()).toBe(0);
    // the technician signs in there: the bell is theirs
    await d.api.sync.signIn({ serverUrl: w.url, name: 'tech', password: 'tech-password' });
    await d.desk.sync.syncNow();
    const list = await d.api.notice.list();
    expect(list.items.map((n) => [n.kind, n.incidentNumber, n.readAt])).toEqual([['assigned_to_me', inc.number, null]]);
    expect(list.unread).toBe(1);
    // and the team lead, next on that desk, finds the management notice in the bell
    await d.api.sync.signIn({ serverUrl: w.url, name: 'lead', password: 'lead-password' });
    await d.desk.sync.syncNow();
    expect((await d.api.notice.list()).items.map((n) => [n.kind, n.incidentNumber, n.params])).toEqual([['escalated_to_management', inc.number, { reason: '影响全楼打印' }]]);
  });
});
