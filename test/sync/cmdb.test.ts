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

async function refused(p: Promise<unknown>): Promise<Array<{ path: string; message: string; params?: Record<string, unknown> }>> {
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
  await w.admin.admin.saveGroup.mutate({ name: '网络组', tier: 'L2' });
  await upsertUser(deps, { name: 'agent', role: 'agent', groupName: 'Hotline', password: 'agent-password', active: true });
  await upsertUser(deps, { name: 'lead', role: 'lead', groupName: 'Hotline', password: 'lead-password', active: true });
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

const CSV = '名称,类型,IP,位置,所属组,重要信息系统\r\nOA 办公系统,业务系统,10.1.2.3,机房 A,网络组,是\r\n核心交换机,网络设备,10.0.0.1,机房 A,网络组,是\r\n打印机 3F,打印机,,3 楼,,否\r\n';

describe('configuration items through the desk (issue 12, item 7)', () => {
  it('a lead imports a CSV from the desk through the server; a refused file names line and column and changes nothing; an agent is refused', async () => {
    const w = await world();
    const lead = await openDesk(w, 'lead');
    const agent = await openDesk(w, 'agent');
    await expect(agent.api.cmdb.importCsv({ csv: CSV })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const bad = await refused(lead.api.cmdb.importCsv({ csv: 'name,type,ip\nOA,system,10.0.0.999\n,pc,\n' }));
    expect(bad.map((i) => i.path)).toEqual(['line 2.ip', 'line 3.name']);
    expect(bad[0].params).toMatchObject({ csv: 'not_ip', line: 2, column: 'ip' });
    // The server's own check (the group is the server's to know) comes back the same way.
    const noGroup = await refused(lead.api.cmdb.importCsv({ csv: 'name,type,group\nOA,system,没有这个组\n' }));
    expect(noGroup).toMatchObject([{ path: 'line 2.group', params: { csv: 'unknown_group', line: 2, column: 'group' } }]);
    expect((await w.admin.cmdb.list.query())).toEqual([]);

    expect(await lead.api.cmdb.importCsv({ csv: CSV })).toEqual({ created: 3, updated: 0, unchanged: 0 });
    expect(await lead.api.cmdb.importCsv({ csv: CSV })).toEqual({ created: 0, updated: 0, unchanged: 3 });
    const listed = await lead.api.cmdb.list({ q: '', includeInactive: true });
    expect(listed.canEdit).toBe(true);
    expect(listed.items.map((c) => [c.name, c.type, c.critical, c.groupName])).toEqual([
      ['OA 办公系统', 'system', true, '网络组'], ['打印机 3F', 'printer', false, null], ['核心交换机', 'network_device', true, '网络组'],
    ]);

    // Every other desk pulls them; the picker finds them as the agent types (name, IP or location).
    await agent.desk.sync.syncNow();
    expect((await agent.api.cmdb.suggest({ q: 'oa' })).map((c) => c.name)).toEqual(['OA 办公系统']);
    expect((await agent.api.cmdb.suggest({ q: '10.0.0' })).map((c) => c.name)).toEqual(['核心交换机']);
    expect((await agent.api.cmdb.suggest({ q: '机房' })).map((c) => c.name).sort()).toEqual(['OA 办公系统', '核心交换机']);

    // Taken out of use: gone from the picker, still in the list.
    const printer = listed.items.find((c) => c.name === '打印机 3F')!;
    await lead.api.cmdb.setActive({ id: printer.id, active: false });
    await agent.desk.sync.syncNow();
    expect(await agent.api.cmdb.suggest({ q: '打印机' })).toEqual([]);
    expect((await agent.api.cmdb.list({ q: '打印机', includeInactive: true })).items).toMatchObject([{ name: '打印机 3F', active: false }]);
  });

  it('an incident keeps the picked ciId through sync; the item shows its recent incidents; free text stays allowed offline; an unknown item is refused naming the field', async () => {
    const w = await world();
    const lead = await openDesk(w, 'lead');
    await lead.api.cmdb.importCsv({ csv: CSV });
    const agent = await openDesk(w, 'agent');
    const oa = (await agent.api.cmdb.suggest({ q: 'OA' }))[0];

    const first = await agent.api.incident.create({ ...baseIncident, title: 'OA 打不开', affected: { name: oa.name, ciId: oa.id } });
    expect(first.ciId).toBe(oa.id);
    const bad = await refused(agent.api.incident.create({ ...baseIncident, affected: { name: 'X', ciId: 'no-such-item' } }));
    expect(bad.map((i) => i.path)).toEqual(['affected.ciId']);

    // Offline, a system not in the list is free text; a second call about OA picks it again.
    agent.setOffline(true);
    const free = await agent.api.incident.create({ ...baseIncident, title: '新系统登录失败', affected: { name: '新系统' } });
    expect(free.ciId).toBeNull();
    const second = await agent.api.incident.create({ ...baseIncident, title: 'OA 审批很慢', affected: { name: oa.name, ciId: oa.id } });
    agent.setOffline(false);
    await agent.desk.sync.syncNow();

    const detail = await agent.api.cmdb.get({ id: oa.id });
    expect(detail.ci).toMatchObject({ name: 'OA 办公系统', critical: true, groupName: '网络组' });
    expect(detail.incidents.map((i) => i.id).sort()).toEqual([first.id, second.id].sort());

    // The lead's desk receives both incidents with their item.
    await lead.desk.sync.syncNow();
    expect((await lead.api.incident.get({ id: second.id })).incident.ciId).toBe(oa.id);
    expect((await lead.api.incident.get({ id: free.id })).incident).toMatchObject({ ciId: null, affectedName: '新系统' });

    // The detail's edit: another item, then back to free text.
    const sw = (await agent.api.cmdb.suggest({ q: '核心' }))[0];
    const edited = await agent.api.incident.update({ id: first.id, patch: { affectedName: sw.name, ciId: sw.id } });
    expect(edited.ciId).toBe(sw.id);
    expect((await refused(agent.api.incident.update({ id: first.id, patch: { ciId: 'gone' } }))).map((i) => i.path)).toEqual(['ciId']);
    await agent.desk.sync.syncNow();
    await lead.desk.sync.syncNow();
    expect((await lead.api.incident.get({ id: first.id })).incident.ciId).toBe(sw.id);
  });
});
