import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeId, type NoticeData } from '../../shared/notices.js';
import type { RejectionData } from '../../shared/sync.js';
import { sweepNotices } from '../../server/notifications.js';
import { Desk, startWorld, type World } from './harness.js';

type Who = { id: string; client: World['admin'] };
const HOUR = 3600_000;

/** Issue 13 on the server: notices stored once per id and recipient, sent to their recipients only, hostile pushes refused naming the field. */
describe.each(['sqlite', 'postgres'] as const)('notices on the server (%s)', (backend) => {
  let w: World;
  let agent: Who;
  let other: Who;
  let lead: Who;
  beforeAll(async () => {
    w = await startWorld(backend);
    agent = await w.user('agent', 'agent');
    other = await w.user('other', 'agent');
    lead = await w.user('lead', 'lead');
  });
  afterAll(async () => { await w?.close(); });

  const notices = (changes: Array<{ entity: string; data: unknown }>) => changes.filter((c) => c.entity === 'notice').map((c) => c.data as NoticeData);
  const rows = (sql: string, params: unknown[] = []) => w.server.storage.read((q) => q.all<Record<string, unknown>>(sql, params));

  it('a breach raised by two desks is one notice per lead; each lead\'s desks get it once, nobody else\'s; read state is per recipient', async () => {
    const a = await Desk.open(w, agent);
    const a2 = await Desk.open(w, agent);
    const created = await a.push([a.create('inc-b1')]);
    expect(created.results[0].status).toBe('applied');
    const dueMs = w.clock.ms + HOUR;
    w.clock.advance(2 * HOUR);
    const args = { id: noticeId('sla_breach', 'inc-b1', 'response', dueMs), kind: 'sla_breach' as const, incidentId: 'inc-b1', clock: 'response' as const, atMs: dueMs, raisedAt: new Date(w.clock.ms).toISOString() };
    const first = await a.push([a.mutation('notice.raise', args)]);
    const second = await a2.push([a2.mutation('notice.raise', { ...args, raisedAt: new Date(w.clock.ms + 1000).toISOString() })]);
    expect([first.results[0].status, second.results[0].status]).toEqual(['applied', 'applied']);
    expect(await rows('SELECT id FROM notices WHERE incident_id = ?', ['inc-b1'])).toHaveLength(1);
    const recipients = (await rows('SELECT user_id FROM notice_recipients WHERE notice_id = ? ORDER BY user_id', [args.id])).map((r) => r.user_id);
    expect(recipients.sort()).toEqual([w.adminId, lead.id].sort()); // team leads and admins

    const leadDesk = await Desk.open(w, lead);
    const got = notices(await leadDesk.pullAll());
    expect(got).toEqual([expect.objectContaining({ id: args.id, kind: 'sla_breach', recipientId: lead.id, readAt: null, clock: 'response', atMs: dueMs })]);
    expect(notices(await a.pullAll())).toEqual([]); // the agent is no recipient of a breach

    // the lead marks it read: their own copy only
    const read = await leadDesk.push([leadDesk.mutation('notice.read', { id: args.id, readAt: new Date(w.clock.ms).toISOString() })]);
    expect(read.results[0].status).toBe('applied');
    expect(notices(await leadDesk.pullAll())).toEqual([expect.objectContaining({ id: args.id, readAt: expect.any(String) })]);
    const held = await rows('SELECT user_id, read_at FROM notice_recipients WHERE notice_id = ?', [args.id]);
    expect(held.find((r) => r.user_id === w.adminId)?.read_at ?? null).toBeNull();
  });

  it('hostile pushes are refused naming the field and change nothing: another person as recipient, another\'s notice marked read, a forged kind, oversized params, a forged id', async () => {
    const d = await Desk.open(w, other);
    await d.push([d.create('inc-h1')]);
    const dueMs = w.clock.ms + HOUR;
    const base = { id: noticeId('sla_warning', 'inc-h1', 'resolution', dueMs), kind: 'sla_warning' as const, incidentId: 'inc-h1', clock: 'resolution' as const, atMs: dueMs, raisedAt: new Date(w.clock.ms).toISOString() };
    const leadNotice = (await rows("SELECT notice_id FROM notice_recipients WHERE user_id = ?", [lead.id]))[0].notice_id as string;
    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['another person', { ...base, recipients: [agent.id] }, 'notice.raise', /args\.recipients\.0/],
      ['another\'s notice', { id: leadNotice, readAt: base.raisedAt }, 'notice.read', /args\.id/],
      ['a forged kind', { ...base, kind: 'sla_warnin' }, 'notice.raise', /args\.kind/],
      ['oversized params', { ...base, params: { note: 'x'.repeat(5000) } }, 'notice.raise', /args\.params\.note/],
      ['too many params', { ...base, params: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, i])) }, 'notice.raise', /args\.params/],
      ['a forged id', { ...base, id: 'n:sla_warning:resolution:1:someone-else' }, 'notice.raise', /args\.id/],
      ['a breach before its due time', { ...base, kind: 'sla_breach', id: noticeId('sla_breach', 'inc-h1', 'resolution', dueMs + 24 * HOUR), atMs: dueMs + 24 * HOUR }, 'notice.raise', /args\.atMs/],
    ];
    for (const [what, args, name, field] of cases) {
      const before = await rows('SELECT notice_id, user_id, read_at FROM notice_recipients ORDER BY notice_id, user_id');
      const res = await d.push([d.mutation(name as 'notice.raise', args as never)]);
      expect(res.results[0], what).toMatchObject({ status: 'rejected' });
      expect(res.results[0].reason, what).toMatch(field);
      expect(await rows('SELECT notice_id, user_id, read_at FROM notice_recipients ORDER BY notice_id, user_id'), what).toEqual(before);
    }
    // the refusals reach the pushing user's desks, as codes
    const refusals = (await d.pullAll()).filter((c) => c.entity === 'rejection').map((c) => c.data as unknown as RejectionData);
    expect(refusals.map((r) => r.code)).toContain('forbidden');
    // the same notice for its real recipient (the owner) is accepted
    expect((await d.push([d.mutation('notice.raise', { ...base, recipients: [other.id] })])).results[0].status).toBe('applied');
  });

  it('the server\'s own sweep raises what no desk did, with the same id a desk would use, once', async () => {
    const d = await Desk.open(w, agent);
    // reported long ago: both clocks are past due now
    const long = new Date(w.clock.ms - 30 * 24 * HOUR).toISOString();
    await d.push([d.create('inc-s1', { reportedAt: long, recordedAt: long, backfilled: true, backfillReason: 'paper log' })]);
    const n1 = await sweepNotices(w.server.storage, new Date(w.clock.ms));
    expect(n1).toBeGreaterThanOrEqual(2);
    expect(await sweepNotices(w.server.storage, new Date(w.clock.ms))).toBe(0);
    const mine = await rows("SELECT n.kind, n.clock FROM notices n WHERE n.incident_id = ? ORDER BY n.clock", ['inc-s1']);
    expect(mine).toEqual([{ kind: 'sla_breach', clock: 'resolution' }, { kind: 'sla_breach', clock: 'response' }]);
    const leadDesk = await Desk.open(w, lead);
    expect(notices(await leadDesk.pullAll()).filter((n) => n.incidentId === 'inc-s1')).toHaveLength(2);
  });
});
