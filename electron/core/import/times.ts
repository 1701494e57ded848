/**
 * Timestamps as they appear in exports. One with an offset (`2012-04-05T10:20:30+02:00`, `…Z`,
 * `+0200`) keeps its instant. One without (`2012-04-05 10:20`, `2012/4/5 10:20`, `2012年4月5日 10:20`,
 * an Excel date cell) is a wall-clock time read in the import's zone (IANA name, daylight saving
 * included). Day-first and month-first dates (`05/04/2012`) are refused unless the mapping says
 * which; `05.04.2012` is day-first.
 */
export type DateOrder = 'ymd' | 'dmy' | 'mdy';
export type ParsedTime = { ms: number; naive: boolean } | { error: string };

const YMD = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:[.,](\d{1,9}))?秒?)?分?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const XMY = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?:[T\s]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function isValidZone(zone: string): boolean {
  try { new Intl.DateTimeFormat('en-US', { timeZone: zone }); return true; } catch { return false; }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

/** The zone's offset from UTC (ms) at an instant; cached per zone and hour. */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  const hour = Math.floor(utcMs / 3_600_000);
  let byHour = offsetCache.get(zone);
  if (!byHour) { byHour = new Map(); offsetCache.set(zone, byHour); }
  const hit = byHour.get(hour);
  if (hit !== undefined) return hit;
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  const at = hour * 3_600_000;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(at))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const off = asUtc - at;
  if (byHour.size > 200_000) byHour.clear();
  byHour.set(hour, off);
  return off;
}

/** Wall-clock time in a zone → instant. A time in a DST gap or overlap gets one of the two offsets around it. */
export function zonedToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, zone: string): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  let t = wall - zoneOffsetMs(zone, wall);
  const off2 = zoneOffsetMs(zone, t);
  const t2 = wall - off2;
  if (t2 !== t && zoneOffsetMs(zone, t2) === off2) t = t2;
  return t;
}

const digit = (s: string, i: number) => { const c = s.charCodeAt(i) - 48; return c >= 0 && c <= 9 ? c : NaN; };
const num = (s: string, i: number, n: number) => { let v = 0; for (let k = 0; k < n; k++) v = v * 10 + digit(s, i + k); return v; };

/** `YYYY-MM-DD[T ]HH:mm[:ss[.fff]][Z|±HH:mm]`, the shape nearly every export uses, without a regex; undefined when not that shape. */
function fastIso(s: string, zone: string): ParsedTime | undefined {
  const n = s.length;
  if (n < 16 || s[4] !== '-' || s[7] !== '-' || (s[10] !== 'T' && s[10] !== ' ') || s[13] !== ':') return undefined;
  const y = num(s, 0, 4), mo = num(s, 5, 2), d = num(s, 8, 2), h = num(s, 11, 2), mi = num(s, 14, 2);
  let i = 16, sec = 0, ms = 0;
  if (s[i] === ':') { sec = num(s, i + 1, 2); i += 3; if (s[i] === '.') { let k = i + 1, frac = 0, scale = 1; while (k < n && digit(s, k) >= 0) { if (scale < 1000) { frac = frac * 10 + digit(s, k); scale *= 10; } k++; } if (k === i + 1) return undefined; ms = Math.round((frac / scale) * 1000); i = k; } }
  if (Number.isNaN(y + mo + d + h + mi + sec) || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59) return undefined;
  if (i === n) return { ms: zonedToUtc(y, mo, d, h, mi, sec, ms, zone), naive: true };
  let off: number;
  if (i === n - 1 && (s[i] === 'Z' || s[i] === 'z')) off = 0;
  else if (i === n - 6 && (s[i] === '+' || s[i] === '-') && s[i + 3] === ':') {
    off = (s[i] === '-' ? -1 : 1) * (num(s, i + 1, 2) * 60 + num(s, i + 4, 2));
    if (Number.isNaN(off) || Math.abs(off) > 14 * 60) return undefined;
  } else return undefined;
  return { ms: Date.UTC(y, mo - 1, d, h, mi, sec, ms) - off * 60_000, naive: false };
}

export function parseTime(raw: string, zone: string, order: DateOrder = 'ymd'): ParsedTime {
  const fast = fastIso(raw, zone);
  if (fast) return fast;
  const s = raw.trim().replace(/\s+/g, ' ');
  let y: number, mo: number, d: number, h = 0, mi = 0, sec = 0, frac = '', off: string | undefined;
  let m = YMD.exec(s);
  if (m) {
    y = +m[1]; mo = +m[2]; d = +m[3];
    if (m[4] !== undefined) { h = +m[4]; mi = +m[5]; sec = m[6] ? +m[6] : 0; frac = m[7] ?? ''; }
    off = m[8];
  } else if ((m = XMY.exec(s))) {
    const a = +m[1], b = +m[3];
    const dayFirst = m[2] === '.' || order === 'dmy';
    if (!dayFirst && order !== 'mdy') {
      if (a > 12) { d = a; mo = b; } else if (b > 12) { mo = a; d = b; } else return { error: 'ambiguous date (day and month could be swapped): use YYYY-MM-DD, or set the date order in the mapping' };
    } else if (dayFirst) { d = a; mo = b; } else { mo = a; d = b; }
    y = +m[4];
    if (m[5] !== undefined) { h = +m[5]; mi = +m[6]; sec = m[7] ? +m[7] : 0; frac = m[8] ?? ''; }
    off = m[9];
  } else {
    return { error: 'not a date' };
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return { error: 'not a date (no such day)' };
  if (h > 23 || mi > 59 || sec > 60) return { error: 'not a time of day' };
  const ms = frac ? Math.round(Number('0.' + frac) * 1000) : 0;
  if (off) {
    let offMin = 0;
    if (off.toUpperCase() !== 'Z') {
      const sign = off[0] === '-' ? -1 : 1;
      const digits = off.slice(1).replace(':', '');
      offMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
      if (Math.abs(offMin) > 14 * 60) return { error: 'not a time zone offset' };
    }
    return { ms: Date.UTC(y, mo - 1, d, h, mi, Math.min(sec, 59), ms) - offMin * 60_000, naive: false };
  }
  return { ms: zonedToUtc(y, mo, d, h, mi, Math.min(sec, 59), ms, zone), naive: true };
}

/** The desk's own zone: the configured one (meta `time_zone`), else the machine's. */
export function localZone(configured?: string | null): string {
  if (configured && isValidZone(configured)) return configured;
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const DAY = 86_400_000;
const dayCache = new Map<number, string>();
const p2 = (n: number) => (n < 10 ? '0' + n : String(n));
/** `Date#toISOString` without a Date per call: the date part is cached per day (an event log has ~10 events per incident). */
export function iso(ms: number): string {
  const day = Math.floor(ms / DAY);
  let date = dayCache.get(day);
  if (date === undefined) {
    date = new Date(day * DAY).toISOString().slice(0, 11);
    if (dayCache.size > 50_000) dayCache.clear();
    dayCache.set(day, date);
  }
  const r = ms - day * DAY;
  const msPart = r % 1000;
  const sec = Math.floor(r / 1000);
  return `${date}${p2(Math.floor(sec / 3600))}:${p2(Math.floor(sec / 60) % 60)}:${p2(sec % 60)}.${msPart < 10 ? '00' + msPart : msPart < 100 ? '0' + msPart : msPart}Z`;
}
