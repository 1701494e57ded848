import { afterEach, expect, it } from 'vitest';
import { openTestDesk, testClock } from '../helpers/desk.js';
import { DEFAULT_SLA_SETTINGS, slaDueTimes } from '../../shared/sla-clocks.js';

// Issue 13: an imported event log knows when each incident waited (status changes into and out of a
// waiting state), so its finished pending spells are imported as `pendingSpells` and the
// business-time resolution clock leaves them out, as it does for live work.

const closers: Array<() => void> = [];
afterEach(() => { while (closers.length) closers.pop()!(); });

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const HEAD = 'Case ID,Timestamp,Status,Sub status,Group,Owner,Impact,Product';
const EVENTS = [
  // W-1: waits for the user overnight and for a vendor for an hour, then is resolved
  'W-1,2026-10-13T08:00:00+08:00,Queued,Awaiting Assignment,服务台,Ann,Medium,PROD1',
  'W-1,2026-10-13T09:00:00+08:00,Accepted,In Progress,服务台,Ann,Medium,PROD1',
  'W-1,2026-10-13T10:00:00+08:00,Accepted,Wait - User,服务台,Ann,Medium,PROD1',
  'W-1,2026-10-14T09:00:00+08:00,Accepted,In Progress,服务台,Ann,Medium,PROD1',
  'W-1,2026-10-14T10:00:00+08:00,Accepted,Wait - Vendor,服务台,Ann,Medium,PROD1',
  'W-1,2026-10-14T11:00:00+08:00,Accepted,In Progress,服务台,Ann,Medium,PROD1',
  'W-1,2026-10-14T12:00:00+08:00,Completed,Resolved,服务台,Ann,Medium,PROD1',
  // W-2: waited once, and is waiting again now
  'W-2,2026-10-15T08:00:00+08:00,Accepted,In Progress,服务台,Bo,Medium,PROD2',
  'W-2,2026-10-15T09:00:00+08:00,Accepted,Wait - User,服务台,Bo,Medium,PROD2',
  'W-2,2026-10-15T09:30:00+08:00,Accepted,In Progress,服务台,Bo,Medium,PROD2',
  'W-2,2026-10-15T10:00:00+08:00,Accepted,Wait - Customer,服务台,Bo,Medium,PROD2',
];
const file = { fileName: 'waits.csv', contentBase64: b64([HEAD, ...EVENTS].join('\r\n') + '\r\n') };

it('an imported event log fills each incident\'s finished pending spells; the resolution due time leaves them out', async () => {
  const t = await openTestDesk({ now: testClock('2026-11-22T02:00:00.000Z').now });
  closers.push(t.close);
  expect(await t.api.import.commit(file)).toMatchObject({ created: 2 });
  const get = async (ref: string) => {
    const id = t.desk.store.db.prepare('SELECT id FROM incidents WHERE external_ref = ?').pluck().get(ref) as string;
    return (await t.api.incident.get({ id })).incident;
  };

  const w1 = await get('W-1');
  expect(w1.pendingSpells).toEqual([
    { from: '2026-10-13T02:00:00.000Z', to: '2026-10-14T01:00:00.000Z' },
    { from: '2026-10-14T02:00:00.000Z', to: '2026-10-14T03:00:00.000Z' },
  ]);
  expect(w1.pausedMs).toBe(24 * 3_600_000); // 23 h + 1 h, wall time, as before
  expect(w1.priority).toBe('P3');
  // The waits' business time is left out of the 24 business hours: the due time is later than without them.
  const without = slaDueTimes({ priority: 'P3', serviceLevel: 'normal', reportedAt: w1.reportedAt }, DEFAULT_SLA_SETTINGS);
  const withSpells = slaDueTimes({ priority: 'P3', serviceLevel: 'normal', reportedAt: w1.reportedAt, pendingSpells: w1.pendingSpells }, DEFAULT_SLA_SETTINGS);
  expect(w1.resolveDueAt).toBe(withSpells.resolveDueAt);
  expect(Date.parse(w1.resolveDueAt)).toBeGreaterThan(Date.parse(without.resolveDueAt));
  expect(w1.responseDueAt).toBe(without.responseDueAt); // pending never pauses the response clock

  const w2 = await get('W-2');
  expect(w2.status).toBe('pending');
  expect(w2.pendingSpells).toEqual([{ from: '2026-10-15T01:00:00.000Z', to: '2026-10-15T01:30:00.000Z' }]);
  expect(w2.pendingSince).toBe('2026-10-15T02:00:00.000Z');
});
