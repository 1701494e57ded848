import { afterEach, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { createDesk, type Desk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { httpCentralClient, type CentralClient } from '../../electron/core/sync/central-client.js';
import { DeskInputError } from '../../electron/core/store/errors.js';
import { upsertUser } from '../../server/accounts.js';
import { HlcClock } from '../../shared/hlc.js';
import { startWorld, type World } from '../server/harness.js';
import { baseIncident, tempDir } from '../helpers/desk.js';

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

/** First line (Hotline, L1), second line (网络组, L2: the default group for network), third line (核心网络, L3), a vendor (华为维保), and a team lead. */
async function world() {
  const w = await startWorld('sqlite');
  w.clock.ms = Date.now(); // the desks run on the real clock
  cleanup.push(() => w.close());
  const deps = { storage: w.server.storage, now: () => new Date(), clock: new HlcClock('t') };
  const net = await w.admin.admin.saveGroup.mutate({ name: '网络组', tier: 'L2' });
  await w.admin.admin.saveGroup.mutate({ name: '核心网络', tier: 'L3' });
  await w.admin.admin.saveGroup.mutate({ name: '华为维保', tier: 'vendor' });
  await upsertUser(deps, { name: 'agent', role: 'agent', groupName: 'Hotline', password: 'agent-password', active: true });
  const tech = await upsertUser(deps, { name: 'tech', role: 'technician', groupName: '网络组', password: 'tech-password', active: true });
  await upsertUser(deps, { name: 'lead', role: 'lead', groupName: 'Hotline', password: 'lead-password', active: true });
  await w.admin.admin.setAssignmentRule.mutate({ categoryId: 'network', groupId: net.id });
  const open = async (name: string) => {
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
    return { desk, api, me, setOffline: (v: boolean) => { offline = v; }, count: (sql: string, ...a: unknown[]) => desk.store.db.prepare(sql).pluck().get(...a) as number };
  };
  return { w, tech, open };
}

const serverIncident = async (w: World, id: string) =>
  JSON.parse((await w.server.storage.read((q) => q.get<{ data: string }>('SELECT data FROM incidents WHERE id = ?', [id])))!.data);

/** What both consoles and the server must agree on at the end. */
const facts = (i: Record<string, unknown>) => ({
  status: i.status, tier: i.tier, groupName: i.groupName, assigneeId: i.assigneeId, returnCount: i.returnCount, reopenCount: i.reopenCount,
  escalationLevel: i.escalationLevel, escalationReason: i.escalationReason, escalatedAt: i.escalatedAt, vendorName: i.vendorName, vendorContact: i.vendorContact,
  vendorTicket: i.vendorTicket, mgmtEscalatedAt: i.mgmtEscalatedAt, mgmtReason: i.mgmtReason, resolution: i.resolution, satisfaction: i.satisfaction,
  confirmedWith: i.confirmedWith, closeKind: i.closeKind, pausedMs: i.pausedMs, pendingSpells: i.pendingSpells,
});

describe('the issue\'s steps across two consoles, second line offline while it works (issue 12, item 3)', () => {
  it('dispatch by category, return with a reason, re-dispatch, accept, escalate to a vendor with their ticket number, pending for the vendor, resolve; confirm, rate 4, close; reopen path; same result on A, B and the server', async () => {
    const { w, tech, open } = await world();
    const a = await open('agent');
    const b = await open('tech');
    const lead = await open('lead');

    // A records and dispatches by category: network's default group, second line
    const inc = await a.api.incident.create({ ...baseIncident, categoryId: 'network.lan', title: '三楼交换机端口频繁掉线' });
    const sent = await a.api.incident.transition({ id: inc.id, to: 'assigned', group: '网络组' });
    expect(sent).toMatchObject({ status: 'assigned', tier: 'L2', groupName: '网络组', dispatchGroup: 'Hotline' });
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();

    // B, offline: returns it with a reason (only the return travels when B next connects)
    b.setOffline(true);
    await b.api.incident.transition({ id: inc.id, to: 'returned', returnReason: 'needs_info', reason: '请补充掉线的具体端口号' });
    b.setOffline(false);
    await b.desk.sync.syncNow();
    await a.desk.sync.syncNow();
    // A sees it back in its group's queue with the reason, and re-dispatches
    const back = (await a.api.incident.queue({ scope: 'group' })).rows.find((r) => r.id === inc.id);
    expect(back).toMatchObject({ status: 'returned', returnReason: 'needs_info', groupName: 'Hotline' });
    await a.api.incident.update({ id: inc.id, patch: { description: '端口 Gi1/0/12、Gi1/0/13 每小时掉线' } });
    await a.api.incident.transition({ id: inc.id, to: 'assigned', group: '网络组', assigneeId: tech.id });
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();

    // B works offline from here to the resolution
    b.setOffline(true);
    await b.desk.sync.syncNow().catch(() => undefined);
    await b.api.incident.accept({ id: inc.id });
    const before = { history: b.count('SELECT count(*) FROM history'), outbox: b.count('SELECT count(*) FROM outbox') };
    // bad input, each refused naming the field, nothing written: the same tier, no reason, a vendor without its name, over-long ticket number
    expect((await refused(b.api.escalation.escalate({ id: inc.id, group: '网络组', reason: '升级' }))).map((i) => i.path)).toEqual(['tier']);
    await expect(b.api.escalation.escalate({ id: inc.id, group: '华为维保', reason: ' ', vendorName: '华为' })).rejects.toThrow(/reason/);
    expect((await refused(b.api.escalation.escalate({ id: inc.id, group: '华为维保', reason: '板卡故障' }))).map((i) => i.path)).toEqual(['vendorName']);
    await expect(b.api.escalation.escalate({ id: inc.id, group: '华为维保', reason: '板卡故障', vendorName: '华为', vendorTicket: 'X'.repeat(101) })).rejects.toThrow(/vendorTicket/);
    expect({ history: b.count('SELECT count(*) FROM history'), outbox: b.count('SELECT count(*) FROM outbox') }).toEqual(before);

    const esc = await b.api.escalation.escalate({ id: inc.id, group: '华为维保', reason: '交换机板卡故障，需厂商更换', vendorName: '华为', vendorContact: '400-822-9999 王工' });
    expect(esc).toMatchObject({ status: 'assigned', tier: 'vendor', groupName: '华为维保', assigneeId: null, escalationLevel: 'vendor', vendorName: '华为', vendorTicket: null });
    // their ticket number comes later, by an edit of the vendor's details
    await b.api.escalation.editVendor({ id: inc.id, vendorTicket: 'HW-2026-1122-0042' });
    // management is asked to step in, offline: flagged here at once; the lead is told once B connects
    await expect(b.api.escalation.askManagement({ id: inc.id, reason: ' ' })).rejects.toThrow(/reason/);
    await b.api.escalation.askManagement({ id: inc.id, reason: '停机影响三楼全部门，需协调厂商加急' });
    expect((await b.api.incident.queue({ scope: 'all' })).rows.find((r) => r.id === inc.id)).toMatchObject({ mgmtEscalatedAt: expect.any(String), escalationLevel: 'vendor' });
    // pending for the vendor: the resolution clock pauses
    await b.api.incident.transition({ id: inc.id, to: 'pending', pendingReason: 'vendor', reason: '等厂商寄板卡' });
    const held = await b.api.incident.get({ id: inc.id });
    expect(held.clocks.resolution.pausedBy).toBe('pending');
    await b.api.incident.transition({ id: inc.id, to: 'in_progress' });
    await b.api.incident.transition({ id: inc.id, to: 'resolved', resolution: '厂商更换板卡后端口恢复' });
    const hist = (await b.api.incident.get({ id: inc.id })).history;
    expect(hist.filter((h) => h.field === 'escalationLevel').map((h) => [h.newValue, h.actorId, h.online])).toEqual([['vendor', tech.id, false]]);
    expect(hist.filter((h) => h.field === 'vendorTicket').map((h) => h.newValue)).toEqual(['HW-2026-1122-0042']);
    // B syncs: everything lands, nothing refused
    b.setOffline(false);
    await b.desk.sync.syncNow();
    expect(b.desk.sync.status().pending).toBe(0);
    expect(b.count('SELECT count(*) FROM sync_rejections')).toBe(0);

    // the lead's desk gets the notice, once; the agent does not
    await lead.desk.sync.syncNow();
    const leadNotices = (await lead.api.notice.list({})).items.filter((n) => n.incidentId === inc.id && n.kind === 'escalated_to_management');
    expect(leadNotices).toHaveLength(1);
    await a.desk.sync.syncNow();
    expect((await a.api.notice.list({})).items.filter((n) => n.kind === 'escalated_to_management')).toEqual([]);

    // A confirms with the requester, rates 4 and closes; the closed incident cannot be edited
    expect((await a.api.incident.get({ id: inc.id })).incident).toMatchObject({ status: 'resolved', vendorTicket: 'HW-2026-1122-0042', mgmtReason: '停机影响三楼全部门，需协调厂商加急' });
    await a.api.closure.confirmClose({ id: inc.id, confirmedWith: '李雷', confirmedVia: 'phone', satisfaction: 4, satisfactionComment: '处理及时' });
    expect((await refused(a.api.incident.update({ id: inc.id, patch: { title: '改个标题' } })))[0].path).toBe('title');
    expect((await refused(a.api.escalation.editVendor({ id: inc.id, vendorTicket: 'HW-X' })))[0].message).toMatch(/^closed_readonly/);
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();

    // the reopen path, on a second incident: resolved, the fault persists, reopened and re-dispatched; B (offline) escalates to third line and resolves
    const two = await a.api.incident.create({ ...baseIncident, categoryId: 'network.lan', title: '会议室无线信号弱' });
    await a.api.incident.transition({ id: two.id, to: 'resolved', resolution: '重启无线控制器' });
    await a.api.closure.reopen({ id: two.id, reason: '用户说下午又变弱' });
    await a.api.incident.transition({ id: two.id, to: 'assigned', group: '网络组', assigneeId: tech.id });
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();
    b.setOffline(true);
    await b.api.incident.accept({ id: two.id });
    await b.api.escalation.escalate({ id: two.id, group: '核心网络', reason: '需调整无线控制器信道规划' });
    await b.api.incident.transition({ id: two.id, to: 'resolved', resolution: '调整信道后恢复' });
    b.setOffline(false);
    await b.desk.sync.syncNow();
    await a.desk.sync.syncNow();
    await a.api.closure.confirmClose({ id: two.id, confirmedWith: '李雷', confirmedVia: 'phone', satisfaction: 5 });
    for (let round = 0; round < 2; round++) { await a.desk.sync.syncNow(); await b.desk.sync.syncNow(); await lead.desk.sync.syncNow(); }

    // the same result on A, B and the server
    for (const id of [inc.id, two.id]) {
      const onServer = facts(await serverIncident(w, id));
      for (const d of [a, b, lead]) {
        expect(d.count('SELECT count(*) FROM sync_rejections')).toBe(0);
        expect(facts((await d.api.incident.get({ id })).incident as never)).toEqual(onServer);
      }
    }
    expect(facts(await serverIncident(w, inc.id))).toMatchObject({
      status: 'closed', tier: 'vendor', groupName: '华为维保', assigneeId: null, returnCount: 1, escalationLevel: 'vendor', vendorName: '华为', vendorContact: '400-822-9999 王工',
      vendorTicket: 'HW-2026-1122-0042', mgmtReason: '停机影响三楼全部门，需协调厂商加急', satisfaction: 4, confirmedWith: '李雷', closeKind: 'confirmed',
    });
    expect((await serverIncident(w, inc.id)).pendingSpells).toHaveLength(1);
    expect(facts(await serverIncident(w, two.id))).toMatchObject({ status: 'closed', tier: 'L3', groupName: '核心网络', reopenCount: 1, escalationLevel: 'L3', vendorName: null, satisfaction: 5 });
    // the history of each escalation is on every desk, with who and which device
    const onA = (await a.api.incident.get({ id: inc.id })).history.filter((h) => h.field === 'escalationLevel' || h.field === 'mgmtEscalatedAt');
    expect(onA.map((h) => [h.field, h.actorId, h.deviceId])).toEqual([['escalationLevel', tech.id, b.desk.store.deviceId], ['mgmtEscalatedAt', tech.id, b.desk.store.deviceId]]);
    // the reports' escalation facts (tier changes to L3 / vendor, migration 009) count these escalations on every desk
    for (const d of [a, b]) {
      expect(d.desk.store.db.prepare('SELECT fact_to_vendor AS v, fact_to_l3 AS l3 FROM incidents WHERE id = ?').get(inc.id)).toEqual({ v: 1, l3: 0 });
      expect(d.desk.store.db.prepare('SELECT fact_to_vendor AS v, fact_to_l3 AS l3 FROM incidents WHERE id = ?').get(two.id)).toEqual({ v: 0, l3: 1 });
    }
    // one notice for the leads on the server, whoever raised or pulled it
    const recipients = await w.server.storage.read((q) => q.all<{ user_id: string }>("SELECT r.user_id FROM notice_recipients r JOIN notices n ON n.id = r.notice_id WHERE n.kind = 'escalated_to_management' AND n.incident_id = ?", [inc.id]));
    expect(recipients.map((r) => r.user_id)).toEqual(expect.arrayContaining([lead.me.id]));
    expect(recipients.map((r) => r.user_id)).not.toContain(tech.id);
    expect(recipients.map((r) => r.user_id)).not.toContain(a.me.id);
  });
});
