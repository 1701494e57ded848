// Property-based checks of the business-time arithmetic (issue 13) on random calendars: random zones
// (with and without DST, a 30-minute DST in Lord Howe, a half-hour offset in Kolkata), several spans
// a day, night spans across midnight, random holidays and make-up days, random starts and targets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes, addBusinessMinutesExcluding, businessCalendarSchema, businessMinutesBetween,
  businessMinutesBetweenExcluding, WEEKDAYS, type BusinessCalendar, type BusinessSpan, type Pause,
} from '../../shared/index.js';

const DAY = 86_400_000;
const MIN = 60_000;
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2027, 9, 1);
const hhmm = (m: number): string => (m >= 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
const isoDay = (d: number): string => new Date(FROM + d * DAY).toISOString().slice(0, 10);

const dayPoints = fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 }).map((a) => a.sort((x, y) => x - y).map((q) => q * 15));
const calendarArb = (zones: string[]) => fc.record({
  timeZone: fc.constantFrom(...zones),
  days: fc.array(dayPoints, { minLength: 7, maxLength: 7 }),
  nights: fc.array(fc.option(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { nil: undefined }), { minLength: 7, maxLength: 7 }),
  holidays: fc.uniqueArray(fc.integer({ min: 0, max: 640 }), { maxLength: 40 }),
  workdays: fc.uniqueArray(fc.integer({ min: 0, max: 90 }).map((w) => 2 + 7 * w), { maxLength: 6 }), // Saturdays (2026-01-03 + 7w)
}).map(({ timeZone, days, nights, holidays, workdays }) => {
  const spans: BusinessSpan[][] = days.map((pts) => {
    const out: BusinessSpan[] = [];
    for (let i = 0; i + 1 < pts.length; i += 2) out.push({ start: hhmm(pts[i]), end: hhmm(pts[i + 1]) });
    return out;
  });
  // a night span after the day's last span, ending before the next day's first one
  days.forEach((pts, i) => {
    const night = nights[i];
    if (!night) return;
    const lastEnd = pts.length >= 2 ? pts[pts.length - (pts.length % 2 ? 2 : 1)] : 0;
    const next = days[(i + 1) % 7];
    const nextFirst = next.length >= 2 ? next[0] : 1440;
    const s = lastEnd + Math.round((night[0] * (1440 - lastEnd)) / 15) * 15;
    const e = Math.round((night[1] * nextFirst) / 15) * 15;
    if (s >= 1440 || s === e || (e > s && e > 1440 - 1)) return;
    spans[i].push({ start: hhmm(s), end: hhmm(e) });
  });
  const workSet = new Set(workdays);
  const cal = {
    id: 'random', timeZone,
    week: Object.fromEntries(WEEKDAYS.map((d, i) => [d, spans[i]])),
    holidays: holidays.filter((d) => !workSet.has(d)).map((d) => ({ date: isoDay(d) })),
    workdays: workdays.map((d) => ({ date: isoDay(d), spans: [{ start: '09:00', end: '13:00' }] })),
  };
  const parsed = businessCalendarSchema.safeParse(cal);
  return parsed.success ? (parsed.data as BusinessCalendar) : null;
});

const ALL_ZONES = ['UTC', 'Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const instant = fc.integer({ min: FROM, max: TO });
const target = fc.integer({ min: 0, max: 20_000 });

describe('business-time arithmetic on random calendars', () => {
  it('counting business time from the start to the due time gives back the target', () => {
    fc.assert(fc.property(calendarArb(ALL_ZONES), instant, target, (cal, start, t) => {
      fc.pre(cal !== null);
      const due = addBusinessMinutes(cal!, start, t);
      expect(businessMinutesBetween(cal!, start, due)).toBe(t);
      // and it is the earliest such instant: a millisecond earlier is short of the target
      if (t > 0) expect(businessMinutesBetween(cal!, start, due - 1)).toBeLessThan(t);
    }), { numRuns: 300 });
  });

  it('is monotone in the start, the target and the end, and additive', () => {
    fc.assert(fc.property(calendarArb(ALL_ZONES), instant, instant, target, target, (cal, s1, s2, t1, t2) => {
      fc.pre(cal !== null);
      const [a, b] = s1 <= s2 ? [s1, s2] : [s2, s1];
      const [x, y] = t1 <= t2 ? [t1, t2] : [t2, t1];
      expect(addBusinessMinutes(cal!, a, x)).toBeGreaterThanOrEqual(a);
      expect(addBusinessMinutes(cal!, a, x)).toBeLessThanOrEqual(addBusinessMinutes(cal!, a, y));
      expect(addBusinessMinutes(cal!, a, x)).toBeLessThanOrEqual(addBusinessMinutes(cal!, b, x));
      const mid = a + Math.floor((b - a) / 3);
      expect(businessMinutesBetween(cal!, a, mid)).toBeLessThanOrEqual(businessMinutesBetween(cal!, a, b));
      expect(Math.round(businessMinutesBetween(cal!, a, mid) * MIN) + Math.round(businessMinutesBetween(cal!, mid, b) * MIN))
        .toBe(Math.round(businessMinutesBetween(cal!, a, b) * MIN));
    }), { numRuns: 200 });
  });

  it('with pending spells excluded, counting back still gives the target', () => {
    const pauses = fc.array(fc.tuple(instant, fc.integer({ min: 0, max: 20 * DAY })).map(([s, len]) => [s, s + len] as Pause), { maxLength: 4 });
    fc.assert(fc.property(calendarArb(ALL_ZONES), instant, target, pauses, (cal, start, t, p) => {
      fc.pre(cal !== null);
      const due = addBusinessMinutesExcluding(cal!, start, t, p);
      expect(due).toBeGreaterThanOrEqual(addBusinessMinutes(cal!, start, t));
      expect(businessMinutesBetweenExcluding(cal!, start, due, p)).toBe(t);
    }), { numRuns: 200 });
  });

  it('agrees with a minute-by-minute count on zones without DST', () => {
    // The slow, obvious definition: a minute counts if the local wall clock of that minute lies in a
    // span of its local day, or in the after-midnight part of the previous day's night span.
    const offsetOf: Record<string, number> = { UTC: 0, 'Asia/Shanghai': 8 * 60 * MIN, 'Asia/Kolkata': 330 * MIN, 'America/Panama': -5 * 60 * MIN, 'Pacific/Honolulu': -10 * 60 * MIN };
    // starts anywhere, and often within three days of a multiple of 32 UTC days (where the engine's
    // cache chunks meet: a span reaching across the seam must be counted once, on both sides)
    const seam = fc.tuple(fc.integer({ min: Math.ceil(FROM / (32 * DAY)), max: Math.floor(TO / (32 * DAY)) }), fc.integer({ min: -3 * 1440, max: 3 * 1440 }))
      .map(([k, d]) => k * 32 * 1440 + d);
    const startArb = fc.oneof(fc.integer({ min: FROM / MIN, max: TO / MIN }), seam);
    fc.assert(fc.property(calendarArb(Object.keys(offsetOf)), startArb, fc.integer({ min: 0, max: 4 * 1440 }), (cal, startMin, len) => {
      fc.pre(cal !== null);
      const c = cal!;
      const holidays = new Set(c.holidays.map((h) => h.date));
      const workdays = new Map(c.workdays.map((w) => [w.date!, w.spans!]));
      const spansOf = (day: number): Array<[number, number]> => {
        const iso = new Date(day * DAY).toISOString().slice(0, 10);
        const list = holidays.has(iso) ? [] : workdays.get(iso) ?? c.week[WEEKDAYS[(((day + 3) % 7) + 7) % 7]];
        return list.map((s) => {
          const a = s.start === '24:00' ? 1440 : +s.start.slice(0, 2) * 60 + +s.start.slice(3);
          const b0 = s.end === '24:00' ? 1440 : +s.end.slice(0, 2) * 60 + +s.end.slice(3);
          return [a, b0 > a ? b0 : b0 + 1440];
        });
      };
      let count = 0;
      for (let m = startMin; m < startMin + len; m++) {
        const local = m * MIN + offsetOf[c.timeZone];
        const day = Math.floor(local / DAY);
        const mod = Math.floor((local - day * DAY) / MIN);
        if (spansOf(day).some(([a, b]) => mod >= a && mod < b) || spansOf(day - 1).some(([, b]) => mod + 1440 < b)) count++;
      }
      expect(businessMinutesBetween(c, startMin * MIN, (startMin + len) * MIN)).toBe(count);
    }), { numRuns: 200 });
  });
});
