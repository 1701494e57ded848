// Business calendars and business-time arithmetic (issue 13). Pure: no I/O, no clock of its own;
// the same due time on every desk and on the server. See shared/SLA.md for the rules in prose.
//
// How the arithmetic stays fast: a calendar is compiled once (per calendar object) into an engine
// that caches, per local day, that day's working intervals as UTC instants (two Intl calls a day
// where no DST change is near), and per 32-day chunk of UTC time, the merged intervals with a
// running sum of business milliseconds. Adding business time or counting it between two instants is
// then a binary search inside a chunk plus a step per chunk crossed: never a loop per minute or a
// look-up per day once the chunk exists.
import { z } from 'zod';

const MIN_MS = 60_000;
const DAY_MS = 86_400_000;
const DAY_MIN = 1440;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Working hours on a local day, wall-clock `HH:MM`. `end` may be `24:00`; an `end` earlier than
 * `start` means the span crosses midnight and ends on the next day (it belongs to the day it starts). */
export interface BusinessSpan { start: string; end: string }
/** A day off: one-off (`date`, YYYY-MM-DD) or every year (`monthDay`, MM-DD). */
export interface HolidayRule { date?: string; monthDay?: string; name?: string }
/** A make-up working day (调休), e.g. a Saturday worked in exchange for a bridge day; `spans`
 * defaults to Monday's hours. One-off rules win over yearly ones for the same date. */
export interface WorkdayRule extends HolidayRule { spans?: BusinessSpan[] }
export interface BusinessCalendar {
  id: string;
  name?: string;
  /** IANA time zone the hours, holidays and make-up days are read in. */
  timeZone: string;
  week: Record<Weekday, BusinessSpan[]>;
  holidays: HolidayRule[];
  workdays: WorkdayRule[];
}

// ---------------------------------------------------------------------------------------------
// Schema: refuses bad calendars, naming the field.

const HHMM_RE = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY_RE = /^(\d{2})-(\d{2})$/;

const spanSchema = z.object({
  start: z.string().regex(HHMM_RE, 'must be a time HH:MM (00:00–23:59)'),
  end: z.string().refine((s) => s === '24:00' || HHMM_RE.test(s), 'must be a time HH:MM (00:00–24:00)'),
});

function validDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = +m[1], mo = +m[2], d = +m[3];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
function validMonthDay(s: string): boolean {
  const m = MONTH_DAY_RE.exec(s);
  return !!m && validDate(`2000-${m[1]}-${m[2]}`); // 2000 is a leap year: 02-29 is a valid yearly rule
}

const dayRuleShape = {
  date: z.string().refine(validDate, 'must be a real date YYYY-MM-DD').optional(),
  monthDay: z.string().refine(validMonthDay, 'must be a real month and day MM-DD').optional(),
  name: z.string().max(120).optional(),
};
function exactlyOneDate(r: { date?: string; monthDay?: string }, ctx: z.RefinementCtx): void {
  if ((r.date === undefined) === (r.monthDay === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['date'], message: 'give either a date (YYYY-MM-DD) or a yearly month-day (MM-DD)' });
  }
}
const holidaySchema = z.object(dayRuleShape).superRefine(exactlyOneDate);
const workdaySchema = z.object({ ...dayRuleShape, spans: z.array(spanSchema).min(1).max(12).optional() }).superRefine(exactlyOneDate);

export function isKnownTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const minutesOf = (hhmm: string): number => (hhmm === '24:00' ? DAY_MIN : +hhmm.slice(0, 2) * 60 + +hhmm.slice(3, 5));
/** [startMin, endMin) from local midnight of the span's day; endMin > 1440 when it crosses midnight. */
function spanMinutes(s: BusinessSpan): [number, number] {
  const a = minutesOf(s.start), b = minutesOf(s.end);
  return [a, b > a ? b : b + DAY_MIN];
}

export const businessCalendarSchema = z.object({
  id: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
  name: z.string().max(120).optional(),
  timeZone: z.string().refine(isKnownTimeZone, 'unknown time zone (use an IANA name such as Asia/Shanghai)'),
  week: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(spanSchema).max(12)])) as Record<Weekday, z.ZodArray<typeof spanSchema>>),
  holidays: z.array(holidaySchema).max(5000).default([]),
  workdays: z.array(workdaySchema).max(2000).default([]),
}).superRefine((cal, ctx) => {
  // Zero-length spans and overlaps within the week (a span crossing midnight included; Sunday's
  // night span wraps onto Monday).
  const placed: Array<{ a: number; b: number; path: string; label: string }> = [];
  WEEKDAYS.forEach((day, di) => cal.week[day].forEach((s, si) => {
    if (s.start === s.end) {
      ctx.addIssue({ code: 'custom', path: ['week', day, si, 'end'], message: 'a span of zero length (start equals end)' });
      return;
    }
    const [a, b] = spanMinutes(s);
    const label = `week.${day}.${si} (${s.start}–${s.end})`;
    placed.push({ a: di * DAY_MIN + a, b: di * DAY_MIN + b, path: `${day}.${si}`, label });
    if (di * DAY_MIN + b > 7 * DAY_MIN) placed.push({ a: di * DAY_MIN + a - 7 * DAY_MIN, b: di * DAY_MIN + b - 7 * DAY_MIN, path: `${day}.${si}`, label });
  }));
  placed.sort((x, y) => x.a - y.a || x.b - y.b);
  const reported = new Set<string>();
  let reach: (typeof placed)[number] | null = null; // the span reaching furthest so far
  for (const q of placed) {
    if (reach && reach.b > q.a && reach.path !== q.path && !reported.has(q.path)) {
      reported.add(q.path);
      const [day, idx] = q.path.split('.');
      ctx.addIssue({ code: 'custom', path: ['week', day, Number(idx)], message: `overlaps ${reach.label}` });
    }
    if (!reach || q.b > reach.b) reach = q;
  }
  cal.workdays.forEach((w, wi) => {
    const spans = w.spans ?? [];
    const iv = spans.map((s, si) => ({ s, si, m: s.start === s.end ? null : spanMinutes(s) }));
    for (const { s, si, m } of iv) {
      if (!m) { ctx.addIssue({ code: 'custom', path: ['workdays', wi, 'spans', si, 'end'], message: `a span of zero length (${s.start}–${s.end})` }); continue; }
      for (const o of iv) {
        if (o.si < si && o.m && o.m[1] > m[0] && m[1] > o.m[0]) {
          ctx.addIssue({ code: 'custom', path: ['workdays', wi, 'spans', si], message: `overlaps workdays.${wi}.spans.${o.si}` });
        }
      }
    }
  });
  // The same date both off and worked, at the same level (one-off or yearly), is a contradiction.
  const offDates = new Map<string, number>();
  cal.holidays.forEach((h, hi) => offDates.set(h.date ?? `*-${h.monthDay}`, hi));
  cal.workdays.forEach((w, wi) => {
    const hi = offDates.get(w.date ?? `*-${w.monthDay}`);
    if (hi !== undefined) ctx.addIssue({ code: 'custom', path: ['workdays', wi, w.date ? 'date' : 'monthDay'], message: `is also a holiday (holidays.${hi})` });
  });
  // Working time must remain in every year the rules speak of (one-off years, and a whole 28-year
  // Gregorian cycle of weekday alignments when yearly rules exist).
  const weekMinutes = WEEKDAYS.reduce((n, d) => n + cal.week[d].reduce((m, s) => m + (s.start === s.end ? 0 : spanMinutes(s)[1] - spanMinutes(s)[0]), 0), 0);
  // Make-up days are exceptions to a weekly pattern: with no weekly working time the clock would stop
  // for good after the last of them, and a due time further on would never come.
  if (weekMinutes === 0) {
    ctx.addIssue({ code: 'custom', path: ['week'], message: 'no working time on any day of the week' });
    return;
  }
  const years = new Set<number>();
  for (const r of [...cal.holidays, ...cal.workdays]) if (r.date) years.add(+r.date.slice(0, 4));
  if ([...cal.holidays, ...cal.workdays].some((r) => r.monthDay)) for (let y = 2024; y < 2052; y++) years.add(y);
  const rules = compileRules(cal as BusinessCalendar);
  for (const y of [...years].sort()) {
    if (!hasWorkInYear(rules, y)) {
      ctx.addIssue({ code: 'custom', path: ['holidays'], message: `the holidays leave no working time in ${y}` });
      break;
    }
  }
});
export type BusinessCalendarInput = z.input<typeof businessCalendarSchema>;

// ---------------------------------------------------------------------------------------------
// Shipped calendars.

const ALL_DAY: BusinessSpan[] = [{ start: '00:00', end: '24:00' }];
/** Round the clock, every day, no holidays: the clock is plain elapsed time. */
export const CALENDAR_24X7: BusinessCalendar = deepFreeze({
  id: '24x7',
  timeZone: 'UTC',
  week: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
  holidays: [],
  workdays: [],
});

/** Mainland China's main business hours. DOMAIN.md gives no hours, so the common office day:
 * 08:30–12:00 and 13:30–17:30, Monday to Friday (7.5 h). */
export const CN_BUSINESS_HOURS: BusinessSpan[] = [{ start: '08:30', end: '12:00' }, { start: '13:30', end: '17:30' }];

const off = (name: string, ...dates: string[]): HolidayRule[] => dates.map((date) => ({ date, name }));
const work = (name: string, ...dates: string[]): WorkdayRule[] => dates.map((date) => ({ date, name, spans: CN_BUSINESS_HOURS }));
const range = (from: string, days: number): string[] => Array.from({ length: days }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * DAY_MS).toISOString().slice(0, 10));

/**
 * The default mainland-China calendar (Asia/Shanghai). Holidays and make-up working days (调休):
 * - 2025: 国办发明电〔2024〕12号 (gov.cn, 2024-11-12) — as published.
 * - 2026: the State Council's notice of November 2025 (gov.cn content_7047091) — as published.
 * - 2027: NOT YET VERIFIED. The 2027 arrangement was not available to us when this was written;
 *   listed are only the statutory days off of the 2024 holiday regulation (元旦 1, 春节 4 from New
 *   Year's Eve, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3) on their 2027 dates, without the bridge days and
 *   make-up Saturdays the notice will add. An admin adds those when the notice is out. Lunar dates
 *   checked against ICU's Chinese calendar except New Year: the new moon falls at 23:56 Beijing time
 *   on 6 Feb 2027, ICU puts 正月初一 on the 7th, published almanacs on the 6th (used here: 除夕 5 Feb).
 */
export const CALENDAR_CN_DEFAULT: BusinessCalendar = deepFreeze({
  id: 'cn-default',
  timeZone: 'Asia/Shanghai',
  week: { mon: CN_BUSINESS_HOURS, tue: CN_BUSINESS_HOURS, wed: CN_BUSINESS_HOURS, thu: CN_BUSINESS_HOURS, fri: CN_BUSINESS_HOURS, sat: [], sun: [] },
  holidays: [
    // 2025 (published)
    ...off('元旦', '2025-01-01'),
    ...off('春节', ...range('2025-01-28', 8)),
    ...off('清明节', ...range('2025-04-04', 3)),
    ...off('劳动节', ...range('2025-05-01', 5)),
    ...off('端午节', ...range('2025-05-31', 3)),
    ...off('国庆节、中秋节', ...range('2025-10-01', 8)),
    // 2026 (published)
    ...off('元旦', ...range('2026-01-01', 3)),
    ...off('春节', ...range('2026-02-15', 9)),
    ...off('清明节', ...range('2026-04-04', 3)),
    ...off('劳动节', ...range('2026-05-01', 5)),
    ...off('端午节', ...range('2026-06-19', 3)),
    ...off('中秋节', ...range('2026-09-25', 3)),
    ...off('国庆节', ...range('2026-10-01', 7)),
    // 2027 (statutory days only — unverified, see above)
    ...off('元旦', '2027-01-01'),
    ...off('春节', ...range('2027-02-05', 4)),
    ...off('清明节', '2027-04-05'),
    ...off('劳动节', '2027-05-01', '2027-05-02'),
    ...off('端午节', '2027-06-09'),
    ...off('中秋节', '2027-09-15'),
    ...off('国庆节', ...range('2027-10-01', 3)),
  ],
  workdays: [
    ...work('春节调休', '2025-01-26', '2025-02-08'),
    ...work('劳动节调休', '2025-04-27'),
    ...work('国庆节调休', '2025-09-28', '2025-10-11'),
    ...work('元旦调休', '2026-01-04'),
    ...work('春节调休', '2026-02-14', '2026-02-28'),
    ...work('劳动节调休', '2026-05-09'),
    ...work('国庆节调休', '2026-09-20', '2026-10-10'),
  ],
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Civil dates without a time zone (day numbers count days since 1970-01-01).

function civil(day: number): { y: number; m: number; d: number } {
  const t = new Date(day * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
const dayOf = (y: number, m: number, d: number): number => Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
const dayOfIso = (s: string): number => dayOf(+s.slice(0, 4), +s.slice(5, 7), +s.slice(8, 10));
/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
const weekdayIndex = (day: number): number => (((day + 3) % 7) + 7) % 7;

interface DayRules {
  week: Array<Array<[number, number]>>;
  oneOff: Map<number, Array<[number, number]>>;
  yearly: Map<number, Array<[number, number]>>;
}
function compileRules(cal: BusinessCalendar): DayRules {
  const week = WEEKDAYS.map((d) => cal.week[d].filter((s) => s.start !== s.end).map(spanMinutes).sort((a, b) => a[0] - b[0]));
  const monday = week[0];
  const oneOff = new Map<number, Array<[number, number]>>();
  const yearly = new Map<number, Array<[number, number]>>();
  const put = (r: HolidayRule, spans: Array<[number, number]>): void => {
    if (r.date) oneOff.set(dayOfIso(r.date), spans);
    else if (r.monthDay) yearly.set(+r.monthDay.slice(0, 2) * 100 + +r.monthDay.slice(3, 5), spans);
  };
  for (const h of cal.holidays) put(h, []);
  for (const w of cal.workdays) put(w, w.spans ? w.spans.filter((s) => s.start !== s.end).map(spanMinutes).sort((a, b) => a[0] - b[0]) : monday);
  return { week, oneOff, yearly };
}
function spansOfDay(r: DayRules, day: number): Array<[number, number]> {
  const one = r.oneOff.get(day);
  if (one) return one;
  if (r.yearly.size) {
    const c = civil(day);
    const y = r.yearly.get(c.m * 100 + c.d);
    if (y) return y;
  }
  return r.week[weekdayIndex(day)];
}
function hasWorkInYear(r: DayRules, year: number): boolean {
  for (let d = dayOf(year, 1, 1), end = dayOf(year + 1, 1, 1); d < end; d++) if (spansOfDay(r, d).length) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Time zones through Intl: offset = local wall clock − UTC, in ms.

const formatters = new Map<string, Intl.DateTimeFormat>();
function offsetFn(tz: string): (ms: number) => number {
  if (tz === 'UTC' || tz === 'Etc/UTC') return () => 0;
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  const fmt = f;
  return (ms: number) => {
    const p = fmt.formatToParts(ms);
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    for (const x of p) {
      switch (x.type) {
        case 'year': y = +x.value; break;
        case 'month': mo = +x.value; break;
        case 'day': d = +x.value; break;
        case 'hour': h = +x.value; break;
        case 'minute': mi = +x.value; break;
        case 'second': s = +x.value; break;
      }
    }
    return Date.UTC(y, mo - 1, d, h, mi, s) - (ms - (((ms % 1000) + 1000) % 1000));
  };
}

/**
 * The first instant at which the local clock reads `wall` (ms of a wall-clock time counted as if
 * it were UTC) or later. An ambiguous time (clocks turned back) is its first occurrence; a time that
 * does not exist (clocks turned forward) is the instant the clocks jump.
 */
function wallToUtc(off: (ms: number) => number, wall: number): number {
  const oA = off(wall - DAY_MS), oB = off(wall + DAY_MS);
  if (oA === oB) return wall - oA;
  const t1 = wall - oA, t2 = wall - oB;
  const ok1 = off(t1) === oA, ok2 = off(t2) === oB;
  if (ok1 && ok2) return Math.min(t1, t2);
  if (ok1) return t1;
  if (ok2) return t2;
  // In the gap: search the jump, whole seconds (zones change offset on whole seconds).
  let lo = Math.min(t1, t2), hi = Math.max(t1, t2);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (mid + off(mid) >= wall) hi = mid; else lo = mid;
  }
  return hi;
}

// ---------------------------------------------------------------------------------------------
// The engine.

const CHUNK_DAYS = 32;
const CHUNK_MS = CHUNK_DAYS * DAY_MS;
/** Chunks without any working time in a row before arithmetic gives up (≈ 14 months). */
const MAX_EMPTY_CHUNKS = 14;

interface Chunk {
  from: number;
  starts: Float64Array;
  ends: Float64Array;
  /** Business ms before interval i within the chunk. */
  cum: Float64Array;
  total: number;
}

class Engine {
  readonly always: boolean;
  private readonly rules: DayRules;
  private readonly off: (ms: number) => number;
  private readonly days = new Map<number, number[]>();
  private readonly chunks = new Map<number, Chunk>();

  constructor(cal: BusinessCalendar) {
    this.rules = compileRules(cal);
    this.off = offsetFn(cal.timeZone);
    this.always = cal.holidays.length === 0 && cal.workdays.length === 0 &&
      this.rules.week.every((d) => d.length === 1 && d[0][0] === 0 && d[0][1] === DAY_MIN);
  }

  /** A local day's working intervals as UTC instants [s0, e0, s1, e1, …]. */
  private dayIntervals(day: number): number[] {
    let out = this.days.get(day);
    if (out) return out;
    out = [];
    const spans = spansOfDay(this.rules, day);
    if (spans.length) {
      const base = day * DAY_MS;
      // No offset change from two days before to three after (the reach of a night span): one
      // offset for the whole day; otherwise resolve each boundary on its own.
      const o1 = this.off(base - 2 * DAY_MS), o2 = this.off(base + 3 * DAY_MS);
      const toUtc = o1 === o2 ? (w: number) => w - o1 : (w: number) => wallToUtc(this.off, w);
      for (const [a, b] of spans) {
        const s = toUtc(base + a * MIN_MS), e = toUtc(base + b * MIN_MS);
        if (e > s) out.push(s, e);
      }
    }
    this.days.set(day, out);
    return out;
  }

  chunk(k: number): Chunk {
    let c = this.chunks.get(k);
    if (c) return c;
    const from = k * CHUNK_MS, to = from + CHUNK_MS;
    const raw: Array<[number, number]> = [];
    // Local days that can reach into this stretch of UTC: offsets are within ±1 day, night spans
    // end on the next day.
    for (let d = k * CHUNK_DAYS - 3; d <= (k + 1) * CHUNK_DAYS + 1; d++) {
      const iv = this.dayIntervals(d);
      for (let i = 0; i < iv.length; i += 2) {
        const s = Math.max(iv[i], from), e = Math.min(iv[i + 1], to);
        if (e > s) raw.push([s, e]);
      }
    }
    raw.sort((x, y) => x[0] - y[0]);
    const merged: Array<[number, number]> = [];
    for (const r of raw) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    const n = merged.length;
    const starts = new Float64Array(n), ends = new Float64Array(n), cum = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      starts[i] = merged[i][0]; ends[i] = merged[i][1]; cum[i] = total;
      total += merged[i][1] - merged[i][0];
    }
    c = { from, starts, ends, cum, total };
    this.chunks.set(k, c);
    return c;
  }

  /** Business ms in chunk c before instant t (t inside the chunk's stretch). */
  private before(c: Chunk, t: number): number {
    // last interval starting before t
    let lo = 0, hi = c.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c.starts[mid] < t) lo = mid + 1; else hi = mid;
    }
    const i = lo - 1;
    if (i < 0) return 0;
    return c.cum[i] + Math.min(t, c.ends[i]) - c.starts[i];
  }

  /** Earliest instant in chunk c at which x business ms of the chunk have passed (0 < x ≤ total). */
  private at(c: Chunk, x: number): number {
    let lo = 0, hi = c.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c.cum[mid] + (c.ends[mid] - c.starts[mid]) >= x) hi = mid; else lo = mid + 1;
    }
    return c.starts[lo] + (x - c.cum[lo]);
  }

  addMs(start: number, ms: number): number {
    if (ms <= 0) return start;
    if (this.always) return start + ms;
    let k = Math.floor(start / CHUNK_MS);
    let c = this.chunk(k);
    let target = this.before(c, start) + ms;
    let empty = 0;
    while (target > c.total) {
      target -= c.total;
      c = this.chunk(++k);
      if (c.total === 0 && ++empty > MAX_EMPTY_CHUNKS) throw new Error('business calendar has no working time for more than a year');
      if (c.total) empty = 0;
    }
    return this.at(c, target);
  }

  betweenMs(a: number, b: number): number {
    if (b < a) return -this.betweenMs(b, a);
    if (this.always) return b - a;
    const ka = Math.floor(a / CHUNK_MS), kb = Math.floor(b / CHUNK_MS);
    const ca = this.chunk(ka);
    if (ka === kb) return this.before(ca, b) - this.before(ca, a);
    let sum = ca.total - this.before(ca, a);
    for (let k = ka + 1; k < kb; k++) sum += this.chunk(k).total;
    return sum + this.before(this.chunk(kb), b);
  }

  isWorking(t: number): boolean {
    if (this.always) return true;
    const c = this.chunk(Math.floor(t / CHUNK_MS));
    let lo = 0, hi = c.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c.starts[mid] <= t) lo = mid + 1; else hi = mid;
    }
    return lo > 0 && t < c.ends[lo - 1];
  }
}

const engines = new WeakMap<BusinessCalendar, Engine>();
/** Calendars are treated as immutable values: the engine (and its cache) is keyed by the object. */
function engine(cal: BusinessCalendar): Engine {
  let e = engines.get(cal);
  if (!e) { e = new Engine(cal); engines.set(cal, e); }
  return e;
}

// ---------------------------------------------------------------------------------------------
// Public arithmetic. Instants are UTC epoch ms; business time is counted in minutes (exact to the
// millisecond: fractions of a minute are kept).

const toMs = (minutes: number): number => {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`business minutes must be a finite number ≥ 0 (got ${minutes})`);
  return Math.round(minutes * MIN_MS);
};

/** The earliest instant at which `minutes` of business time have passed since `startUtcMs`. A start
 * outside working time begins counting at the next working instant; 0 minutes is `startUtcMs`. */
export function addBusinessMinutes(cal: BusinessCalendar, startUtcMs: number, minutes: number): number {
  return engine(cal).addMs(startUtcMs, toMs(minutes));
}

/** Business minutes from a to b (negative when b is before a). */
export function businessMinutesBetween(cal: BusinessCalendar, aMs: number, bMs: number): number {
  return engine(cal).betweenMs(aMs, bMs) / MIN_MS;
}

/** Whether the clock of this calendar is counting at instant t. */
export function isBusinessTime(cal: BusinessCalendar, tMs: number): boolean {
  return engine(cal).isWorking(tMs);
}

/** A pause of the clock, [start, end) in UTC epoch ms. */
export type Pause = readonly [number, number];

function mergePauses(pauses: readonly Pause[]): Array<[number, number]> {
  const p = pauses.filter(([s, e]) => e > s).map(([s, e]) => [s, e] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const r of p) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

/** As addBusinessMinutes, with the clock stopped during the given pauses (pending spells). */
export function addBusinessMinutesExcluding(cal: BusinessCalendar, startUtcMs: number, minutes: number, pauses: readonly Pause[]): number {
  const e = engine(cal);
  let need = toMs(minutes);
  let cur = startUtcMs;
  for (const [ps, pe] of mergePauses(pauses)) {
    if (pe <= cur) continue;
    if (ps > cur) {
      const avail = e.betweenMs(cur, ps);
      if (avail >= need) return e.addMs(cur, need);
      need -= avail;
    }
    cur = Math.max(cur, pe);
  }
  return e.addMs(cur, need);
}

/** Business minutes from a to b (a ≤ b, else 0) with the clock stopped during the pauses. */
export function businessMinutesBetweenExcluding(cal: BusinessCalendar, aMs: number, bMs: number, pauses: readonly Pause[]): number {
  if (bMs <= aMs) return 0;
  const e = engine(cal);
  let ms = e.betweenMs(aMs, bMs);
  for (const [ps, pe] of mergePauses(pauses)) {
    const s = Math.max(ps, aMs), t = Math.min(pe, bMs);
    if (t > s) ms -= e.betweenMs(s, t);
  }
  return ms / MIN_MS;
}
