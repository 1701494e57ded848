// Business-time arithmetic (issue 13): the cases other tools got wrong — weekends, holidays, China's
// make-up working days (调休), DST in both directions, spans across midnight, pending across a holiday.
import { describe, expect, it } from 'vitest';
import {
  CALENDAR_24X7, CALENDAR_CN_DEFAULT as CN, addBusinessMinutes, addBusinessMinutesExcluding, businessCalendarSchema,
  businessMinutesBetween, businessMinutesBetweenExcluding, isBusinessTime, type BusinessCalendar, type BusinessSpan,
} from '../../shared/index.js';

/** Shanghai wall time → epoch ms. */
const sh = (local: string): number => Date.parse(`${local}+08:00`);
const at = (ms: number): string => new Date(ms).toISOString();
const shIso = (local: string): string => at(sh(local));

const none: BusinessSpan[] = [];
function calendar(timeZone: string, week: Partial<BusinessCalendar['week']>, extra: Partial<BusinessCalendar> = {}): BusinessCalendar {
  return businessCalendarSchema.parse({ id: 'test', timeZone, week: { mon: none, tue: none, wed: none, thu: none, fri: none, sat: none, sun: none, ...week }, ...extra });
}
const allWeek = (spans: BusinessSpan[]) => ({ mon: spans, tue: spans, wed: spans, thu: spans, fri: spans, sat: spans, sun: spans });

describe('China default calendar: 08:30–12:00 and 13:30–17:30, Mon–Fri, Asia/Shanghai', () => {
  it('is a valid calendar by its own schema', () => {
    expect(businessCalendarSchema.safeParse(CN).success).toBe(true);
    expect(businessCalendarSchema.safeParse(CALENDAR_24X7).success).toBe(true);
  });

  it('counts 7.5 hours a working day and nothing at lunch or at night', () => {
    expect(businessMinutesBetween(CN, sh('2026-03-10T00:00:00'), sh('2026-03-11T00:00:00'))).toBe(450);
    expect(businessMinutesBetween(CN, sh('2026-03-10T12:00:00'), sh('2026-03-10T13:30:00'))).toBe(0);
    expect(isBusinessTime(CN, sh('2026-03-10T12:15:00'))).toBe(false);
    expect(isBusinessTime(CN, sh('2026-03-10T08:30:00'))).toBe(true);
    expect(isBusinessTime(CN, sh('2026-03-10T17:30:00'))).toBe(false);
  });

  it('across a weekend: Friday 16:30 + 2 h is Monday 09:30', () => {
    const due = addBusinessMinutes(CN, sh('2026-03-13T16:30:00'), 120);
    expect(at(due)).toBe(shIso('2026-03-16T09:30:00'));
    expect(businessMinutesBetween(CN, sh('2026-03-13T16:30:00'), due)).toBe(120);
  });

  it('a start outside working time counts from the next working instant (Saturday → Monday 08:30)', () => {
    expect(at(addBusinessMinutes(CN, sh('2026-03-07T10:00:00'), 60))).toBe(shIso('2026-03-09T09:30:00'));
    expect(at(addBusinessMinutes(CN, sh('2026-03-09T12:10:00'), 30))).toBe(shIso('2026-03-09T14:00:00'));
  });

  it('a due time that uses up a morning exactly is 12:00, not 13:30', () => {
    expect(at(addBusinessMinutes(CN, sh('2026-03-09T08:30:00'), 210))).toBe(shIso('2026-03-09T12:00:00'));
  });

  it('across a holiday: Qingming (Sat 4 – Mon 6 April 2026) moves Friday 17:00 + 1 h to Tuesday 09:00', () => {
    expect(at(addBusinessMinutes(CN, sh('2026-04-03T17:00:00'), 60))).toBe(shIso('2026-04-07T09:00:00'));
  });

  it('across the National Day week: 30 Sep 17:00 + 4 h is 8 October 12:00', () => {
    expect(at(addBusinessMinutes(CN, sh('2026-09-30T17:00:00'), 240))).toBe(shIso('2026-10-08T12:00:00'));
    expect(businessMinutesBetween(CN, sh('2026-10-01T00:00:00'), sh('2026-10-08T00:00:00'))).toBe(0);
  });

  it('a make-up Saturday (调休, 14 Feb 2026 before the Spring Festival) is a working day', () => {
    // Friday 13 Feb 09:00 + 8 h: 7 h on Friday, the 8th hour on Saturday morning — not after the festival.
    expect(at(addBusinessMinutes(CN, sh('2026-02-13T09:00:00'), 480))).toBe(shIso('2026-02-14T09:30:00'));
    expect(businessMinutesBetween(CN, sh('2026-02-14T00:00:00'), sh('2026-02-15T00:00:00'))).toBe(450);
    // and the festival itself (15–23 Feb) is off: Saturday 17:00 + 1 h is Tuesday 24 Feb 09:00
    expect(at(addBusinessMinutes(CN, sh('2026-02-14T17:00:00'), 60))).toBe(shIso('2026-02-24T09:00:00'));
    // an ordinary Saturday is not
    expect(at(addBusinessMinutes(CN, sh('2026-03-06T17:00:00'), 60))).toBe(shIso('2026-03-09T09:00:00'));
  });

  it('a make-up Sunday after New Year (4 Jan 2026) is a working day; 1–3 Jan are off', () => {
    expect(at(addBusinessMinutes(CN, sh('2025-12-31T17:00:00'), 60))).toBe(shIso('2026-01-04T09:00:00'));
  });

  it('Asia/Shanghai keeps +08:00 while Europe changes clocks (29 March 2026)', () => {
    expect(businessMinutesBetween(CN, sh('2026-03-27T08:30:00'), sh('2026-03-30T17:30:00'))).toBe(900);
  });

  it('Asia/Shanghai in 1991, when China still had daylight saving: the 14 April day has 23 hours', () => {
    const cal = calendar('Asia/Shanghai', allWeek([{ start: '00:00', end: '24:00' }]), { holidays: [{ date: '1990-05-01' }] });
    expect(businessMinutesBetween(cal, Date.parse('1991-04-14T00:00:00+08:00'), Date.parse('1991-04-15T00:00:00+09:00'))).toBe(23 * 60);
    expect(businessMinutesBetween(cal, Date.parse('1991-09-15T00:00:00+09:00'), Date.parse('1991-09-16T00:00:00+08:00'))).toBe(25 * 60);
  });

  it('the 24×7 calendar is elapsed time', () => {
    const t = sh('2026-02-16T03:17:00');
    expect(addBusinessMinutes(CALENDAR_24X7, t, 61)).toBe(t + 61 * 60_000);
    expect(businessMinutesBetween(CALENDAR_24X7, t, t + 90 * 60_000)).toBe(90);
  });
});

describe('daylight saving in Europe/Berlin (clocks forward 29 Mar 2026, back 25 Oct 2026)', () => {
  const office = calendar('Europe/Berlin', { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }] });
  it('office hours keep their wall-clock times on both sides of the change', () => {
    // Friday 16:00 CET + 2 h = Monday 10:00 CEST (08:00 UTC, not 09:00)
    expect(at(addBusinessMinutes(office, Date.parse('2026-03-27T16:00:00+01:00'), 120))).toBe('2026-03-30T08:00:00.000Z');
    // Friday 16:00 CEST + 2 h = Monday 10:00 CET (09:00 UTC)
    expect(at(addBusinessMinutes(office, Date.parse('2026-10-23T16:00:00+02:00'), 120))).toBe('2026-10-26T09:00:00.000Z');
  });

  it('a round-the-clock Berlin day has 23 hours in spring and 25 in autumn (real minutes, not wall minutes)', () => {
    const cal = calendar('Europe/Berlin', allWeek([{ start: '00:00', end: '24:00' }]), { holidays: [{ date: '2025-12-25' }] });
    expect(businessMinutesBetween(cal, Date.parse('2026-03-29T00:00:00+01:00'), Date.parse('2026-03-30T00:00:00+02:00'))).toBe(1380);
    expect(businessMinutesBetween(cal, Date.parse('2026-10-25T00:00:00+02:00'), Date.parse('2026-10-26T00:00:00+01:00'))).toBe(1500);
  });

  it('a night shift across midnight (22:00–06:00) lasts 7 real hours in spring and 9 in autumn', () => {
    const night = calendar('Europe/Berlin', { sat: [{ start: '22:00', end: '06:00' }] });
    expect(businessMinutesBetween(night, Date.parse('2026-03-28T12:00:00Z'), Date.parse('2026-03-29T12:00:00Z'))).toBe(7 * 60);
    expect(businessMinutesBetween(night, Date.parse('2026-10-24T12:00:00Z'), Date.parse('2026-10-25T12:00:00Z'))).toBe(9 * 60);
    // Saturday 22:00 CET + 7 h = the shift's end, Sunday 06:00 CEST
    expect(at(addBusinessMinutes(night, Date.parse('2026-03-28T22:00:00+01:00'), 420))).toBe('2026-03-29T04:00:00.000Z');
  });

  it('a span starting in the skipped hour starts when the clocks jump; one in the repeated hour at its first occurrence', () => {
    const early = calendar('Europe/Berlin', { sun: [{ start: '02:30', end: '04:00' }] });
    expect(businessMinutesBetween(early, Date.parse('2026-03-28T00:00:00Z'), Date.parse('2026-03-30T00:00:00Z'))).toBe(60);
    expect(at(addBusinessMinutes(early, Date.parse('2026-03-28T00:00:00Z'), 1))).toBe('2026-03-29T01:01:00.000Z');
    expect(businessMinutesBetween(early, Date.parse('2026-10-24T00:00:00Z'), Date.parse('2026-10-26T00:00:00Z'))).toBe(150);
  });
});

describe('spans crossing midnight', () => {
  const night = calendar('Asia/Shanghai', { mon: [{ start: '22:00', end: '06:00' }], tue: [{ start: '22:00', end: '06:00' }], wed: [{ start: '22:00', end: '06:00' }], thu: [{ start: '22:00', end: '06:00' }], fri: [{ start: '22:00', end: '06:00' }] },
    { holidays: [{ date: '2026-03-13', name: 'Friday off' }] });
  it('a span belongs to the day it starts: Friday night runs into Saturday morning', () => {
    expect(businessMinutesBetween(night, sh('2026-03-07T00:00:00'), sh('2026-03-07T12:00:00'))).toBe(360); // Sat 00:00–06:00
    expect(at(addBusinessMinutes(night, sh('2026-03-06T23:00:00'), 6 * 60))).toBe(shIso('2026-03-07T05:00:00'));
    // Sunday has no span of its own, and Saturday's morning was Friday's: Sat 06:00 + 1 h → Mon 23:00
    expect(at(addBusinessMinutes(night, sh('2026-03-07T06:00:00'), 60))).toBe(shIso('2026-03-09T23:00:00'));
  });
  it('a holiday removes the whole night span that starts on it, the part after midnight too', () => {
    expect(businessMinutesBetween(night, sh('2026-03-13T12:00:00'), sh('2026-03-14T12:00:00'))).toBe(0);
    expect(businessMinutesBetween(night, sh('2026-03-12T12:00:00'), sh('2026-03-13T12:00:00'))).toBe(480);
  });
  it('Sunday night into Monday joins Monday without counting twice', () => {
    const cal = calendar('UTC', { sun: [{ start: '20:00', end: '08:00' }], mon: [{ start: '08:00', end: '12:00' }] });
    expect(businessMinutesBetween(cal, Date.parse('2026-03-08T00:00:00Z'), Date.parse('2026-03-10T00:00:00Z'))).toBe(16 * 60);
  });
});

describe('pending spells pause the clock', () => {
  it('a pending spell across the National Day holiday takes out only the working time inside it', () => {
    const start = sh('2026-09-29T09:00:00');
    // 29 Sep: 420 min; 30 Sep 08:30–10:00: 90 min; pending from 30 Sep 10:00 to Fri 9 Oct 10:00 (holiday
    // and the working Thursday 8 Oct inside it); then Fri 9 Oct 10:00–17:30: 360, the make-up Saturday 10 Oct:
    // 450, Monday 12 Oct 08:30–10:30: 120 → 1,440 min = 24 business hours.
    const pause = [[sh('2026-09-30T10:00:00'), sh('2026-10-09T10:00:00')] as const];
    const due = addBusinessMinutesExcluding(CN, start, 24 * 60, pause);
    expect(at(due)).toBe(shIso('2026-10-12T10:30:00'));
    expect(businessMinutesBetweenExcluding(CN, start, due, pause)).toBe(1440);
    expect(at(addBusinessMinutes(CN, start, 24 * 60))).toBe(shIso('2026-10-09T10:30:00')); // without the pause
  });
  it('a pause wholly inside the holiday changes nothing; overlapping pauses count once', () => {
    const start = sh('2026-09-30T09:00:00');
    const plain = addBusinessMinutes(CN, start, 600);
    expect(addBusinessMinutesExcluding(CN, start, 600, [[sh('2026-10-02T09:00:00'), sh('2026-10-05T09:00:00')]])).toBe(plain);
    const twice = addBusinessMinutesExcluding(CN, start, 600, [[sh('2026-09-30T10:00:00'), sh('2026-09-30T11:00:00')], [sh('2026-09-30T10:30:00'), sh('2026-09-30T11:00:00')]]);
    expect(businessMinutesBetween(CN, start, twice)).toBe(660);
  });
});

describe('misuse', () => {
  it('refuses negative or non-finite business minutes', () => {
    expect(() => addBusinessMinutes(CN, 0, -1)).toThrow(/business minutes/);
    expect(() => addBusinessMinutes(CN, 0, Number.NaN)).toThrow(/business minutes/);
  });
  it('gives up, saying why, on a calendar without working time for over a year (not an endless loop)', () => {
    const cal: BusinessCalendar = { id: 'x', timeZone: 'UTC', week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, holidays: [], workdays: [{ date: '2020-01-06' }] };
    expect(() => addBusinessMinutes(cal, Date.parse('2026-01-01T00:00:00Z'), 10)).toThrow(/no working time/);
  });
});

describe('the shipped China calendar holds the State Council’s 2026 arrangement as published', () => {
  it('33 days off and 6 make-up working days, date for date', () => {
    const off = CN.holidays.filter((h) => h.date?.startsWith('2026')).map((h) => h.date);
    const worked = CN.workdays.filter((w) => w.date?.startsWith('2026')).map((w) => w.date);
    const days = (from: string, n: number) => Array.from({ length: n }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
    expect(off).toEqual([
      ...days('2026-01-01', 3), ...days('2026-02-15', 9), ...days('2026-04-04', 3), ...days('2026-05-01', 5),
      ...days('2026-06-19', 3), ...days('2026-09-25', 3), ...days('2026-10-01', 7),
    ]);
    expect(worked).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    // working days: 261 weekdays − 19 of the days off that fall on a weekday + 6 make-up days
    const workingDays = Array.from({ length: 365 }, (_, i) => sh('2026-01-01T00:00:00') + i * 86_400_000)
      .filter((d) => businessMinutesBetween(CN, d, d + 86_400_000) > 0).length;
    expect(workingDays).toBe(248);
  });
});
