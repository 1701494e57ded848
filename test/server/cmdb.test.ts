import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ci } from '../../shared/cmdb.js';
import type { Incident } from '../../shared/schemas.js';
import { Desk, errorOf, startWorld, type World } from './harness.js';

/** Issue 12, item 7 on the server: configuration items administered by leads and admins, pulled by every desk, checked as an incident's `ciId`. */
describe.each(['sqlite', 'postgres'] as const)('configuration items on the server (%s)', (backend) => {
  let w: World;
  let agent: { id: string; client: World['admin'] };
  let lead: { id: string; client: World['admin'] };
  let oa: Ci;
  beforeAll(async () => {
    w = await startWorld(backend);
    agent = await w.user('agent', 'agent');
    lead = await w.user('lead', 'lead');
    await w.admin.admin.saveGroup.mutate({ name: '网络组', tier: 'L2' });
  });
  afterAll(async () => { await w?.close(); });

  it('leads and admins create, update and deactivate; an agent is refused; bad input names the field and changes nothing', async () => {
    expect((await errorOf(agent.client.cmdb.save.mutate({ name: 'OA 系统', type: 'system' }))).code).toBe('FORBIDDEN');
    expect((await errorOf(agent.client.cmdb.importCsv.mutate({ csv: 'name,type\nX,pc\n' }))).code).toBe('FORBIDDEN');
    const badType = await errorOf(lead.client.cmdb.save.mutate({ name: 'OA 系统', type: 'mainframe' as never }));
    expect(badType.code).toBe('BAD_REQUEST');
    expect(badType.message).toMatch(/^type: /);
    expect((await errorOf(lead.client.cmdb.save.mutate({ name: 'OA 系统', type: 'system', ip: '10.0.0.999' }))).message).toMatch(/^ip: not an IP address/);
    expect((await errorOf(lead.client.cmdb.save.mutate({ name: 'OA 系统', type: 'system', groupId: 'nope' }))).message).toMatch(/^groupId: no group nope/);
    expect((await errorOf(lead.client.cmdb.save.mutate({ name: ' ', type: 'system' }))).message).toMatch(/^name: /);
    expect(await agent.client.cmdb.list.query()).toEqual([]);

    const groups = await lead.client.admin.groups.query();
    const net = groups.find((g) => g.name === '网络组')!;
    oa = await lead.client.cmdb.save.mutate({ name: 'OA 系统', type: 'system', ip: '10.1.2.3', location: '机房 A', groupId: net.id, critical: true });
    expect(oa).toMatchObject({ name: 'OA 系统', type: 'system', ip: '10.1.2.3', location: '机房 A', groupId: net.id, critical: true, active: true });
    // A name is unique regardless of case.
    expect((await errorOf(w.admin.cmdb.save.mutate({ name: 'oa 系统', type: 'server' }))).message).toMatch(/^name: /);
    expect((await errorOf(lead.client.cmdb.save.mutate({ id: 'nope', name: 'X', type: 'pc' }))).message).toMatch(/^id: /);
    const renamed = await w.admin.cmdb.save.mutate({ id: oa.id, name: 'OA 办公系统', type: 'system', ip: '10.1.2.3', groupId: net.id, critical: true });
    expect(renamed).toMatchObject({ id: oa.id, name: 'OA 办公系统', location: null });
    const off = await lead.client.cmdb.setActive.mutate({ id: oa.id, active: false });
    expect(off.active).toBe(false);
    expect((await errorOf(lead.client.cmdb.setActive.mutate({ id: 'nope', active: false }))).message).toMatch(/^id: /);
    oa = await lead.client.cmdb.setActive.mutate({ id: oa.id, active: true });
    expect(await agent.client.cmdb.list.query()).toEqual([oa]);
  });

  it('CSV import: all or nothing with every problem by line and column; idempotent by name; groups by name', async () => {
    const before = await agent.client.cmdb.list.query();
    const bad = await errorOf(lead.client.cmdb.importCsv.mutate({
      csv: '名称,类型,IP,位置,所属组,重要信息系统\n核心交换机,网络设备,10.0.0.1,机房 A,网络组,是\n打印机 3F,printer,10.0.0.300,3 楼,,否\n,pc,,,,\n财务系统,mainframe,,,,maybe\n',
    }));
    expect(bad.code).toBe('BAD_REQUEST');
    const paths = (bad.data.issues as Array<{ path: string }>).map((i) => i.path);
    expect(paths).toEqual(['csv.line 3.ip', 'csv.line 4.name', 'csv.line 5.type', 'csv.line 5.critical']);
    const unknownGroup = await errorOf(lead.client.cmdb.importCsv.mutate({ csv: 'name,type,group\n核心交换机,network_device,没有这个组\n' }));
    expect(unknownGroup.message).toMatch(/^csv\.line 2\.group: unknown_group/);
    expect(await agent.client.cmdb.list.query()).toEqual(before);

    const csv = '\ufeffname,type,ip,location,group,critical\r\n核心交换机,network_device,10.0.0.1,机房 A,网络组,yes\r\n"打印机, 3F",printer,,3 楼,,no\r\noa 办公系统,system,10.1.2.3,,网络组,是\r\n';
    expect(await lead.client.cmdb.importCsv.mutate({ csv })).toEqual({ created: 2, updated: 1, unchanged: 0 });
    expect(await lead.client.cmdb.importCsv.mutate({ csv })).toEqual({ created: 0, updated: 0, unchanged: 3 });
    const list = await agent.client.cmdb.list.query();
    expect(list.map((c) => c.name).sort()).toEqual(['oa 办公系统', '打印机, 3F', '核心交换机'].sort());
    expect(list.find((c) => c.id === oa.id)).toMatchObject({ name: 'oa 办公系统' }); // same item, by name regardless of case
    expect(list.find((c) => c.name === '核心交换机')).toMatchObject({ type: 'network_device', critical: true, ip: '10.0.0.1' });
  });

  it('every desk pulls each item whole; an incident keeps a ciId the server holds and is refused one it does not, naming the field', async () => {
    const d = await Desk.open(w, agent);
    await d.pullAll();
    expect((d.seen.get(`ci:${oa.id}`)!.data as unknown as Ci)).toMatchObject({ id: oa.id, type: 'system', critical: true });

    // An older desk sends no ciId: the schema's default keeps it in sync.
    const old = d.create('c0');
    delete ((old.args as { incident: Partial<Incident> }).incident).ciId;
    const known = d.create('c1', { affectedName: 'OA 办公系统', ciId: oa.id });
    const unknown = d.create('c2', { affectedName: '新系统', ciId: 'no-such-ci' });
    const res = await d.push([old, known, unknown]);
    expect(res.results.map((r) => [r.status, r.dropped?.length ?? 0])).toEqual([['applied', 0], ['applied', 0], ['applied', 1]]);
    await d.pullAll();
    expect(d.incident('c0')!.ciId).toBeNull();
    expect(d.incident('c1')).toMatchObject({ ciId: oa.id, affectedName: 'OA 办公系统' });
    expect(d.incident('c2')).toMatchObject({ ciId: null, affectedName: '新系统' });
    expect(res.results[2].dropped?.[0]).toMatchObject({ field: 'ciId', code: 'unknown_ci', value: 'no-such-ci' });

    // An edit to an unknown item is left out; the incident keeps the one it had.
    const edit = d.mutation('incident.update', { id: 'c1', fields: { ciId: 'gone' }, base: { ciId: oa.id }, history: [d.historyRow('c1', 'field', { field: 'ciId', oldValue: oa.id, newValue: 'gone' })] });
    expect((await d.push([edit])).results[0]).toMatchObject({ status: 'applied', dropped: [{ field: 'ciId', code: 'unknown_ci', value: 'gone', kept: oa.id }] });
    await d.pullAll();
    expect(d.incident('c1')!.ciId).toBe(oa.id);
  });
});
