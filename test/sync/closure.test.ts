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

/** Server and desks on one clock that the test moves (days pass for the auto-close). */
async function world() {
  const w = await startWorld('sqlite');
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  w.clock.ms = Date.now();
  const sync = () => { w.clock.ms = Date.now() + offset; };
  cleanup.push(() => w.close());
  const deps = { storage: w.server.storage, now: () => new Date(), clock: new HlcClock('t') };
  const net = await w.admin.admin.saveGroup.mutate({ name: '网络组', tier: 'L2' });
  await upsertUser(deps, { name: 'agent', role: 'agent', groupName: 'Hotline', password: 'agent-password', active: true });
  const tech = await upsertUser(deps, { name: 'tech', role: 'technician', groupName: '网络组', password: 'tech-password', active: true });
  await w.admin.admin.setAssignmentRule.mutate({ categoryId: 'network', groupId: net.id });
  const open = async (name: string) => {
    let offline = false;
    const gate = (c: CentralClient): CentralClient => ({
      ...c,
      async push(token, input) { if (offline) throw new TypeError('fetch failed'); sync(); return c.push(token, input); },
      async pull(token, input) { if (offline) throw new TypeError('fetch failed'); sync(); return c.pull(token, input); },
    });
    const desk: Desk = await createDesk({ dataDir: tempDir(), backgroundSync: false, now, clientFor: (url) => gate(httpCentralClient(url)) });
    cleanup.push(() => desk.close());
    const api = createCaller({ store: desk.store, sync: desk.sync });
    const me = (await api.sync.signIn({ serverUrl: w.url, name, password: `${name}-password` })).user;
    await desk.sync.syncNow();
    return { desk, api, me, setOffline: (v: boolean) => { offline = v; }, count: (sql: string, ...a: unknown[]) => desk.store.db.prepare(sql).pluck().get(...a) as number };
  };
  return { w, tech, open, advance: (ms: number) => { offset += ms; } };
}

const serverIncident = async (w: World, id: string) =>
  JSON.parse((await w.server.storage.read((q) => q.get<{ data: string }>('SELECT data FROM incidents WHERE id = ?', [id])))!.data);

describe('pending reasons, confirmation and closure across desks, second line offline (issue 12)', () => {
  it('second line works offline (pending for a vendor, resolved); first line confirms, rates 4 and closes; the closed incident refuses edits everywhere; a note still goes', async () => {
    const { w, tech, open } = await world();
    const a = await open('agent');
    const b = await open('tech');
    const inc = await a.api.incident.create({ ...baseIncident, categoryId: 'network.lan', title: '三楼打印机无法连接' });
    await a.api.incident.transition({ id: inc.id, to: 'assigned', group: '网络组', assigneeId: tech.id });
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();

    b.setOffline(true);
    await b.desk.sync.syncNow().catch(() => undefined);
    await b.api.incident.accept({ id: inc.id });
    // bad input: pending without what it waits for, `other` without text: refused naming the field, nothing written
    const before = { history: b.count('SELECT count(*) FROM history'), outbox: b.count('SELECT count(*) FROM outbox') };
    expect((await refused(b.api.incident.transition({ id: inc.id, to: 'pending', reason: '等等' }))).map((i) => i.path)).toContain('pendingReason');
    expect((await refused(b.api.incident.transition({ id: inc.id, to: 'pending', pendingReason: 'other' }))).map((i) => i.path)).toEqual(['reason']);
    await expect(b.api.incident.transition({ id: inc.id, to: 'pending', pendingReason: 'lunch' as never })).rejects.toThrow(/pendingReason/);
    expect({ history: b.count('SELECT count(*) FROM history'), outbox: b.count('SELECT count(*) FROM outbox') }).toEqual(before);

    const held = await b.api.incident.transition({ id: inc.id, to: 'pending', pendingReason: 'vendor', reason: '等厂商寄网卡' });
    expect(held).toMatchObject({ status: 'pending', pendingReason: 'vendor', pendingNote: '等厂商寄网卡' });
    expect((await b.api.incident.queue({ scope: 'mine', statuses: ['pending'] })).rows[0]).toMatchObject({ id: inc.id, pendingReason: 'vendor' });
    await b.api.incident.transition({ id: inc.id, to: 'in_progress' });
    const done = await b.api.incident.transition({ id: inc.id, to: 'resolved', resolution: '更换网卡后恢复' });
    expect(done).toMatchObject({ status: 'resolved', pendingReason: null, pendingNote: null });
    b.setOffline(false);
    await b.desk.sync.syncNow();
    expect(b.desk.sync.status().pending).toBe(0);

    await a.desk.sync.syncNow();
    expect((await a.api.incident.get({ id: inc.id })).incident).toMatchObject({ status: 'resolved', resolution: '更换网卡后恢复' });
    // a confirmation needs who and how; a rating outside 1–5 is refused by the schema, naming it
    await expect(a.api.closure.confirmClose({ id: inc.id, confirmedWith: '', confirmedVia: 'phone' })).rejects.toThrow(/confirmedWith/);
    await expect(a.api.closure.confirmClose({ id: inc.id, confirmedWith: '张三', confirmedVia: 'phone', satisfaction: 9 })).rejects.toThrow(/satisfaction/);
    const closed = await a.api.closure.confirmClose({ id: inc.id, confirmedWith: '张三', confirmedVia: 'phone', satisfaction: 4, satisfactionComment: '处理及时' });
    expect(closed).toMatchObject({ status: 'closed', closeKind: 'confirmed', confirmedWith: '张三', confirmedVia: 'phone', satisfaction: 4 });
    // closed: read-only on the desk, naming the field; a note and the follow-up rating stay open
    expect(await refused(a.api.incident.update({ id: inc.id, patch: { title: '改个标题' } }))).toEqual([{ path: 'title', message: expect.stringMatching(/^closed_readonly/) }]);
    expect((await refused(a.api.closure.reopen({ id: inc.id, reason: '又坏了' })))[0].path).toBe('to');
    await a.api.incident.addWorkLog({ incidentId: inc.id, body: '已电话告知用户' });
    await a.api.closure.followUp({ id: inc.id, satisfaction: 5, satisfactionComment: '回访：很满意' });
    await a.desk.sync.syncNow();

    // second line, offline again, had edited the title before it learnt of the close: the server refuses it naming the field
    b.setOffline(true);
    await b.api.incident.update({ id: inc.id, patch: { title: 'B 的离线修改' } });
    b.setOffline(false);
    await b.desk.sync.syncNow();
    await b.desk.sync.syncNow();
    const rej = b.desk.store.db.prepare("SELECT code, params FROM sync_rejections WHERE name = 'incident.update'").get() as { code: string; params: string };
    expect(rej.code).toBe('closed_readonly');
    expect(JSON.parse(rej.params)).toEqual({ field: 'title' });
    const onB = await b.api.incident.get({ id: inc.id });
    expect(onB.incident).toMatchObject({ status: 'closed', title: '三楼打印机无法连接', satisfaction: 5, confirmedWith: '张三' });
    expect(onB.workLogs.some((l) => l.body === '已电话告知用户')).toBe(true);
    expect(await serverIncident(w, inc.id)).toMatchObject({ status: 'closed', title: '三楼打印机无法连接', closeKind: 'confirmed', satisfaction: 5, satisfactionComment: '回访：很满意' });
  });

  it('the fault persists: reopened with a reason, counted, back to dispatch; resolved incidents nobody confirms close after the configured days, once across desks', async () => {
    const { w, tech, open, advance } = await world();
    const a = await open('agent');
    const b = await open('tech');
    const one = await a.api.incident.create({ ...baseIncident, title: '邮箱无法登录' });
    const two = await a.api.incident.create({ ...baseIncident, title: 'VPN 掉线' });
    for (const i of [one, two]) await a.api.incident.transition({ id: i.id, to: 'resolved', resolution: '重置密码' });
    await expect(a.api.closure.reopen({ id: one.id, reason: ' ' })).rejects.toThrow(/reason/);
    const re = await a.api.closure.reopen({ id: one.id, reason: '用户说还是登不上' });
    expect(re).toMatchObject({ status: 'reopened', reopenCount: 1, resolvedAt: null });
    await a.api.incident.transition({ id: one.id, to: 'assigned', group: '网络组', assigneeId: tech.id });
    await a.api.incident.transition({ id: one.id, to: 'resolved', resolution: '修复账号同步' });
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();

    // a team lead's setting; an agent may not change it
    expect((await refused(a.api.closure.setAutoCloseDays({ days: 1 })))[0].path).toBe('days');
    expect((await a.api.closure.settings()).autoCloseDays).toBe(3);
    advance(2 * 86_400_000);
    expect((await a.api.closure.sweep()).closed).toBe(0);
    advance(1 * 86_400_000 + 60_000);
    // both desks sweep before either syncs: each closes both incidents locally
    expect((await a.api.closure.sweep()).closed).toBe(2);
    expect((await b.api.closure.sweep()).closed).toBe(2);
    for (let round = 0; round < 2; round++) { await a.desk.sync.syncNow(); await b.desk.sync.syncNow(); }
    for (const d of [a, b]) {
      expect(d.desk.sync.status().pending).toBe(0);
      expect(d.count('SELECT count(*) FROM sync_rejections')).toBe(0);
      expect(d.count('SELECT count(*) FROM sync_conflicts')).toBe(0);
      for (const i of [one, two]) {
        const got = await d.api.incident.get({ id: i.id });
        expect(got.incident).toMatchObject({ status: 'closed', closeKind: 'auto', confirmedWith: null });
        expect(got.history.filter((h) => h.kind === 'transition' && h.newValue === 'closed').map((h) => h.note)).toEqual(['auto_closed']);
      }
    }
    const server = await serverIncident(w, one.id);
    expect(server).toMatchObject({ status: 'closed', closeKind: 'auto', reopenCount: 1 });
    const closes = await w.server.storage.read((q) => q.all<{ data: string }>('SELECT data FROM history WHERE incident_id = ?', [one.id]));
    expect(closes.map((r) => JSON.parse(r.data)).filter((h) => h.kind === 'transition' && h.newValue === 'closed')).toHaveLength(1);
  });
});
