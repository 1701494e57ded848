/** Range presets of the reports screen, as local dates (YYYY-MM-DD, both ends inclusive) in the desk's zone. */
export type RangePreset = 'thisMonth' | 'lastMonth' | 'thisQuarter' | 'custom';
export const RANGE_PRESETS: RangePreset[] = ['lastMonth', 'thisMonth', 'thisQuarter', 'custom'];

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Today's local date in `timeZone`. */
export function todayIn(timeZone: string, now = new Date()): { y: number; m: number; d: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return { y: n('year'), m: n('month'), d: n('day') };
}

/** [from, to] of a preset (custom: null, the user's dates are kept). */
export function presetRange(preset: RangePreset, timeZone: string, now = new Date()): { from: string; to: string } | null {
  const { y, m } = todayIn(timeZone, now);
  if (preset === 'thisMonth') return { from: ymd(y, m, 1), to: ymd(y, m, lastDay(y, m)) };
  if (preset === 'lastMonth') {
    const py = m === 1 ? y - 1 : y;
    const pm = m === 1 ? 12 : m - 1;
    return { from: ymd(py, pm, 1), to: ymd(py, pm, lastDay(py, pm)) };
  }
  if (preset === 'thisQuarter') {
    const q0 = Math.floor((m - 1) / 3) * 3 + 1;
    return { from: ymd(y, q0, 1), to: ymd(y, q0 + 2, lastDay(y, q0 + 2)) };
  }
  return null;
}

/** The desk's time zone (the computer's). */
export function deskTimeZone(): string {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch { return 'UTC'; }
}

/** A trend grain that keeps the chart readable: days up to ~2 months, weeks up to ~half a year, then months. */
export function grainFor(from: string, to: string): 'day' | 'week' | 'month' {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  return days <= 62 ? 'day' : days <= 190 ? 'week' : 'month';
}
