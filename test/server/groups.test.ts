import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Group } from '../../shared/groups.js';
import type { Incident } from '../../shared/schemas.js';
import type { Mutation, RejectionData } from '../../shared/sync.js';
import { Desk, errorOf, startWorld, type World } from './harness.js';

/** Issue 12 on the server: groups with tiers and members, assignment rules, and dispatch/return checked again on push. */
describe.each(['sqlite', 'postgres'] as const)('groups, dispatch and return on the server (%s)', (backend) => {
  let w: World;
  let tech: { id: string; client: World['admin'] };
  let agent: { id: string; client: World['admin'] };
  let lead: { id: string; client: World['admin'] };
  let network: Group;
  let vendor: Group;
  beforeAll(async () => {
    w = await startWorld(backend);
    tech = await w.user('tech', 'technician');
    agent = await w.user('agent', 'agent');
    lead = await w.user('lead', 'lead');
  });
  afterAll(async () => { await w?.close(); });

  it('team leads and admins run groups, members and rules; others are refused; bad input names the field and changes nothing', async () => {
    expect((await errorOf(agent.client.admin.saveGroup.mutate({ name: '网络组', tier: 'L2' }))).code).toBe('FORBIDDEN');
    expect((await errorOf(tech.client.admin.setAssignmentRule.mutate({ categoryId: 'network', groupId: 'x' }))).code).toBe('FORBIDDEN');
    const badTier = await errorOf(lead.client.admin.saveGroup.mutate({ name: '网络组', tier: 'L9' as never }));
    expect(badTier.code).toBe('BAD_REQUEST');
    expect(badTier.message).toMatch(/^tier: /);
    network = await lead.client.admin.saveGroup.mutate({ name: '网络组', tier: 'L2' });
    vendor = await w.admin.admin.saveGroup.mutate({ name: '华为维保', tier: 'vendor' });
    expect(network).toMatchObject({ name: '网络组', tier: 'L2', active: true, members: [], categories: [] });
    expect((await errorOf(lead.client.admin.saveGroup.mutate({ name: '网络组', tier: 'L3' }))).message).toMatch(/^name: /);

    const badMember = await errorOf(lead.client.admin.setGroupMembers.mutate({ groupId: network.id, members: [tech.id, 'nobody'] }));
    expect(badMember.message).toMatch(/^members\.1: no account nobody/);
    const badCategory = await errorOf(lead.client.admin.setAssignmentRule.mutate({ categoryId: 'no.such', groupId: network.id }));
    expect(badCategory.message).toMatch(/^categoryId: /);
    const badGroup = await errorOf(lead.client.admin.setAssignmentRule.mutate({ categoryId: 'network', groupId: 'nope' }));
    expect(badGroup.message).toMatch(/^groupId: /);
    expect((await lead.client.admin.groups.query()).find((g) => g.id === network.id)).toMatchObject({ members: [], categories: [] });

    network = await lead.client.admin.setGroupMembers.mutate({ groupId: network.id, members: [tech.id] });
    await lead.client.admin.setAssignmentRule.mutate({ categoryId: 'network', groupId: network.id });
    await lead.client.admin.setAssignmentRule.mutate({ categoryId: 'network.vpn', groupId: vendor.id });
    const groups = await lead.client.admin.groups.query();
    expect(groups.find((g) => g.id === network.id)).toMatchObject({ tier: 'L2', members: [tech.id], categories: ['network'] });
    expect(groups.find((g) => g.id === vendor.id)).toMatchObject({ tier: 'vendor', categories: ['network.vpn'] });
    // A rule moves: both groups are sent again.
    await lead.client.admin.setAssignmentRule.mutate({ categoryId: 'network.vpn', groupId: network.id });
    expect((await lead.client.admin.groups.query()).find((g) => g.id === vendor.id)!.categories).toEqual([]);
  });

  it('every desk pulls each group whole: tier, members and the categories it is the default for', async () => {
    const desk = await Desk.open(w, agent);
    await desk.pullAll();
    const pulled = desk.seen.get(`group:${network.id}`)!.data as unknown as Group;
    expect(pulled).toMatchObject({ name: '网络组', tier: 'L2', members: [tech.id], categories: ['network', 'network.vpn'] });
    expect((desk.seen.get(`group:${vendor.id}`)!.data as unknown as Group).categories).toEqual([]);
  });

  const step = (d: Desk, id: string, from: Incident['status'], to: Incident['status'], fields: Record<string, unknown>, note: string | null = null): Mutation =>
    d.mutation('incident.transition', { id, from, to, fields: fields as never, history: [d.historyRow(id, 'transition', { field: 'status', oldValue: from, newValue: to, note })] });
  const rejection = (d: Desk, seq: number) => d.seen.get(`rejection:${d.deviceId}:${seq}`)?.data as RejectionData | undefined;

  it('a dispatch to a person outside the chosen group is refused naming assigneeId; the tier follows the group; the dispatching group is remembered', async () => {
    const a = await Desk.open(w, agent);
    await a.push([a.create('d1', { categoryId: 'network', groupName: 'Hotline', tier: 'L1' })]);
    const outside = step(a, 'd1', 'new', 'assigned', { tier: 'L2', groupName: '网络组', assigneeId: agent.id });
    const res = await a.push([outside]);
    expect(res.results[0]).toMatchObject({ status: 'rejected', code: 'not_in_group', params: { field: 'assigneeId', group: '网络组' } });
    expect(res.results[0].reason).toMatch(/^args\.fields\.assigneeId: /);
    await a.pullAll();
    expect(a.incident('d1')).toMatchObject({ status: 'new', groupName: 'Hotline', assigneeId: null, tier: 'L1' });
    expect(rejection(a, outside.seq)?.code).toBe('not_in_group');

    // Sent L3 for an L2 group, and a forged remembered group and count: the server decides them.
    const ok = await a.push([step(a, 'd1', 'new', 'assigned', { tier: 'L3', groupName: '网络组', assigneeId: tech.id, dispatchGroup: 'Forged', returnCount: 9 })]);
    expect(ok.results[0].status).toBe('applied');
    await a.pullAll();
    expect(a.incident('d1')).toMatchObject({ status: 'assigned', tier: 'L2', groupName: '网络组', assigneeId: tech.id, dispatchGroup: 'Hotline', returnCount: 0 });
  });

  it('a return needs a known reason code and text; it goes back to the dispatching first-line group, without a person, and counts', async () => {
    const b = await Desk.open(w, tech);
    const noCode = step(b, 'd1', 'assigned', 'returned', {}, '不是网络问题');
    const unknownCode = step(b, 'd1', 'assigned', 'returned', { returnReason: 'bored' }, '不是网络问题');
    const noText = step(b, 'd1', 'assigned', 'returned', { returnReason: 'wrong_category' }, null);
    const res = await b.push([noCode, unknownCode, noText]);
    expect(res.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(res.results[0]).toMatchObject({ code: 'missing_need', params: { need: 'returnReason', to: 'returned' } });
    expect(res.results[1].reason).toMatch(/args\.fields\.returnReason: /);
    expect(res.results[2]).toMatchObject({ code: 'missing_need', params: { need: 'reason' } });
    await b.pullAll();
    expect(b.incident('d1')).toMatchObject({ status: 'assigned', groupName: '网络组', returnCount: 0, returnReason: null });

    const ret = await b.push([step(b, 'd1', 'assigned', 'returned', { returnReason: 'wrong_category', returnCount: 0, groupName: '网络组' }, '是 VPN 证书问题，应归软件')]);
    expect(ret.results[0].status).toBe('applied');
    await b.pullAll();
    expect(b.incident('d1')).toMatchObject({
      status: 'returned', tier: 'L1', groupName: 'Hotline', assigneeId: null, returnCount: 1, returnReason: 'wrong_category', returnNote: '是 VPN 证书问题，应归软件',
    });
    // First line dispatches again, to a vendor group this time: no second-line person stays on it.
    const a = await Desk.open(w, agent);
    await a.pullAll(); // its clock learns the server's, as a desk's does on sign-in
    await a.push([step(a, 'd1', 'returned', 'assigned', { tier: 'L2', groupName: '华为维保', assigneeId: tech.id })]);
    await a.pullAll();
    expect(a.incident('d1')).toMatchObject({ status: 'assigned', tier: 'vendor', groupName: '华为维保', assigneeId: null, dispatchGroup: 'Hotline', returnCount: 1 });
    // Returned again: back to Hotline, counted twice.
    await b.pullAll();
    await b.push([step(b, 'd1', 'assigned', 'returned', { returnReason: 'not_our_system' }, '厂商不负责此系统')]);
    await b.pullAll();
    expect(b.incident('d1')).toMatchObject({ status: 'returned', groupName: 'Hotline', tier: 'L1', returnCount: 2, returnReason: 'not_our_system' });
  });
});
