import { afterEach, expect, it } from 'vitest';
import { openTestDesk, testClock, baseIncident } from '../helpers/desk.js';
import { applySlaSettings } from '../../electron/core/sla/settings.js';
import { DEFAULT_SLA_SETTINGS } from '../../shared/sla-clocks.js';

const closers: Array<() => void> = [];
afterEach(() => { while (closers.length) closers.pop()!(); });

// New SLA settings pulled from the server re-derive the open incidents' due times at once.
it('new SLA settings move the due times of open incidents (24×7 → business hours and back)', async () => {
  const clock = testClock('2026-12-04T09:00:00.000Z'); // Friday 17:00 in Shanghai
  const t = await openTestDesk({ now: clock.now });
  closers.push(t.close);
  const allDay = { P1: '24x7', P2: '24x7', P3: '24x7', P4: '24x7' };
  const dayAndNight = { ...DEFAULT_SLA_SETTINGS, policy: { ...DEFAULT_SLA_SETTINGS.policy, calendars: { normal: allDay, vip: allDay, svip: allDay } } };
  applySlaSettings(t.desk.store, { settings: dayAndNight });
  const created: Array<{ id: string }> = [];
  for (let i = 0; i < 3; i++) created.push(await t.api.incident.create({ ...baseIncident, title: `打印机 ${i}`, reportedAt: '2026-12-04T09:00:00.000Z' } as typeof baseIncident));
  const due = () => created.map((c) => (t.desk.store.db.prepare('SELECT resolve_due_at AS d FROM incidents WHERE id = ?').get(c.id) as { d: string }).d);
  const before = due();
  applySlaSettings(t.desk.store, { settings: DEFAULT_SLA_SETTINGS }); // P2–P4 on business hours: Friday evening waits for Monday
  const after = due();
  for (let i = 0; i < after.length; i++) expect(Date.parse(after[i]!)).toBeGreaterThan(Date.parse(before[i]!));
  applySlaSettings(t.desk.store, { settings: dayAndNight });
  expect(due()).toEqual(before);
});
