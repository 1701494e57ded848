import { afterEach, describe, expect, it } from 'vitest';
import type { TRPCError } from '@trpc/server';
import { openTestDesk, testClock, baseIncident } from '../helpers/desk.js';
import { reportScope } from '../../electron/core/reports/scope.js';
import { reportQuerySchema, type Report } from '../../shared/reports.js';
import m008 from '../../electron/core/db/migrations/008_history_facts.js';
import { applySlaSettings } from '../../electron/core/sla/settings.js';
import { DEFAULT_SLA_SETTINGS } from '../../shared/sla-clocks.js';

/**
 * The report definitions (electron/core/reports/REPORTS.md) on hand-made incidents with known
 * answers. Desk time zone Asia/Shanghai (UTC+8, no DST); the report is November 2026, so its
 * period is [2026-10-31T16:00Z, 2026-11-30T16:00Z).
 */
const TZ = 'Asia/Shanghai';
const NOV = { from: '2026-11-01', to: '2026-11-30', timeZone: TZ };
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const closers: Array<() => void> = [];
afterEach(() => { while (closers.length) closers.pop()!(); });

async function world() {
  const clock = testClock('2026-10-30T00:00:00.000Z');
  const t = await openTestDesk({ now: clock.now });
  closers.push(t.close);
  const { desk, api } = t;
  // The known answers below count SLA targets in elapsed time: every priority on the 24×7 calendar
  // (the shipped settings put P2–P4 on business hours, issue 13).
  const allDay = { P1: '24x7', P2: '24x7', P3: '24x7', P4: '24x7' };
  applySlaSettings(desk.store, { settings: { ...DEFAULT_SLA_SETTINGS, policy: { ...DEFAULT_SLA_SETTINGS.policy, calendars: { normal: allDay, vip: allDay, svip: allDay } } } });
  const db = desk.store.db;
  const agent = desk.store.currentUser()!;
  db.prepare("INSERT INTO users (id, name, role, group_name, source, updated_at) VALUES ('tech-1', '张伟', 'technician', '二线网络', 'server', '2026-10-01T00:00:00Z')").run();
  const as = (userId: string) => db.prepare("UPDATE meta SET value = ? WHERE key = 'current_user_id'").run(userId);
  const at = (ms: number) => clock.set(iso(ms));
  /** creates an incident reported at `reported` (the clock at `recorded`, default the reported time) */
  const create = async (reported: number, extra: Record<string, unknown> = {}, recorded = reported) => {
    at(recorded);
    return api.incident.create({ ...baseIncident, reportedAt: iso(reported), ...extra } as typeof baseIncident);
  };
  const move = async (id: string, when: number, to: string, extra: Record<string, unknown> = {}) => {
    at(when);
    const need = to === 'resolved' ? { resolution: '已解决' } : ['pending', 'returned', 'reopened'].includes(to) ? { reason: '原因', ...(to === 'returned' ? { returnReason: 'wrong_group' } : {}), ...(to === 'pending' ? { pendingReason: 'requester' } : {}) } : {};
    return api.incident.transition({ id, to, ...need, ...extra } as never);
  };
  return { clock, desk, api, db, agent, as, at, create, move };
}

async function november() {
  const w = await world();
  const { create, move, as, at, desk, agent, db, api } = w;
  const T = (s: string) => Date.parse(s);
  const ids: Record<string, string> = {};

  // Open before the month (local Oct 31 23:59) and at its first instant (local Nov 1 00:00); swept to P2 after 4 h.
  ids.before = (await create(T('2026-10-31T15:59:00Z'))).id;
  ids.firstInstant = (await create(T('2026-10-31T16:00:00Z'))).id;
  at(T('2026-11-01T00:00:00Z'));
  expect(desk.store.sweepEscalations()).toBe(2);

  // 1. first-contact resolution: the recording agent responds after 10 min and resolves after 30.
  const r1 = T('2026-11-02T01:00:00Z');
  ids.fcr = (await create(r1)).id;
  await move(ids.fcr, r1 + 10 * MIN, 'in_progress');
  await move(ids.fcr, r1 + 30 * MIN, 'resolved');

  // 2. a pending spell of exactly one day, excluded from the time to resolve (3 h net).
  const r2 = T('2026-11-03T01:00:00Z');
  ids.pending = (await create(r2)).id;
  await move(ids.pending, r2 + 60 * MIN, 'in_progress');
  await move(ids.pending, r2 + 120 * MIN, 'pending');
  // … while it waits, the requester complains and management is asked to step in (a hierarchical escalation)
  at(r2 + 130 * MIN);
  await api.escalation.askManagement({ id: ids.pending, reason: '用户投诉' });
  await move(ids.pending, r2 + 120 * MIN + 1440 * MIN, 'in_progress');
  await move(ids.pending, r2 + 180 * MIN + 1440 * MIN, 'resolved');

  // 3. a reopen: first resolution after 20 min, reopened two days later, resolved again an hour after (by e-mail).
  const r3 = T('2026-11-05T01:00:00Z');
  ids.reopen = (await create(r3, { channel: 'email' })).id;
  await move(ids.reopen, r3 + 5 * MIN, 'in_progress');
  await move(ids.reopen, r3 + 20 * MIN, 'resolved');
  await move(ids.reopen, r3 + 2 * 1440 * MIN, 'reopened');
  await move(ids.reopen, r3 + 2 * 1440 * MIN + 60 * MIN, 'resolved');

  // 4. dispatched to second line, returned to first line (wrong dispatch), resolved by the agent.
  const r4 = T('2026-11-10T01:00:00Z');
  ids.returned = (await create(r4)).id;
  await move(ids.returned, r4 + 15 * MIN, 'assigned', { tier: 'L2', group: '二线网络' });
  as('tech-1');
  await move(ids.returned, r4 + 30 * MIN, 'in_progress');
  await move(ids.returned, r4 + 60 * MIN, 'returned');
  as(agent.id);
  await move(ids.returned, r4 + 70 * MIN, 'in_progress');
  await move(ids.returned, r4 + 90 * MIN, 'resolved');

  // 5. spanning midnight: reported local Nov 15 23:50, resolved local Nov 16 00:20 (人事部, another category).
  const r5 = T('2026-11-15T15:50:00Z');
  ids.midnight = (await create(r5, { categoryId: 'software.email', requester: { ...baseIncident.requester, name: '韩梅梅', department: '人事部', phone: '139 0000 0000' } })).id;
  await move(ids.midnight, r5 + 30 * MIN, 'resolved');

  // 6. a back-fill: reported Nov 20 02:00Z, typed in a day later; resolved 10 minutes after it was typed.
  const r6 = T('2026-11-20T02:00:00Z');
  ids.backfill = (await create(r6, { backfill: { reason: '纸质登记' } }, r6 + 1440 * MIN)).id;
  await move(ids.backfill, r6 + 1450 * MIN, 'resolved');

  // 7. an import reported in November (counted apart), and one the first instant after the month (local Dec 1 00:00).
  ids.imported = (await create(T('2026-11-25T02:00:00Z'))).id;
  db.prepare("UPDATE incidents SET origin = 'import' WHERE id = ?").run(ids.imported);
  ids.after = (await create(T('2026-11-30T16:00:00Z'))).id;

  at(T('2026-12-05T00:00:00Z'));
  return { ...w, ids };
}

const compute = (api: Awaited<ReturnType<typeof world>>['api'], q: Record<string, unknown> = {}) =>
  api.report.compute({ ...NOV, ...q } as never) as Promise<Report>;

describe('report definitions (hand-made incidents, known answers)', () => {
  it('counts a month by reported time in the desk time zone, with clocks, quality, backlog and back-fill', async () => {
    const { api, ids, agent } = await november();
    const r = await compute(api);

    expect(r.range).toEqual({ fromUtc: '2026-10-31T16:00:00.000Z', toUtc: '2026-11-30T16:00:00.000Z' });
    // firstInstant, fcr, pending, reopen, returned, midnight, backfill; not before/after (outside), not the import (apart)
    expect(r.totals.created).toBe(7);
    expect(r.backfill.imported).toBe(1);
    expect(r.totals.resolved).toBe(6);
    expect(r.volume.byChannel).toEqual([{ key: 'phone', count: 6 }, { key: 'email', count: 1 }]);
    expect(r.volume.byCategory).toEqual([{ key: 'network', count: 6 }, { key: 'software', count: 1 }]);
    expect(r.volume.bySubcategory).toEqual([{ key: 'network.vpn', count: 6 }, { key: 'software.email', count: 1 }]);
    expect(r.volume.byDepartment.map((b) => [b.key, b.count])).toEqual([['财务部', 6], ['人事部', 1]]);
    expect(r.volume.byPriority).toEqual([{ key: 'P3', count: 6 }, { key: 'P2', count: 1 }]);

    // midnight: created on local Nov 15, resolved on local Nov 16
    const day = (d: string) => r.volume.trend.find((p) => p.period === d)!;
    expect(r.volume.trend).toHaveLength(30);
    expect(day('2026-11-01').created).toBe(1);
    expect(day('2026-11-15')).toMatchObject({ created: 1, resolved: 0 });
    expect(day('2026-11-16')).toMatchObject({ created: 0, resolved: 1 });
    // open at each day's end: before (Oct 31) is open all month; the flow agrees with the backlog at the end
    expect(day('2026-11-01').openAtEnd).toBe(2);
    expect(r.volume.trend.at(-1)!.openAtEnd).toBe(r.totals.openAtEnd);

    // times (minutes, pending excluded), first and final resolution
    const P3 = r.sla.timeToResolve.P3;
    // fcr 30, pending 180, reopen 20, returned 90, midnight 30, backfill 1450
    expect(P3).toMatchObject({ count: 6, medianMin: 30, meanMin: (30 + 180 + 20 + 90 + 30 + 1450) / 6 });
    expect(r.sla.timeToFinalResolve.P3.count).toBe(6);
    expect(r.sla.timeToFinalResolve.P3.p90Min).toBe(2940); // the reopened one: 2 days + 1 h
    expect(r.sla.timeToRespond.P3).toMatchObject({ count: 6, medianMin: 15 }); // 10, 60, 5, 15, 30, 1445 → sorted 5,10,15,30,60,1445
    // response: the back-fill's first action came 1445 min after it was reported (P3 target 240): breached
    expect(r.sla.response.byPriority.P3).toEqual({ met: 5, breached: 1, rate: 5 / 6 });
    // resolution: the back-fill (1450 > 1440) breached; the P2 first-instant incident open past its 8 h: breached
    expect(r.sla.resolution.byPriority.P3).toEqual({ met: 5, breached: 1, rate: 5 / 6 });
    expect(r.sla.resolution.byPriority.P2).toMatchObject({ met: 0, breached: 1 });
    expect(r.sla.breached.map((b) => [b.id, b.clock])).toEqual(expect.arrayContaining([
      [ids.backfill, 'response'], [ids.backfill, 'resolution'], [ids.firstInstant, 'resolution'], [ids.firstInstant, 'response'],
    ]));

    // quality
    // FCR: fcr, pending, reopen, midnight, backfill (resolved by the recorder at L1, never handed on); not the returned one
    expect(r.quality.fcr).toEqual({ count: 5, of: 6, rate: 5 / 6 });
    expect(r.quality.reopen).toEqual({ reopened: 1, resolved: 6, rate: 1 / 6, reopensPerIncident: 0.17 });
    expect(r.quality.returned).toMatchObject({ returned: 1, dispatched: 1, rate: 1 });
    expect(r.quality.returned.byGroup).toEqual([{ key: '二线网络', returned: 1, dispatched: 1, rate: 1 }]);
    expect(r.quality.highestTier).toEqual([{ key: 'L1', count: 6 }, { key: 'L2', count: 1 }]);
    expect(r.quality.escalations).toEqual({ autoP3toP2: 1, toL3: 0, toVendor: 0, toManagement: 1, incidents: 2 });
    // the returned incident was assigned to the technician, then to the agent: one reassignment in 7 incidents
    expect(r.quality.reassignmentsPerIncident).toBe(Math.round((1 / 7) * 100) / 100);

    // backlog at the end of November: 'before' (30 d 0 h 1 min: > 30 d) and 'firstInstant' (29 d 16 h: 7–30 d)
    expect(r.totals.openAtEnd).toBe(2);
    expect(r.backlog.byAgeBand).toEqual({ lt1d: 0, d1to3: 0, d3to7: 0, d7to30: 1, gt30d: 1 });
    expect(r.backlog.oldest.map((o) => o.id)).toEqual([ids.before, ids.firstInstant]);

    // back-fill delay: recorded − reported = 1 day
    expect(r.backfill.count).toBe(1);
    expect(r.backfill.delay).toMatchObject({ count: 1, medianMin: 1440, p90Min: 1440 });
    expect(r.backfill.byTechnician).toEqual([{ key: agent.id, label: '王芳', count: 1, medianDelayMin: 1440, p90DelayMin: 1440 }]);

    // people: the agent handled all but none; the technician none now (the incident came back)
    expect(r.people.byAgent.map((p) => [p.key, p.handled, p.resolved, p.fcr])).toEqual([[agent.id, 7, 6, 5]]);
    expect(r.people.byAgent[0].label).toBe('王芳');
    expect(r.quality.major).toBe(0);
    expect(r.satisfaction).toMatchObject({ rated: 0, of: 6, share: 0, average: null });
  });

  it('imports count only when the lead includes them; filters narrow every figure', async () => {
    const { api, ids, desk } = await november();
    const all = await compute(api, { filters: { origins: ['desk', 'backfill', 'import'] } });
    expect(all.totals.created).toBe(8);
    const onlyImport = await compute(api, { filters: { origins: ['import'] } });
    expect(onlyImport.totals.created).toBe(1);
    const onlyBackfill = await compute(api, { filters: { origins: ['backfill'] } });
    expect(onlyBackfill.totals.created).toBe(1);
    expect(onlyBackfill.backfill.count).toBe(1);
    const live = await compute(api, { filters: { origins: ['desk'] } });
    expect(live.totals.created).toBe(6);

    expect((await compute(api, { filters: { channels: ['email'] } })).totals).toMatchObject({ created: 1, resolved: 1 });
    expect((await compute(api, { filters: { departments: ['人事部'] } })).totals.created).toBe(1);
    expect((await compute(api, { filters: { categories: ['software'] } })).volume.bySubcategory).toEqual([{ key: 'software.email', count: 1 }]);
    expect((await compute(api, { filters: { categories: ['network'] } })).totals.created).toBe(6);
    expect((await compute(api, { filters: { priorities: ['P2'] } })).totals.created).toBe(1);
    // the one dispatched to 二线网络 was returned to first line (issue 12): it is in 服务台 again
    expect((await compute(api, { filters: { groups: ['二线网络'] } })).totals.created).toBe(0);
    expect((await compute(api, { filters: { agents: [desk.store.currentUser()!.id] } })).totals.created).toBe(7);
    expect((await compute(api, { filters: { agents: ['tech-1'] } })).totals.created).toBe(0);

    // the drill opens the incidents behind a figure, and agrees with its count
    const drill = (figure: string, key: string | null = null) => api.report.drill({ query: NOV, figure, key } as never);
    expect((await drill('volume.byChannel', 'email')).rows.map((x) => x.id)).toEqual([ids.reopen]);
    expect((await drill('quality.reopen')).rows.map((x) => x.id)).toEqual([ids.reopen]);
    expect((await drill('quality.returned')).rows.map((x) => x.id)).toEqual([ids.returned]);
    expect((await drill('quality.escalations', 'toManagement')).rows.map((x) => x.id)).toEqual([ids.pending]);
    expect((await drill('quality.escalations')).total).toBe(2); // the tile's figure: escalated in any way (auto P3→P2, management)
    expect((await drill('quality.fcr')).total).toBe(5);
    expect((await drill('backlog.byAgeBand', 'gt30d')).rows.map((x) => x.id)).toEqual([ids.before]);
    expect((await drill('sla.resolution.breached')).total).toBe(2);
    expect((await drill('sla.resolution.met', 'P3')).total).toBe(5);
    expect((await drill('sla.resolution', 'P3')).total).toBe(6);
    expect((await drill('volume.trend', '2026-11-15')).rows.map((x) => x.id)).toEqual([ids.midnight]);
    expect((await drill('backfill')).rows.map((x) => x.id)).toEqual([ids.backfill]);
    expect((await drill('totals.created')).total).toBe(7);
    // imports are counted apart (and opened apart); a returning group's row opens the incidents it returned
    expect((await drill('backfill.imported')).rows.map((x) => x.id)).toEqual([ids.imported]);
    expect((await drill('quality.returned.byGroup', '二线网络')).rows.map((x) => x.id)).toEqual([ids.returned]);
    expect((await drill('quality.returned.byGroup', '没有这个组')).total).toBe(0);
    await expect(drill('no.such.figure')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('history facts: what every writer stores equals what migration 008 derives for older rows', async () => {
    const { db } = await november();
    const cols = 'id, status_from, status_to, tier_from, tier_to, group_to, assignee_to, priority_to, auto_escalated';
    const written = db.prepare(`SELECT ${cols} FROM history ORDER BY id`).all();
    expect(db.prepare('SELECT count(*) FROM history WHERE status_to IS NOT NULL').pluck().get()).toBe(17);
    expect(db.prepare("SELECT count(*) FROM history WHERE tier_to = 'L2' AND tier_from = 'L1'").pluck().get()).toBe(1);
    expect(db.prepare("SELECT count(*) FROM history WHERE auto_escalated = 1 AND priority_to = 'P2'").pluck().get()).toBe(2);
    db.prepare('UPDATE history SET status_from = NULL, status_to = NULL, tier_from = NULL, tier_to = NULL, group_to = NULL, assignee_to = NULL, priority_to = NULL, auto_escalated = 0').run();
    for (const stmt of m008.sql.split(';').map((x) => x.replace(/--.*$/gm, '').trim()).filter((x) => x.startsWith('UPDATE'))) db.prepare(stmt).run();
    expect(db.prepare(`SELECT ${cols} FROM history ORDER BY id`).all()).toEqual(written);
  });

  it('the scope converts local days across DST and lists the incidents the exporters write', async () => {
    const { desk } = await world();
    const q = (from: string, to: string, timeZone: string) => reportQuerySchema.parse({ from, to, timeZone });
    expect(reportScope(desk.store, q('2026-03-08', '2026-03-08', 'America/New_York'))).toMatchObject({ fromUtc: '2026-03-08T05:00:00.000Z', toUtc: '2026-03-09T04:00:00.000Z' });
    expect(reportScope(desk.store, q('2026-11-01', '2026-11-01', 'America/New_York'))).toMatchObject({ fromUtc: '2026-11-01T04:00:00.000Z', toUtc: '2026-11-02T05:00:00.000Z' });
    expect(reportScope(desk.store, q('2026-11-01', '2026-11-30', TZ))).toMatchObject({ fromUtc: '2026-10-31T16:00:00.000Z', toUtc: '2026-11-30T16:00:00.000Z' });
  });

  it('an empty store gives a valid, empty report', async () => {
    const { api } = await world();
    const r = await compute(api);
    expect(r.totals).toEqual({ created: 0, resolved: 0, closed: 0, openAtEnd: 0 });
    expect(r.volume.byChannel).toEqual([]);
    expect(r.volume.trend).toHaveLength(30);
    expect(r.volume.trend.every((p) => p.created === 0 && p.resolved === 0 && p.openAtEnd === 0)).toBe(true);
    expect(r.sla.response.all).toEqual({ met: 0, breached: 0, rate: null });
    expect(r.quality.fcr).toEqual({ count: 0, of: 0, rate: null });
    expect(r.quality.reassignmentsPerIncident).toBeNull();
    expect(r.backfill.delay).toMatchObject({ count: 0, medianMin: null });
    expect(r.satisfaction.share).toBeNull();
    expect(r.people.byAgent).toEqual([]);
    expect((await compute(api, { grain: 'month' })).volume.trend).toEqual([{ period: '2026-11-01', created: 0, resolved: 0, openAtEnd: 0 }]);
    expect((await compute(api, { grain: 'week' })).volume.trend.map((p) => p.period)).toEqual(['2026-11-01', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']);
  });

  it('bad input is refused with a BAD_REQUEST naming the field', async () => {
    const { api } = await world();
    const fail = async (q: Record<string, unknown>) => {
      const e = (await compute(api, q).catch((x) => x)) as TRPCError;
      expect(e.code).toBe('BAD_REQUEST');
      // the field and the message, as the router's error formatter words them for the renderer
      const issues = (e.cause as unknown as { issues: Array<{ path: Array<string | number> | string; message: string }> }).issues;
      return issues.map((i) => `${Array.isArray(i.path) ? i.path.join('.') : i.path}: ${i.message}`).join('; ');
    };
    expect(await fail({ from: '2026-11-30', to: '2026-11-01' })).toMatch(/to: the range ends before it starts/);
    expect(await fail({ from: '2010-01-01', to: '2026-11-01' })).toMatch(/to: the range is longer than ten years/);
    expect(await fail({ timeZone: 'Mars/Olympus' })).toMatch(/timeZone: unknown time zone/);
    expect(await fail({ from: '2026-02-30' })).toMatch(/from/);
    expect(await fail({ filters: { categories: ['no.such'] } })).toMatch(/filters\.categories: unknown_category/);
    expect(await fail({ filters: { agents: ['nobody'] } })).toMatch(/filters\.agents: unknown_user/);
  });
});
