import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../shared/schemas.js';
import type { Mutation } from '../../shared/sync.js';
import { noticeId, type NoticeData } from '../../shared/notices.js';
import { Desk, startWorld, type World } from './harness.js';

/**
 * Issue 12, item 3 on the server, on both backends: a functional escalation climbs from the tier
 * the server holds (L2 → L3 → vendor) and records why, when and the vendor's details; a step to the
 * same or a lower tier, or without its reason or vendor, is refused naming the field, nothing
 * changed; vendor texts are bounded; asking management needs why and its notice reaches the leads only.
 */
describe.each(['sqlite', 'postgres'] as const)('escalation on the server (%s)', (backend) => {
  let w: World;
  type Who = { id: string; client: World['admin'] };
  let agent: Who; let tech: Who; let l3tech: Who; let lead: Who;
  beforeAll(async () => {
    w = await startWorld(backend);
    agent = await w.user('agent', 'agent');
    tech = await w.user('tech', 'technician');
    l3tech = await w.user('l3tech', 'technician');
    lead = await w.user('lead', 'lead');
    const net = await w.admin.admin.saveGroup.mutate({ name: '网络组', tier: 'L2' });
    await w.admin.admin.setGroupMembers.mutate({ groupId: net.id, members: [tech.id] });
    const core = await w.admin.admin.saveGroup.mutate({ name: '核心网络', tier: 'L3' });
    await w.admin.admin.setGroupMembers.mutate({ groupId: core.id, members: [l3tech.id] });
    await w.admin.admin.saveGroup.mutate({ name: '华为维保', tier: 'vendor' });
  });
  afterAll(async () => { await w?.close(); });

  const step = (d: Desk, id: string, from: Incident['status'], to: Incident['status'], fields: Record<string, unknown>, note: string | null = null): Mutation =>
    d.mutation('incident.transition', { id, from, to, fields: fields as never, history: [d.historyRow(id, 'transition', { field: 'status', oldValue: from, newValue: to, note })] });
  const edit = (d: Desk, id: string, fields: Record<string, unknown>): Mutation => d.mutation('incident.update', { id, fields: fields as never, base: {}, history: [] });
  const notices = (changes: Array<{ entity: string; data: unknown }>) => changes.filter((c) => c.entity === 'notice').map((c) => c.data as NoticeData);

  it('escalates L2 → L3 → vendor with why and the vendor\'s details; the time is the step\'s; the history rows are kept', async () => {
    const a = await Desk.open(w, agent);
    await a.push([a.create('e1', { status: 'new' }), step(a, 'e1', 'new', 'assigned', { tier: 'L2', groupName: '网络组', assigneeId: tech.id })]);
    const b = await Desk.open(w, tech);
    await b.pullAll();
    const toL3 = step(b, 'e1', 'assigned', 'assigned', { tier: 'L3', groupName: '核心网络', assigneeId: l3tech.id, escalationLevel: 'L3', escalationReason: '需要核心网络组排查', escalatedAt: '2001-01-01T00:00:00.000Z' }, '需要核心网络组排查');
    const res = await b.push([toL3]);
    expect(res.results[0].reason).toBeUndefined();
    expect(res.results[0].status).toBe('applied');
    await b.pullAll();
    const stepAt = (toL3.args as { history: Array<{ at: string }> }).history[0].at;
    expect(b.incident('e1')).toMatchObject({ status: 'assigned', tier: 'L3', groupName: '核心网络', assigneeId: l3tech.id, escalationLevel: 'L3', escalationReason: '需要核心网络组排查', escalatedAt: stepAt, vendorName: null });

    const c = await Desk.open(w, l3tech);
    await c.pullAll();
    const toVendor = step(c, 'e1', 'assigned', 'assigned', { tier: 'vendor', groupName: '华为维保', assigneeId: l3tech.id, escalationLevel: 'vendor', escalationReason: '板卡故障，需厂商更换', vendorName: '华为', vendorContact: '400-822-9999', vendorTicket: 'HW-20261122-001' }, '板卡故障，需厂商更换');
    expect((await c.push([toVendor])).results[0].status).toBe('applied');
    await c.pullAll();
    // a vendor works in its own system: no person stays on it
    expect(c.incident('e1')).toMatchObject({ tier: 'vendor', groupName: '华为维保', assigneeId: null, escalationLevel: 'vendor', vendorName: '华为', vendorContact: '400-822-9999', vendorTicket: 'HW-20261122-001' });
    // the vendor's ticket number edited later
    expect((await c.push([edit(c, 'e1', { vendorTicket: 'HW-20261122-002' })])).results[0].status).toBe('applied');
    await c.pullAll();
    expect(c.incident('e1')).toMatchObject({ vendorTicket: 'HW-20261122-002', vendorName: '华为' });
    const fields = c.history('e1').filter((h) => h.kind === 'transition').map((h) => h.note);
    expect(fields).toEqual(expect.arrayContaining(['需要核心网络组排查', '板卡故障，需厂商更换']));
  });

  it('refuses an escalation to the same or a lower tier, from first line, without why, or a vendor without its name, naming the field; nothing changes', async () => {
    const a = await Desk.open(w, agent);
    await a.push([a.create('e2', { status: 'new' }), step(a, 'e2', 'new', 'assigned', { tier: 'L2', groupName: '网络组', assigneeId: tech.id })]);
    const b = await Desk.open(w, tech);
    await b.pullAll();
    const same = step(b, 'e2', 'assigned', 'assigned', { tier: 'L2', groupName: '网络组', escalationLevel: 'L3', escalationReason: '升级' });
    const noWhy = step(b, 'e2', 'assigned', 'assigned', { tier: 'L3', groupName: '核心网络', escalationLevel: 'L3', escalationReason: ' ' });
    const noVendor = step(b, 'e2', 'assigned', 'assigned', { tier: 'vendor', groupName: '华为维保', escalationLevel: 'vendor', escalationReason: '厂商处理' });
    const notDispatch = step(b, 'e2', 'assigned', 'in_progress', { escalationLevel: 'L3', escalationReason: '升级' });
    const res = await b.push([same, noWhy, noVendor, notDispatch]);
    expect(res.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(res.results[0]).toMatchObject({ code: 'escalation_refused', params: { field: 'tier' } });
    expect(res.results[0].reason).toMatch(/^args\.fields\.tier: not_higher/);
    expect(res.results[1]).toMatchObject({ code: 'missing_need', params: { need: 'escalationReason' } });
    expect(res.results[2]).toMatchObject({ code: 'missing_need', params: { need: 'vendorName' } });
    expect(res.results[3]).toMatchObject({ code: 'invalid_args' });
    // vendor texts are bounded by the schema, naming the field
    const long = await b.push([step(b, 'e2', 'assigned', 'assigned', { tier: 'vendor', groupName: '华为维保', escalationLevel: 'vendor', escalationReason: '厂商', vendorName: '华为', vendorTicket: 'X'.repeat(101) })]);
    expect(long.results[0]).toMatchObject({ status: 'rejected', code: 'invalid_args' });
    expect(long.results[0].reason).toMatch(/args\.fields\.vendorTicket: at most 100/);
    const longContact = await b.push([edit(b, 'e2', { vendorContact: 'x'.repeat(201) })]);
    expect(longContact.results[0].reason).toMatch(/args\.fields\.vendorContact: at most 200/);
    await b.pullAll();
    expect(b.incident('e2')).toMatchObject({ status: 'assigned', tier: 'L2', groupName: '网络组', escalationLevel: null, escalationReason: null, vendorName: null, vendorTicket: null });

    // from first line: first line dispatches, it does not escalate; and down from the vendor is no escalation either
    await a.push([a.create('e3', { status: 'new' })]);
    const fromL1 = await a.push([step(a, 'e3', 'new', 'assigned', { tier: 'L3', groupName: '核心网络', escalationLevel: 'L3', escalationReason: '直接升级' })]);
    expect(fromL1.results[0]).toMatchObject({ status: 'rejected', code: 'escalation_refused', params: { field: 'tier' } });
    await b.pullAll();
    expect((await b.push([step(b, 'e2', 'assigned', 'assigned', { tier: 'vendor', groupName: '华为维保', escalationLevel: 'vendor', escalationReason: '厂商', vendorName: '华为' })])).results[0].status).toBe('applied');
    const down = await b.push([step(b, 'e2', 'assigned', 'assigned', { tier: 'L3', groupName: '核心网络', escalationLevel: 'L3', escalationReason: '退回三线' })]);
    expect(down.results[0]).toMatchObject({ status: 'rejected', code: 'escalation_refused' });
    // a vendor ticket keeps its vendor's name
    const cleared = await b.push([edit(b, 'e2', { vendorName: null })]);
    expect(cleared.results[0]).toMatchObject({ status: 'rejected', code: 'missing_need', params: { need: 'vendorName' } });
    await b.pullAll();
    expect(b.incident('e2')).toMatchObject({ tier: 'vendor', vendorName: '华为', escalationLevel: 'vendor' });
  });

  it('asking management needs why; the flag syncs; its notice reaches the team leads only, once', async () => {
    const a = await Desk.open(w, agent);
    await a.push([a.create('m1', { status: 'new' })]);
    const at = new Date(w.clock.ms).toISOString();
    const noWhy = await a.push([edit(a, 'm1', { mgmtEscalatedAt: at })]);
    expect(noWhy.results[0]).toMatchObject({ status: 'rejected', code: 'missing_need', params: { need: 'mgmtReason' } });
    const long = await a.push([edit(a, 'm1', { mgmtEscalatedAt: at, mgmtReason: '理'.repeat(501) })]);
    expect(long.results[0].reason).toMatch(/args\.fields\.mgmtReason: at most 500/);
    const args = { id: noticeId('escalated_to_management', 'm1', 'none', Date.parse(at)), kind: 'escalated_to_management' as const, incidentId: 'm1', clock: 'none' as const, atMs: Date.parse(at), params: { reason: '用户投诉强烈' }, raisedAt: at };
    const ok = await a.push([edit(a, 'm1', { mgmtEscalatedAt: at, mgmtReason: '用户投诉强烈' }), a.mutation('notice.raise', args)]);
    expect(ok.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    // raised again by a second desk (a retry, another desk): one notice
    const a2 = await Desk.open(w, agent);
    expect((await a2.push([a2.mutation('notice.raise', args)])).results[0].status).toBe('applied');
    // naming a non-lead as a recipient is refused
    const forged = await a2.push([a2.mutation('notice.raise', { ...args, recipients: [tech.id] })]);
    expect(forged.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });

    const recipients = (await w.server.storage.read((q) => q.all<{ user_id: string }>('SELECT user_id FROM notice_recipients WHERE notice_id = ? ORDER BY user_id', [args.id]))).map((r) => r.user_id);
    expect(recipients).toContain(lead.id);
    expect(recipients).not.toContain(agent.id);
    expect(recipients).not.toContain(tech.id);
    const leadDesk = await Desk.open(w, lead);
    expect(notices(await leadDesk.pullAll()).filter((n) => n.incidentId === 'm1')).toEqual([expect.objectContaining({ id: args.id, kind: 'escalated_to_management', recipientId: lead.id, params: { reason: '用户投诉强烈' } })]);
    expect(leadDesk.incident('m1')).toMatchObject({ mgmtEscalatedAt: at, mgmtReason: '用户投诉强烈' });
    const techDesk = await Desk.open(w, tech);
    expect(notices(await techDesk.pullAll())).toEqual([]);
    // not on a closed incident (read-only)
    await a.push([step(a, 'm1', 'new', 'resolved', { resolution: '已处理' }), step(a, 'm1', 'resolved', 'closed', { closeKind: 'confirmed', confirmedWith: '张三', confirmedVia: 'phone' })]);
    const late = await a.push([edit(a, 'm1', { mgmtEscalatedAt: new Date(w.clock.ms + 1000).toISOString(), mgmtReason: '再上报' })]);
    expect(late.results[0]).toMatchObject({ status: 'rejected', code: 'closed_readonly', params: { field: 'mgmtEscalatedAt' } });
  });
});
