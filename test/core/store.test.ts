import { afterEach, describe, expect, it } from 'vitest';
import { TRPCError } from '@trpc/server';
import { openTestDesk, testClock, baseIncident } from '../helpers/desk.js';

const opened: Array<{ close(): void }> = [];
async function desk(opts: Parameters<typeof openTestDesk>[0] = {}) {
  const d = await openTestDesk(opts);
  opened.push(d);
  return d;
}
afterEach(() => { while (opened.length) opened.pop()!.close(); });

/** Another person starts working at this desk (desk.setup runs once only; later users come from the server). */
function switchUser(d: { store: { db: import('better-sqlite3').Database; setMeta(k: string, v: string): void } }, u: { name: string; role: string; group: string }) {
  const id = crypto.randomUUID();
  d.store.db.prepare("INSERT INTO users (id, name, role, group_name, source, updated_at) VALUES (?, ?, ?, ?, 'server', ?)").run(id, u.name, u.role, u.group, new Date().toISOString());
  d.store.setMeta('current_user_id', id);
  return id;
}

async function issuesOf(p: Promise<unknown>): Promise<Array<{ path: string; message: string }>> {
  try { await p; } catch (e) {
    expect(e).toBeInstanceOf(TRPCError);
    const cause = (e as TRPCError).cause as { issues?: Array<{ path: unknown; message: string }> };
    return (cause.issues ?? []).map((i) => ({ path: Array.isArray(i.path) ? i.path.join('.') : String(i.path), message: i.message }));
  }
  throw new Error('expected the call to be refused');
}

describe('recording an incident', () => {
  it('stores the record, its history and its outbox mutation together, with a number from this desk', async () => {
    const { api, desk: d, count } = await desk();
    const inc = await api.incident.create(baseIncident);
    expect(inc.number).toMatch(new RegExp(`^${d.store.deviceCode}-00001$`));
    expect(inc.priority).toBe('P3');
    expect(inc.status).toBe('new');
    expect(inc.requesterDept).toBe('财务部');
    expect(count('incidents')).toBe(1);
    expect(count('history')).toBeGreaterThanOrEqual(2);
    const outbox = d.store.db.prepare('SELECT name, args FROM outbox ORDER BY seq').all() as Array<{ name: string; args: string }>;
    expect(outbox.map((o) => o.name)).toEqual(['requester.upsert', 'incident.create']);
    expect(JSON.parse(outbox[1].args).incident.number).toBe(inc.number);
  });

  it('numbers are sequential, unique, and survive a restart of the desk', async () => {
    const first = await desk();
    const a = await first.api.incident.create(baseIncident);
    const b = await first.api.incident.create({ ...baseIncident, title: 'second' });
    first.close(); opened.pop();
    const again = await desk({ dataDir: first.dataDir });
    const c = await again.api.incident.create({ ...baseIncident, title: 'third' });
    expect(new Set([a.number, b.number, c.number]).size).toBe(3);
    expect(c.number.endsWith('00003')).toBe(true);
    expect((await again.api.incident.get({ id: a.id })).incident.number).toBe(a.number);
  });

  it('a double submit with the same clientId creates one incident', async () => {
    const { api, count } = await desk();
    const clientId = '7f4b2c7e-2f43-4b53-9a4e-1b1f1b1f1b1f';
    const a = await api.incident.create({ ...baseIncident, clientId });
    const b = await api.incident.create({ ...baseIncident, clientId });
    expect(b.id).toBe(a.id);
    expect(count('incidents')).toBe(1);
  });

  it('bad input is refused naming the field, and nothing is written', async () => {
    const clock = testClock();
    const { api, count } = await desk({ now: clock.now });
    const before = ['incidents', 'history', 'outbox', 'requesters'].map(count);
    expect(await issuesOf(api.incident.create({ ...baseIncident, reportedAt: '2026-11-23T02:00:00Z' }))).toEqual([{ path: 'reportedAt', message: 'is in the future' }]);
    expect((await issuesOf(api.incident.create({ ...baseIncident, categoryId: 'gardening' })))[0].path).toBe('categoryId');
    expect((await issuesOf(api.incident.create({ ...baseIncident, impact: 'extreme' as never })))[0].path).toBe('impact');
    expect((await issuesOf(api.incident.create({ ...baseIncident, title: '长'.repeat(201) })))[0]).toEqual({ path: 'title', message: 'at most 200 characters' });
    expect((await issuesOf(api.incident.create({ ...baseIncident, requester: { ...baseIncident.requester, phone: 'call me maybe' } })))[0].path).toBe('requester.phone');
    expect((await issuesOf(api.incident.create({ ...baseIncident, occurredAt: '2026-11-22T01:00:00Z', reportedAt: '2026-11-22T00:00:00Z' })))[0].path).toBe('reportedAt');
    expect(['incidents', 'history', 'outbox', 'requesters'].map(count)).toEqual(before);
  });

  it('a failure inside the write rolls back the incident, its history and the requester (no half-written record)', async () => {
    const { api, desk: d, count } = await desk();
    d.store.db.exec(`CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox WHEN NEW.name = 'incident.create' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    await expect(api.incident.create(baseIncident)).rejects.toThrow(/disk full/);
    expect([count('incidents'), count('history'), count('outbox'), count('requesters')]).toEqual([0, 0, 0, 0]);
    d.store.db.exec('DROP TRIGGER fail_outbox');
    const inc = await api.incident.create(baseIncident);
    expect(inc.number.endsWith('00001')).toBe(true); // the failed attempt did not burn a number
  });
});

describe('priority rules on the desk', () => {
  it('a major incident is P1 and the process owner notification is recorded', async () => {
    const { api, count } = await desk();
    const inc = await api.incident.create({ ...baseIncident, impact: 'low', urgency: 'low', majorReasons: ['platform'] });
    expect(inc.priority).toBe('P1');
    expect(count('notices')).toBe(1); // issue 13: a notice (electron/core/notifications), no longer the English notifications row
    const { history, priorityReasons } = await api.incident.get({ id: inc.id });
    expect(history.some((h) => h.kind === 'notification' && h.newValue === 'process_owner')).toBe(true);
    expect(priorityReasons[0].rule).toBe('major');
  });
  it('a VIP caller makes it at least P2; the history records which rule', async () => {
    const { api } = await desk();
    const inc = await api.incident.create({ ...baseIncident, impact: 'low', urgency: 'low', requester: { ...baseIncident.requester, serviceLevel: 'vip' } });
    expect(inc.priority).toBe('P2');
    const { history } = await api.incident.get({ id: inc.id });
    expect(history.find((h) => h.kind === 'priority')?.note).toMatch(/vip/);
  });
  it('changing impact re-prioritises and records old and new values', async () => {
    const { api } = await desk();
    const inc = await api.incident.create(baseIncident);
    const up = await api.incident.update({ id: inc.id, patch: { impact: 'high', urgency: 'high' } });
    expect(up.priority).toBe('P1');
    const { history } = await api.incident.get({ id: inc.id });
    expect(history.filter((h) => h.kind === 'priority').map((h) => [h.oldValue, h.newValue])).toContainEqual(['P3', 'P1']);
    expect(history.find((h) => h.field === 'impact')).toMatchObject({ oldValue: 'medium', newValue: 'high' });
  });
  it('an unresolved P3 is escalated to P2 after 4 hours by the rule', async () => {
    const clock = testClock('2026-11-22T02:00:00Z');
    const { api, desk: d } = await desk({ now: clock.now });
    const inc = await api.incident.create(baseIncident);
    clock.advance(3 * 3600_000);
    expect(d.store.sweepEscalations()).toBe(0);
    clock.advance(3600_000);
    expect(d.store.sweepEscalations()).toBe(1);
    const { incident, history } = await api.incident.get({ id: inc.id });
    expect(incident.priority).toBe('P2');
    expect(history.at(-1)?.note).toMatch(/auto_escalated/);
    expect(d.store.sweepEscalations()).toBe(0);
  });
});

describe('working an incident', () => {
  it('walks new → assigned → in progress → pending → resolved → closed, with SLA pause and work log', async () => {
    const clock = testClock('2026-11-23T02:00:00Z') // Monday 10:00 in Shanghai;
    const { api } = await desk({ now: clock.now });
    const inc = await api.incident.create(baseIncident);
    clock.advance(600_000);
    await api.incident.transition({ id: inc.id, to: 'assigned', tier: 'L2', group: '网络组' });
    await api.incident.transition({ id: inc.id, to: 'in_progress' });
    await api.incident.transition({ id: inc.id, to: 'pending', pendingReason: 'requester', reason: '等待用户回电' });
    clock.advance(2 * 3600_000);
    const resumed = await api.incident.transition({ id: inc.id, to: 'in_progress' });
    expect(resumed.pausedMs).toBe(2 * 3600_000);
    // P3, business hours (issue 13): 24 h from Monday 10:00 is Thursday 11:30; the pending spell
    // (Monday 10:10–12:10) held 110 business minutes (the lunch break is not business time) → 14:50.
    expect(resumed.resolveDueAt).toBe('2026-11-26T06:50:00.000Z');
    expect(resumed.pendingSpells).toEqual([{ from: '2026-11-23T02:10:00.000Z', to: '2026-11-23T04:10:00.000Z' }]);
    await api.incident.addWorkLog({ incidentId: inc.id, body: '重新下发证书' });
    const resolved = await api.incident.transition({ id: inc.id, to: 'resolved', resolution: '重新下发 VPN 证书后恢复' });
    expect(resolved.resolvedAt).toBeTruthy();
    const closed = await api.incident.transition({ id: inc.id, to: 'closed' });
    expect(closed.status).toBe('closed');
    const { history, workLogs, allowed } = await api.incident.get({ id: inc.id });
    expect(history.filter((h) => h.kind === 'transition').map((h) => h.newValue)).toEqual(['assigned', 'in_progress', 'pending', 'in_progress', 'resolved', 'closed']);
    expect(workLogs.map((w) => w.body)).toEqual(['等待用户回电', '重新下发证书', '重新下发 VPN 证书后恢复']);
    expect(allowed).toEqual([]);
  });
  it('an illegal transition is refused naming `to`, and changes nothing', async () => {
    const { api, count } = await desk();
    const inc = await api.incident.create(baseIncident);
    const before = [count('history'), count('outbox')];
    const issues = await issuesOf(api.incident.transition({ id: inc.id, to: 'closed' }));
    expect(issues[0].path).toBe('to');
    expect(issues[0].message).toMatch(/cannot go from new to closed/);
    expect([count('history'), count('outbox')]).toEqual(before);
    expect((await api.incident.get({ id: inc.id })).incident.status).toBe('new');
  });
  it('resolving needs a resolution; returning needs a reason', async () => {
    const { api } = await desk();
    const inc = await api.incident.create(baseIncident);
    expect((await issuesOf(api.incident.transition({ id: inc.id, to: 'resolved' })))[0].path).toBe('resolution');
    await api.incident.transition({ id: inc.id, to: 'assigned', tier: 'L2' });
    expect((await issuesOf(api.incident.transition({ id: inc.id, to: 'returned' })))[0].path).toBe('reason');
    const back = await api.incident.transition({ id: inc.id, to: 'returned', reason: '分类错误，应为桌面组', returnReason: 'wrong_category' });
    expect(back.tier).toBe('L1');
  });
});

describe('finding things', () => {
  it('full-text search finds Chinese words of any length, English prefixes, and numbers', async () => {
    const { api } = await desk();
    const a = await api.incident.create(baseIncident);
    const b = await api.incident.create({ ...baseIncident, title: '打印机卡纸', description: 'Printer jams on tray 2' });
    const ids = async (q: string) => (await api.incident.search({ q })).rows.map((r) => r.id);
    expect(await ids('证书')).toEqual([a.id]);
    expect(await ids('印')).toEqual([b.id]);
    expect(await ids('打印机')).toEqual([b.id]);
    expect(await ids('print')).toEqual([b.id]);
    expect(await ids('vpn 证书')).toEqual([a.id]);
    expect(await ids(a.number.split('-')[1])).toEqual([a.id]);
    expect(await ids('飞机')).toEqual([]);
    const resolved = await api.incident.transition({ id: b.id, to: 'resolved', resolution: '更换搓纸轮 pickup roller' });
    expect(await ids('roller')).toEqual([resolved.id]);
  });
  it('the queue is sorted by SLA due time and filters by scope, status, priority, category, channel', async () => {
    const { api, desk: d } = await desk();
    const p4 = await api.incident.create({ ...baseIncident, impact: 'low', urgency: 'low', channel: 'email' });
    const p1 = await api.incident.create({ ...baseIncident, impact: 'high', urgency: 'high', categoryId: 'hardware.printer' });
    const p3 = await api.incident.create(baseIncident);
    expect((await api.incident.queue({})).rows.map((r) => r.id)).toEqual([p1.id, p3.id, p4.id]);
    expect((await api.incident.queue({ priorities: ['P4'] })).rows.map((r) => r.id)).toEqual([p4.id]);
    expect((await api.incident.queue({ categoryId: 'hardware' })).rows.map((r) => r.id)).toEqual([p1.id]);
    expect((await api.incident.queue({ channel: 'email' })).total).toBe(1);
    await api.incident.transition({ id: p3.id, to: 'resolved', resolution: 'ok' });
    expect((await api.incident.queue({})).total).toBe(2);
    expect((await api.incident.queue({ statuses: ['resolved'] })).rows[0].id).toBe(p3.id);
    expect((await api.incident.queue({ scope: 'mine' })).total).toBe(2);
    switchUser(d, { name: 'Other', role: 'technician', group: 'L2' });
    expect((await api.incident.queue({ scope: 'mine' })).total).toBe(0);
    expect((await api.incident.queue({ scope: 'group' })).total).toBe(0);
  });
  it('caller lookup by phone or name fills the requester and shows recent incidents', async () => {
    const { api } = await desk();
    await api.incident.create(baseIncident);
    const byPhone = await api.requester.lookup({ q: '1380013' });
    expect(byPhone[0]).toMatchObject({ name: '李雷', department: '财务部', serviceLevel: 'normal' });
    expect(byPhone[0].recent).toHaveLength(1);
    expect((await api.requester.lookup({ q: '李' }))[0].name).toBe('李雷');
    expect(await api.requester.lookup({ q: '%' })).toEqual([]);
  });
  it('sample data gives a newcomer a working desk', async () => {
    const { api } = await desk();
    const r = await api.desk.loadSample({ incidents: 300 });
    expect(r.incidents).toBe(300);
    const info = await api.desk.info();
    expect(info.incidentCount).toBe(300);
    expect((await api.incident.queue({})).total).toBeGreaterThan(20);
    expect((await api.incident.search({ q: '打印机' })).rows.length).toBeGreaterThan(0);
    expect((await api.incident.search({ q: 'printer' })).rows.length).toBeGreaterThan(0);
    expect((await api.sync.status()).pending).toBe(0); // demo data never goes to the central server
    const demo = (await api.incident.queue({})).rows[0];
    expect(demo.number).toMatch(/^DEMO-/);
    await api.incident.addWorkLog({ incidentId: demo.id, body: '练习' });
    expect((await api.sync.status()).pending).toBe(0); // nor does work on it
  });
});

describe('the outbox speaks the sync protocol', () => {
  it('every mutation a desk writes is accepted by the protocol schemas the server validates with', async () => {
    const { MUTATION_ARGS } = await import('../../shared/sync-mutations.js');
    const { api, desk: d } = await desk();
    const inc = await api.incident.create({ ...baseIncident, majorReasons: ['security'] });
    await api.incident.update({ id: inc.id, patch: { title: '新标题', urgency: 'low', occurredAt: '2026-11-22T01:00:00+08:00' } });
    await api.incident.transition({ id: inc.id, to: 'assigned', tier: 'L2', group: '网络组' });
    await api.incident.transition({ id: inc.id, to: 'pending', pendingReason: 'vendor', reason: '等厂商' });
    await api.incident.transition({ id: inc.id, to: 'in_progress' });
    await api.incident.addWorkLog({ incidentId: inc.id, body: '现场更换模块' });
    await api.incident.transition({ id: inc.id, to: 'resolved', resolution: '更换光模块' });
    await api.incident.update({ id: inc.id, patch: { satisfaction: 5 } });
    await api.incident.create({ ...baseIncident, backfill: { reason: '现场无网络' }, reportedAt: '2026-11-21T01:00:00Z' });
    const rows = d.store.db.prepare('SELECT name, args FROM outbox ORDER BY seq').all() as Array<{ name: keyof typeof MUTATION_ARGS; args: string }>;
    expect(rows.length).toBeGreaterThan(8);
    for (const r of rows) {
      const parsed = MUTATION_ARGS[r.name].safeParse(JSON.parse(r.args));
      expect(parsed.success, `${r.name}: ${parsed.error?.message}`).toBe(true);
    }
  });
});

describe('back-filling (补录)', () => {
  const yesterday = { occurredAt: '2026-11-21T01:40:00Z', reportedAt: '2026-11-21T02:00:00Z' };
  it('keeps the real occurred and reported times, records the entry time, and marks it everywhere', async () => {
    const clock = testClock('2026-11-22T02:00:00Z');
    const { api } = await desk({ now: clock.now });
    const inc = await api.incident.create({ ...baseIncident, ...yesterday, backfill: { reason: '现场无网络，纸质记录' } });
    expect(inc).toMatchObject({ backfilled: true, origin: 'backfill', backfillReason: '现场无网络，纸质记录', reportedAt: '2026-11-21T02:00:00.000Z', recordedAt: '2026-11-22T02:00:00.000Z' });
    const { history, sla } = await api.incident.get({ id: inc.id });
    expect(history[0]).toMatchObject({ kind: 'backfill', actorName: '王芳' });
    expect(history[0].note).toMatch(/现场无网络/);
    // P3: response due 4 h after the real report time — already missed when typed in a day later.
    expect(sla.response).toBe('breached');
    expect((await api.incident.queue({})).rows[0]).toMatchObject({ backfilled: true, origin: 'backfill' });
    const log = await api.incident.addWorkLog({ incidentId: inc.id, body: '10:40 现场更换网线', at: '2026-11-21T02:40:00Z' });
    expect(log).toMatchObject({ at: '2026-11-21T02:40:00.000Z', recordedAt: '2026-11-22T02:00:00.000Z' });
  });
  it('refuses a future time, occurred after reported, a missing reason or reported time, and saves nothing', async () => {
    const clock = testClock('2026-11-22T02:00:00Z');
    const { api, count } = await desk({ now: clock.now });
    const path = async (input: Parameters<typeof api.incident.create>[0]) => (await issuesOf(api.incident.create(input))).map((i) => i.path);
    expect(await path({ ...baseIncident, reportedAt: '2026-11-22T03:00:00Z', backfill: { reason: 'paper' } })).toEqual(['reportedAt']);
    expect(await path({ ...baseIncident, occurredAt: '2026-11-21T03:00:00Z', reportedAt: '2026-11-21T02:00:00Z', backfill: { reason: 'paper' } })).toEqual(['reportedAt']);
    expect(await path({ ...baseIncident, ...yesterday, backfill: { reason: '  ' } })).toEqual(['backfill.reason']);
    expect(await path({ ...baseIncident, backfill: { reason: 'paper' } })).toEqual(['reportedAt']);
    expect(await path({ ...baseIncident, ...yesterday, backfill: { reason: 'paper' }, reportedAt: '2026-11-23T00:00:00Z' } as never)).toEqual(['reportedAt']);
    expect((await issuesOf(api.incident.addWorkLog({ incidentId: (await api.incident.create(baseIncident)).id, body: 'x', at: '2026-11-23T00:00:00Z' })))[0].path).toBe('at');
    expect(count('incidents')).toBe(1);
  });
  it('the role that may back-fill is configuration, changed only by a lead or admin', async () => {
    const { api, desk: d } = await desk();
    await expect(api.desk.setBackfillRoles({ roles: ['technician'] })).rejects.toThrow(/only a team lead or admin/);
    switchUser(d, { name: '组长', role: 'lead', group: '服务台' });
    await api.desk.setBackfillRoles({ roles: ['technician', 'lead'] });
    switchUser(d, { name: '一线', role: 'agent', group: '服务台' });
    expect((await issuesOf(api.incident.create({ ...baseIncident, ...yesterday, backfill: { reason: 'paper' } })))[0]).toMatchObject({ path: 'backfill', message: expect.stringMatching(/may not back-fill/) });
  });
});

describe('paper-log batch entry', () => {
  it('saves every row at once, or none, naming the bad row and field', async () => {
    const clock = testClock('2026-11-22T02:00:00Z');
    const { api, count } = await desk({ now: clock.now });
    const row = (i: number) => ({ ...baseIncident, title: `纸质记录 ${i}`, reportedAt: `2026-11-21T0${i}:00:00Z`, backfill: { reason: '纸质记录' } });
    const bad = [row(1), row(2), { ...row(3), reportedAt: '2026-11-23T00:00:00Z' }];
    const issues = await issuesOf(api.incident.createBatch({ rows: bad }));
    expect(issues).toEqual([{ path: 'rows.2.reportedAt', message: 'is in the future' }]);
    expect([count('incidents'), count('history'), count('outbox')]).toEqual([0, 0, 0]);
    const saved = await api.incident.createBatch({ rows: [row(1), row(2), row(3)] });
    expect(saved.map((i) => i.number.slice(-5))).toEqual(['00001', '00002', '00003']);
    expect(saved.every((i) => i.backfilled)).toBe(true);
    expect((await issuesOf(api.incident.createBatch({ rows: [{ ...row(1), title: '' }] })))[0].path).toBe('rows.0.title');
  });
});
