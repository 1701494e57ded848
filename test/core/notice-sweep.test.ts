import { afterEach, expect, it } from 'vitest';
import { baseIncident, openTestDesk, testClock } from '../helpers/desk.js';
import { sweepNotices } from '../../electron/core/notifications/notices.js';
import { applySlaSettings } from '../../electron/core/sla/settings.js';
import { DEFAULT_SLA_SETTINGS } from '../../shared/sla-clocks.js';

const closers: Array<() => void> = [];
afterEach(() => { while (closers.length) closers.pop()!(); });

// Issue 13: the desk's notice sweep reads `next_notice_at` (desk migration 021) instead of computing
// clocks for every open incident; the column follows every change of the incident or the settings.
it('the sweep reads only incidents whose next notice is due; the instant follows the incident and the settings', async () => {
  const start = Date.parse('2026-12-01T02:00:00.000Z'); // Tuesday 10:00 in Shanghai
  const at = (min: number) => start + min * 60_000;
  const clock = testClock('2026-12-01T02:00:00.000Z');
  const t = await openTestDesk({ now: clock.now });
  closers.push(t.close);
  const store = t.desk.store;
  const db = store.db;
  const next = (id: string) => db.prepare('SELECT next_notice_at FROM incidents WHERE id = ?').pluck().get(id) as number | null;
  const notices = (id: string) => db.prepare('SELECT kind || \':\' || clock FROM notices WHERE incident_id = ? ORDER BY raised_at, kind, clock').pluck().all(id) as string[];

  // P1 runs round the clock: response 60 min (warning at 45), resolution 240 min (warning at 180).
  const p1 = await t.api.incident.create({ ...baseIncident, impact: 'high', urgency: 'high', title: '核心交换机宕机', reportedAt: new Date(start).toISOString() });
  const p4 = await t.api.incident.create({ ...baseIncident, impact: 'low', urgency: 'low', title: '鼠标失灵', reportedAt: new Date(start).toISOString() });
  expect(next(p1.id)).toBe(0); // new: look now
  expect(sweepNotices(store)).toBe(0);
  expect(next(p1.id)).toBe(at(45));
  expect(next(p4.id)).toBeGreaterThan(at(60)); // P4's warning is days away on business hours

  // The sweep's read comes from the partial index.
  const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT i.id FROM incidents i INDEXED BY incidents_next_notice
    WHERE i.next_notice_at IS NOT NULL AND i.status NOT IN ('resolved', 'closed') AND i.next_notice_at <= ?`).all(at(46)) as Array<{ detail: string }>).map((r) => r.detail).join(' ');
  expect(plan).toMatch(/USING (COVERING )?INDEX incidents_next_notice/);

  clock.set(new Date(at(46)).toISOString());
  expect(sweepNotices(store)).toBe(1);
  expect(notices(p1.id)).toEqual(['sla_warning:response']);
  expect(next(p1.id)).toBe(at(60));
  expect(sweepNotices(store)).toBe(0); // nothing due: nothing read, nothing raised again

  // An edit the clocks do not depend on keeps the instant; the first response (a status change) asks again.
  await t.api.incident.update({ id: p1.id, patch: { description: '机房 B 区' } });
  expect(next(p1.id)).toBe(at(60));
  await t.api.incident.transition({ id: p1.id, to: 'in_progress' });
  expect(next(p1.id)).toBe(0);
  expect(sweepNotices(store)).toBe(0);
  expect(next(p1.id)).toBe(at(180)); // only the resolution clock is left

  // New settings (a warning at half the target) look at every open incident again.
  applySlaSettings(store, { settings: { ...DEFAULT_SLA_SETTINGS, policy: { ...DEFAULT_SLA_SETTINGS.policy, warnShare: 0.5 } } });
  expect(next(p1.id)).toBe(0);
  expect(next(p4.id)).toBe(0);
  expect(sweepNotices(store)).toBe(0);
  expect(next(p1.id)).toBe(at(120));

  // The warning and then the breach, each once; afterwards nothing is left to tell.
  clock.set(new Date(at(125)).toISOString());
  expect(sweepNotices(store)).toBe(1);
  clock.set(new Date(at(241)).toISOString());
  expect(sweepNotices(store)).toBe(1);
  expect(notices(p1.id)).toEqual(['sla_warning:response', 'sla_warning:resolution', 'sla_breach:resolution']);
  expect(next(p1.id)).toBeNull();
  expect(sweepNotices(store)).toBe(0);
});
