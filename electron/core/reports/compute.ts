import type { DeskStore } from '../store/desk-store.js';
import {
  AGE_BANDS, quantile, rate, type AgeBand, type Attainment, type Bucket, type PersonRow, type Report, type ReportQueryParsed, type Stat, type TrendPoint,
} from '../../../shared/reports.js';
import { PRIORITIES } from '../../../shared/enums.js';
import { addDays, localDateOf, localDayStartUtc, reportScope, type ReportScope } from './scope.js';
import { LONG_OPEN } from '../db/migrations/024_long_open_index.js';

/**
 * The desk's computation of a team lead's report (issue 11). Every figure's definition is written in
 * REPORTS.md beside this file. Read-only: plain SELECTs over typed columns — the incidents with their
 * per-incident fact columns (migration 009, kept by triggers from the history's typed columns of
 * migration 008; a resolution event and every other fact are defined there) — read once, row by row,
 * and aggregated in JavaScript in that one pass (no GROUP BY per breakdown; medians and P90 from one
 * typed array per priority and clock, sorted once).
 * Keys and codes only; labels only for free text.
 */

const OPEN = "('new','assigned','in_progress','pending','reopened','returned')";
const TIER_RANK = `CASE %s WHEN 'L1' THEN 1 WHEN 'L2' THEN 2 WHEN 'L3' THEN 3 WHEN 'vendor' THEN 4 ELSE 0 END`;
const rank = (col: string) => TIER_RANK.replace('%s', col);
export const TIER_OF_RANK = ['', 'L1', 'L2', 'L3', 'vendor'];
const MAX_BREACHED = 500;
const MAX_LIST = 10;
const MAX_COMMENTS = 200;

/** One row per incident of the scope: its columns and what its history says (SQL over history's fact columns). */
export interface IncidentFacts {
  id: string; priority: string; status: string; created_by: string; owner_id: string;
  assignee_id: string | null; group_name: string | null; satisfaction: number | null; response_due_at: string;
  resp_target: number; res_target: number; resp_min: number | null; res_min: number | null; final_min: number | null;
  age_min: number; paused_now: number; first_resolver: string | null; reopens: number; returns: number; highest: number;
  assignments: number; assigned_other: number; auto_esc: number; to_l3: number; to_vendor: number; group_dispatched: number; to_mgmt: number;
}

/** The per-incident facts of a scope; `now` is the report's generation time (running clocks). */
export function incidentFacts(store: DeskStore, scope: ReportScope, now: string): IncidentFacts[] {
  return store.db.prepare(factsSql(scope)).all(now, now, ...scope.params) as IncidentFacts[];
}

/**
 * The per-incident facts as a SELECT list over `incidents i`: its columns and what its history says,
 * read from the fact columns the history triggers keep (migration 009) and the clocks' minutes (migration
 * 022); no history row is read. Two parameters: now, now (clocks still running).
 */
const FACTS_COLUMNS = `i.id, i.priority, i.status, i.created_by, i.owner_id, i.assignee_id, i.group_name, i.satisfaction, i.response_due_at,
  i.fact_resp_target AS resp_target, i.fact_res_target AS res_target, i.fact_resp_min AS resp_min, i.fact_res_min AS res_min, i.fact_final_min AS final_min,
  1440 * (julianday(?) - julianday(i.reported_at)) AS age_min,
  i.paused_ms / 60000.0 + CASE WHEN i.pending_since IS NOT NULL THEN 1440 * (julianday(?) - julianday(i.pending_since)) ELSE 0 END AS paused_now,
  i.fact_first_resolver AS first_resolver, i.fact_reopens AS reopens, i.fact_returns AS returns,
  CASE WHEN i.fact_tier_rows = 0 THEN ${rank('i.tier')} ELSE i.fact_max_tier END AS highest,
  i.fact_assignments AS assignments, i.fact_assigned_other AS assigned_other, i.fact_auto_esc AS auto_esc,
  i.fact_to_l3 AS to_l3, i.fact_to_vendor AS to_vendor, 0 AS group_dispatched, (i.mgmt_escalated_at IS NOT NULL) AS to_mgmt`;

/** The per-incident facts of a scope; parameters: now, now, then the scope's. */
const factsSql = (scope: ReportScope) => `SELECT ${FACTS_COLUMNS} FROM incidents i WHERE ${scope.where}`;

/**
 * The columns of the one pass (see `computeReport`), in this order, over `incidents i` of the period
 * (all origins; the flags say whether the origins filter takes it). Each value crossing from SQLite to
 * JavaScript costs, so: the keys the sums and the volume counts are kept by come as one text each
 * (priority, person, group; channel, category, service type, impact, department — joined by U+001F,
 * null as U+0001), the yes/no facts as bits of one integer (`F`), the clocks' minutes from their columns
 * (migration 022), the age and paused time only where a clock still runs (the rest never reads them),
 * and what few rows need (comments, back-fill) only on those rows. Parameters: now, now, then the
 * scope's filterParams.
 */
const C = {
  rowid: 0, kKey: 1, vKey: 2, flags: 3, reopens: 4, reassign: 5, sat: 6, reported: 7, system: 8, reqKey: 9, reqName: 10, bfBy: 11, bfDelay: 12,
  comment: 13, respTarget: 14, resTarget: 15, respMin: 16, resMin: 17, finalMin: 18, ageMin: 19, pausedNow: 20, dispatchGroups: 21, returnedGroups: 22,
} as const;
const F = { inO: 1, imp: 2, major: 4, closed: 8, done: 16, fcrShape: 64, returned: 128, auto: 256, l3: 512, vendor: 1024, mgmt: 2048 } as const;
const HIGHEST_SHIFT = 12;
const SEP = '\u001f';
const NUL = '\u0001';
const joined = (...cols: string[]) => cols.map((c) => `coalesce(${c}, char(1))`).join(' || char(31) || ');
const passSql = (scope: ReportScope) => `SELECT i.rowid,
  ${joined('i.priority', 'coalesce(i.assignee_id, i.owner_id)', "coalesce(i.group_name, '')")},
  ${joined('i.channel', 'i.category_id', 'i.service_type', 'i.impact_scope', 'i.requester_dept')},
  ${scope.originWhere} + 2 * (i.origin = 'import') + 4 * (i.major_reasons <> '[]') + 8 * (i.status = 'closed') + 16 * (i.status IN ('resolved', 'closed'))
    + 64 * (coalesce(i.fact_first_resolver = i.created_by, 0) AND i.fact_assigned_other = 0)
    + 128 * (i.fact_returns > 0) + 256 * (i.fact_auto_esc <> 0) + 512 * (i.fact_to_l3 <> 0) + 1024 * (i.fact_to_vendor <> 0) + 2048 * (i.mgmt_escalated_at IS NOT NULL)
    + ${1 << HIGHEST_SHIFT} * CASE WHEN i.fact_tier_rows = 0 THEN ${rank('i.tier')} ELSE i.fact_max_tier END,
  i.fact_reopens, max(i.fact_assignments - 1, 0), i.satisfaction, i.reported_at,
  CASE WHEN coalesce(trim(i.affected_name), '') <> '' THEN i.affected_name END,
  coalesce(i.requester_id, i.requester_name), CASE WHEN i.requester_id IS NOT NULL THEN i.requester_name END,
  CASE WHEN i.backfilled = 1 THEN i.created_by END, CASE WHEN i.backfilled = 1 THEN 1440 * (julianday(i.recorded_at) - julianday(i.reported_at)) END,
  CASE WHEN i.satisfaction IS NOT NULL AND coalesce(trim(i.satisfaction_comment), '') <> '' THEN i.satisfaction_comment END,
  i.fact_resp_target, i.fact_res_target, i.fact_resp_min, i.fact_res_min, i.fact_final_min,
  CASE WHEN i.fact_resp_min IS NULL OR i.fact_res_min IS NULL THEN 1440 * (julianday(?) - julianday(i.reported_at)) END,
  CASE WHEN i.fact_res_min IS NULL THEN i.paused_ms / 60000.0 + CASE WHEN i.pending_since IS NOT NULL THEN 1440 * (julianday(?) - julianday(i.pending_since)) ELSE 0 END END,
  i.fact_dispatch_groups, i.fact_returned_groups
  FROM incidents i WHERE ${scope.filterWhere}`;
const unNul = (k: string): string | null => (k === NUL ? null : k);

/** Sums over incidents, by priority, by credited person and by group (see REPORTS.md, "People and groups"). */
interface Sums {
  n: number; resolved: number; fcr: number; respMet: number; respBr: number; resMet: number; resBr: number; reopened: number; reopens: number;
  dispatched: number; returned: number; reassign: number; auto: number; l3: number; vendor: number; mgmt: number; esc: number; sumResp: number; nResp: number;
  sumRes: number; nRes: number; sumFin: number; nFin: number; sat: number; rated: number; t1: number; t2: number; t3: number; t4: number;
}
const newSums = (): Sums => ({ n: 0, resolved: 0, fcr: 0, respMet: 0, respBr: 0, resMet: 0, resBr: 0, reopened: 0, reopens: 0, dispatched: 0, returned: 0,
  reassign: 0, auto: 0, l3: 0, vendor: 0, mgmt: 0, esc: 0, sumResp: 0, nResp: 0, sumRes: 0, nRes: 0, sumFin: 0, nFin: 0, sat: 0, rated: 0, t1: 0, t2: 0, t3: 0, t4: 0 });

/** A growable list of numbers in a typed array (the medians' values: no boxed numbers, one native sort). */
class Floats {
  a = new Float64Array(256); n = 0;
  push(v: number) { if (this.n === this.a.length) { const b = new Float64Array(this.a.length * 2); b.set(this.a); this.a = b; } this.a[this.n++] = v; }
  /** The values (a copy, as long as they are). */
  values() { return this.a.slice(0, this.n); }
}
/** Nearest-rank median and P90 of sorted values. */
const q50 = (v: Float64Array) => v[Math.floor((v.length + 1) / 2) - 1];
const q90 = (v: Float64Array) => v[Math.floor((9 * v.length + 9) / 10) - 1];

/** Counts by key, largest first, ties in SQLite's BINARY order of the key (null first), as `ORDER BY count DESC, key`. */
function countsOf(m: Map<string | null, number>) {
  return [...m].map(([key, count]) => ({ key, count })).sort((x, y) => y.count - x.count || binaryCompare(x.key, y.key));
}

/** Whether each clock of an incident met, breached or is still running within its time (null). */
export function clocks(f: IncidentFacts) {
  const response = f.resp_min !== null ? (f.resp_min <= f.resp_target + 1e-9 ? 'met' : 'breached')
    : f.age_min > f.resp_target ? 'breached' : null;
  const responseOver = f.resp_min !== null ? f.resp_min - f.resp_target : f.age_min - f.resp_target;
  const net = f.age_min - f.paused_now;
  const resolution = f.res_min !== null ? (f.res_min <= f.res_target + 1e-9 ? 'met' : 'breached')
    : net > f.res_target ? 'breached' : null;
  const resolutionOver = f.res_min !== null ? f.res_min - f.res_target : net - f.res_target;
  return { response, responseOver, resolution, resolutionOver } as const;
}

/** First-contact resolution: see REPORTS.md. */
export const isFcr = (f: IncidentFacts) =>
  f.res_min !== null && f.first_resolver === f.created_by && f.highest <= 1 && f.assigned_other === 0;

function stat(values: number[]): Stat {
  if (!values.length) return { count: 0, meanMin: null, medianMin: null, p90Min: null };
  const s = Float64Array.from(values).sort();
  const arr = Array.from(s);
  let sum = 0; for (const v of arr) sum += v;
  return { count: arr.length, meanMin: round(sum / arr.length), medianMin: round(quantile(arr, 0.5)!), p90Min: round(quantile(arr, 0.9)!) };
}
const round = (v: number) => Math.round(v * 100) / 100;
const att = (met: number, breached: number): Attainment => ({ met, breached, rate: rate(met, met + breached) });

/**
 * The scope of the query for incidents reported before `t` (any earlier period): the reported-time
 * bound is written `+i.reported_at` so SQLite drives from another index (open work, resolutions,
 * history events) instead of reading every incident ever reported through the reported_at index.
 */
const REPORTED_BEFORE = '+i.reported_at < ?';
function reportedBefore(scope: ReportScope, t: string): ReportScope {
  const head = 'i.reported_at >= ? AND i.reported_at < ?';
  if (!scope.where.startsWith(head)) throw new Error('reportScope: unexpected shape');
  return { ...scope, where: `${REPORTED_BEFORE}${scope.where.slice(head.length)}`, params: [t, ...scope.params.slice(2)] };
}

/**
 * The incidents (of the filters, any reported time before T) open at instant T, by the history's
 * status at T, as a subquery with columns id, number, title, reported_at, and its parameters.
 */
function openAtSql(scope: ReportScope, t: string): { sql: string; params: unknown[] } {
  const s = reportedBefore(scope, t);
  const filters = s.where.slice(REPORTED_BEFORE.length); // '' or ' AND …', parameters: s.params after the first
  const fp = s.params.slice(1);
  const recent = new Date(Date.parse(t) - 31 * 86_400_000).toISOString();
  const status = `(SELECT h.status_to FROM history h WHERE h.incident_id = i.id AND h.status_to IS NOT NULL AND h.at < ?
      ORDER BY h.at DESC, h.rowid DESC LIMIT 1)`;
  // candidates: open now (the queue's partial index); or resolved/closed after T and reported before it:
  // reported in the 31 days before T (reported_at index), or earlier, hence open more than 30 days
  // (migration 024's partial index; its condition stated as it is there)
  return {
    sql: `SELECT id, number, title, reported_at FROM (
      SELECT i.id, i.number, i.title, i.reported_at, ${status} AS st FROM incidents i
        WHERE i.status IN ${OPEN} AND ${s.where}
      UNION ALL
      SELECT i.id, i.number, i.title, i.reported_at, ${status} AS st FROM incidents i
        WHERE i.reported_at >= ? AND i.reported_at < ? AND +i.resolved_at >= ? AND +i.status IN ('resolved', 'closed')${filters}
      UNION ALL
      SELECT i.id, i.number, i.title, i.reported_at, ${status} AS st FROM incidents i
        WHERE i.resolved_at >= ? AND ${LONG_OPEN('i')} AND +i.reported_at < ? AND +i.status IN ('resolved', 'closed')${filters})
    WHERE st IS NULL OR st IN ${OPEN}`,
    params: [t, ...s.params, t, recent, t, t, ...fp, t, t, recent, ...fp],
  };
}

/** Incidents (of the filters, any reported time before T) open at instant T, oldest first (the drill's list). */
export function openAt(store: DeskStore, scope: ReportScope, t: string) {
  const q = openAtSql(scope, t);
  return store.db.prepare(`SELECT id, number, title, reported_at AS reportedAt FROM (${q.sql}) ORDER BY reported_at, id`)
    .all(...q.params) as Array<{ id: string; number: string; title: string; reportedAt: string }>;
}

/** How many incidents (of the filters) were open at T. */
function openCount(store: DeskStore, scope: ReportScope, t: string): number {
  const q = openAtSql(scope, t);
  return store.db.prepare(`SELECT count(*) FROM (${q.sql})`).pluck().get(...q.params) as number;
}

/** What a report shows of the incidents open at T: how many, by age band at T, and the oldest (not a list of them all: a store may hold a million). */
export interface OpenSummary { count: number; byAgeBand: Record<AgeBand, number>; oldest: Array<{ id: string; number: string; title: string; reportedAt: string }> }
export function openSummary(store: DeskStore, scope: ReportScope, t: string): OpenSummary {
  const q = openAtSql(scope, t);
  const tMs = Date.parse(t);
  const byAgeBand = Object.fromEntries(AGE_BANDS.map((b) => [b, 0])) as Record<AgeBand, number>;
  // one read of the candidates: the age bands, and the MAX_LIST oldest by (reported_at, id) kept as it goes
  let count = 0;
  const first: Array<[string, string]> = [];
  const before = (a: [string, string], b: [string, string]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  for (const row of store.db.prepare(`SELECT reported_at, id FROM (${q.sql})`).raw(true).iterate(...q.params) as IterableIterator<[string, string]>) {
    count++; byAgeBand[ageBand((tMs - Date.parse(row[0])) / 60000)]++;
    if (first.length === MAX_LIST && !before(row, first[MAX_LIST - 1])) continue;
    let k = first.length; while (k > 0 && before(row, first[k - 1])) k--;
    first.splice(k, 0, row); first.length = Math.min(first.length, MAX_LIST);
  }
  const info = new Map((first.length ? store.db.prepare(`SELECT id, number, title FROM incidents WHERE id IN (${first.map(() => '?').join(', ')})`)
    .raw(true).all(...first.map((f) => f[1])) as Array<[string, string, string]> : []).map((x) => [x[0], x]));
  const oldest = first.map(([reportedAt, id]) => ({ id, number: info.get(id)![1], title: info.get(id)![2], reportedAt }));
  return { count, byAgeBand, oldest };
}

/** A 15-minute UTC slot key of an ISO column, so local buckets can be assigned in any zone (offsets are whole quarters). */
const slot = (col: string) => `substr(${col}, 1, 14) || printf('%02d', (CAST(substr(${col}, 15, 2) AS INTEGER) / 15) * 15)`;

function trendPeriods(q: ReportQueryParsed): Array<{ period: string; startUtc: number; endUtc: number }> {
  const out: Array<{ period: string; startUtc: number; endUtc: number }> = [];
  const endDate = addDays(q.to, 1);
  let d = q.from;
  while (d < endDate) {
    let next: string;
    if (q.grain === 'day') next = addDays(d, 1);
    else if (q.grain === 'week') {
      const dow = (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
      next = addDays(d, 7 - dow);
    } else {
      const [y, m] = d.split('-').map(Number);
      next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
    }
    if (next > endDate) next = endDate;
    out.push({ period: d, startUtc: localDayStartUtc(d, q.timeZone), endUtc: localDayStartUtc(next, q.timeZone) });
    d = next;
  }
  return out;
}

/** The trend period a 15-minute slot (`slot`) falls in, or -1. */
function periodOfSlot(periods: Array<{ startUtc: number; endUtc: number }>, s: string): number {
  const ms = Date.parse(`${s}:00Z`);
  let lo = 0, hi = periods.length - 1;
  while (lo <= hi) { const mid = (lo + hi) >> 1; if (ms < periods[mid].startUtc) hi = mid - 1; else if (ms >= periods[mid].endUtc) lo = mid + 1; else return mid; }
  return -1;
}

/** Two ascending arrays as one ascending array. */
function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/** SQLite's BINARY order of text (UTF-8 bytes, i.e. code points); null first, as ORDER BY key does. */
function binaryCompare(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a.codePointAt(i)!; const y = b.codePointAt(j)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1; j += y > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/**
 * What one pass over (a slice of) the period's incidents adds up: plain data, so slices computed on
 * several threads can be merged (`mergeParts`) into what one pass over the whole period would give.
 * Slices are ranges of reported time, passed in reported order: concatenated in that order, every
 * list is the one pass's list.
 */
export interface ReportPart {
  combos: Map<string, Sums>;
  times: Map<string, [Float64Array, Float64Array, Float64Array]>;
  volCombos: Map<string, number>;
  sys: Map<string | null, number>;
  req: Map<string | null, { count: number; label: string | null }>;
  closedN: number; majorN: number; ratedN: number; ofN: number; imported: number;
  dist: number[]; createdBy: number[];
  brRow: number[][]; brPrio: string[][]; brOver: number[][];
  delays: Array<{ k: string; d: number }>;
  commentRows: Array<{ rowid: number; reported: string; rating: number; comment: string }>;
  /** Returned to first line by receiving group, over this slice's dispatched or returned incidents (additive: slices hold distinct incidents). */
  retRows: Array<{ key: string; dispatched: number; returned: number }>;
  /** The trend's resolutions and open-work flow by trend period, for events in this slice's time (the first slice: also every irregular trail's). */
  flowResolved: number[]; flowDelta: number[];
  /** The first slice: the open incidents at the period's start (count); the last: those open at its end. */
  openStart: number | null;
  openEnd: OpenSummary | null;
}

/** A slice of a period: its reported (and event) time, and whether it is the period's first or last. */
export interface ReportSlice { fromUtc: string; toUtc: string; first: boolean; last: boolean }

/**
 * The one pass (see `passSql`) over the incidents of the query reported in [slice.fromUtc, slice.toUtc)
 * (default: the whole period), at the report's time `now` (ISO).
 */
export function reportPart(store: DeskStore, query: ReportQueryParsed, now: string, slice?: ReportSlice): ReportPart {
  const db = store.db;
  const scope = reportScope(store, query);
  const params = [...scope.filterParams];
  const sFrom = slice && slice.fromUtc > scope.fromUtc ? slice.fromUtc : scope.fromUtc;
  const sTo = slice && slice.toUtc < scope.toUtc ? slice.toUtc : scope.toUtc;
  params[0] = sFrom; params[1] = sTo;
  const periods = trendPeriods(query);
  const starts = periods.map((p) => new Date(p.startUtc).toISOString());
  const ends = periods.map((p) => new Date(p.endUtc).toISOString());

  // ---- ONE pass over the period's incidents, read once through the reported_at index: every
  // figure below that is about the incidents of the period is added up here, row by row, by
  // priority × person × group (one sums object each: split up by each after the pass)
  const times = new Map<string, [Floats, Floats, Floats]>(); // by priority: to respond, to resolve, to final resolution
  const combos = new Map<string, { s: Sums; prio: string; times: [Floats, Floats, Floats] }>();
  const volCombos = new Map<string, number>();
  const vol = { sys: new Map<string | null, number>() };
  const bump = (m: Map<string | null, number>, k: string | null, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
  const req = new Map<string | null, { count: number; label: string | null }>();
  let closedN = 0, majorN = 0, ratedN = 0, ofN = 0, imported = 0;
  const dist = [0, 0, 0, 0, 0, 0];
  const createdBy = new Array<number>(periods.length).fill(0);
  let lastP = 0;
  // breached clocks (0 = response, 1 = resolution): rowid, priority, minutes over
  const brRow: number[][] = [[], []]; const brPrio: string[][] = [[], []]; const brOver: number[][] = [[], []];
  const delays: Array<{ k: string; d: number }> = [];
  const commentRows: Array<{ rowid: number; reported: string; rating: number; comment: string }> = [];
  const ret = new Map<string, { key: string; dispatched: number; returned: number }>(); // returned to first line, by group
  const retOf = (g: string) => { let x = ret.get(g); if (!x) ret.set(g, x = { key: g, dispatched: 0, returned: 0 }); return x; };

  const it = db.prepare(passSql(scope)).raw(true).iterate(now, now, ...params) as IterableIterator<unknown[]>;
  for (const r of it) {
    const flags = r[C.flags] as number;
    if (flags & F.imp) imported++;
    if (!(flags & F.inO)) continue;
    const kKey = r[C.kKey] as string;
    let combo = combos.get(kKey);
    if (!combo) {
      const prio = unNul(kKey.slice(0, kKey.indexOf(SEP))) ?? '';
      let tl = times.get(prio);
      if (!tl) times.set(prio, tl = [new Floats(), new Floats(), new Floats()]);
      combos.set(kKey, combo = { s: newSums(), prio, times: tl });
    }
    const s = combo.s, prio = combo.prio, tl = combo.times;
    const respMin = r[C.respMin] as number | null, resMin = r[C.resMin] as number | null, finalMin = r[C.finalMin] as number | null;
    const respTarget = r[C.respTarget] as number, resTarget = r[C.resTarget] as number, ageMin = r[C.ageMin] as number;
    const highest = flags >> HIGHEST_SHIFT, reopens = r[C.reopens] as number;
    const sat = r[C.sat] as number | null;
    // the clocks: 1 met, 2 breached, 0 running within its time
    let respState = 0, resState = 0;
    if (respMin !== null) respState = respMin <= respTarget + 1e-9 ? 1 : 2; else if (ageMin > respTarget) respState = 2;
    const net = ageMin - (r[C.pausedNow] as number);
    if (resMin !== null) resState = resMin <= resTarget + 1e-9 ? 1 : 2; else if (net > resTarget) resState = 2;
    s.n++;
    if (resMin !== null) {
      s.resolved++; s.sumRes += resMin; s.nRes++; tl[1].push(resMin);
      if ((flags & F.fcrShape) && highest <= 1) s.fcr++;
      if (reopens > 0) { s.reopened++; s.reopens += reopens; }
    }
    if (respState === 1) s.respMet++; else if (respState === 2) s.respBr++;
    if (resState === 1) s.resMet++; else if (resState === 2) s.resBr++;
    if (highest >= 2) { s.dispatched++; if (flags & F.returned) s.returned++; }
    s.reassign += r[C.reassign] as number;
    if (flags & (F.auto | F.l3 | F.vendor | F.mgmt)) { if (flags & F.auto) s.auto++; if (flags & F.l3) s.l3++; if (flags & F.vendor) s.vendor++; if (flags & F.mgmt) s.mgmt++; s.esc++; }
    if (respMin !== null) { s.sumResp += respMin; s.nResp++; tl[0].push(respMin); }
    if (finalMin !== null) { s.sumFin += finalMin; s.nFin++; tl[2].push(finalMin); }
    if (sat !== null) { s.sat += sat; s.rated++; ratedN++; if (sat >= 1 && sat <= 5 && Number.isInteger(sat)) dist[sat]++; }
    if (highest <= 1) s.t1++; else if (highest === 2) s.t2++; else if (highest === 3) s.t3++; else if (highest === 4) s.t4++;
    if (respState === 2) { brRow[0].push(r[C.rowid] as number); brPrio[0].push(prio); brOver[0].push((respMin ?? ageMin) - respTarget); }
    if (resState === 2) { brRow[1].push(r[C.rowid] as number); brPrio[1].push(prio); brOver[1].push((resMin ?? net) - resTarget); }
    // totals
    if (flags & F.closed) closedN++;
    if (flags & F.done) ofN++;
    if (flags & F.major) majorN++;
    // volume and the recurring tops
    const vKey = r[C.vKey] as string;
    volCombos.set(vKey, (volCombos.get(vKey) ?? 0) + 1);
    if (r[C.system] !== null) bump(vol.sys, r[C.system] as string);
    const rk = r[C.reqKey] as string | null;
    const rn = r[C.reqName] === null ? rk : (r[C.reqName] as string); // label: max(requester_name) (the key is the name when there is no requester id)
    const q = req.get(rk);
    if (!q) req.set(rk, { count: 1, label: rn });
    else { q.count++; if (rn !== null && (q.label === null || binaryCompare(rn, q.label) > 0)) q.label = rn; }
    // created, by trend period (the rows come in reported order: the last period is nearly always the one)
    const rep = r[C.reported] as string;
    if (!(lastP < periods.length && rep >= starts[lastP] && rep < ends[lastP])) {
      let lo = 0, hi = periods.length - 1; lastP = -1;
      while (lo <= hi) { const mid = (lo + hi) >> 1; if (rep < starts[mid]) hi = mid - 1; else if (rep >= ends[mid]) lo = mid + 1; else { lastP = mid; break; } }
    }
    if (lastP >= 0) createdBy[lastP]++; else lastP = 0;
    if (r[C.bfBy] !== null) delays.push({ k: r[C.bfBy] as string, d: r[C.bfDelay] as number });
    if (r[C.comment] !== null) commentRows.push({ rowid: r[C.rowid] as number, reported: rep, rating: sat!, comment: r[C.comment] as string });
    const dg = r[C.dispatchGroups] as string | null, rg = r[C.returnedGroups] as string | null;
    if (dg !== null) for (const g of dg.split(SEP)) retOf(g).dispatched++;
    if (rg !== null) for (const g of rg.split(SEP)) retOf(g).returned++;
  }
  const retRows = [...ret.values()];
  // the trend's flow of open work by period, for events in this slice: resolved by first resolution (fact_first_res_at);
  // an incident that leaves open work once (fact_flow = 1) leaves it at its first resolution, counted per period
  // through the index on fact_first_res_at (no sort); the events of the others (fact_flow = 2: reopened,
  // irregular trails) are read one by one, over the whole period, by the first slice only (the same scan of those
  // incidents in every slice cost each the same time)
  const first = slice ? slice.first : true, last = slice ? slice.last : true;
  const all = reportedBefore(scope, scope.toUtc);
  const flowResolved = new Array<number>(periods.length).fill(0), flowDelta = new Array<number>(periods.length).fill(0);
  const firstRes = db.prepare(`SELECT count(*), total(i.fact_flow = 1) FROM incidents i
    WHERE i.fact_first_res_at >= ? AND i.fact_first_res_at < ? AND ${all.where}`).raw(true);
  for (let k = 0; k < periods.length; k++) {
    const a = starts[k] > sFrom ? starts[k] : sFrom, b = ends[k] < sTo ? ends[k] : sTo;
    if (a >= b) continue;
    const [n, once] = firstRes.get(a, b, ...all.params) as [number, number];
    flowResolved[k] += n; flowDelta[k] -= once;
  }
  if (first) {
    const irregular = db.prepare(`SELECT ${slot('h.at')} AS s, sum((h.status_to IN ${OPEN}) - (coalesce(h.status_from, 'new') IN ${OPEN})) AS delta
      FROM incidents i CROSS JOIN history h ON h.incident_id = i.id
      WHERE i.fact_flow = 2 AND ${all.where} AND h.status_to IN ('resolved', 'closed', 'reopened') AND h.at >= ? AND h.at < ? GROUP BY 1`)
      .raw(true).all(...all.params, scope.fromUtc, scope.toUtc) as Array<[string, number]>;
    for (const [at, d] of irregular) { const k = periodOfSlot(periods, at); if (k >= 0) flowDelta[k] += d; }
  }
  const openStart = first && periods.length ? openCount(store, scope, scope.fromUtc) : first ? 0 : null;
  const openEnd = last ? openSummary(store, scope, scope.toUtc < now ? scope.toUtc : now) : null;
  return {
    retRows, flowResolved, flowDelta, openStart, openEnd,
    combos: new Map([...combos].map(([k, c]) => [k, c.s])),
    // sorted here, on the slice's own thread: merging sorted parts is linear
    times: new Map([...times].map(([p, l]) => [p, [l[0].values().sort(), l[1].values().sort(), l[2].values().sort()]])),
    volCombos, sys: vol.sys, req, closedN, majorN, ratedN, ofN, imported, dist, createdBy, brRow, brPrio, brOver, delays, commentRows,
  };
}

/** Parts of consecutive slices, in reported order, as one part (what one pass over all the slices adds up). */
export function mergeParts(parts: ReportPart[]): ReportPart {
  const [first, ...others] = parts;
  const out = first;
  for (const p of others) {
    for (const [k, s] of p.combos) {
      const m = out.combos.get(k);
      if (!m) out.combos.set(k, s); else for (const f of Object.keys(s) as Array<keyof Sums>) m[f] += s[f];
    }
    for (const [prio, l] of p.times) {
      const m = out.times.get(prio);
      if (!m) { out.times.set(prio, l); continue; }
      out.times.set(prio, [0, 1, 2].map((j) => mergeSorted(m[j], l[j])) as [Float64Array, Float64Array, Float64Array]);
    }
    for (const [k, n] of p.volCombos) out.volCombos.set(k, (out.volCombos.get(k) ?? 0) + n);
    for (const [k, n] of p.sys) out.sys.set(k, (out.sys.get(k) ?? 0) + n);
    for (const [k, v] of p.req) {
      const q = out.req.get(k);
      if (!q) out.req.set(k, v);
      else { q.count += v.count; if (v.label !== null && (q.label === null || binaryCompare(v.label, q.label) > 0)) q.label = v.label; }
    }
    out.closedN += p.closedN; out.majorN += p.majorN; out.ratedN += p.ratedN; out.ofN += p.ofN; out.imported += p.imported;
    p.dist.forEach((n, k) => { out.dist[k] += n; });
    p.createdBy.forEach((n, k) => { out.createdBy[k] += n; });
    for (const c of [0, 1]) { out.brRow[c].push(...p.brRow[c]); out.brPrio[c].push(...p.brPrio[c]); out.brOver[c].push(...p.brOver[c]); }
    for (const x of p.delays) out.delays.push(x);
    for (const x of p.commentRows) out.commentRows.push(x);
    const ret = new Map(out.retRows.map((r) => [r.key, r]));
    for (const r of p.retRows) { const m = ret.get(r.key); if (!m) { ret.set(r.key, r); out.retRows.push(r); } else { m.dispatched += r.dispatched; m.returned += r.returned; } }
    p.flowResolved.forEach((n, k) => { out.flowResolved[k] += n; });
    p.flowDelta.forEach((n, k) => { out.flowDelta[k] += n; });
    out.openStart ??= p.openStart;
    out.openEnd ??= p.openEnd;
  }
  return out;
}

/**
 * The period [fromUtc, toUtc) cut into `k` consecutive slices of reported time (equal lengths, whole
 * milliseconds), for parts computed on `k` threads.
 */
export function sliceRange(fromUtc: string, toUtc: string, k: number): ReportSlice[] {
  const a = Date.parse(fromUtc), b = Date.parse(toUtc);
  const cuts = Array.from({ length: k + 1 }, (_, j) => (j === 0 ? fromUtc : j === k ? toUtc : new Date(a + Math.floor(((b - a) * j) / k)).toISOString()));
  return cuts.slice(0, k).map((c, j) => ({ fromUtc: c, toUtc: cuts[j + 1], first: j === 0, last: j === k - 1 }));
}

/** The report of a query over the whole period, in one pass on this thread. */
export function computeReport(store: DeskStore, query: ReportQueryParsed): Report {
  const now = store.now().toISOString();
  return finishReport(store, query, now, [reportPart(store, query, now)]);
}

/**
 * The report from the parts of its period's slices (in reported order), at the report's time `now`:
 * the breakdowns the pass's sums are split into, and what is read apart from the pass (backlog,
 * trend of resolutions and open work, returned-to-first-line by group).
 */
export function finishReport(store: DeskStore, query: ReportQueryParsed, now: string, parts: ReportPart[]): Report {
  const db = store.db;
  const scope = reportScope(store, query);
  const periods = trendPeriods(query);
  const parentOf = new Map((db.prepare('SELECT id, parent_id FROM categories').raw(true).all() as Array<[string, string | null]>));
  const part = mergeParts(parts);
  const { volCombos, req, closedN, majorN, ratedN, ofN, imported, dist, createdBy, brRow, brPrio, brOver, delays, commentRows } = part;
  const byPrio = new Map<string, Sums>();
  const byAgentM = new Map<string, Sums>();
  const byGroupM = new Map<string, Sums>();
  const sumsOf = (m: Map<string, Sums>, k: string) => { let s = m.get(k); if (!s) m.set(k, s = newSums()); return s; };
  const vol = { channel: new Map<string | null, number>(), sub: new Map<string | null, number>(), cat: new Map<string | null, number>(),
    svc: new Map<string | null, number>(), impact: new Map<string | null, number>(), dept: new Map<string | null, number>(), sys: part.sys };
  const bump = (m: Map<string | null, number>, k: string | null, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
  // the sums by priority × person × group, added up by each
  const SUM_KEYS = Object.keys(newSums()) as Array<keyof Sums>;
  for (const [k, s] of part.combos) {
    const [p, person, group] = k.split(SEP);
    for (const m of [sumsOf(byPrio, unNul(p) ?? ''), sumsOf(byAgentM, unNul(person) ?? ''), sumsOf(byGroupM, unNul(group) ?? '')]) for (const f of SUM_KEYS) m[f] += s[f];
  }
  // the volume by channel × category × service type × impact × department, counted by each
  for (const [k, n] of volCombos) {
    const [channel, cat, svc, impact, dept] = k.split(SEP).map(unNul);
    bump(vol.channel, channel, n); bump(vol.sub, cat, n); bump(vol.cat, cat === null ? null : parentOf.get(cat) ?? cat, n);
    bump(vol.svc, svc, n); bump(vol.impact, impact, n); bump(vol.dept, dept, n);
  }

  // ---- what the pass collected, arranged
  const byIds = (rowids: number[], cols: string) => new Map((rowids.length ? db.prepare(`SELECT i.rowid, ${cols} FROM json_each(?) j CROSS JOIN incidents i ON i.rowid = j.value`)
    .raw(true).all(JSON.stringify(rowids)) as unknown[][] : []).map((x) => [x[0] as number, x]));
  // the most overdue breached clocks: the first MAX_BREACHED of each clock, then of both
  const picked: Array<{ rowid: number; priority: string; clock: 'response' | 'resolution'; over: number }> = [];
  for (const c of [0, 1]) {
    const overs = brOver[c];
    const cut = overs.length > MAX_BREACHED ? Float64Array.from(overs).sort()[overs.length - MAX_BREACHED] : -Infinity;
    const mine: typeof picked = [];
    for (let k = 0; k < overs.length; k++) if (overs[k] >= cut) mine.push({ rowid: brRow[c][k], priority: brPrio[c][k], clock: c ? 'resolution' : 'response', over: overs[k] });
    mine.sort((x, y) => y.over - x.over);
    picked.push(...mine.slice(0, MAX_BREACHED));
  }
  const bInfo = byIds([...new Set(picked.map((b) => b.rowid))], 'i.id, i.number, i.title');
  const breached: Report['sla']['breached'] = picked.map((b) => {
    const x = bInfo.get(b.rowid)!;
    return { id: x[1] as string, number: x[2] as string, title: x[3] as string, priority: b.priority, clock: b.clock, overdueMin: round(b.over) };
  });
  breached.sort((x, y) => y.overdueMin - x.overdueMin || x.id.localeCompare(y.id));
  breached.splice(MAX_BREACHED);
  // comments: newest reported first
  commentRows.sort((x, y) => (x.reported < y.reported ? 1 : x.reported > y.reported ? -1 : 0));
  commentRows.splice(MAX_COMMENTS);
  const cInfo = byIds(commentRows.map((c) => c.rowid), 'i.id, i.number');
  const comments: Report['satisfaction']['comments'] = commentRows.map((c) => ({ id: cInfo.get(c.rowid)![1] as string, number: cInfo.get(c.rowid)![2] as string, rating: c.rating, comment: c.comment }));
  // returned to first line by group (added up by each part)
  const retRows = part.retRows
    .sort((x, y) => y.returned - x.returned || y.dispatched - x.dispatched || binaryCompare(x.key, y.key));

  const buckets = (m: Map<string | null, number>): Bucket[] => countsOf(m).map((b) => ({ key: b.key ?? '', count: b.count }));
  const byChannel = buckets(vol.channel);
  const bySubcategory = buckets(vol.sub);
  const byCategory = buckets(vol.cat);
  const byServiceType = buckets(vol.svc);
  const byPriority = buckets(new Map([...byPrio].map(([k, s]) => [k, s.n])));
  const byImpactScope = buckets(vol.impact);
  const byDepartment = buckets(vol.dept).map((b) => ({ ...b, label: b.key }));

  // nearest-rank median and P90 of the times by priority (each priority's values sorted by its parts, merged)
  const quant = new Map<string, { q50: number; q90: number }>();
  for (const [p, l] of part.times) (['resp', 'res', 'fin'] as const).forEach((which, j) => {
    const v = l[j];
    if (v.length) quant.set(`${p}|${which}`, { q50: q50(v), q90: q90(v) });
  });
  // the overall sums are the sums of the priorities'
  const tot = newSums();
  for (const v of byPrio.values()) for (const k of Object.keys(tot) as Array<keyof Sums>) tot[k] += v[k];
  const none = newSums();
  const priorities = [...new Set<string>([...PRIORITIES, ...byPrio.keys()])];
  const pr = (p: string) => byPrio.get(p) ?? none;
  const mean = (sum: number, n: number) => (n ? round(sum / n) : null);
  const statOf = (p: string, which: 'resp' | 'res' | 'fin'): Stat => {
    const s = pr(p); const n = which === 'resp' ? s.nResp : which === 'res' ? s.nRes : s.nFin;
    const sum = which === 'resp' ? s.sumResp : which === 'res' ? s.sumRes : s.sumFin;
    const q = quant.get(`${p}|${which}`);
    return { count: n, meanMin: mean(sum, n), medianMin: q ? round(q.q50) : null, p90Min: q ? round(q.q90) : null };
  };
  const slaBy = (k: 'r' | 's') => Object.fromEntries(priorities.map((p) => [p, k === 'r' ? att(pr(p).respMet, pr(p).respBr) : att(pr(p).resMet, pr(p).resBr)]));
  const statBy = (k: 'resp' | 'res' | 'fin') => Object.fromEntries(priorities.map((p) => [p, statOf(p, k)]));
  const firstResolved = tot.resolved;
  const [, s1, s2, s3, s4, s5] = dist;
  const createdN = tot.n;
  const avgSat = tot.rated ? tot.sat / tot.rated : null;

  // ---- backlog
  const endT = scope.toUtc < now ? scope.toUtc : now;
  const open = part.openEnd!;
  const endMs = Date.parse(endT);
  const byAgeBand = open.byAgeBand;
  const oldest = open.oldest.map((o) => ({ ...o, ageMin: Math.round((endMs - Date.parse(o.reportedAt)) / 60000) }));

  // ---- trend: created by reported time, resolutions and the open count's flow by event time (the parts')
  const trend: TrendPoint[] = periods.map((p) => ({ period: p.period, created: 0, resolved: 0, openAtEnd: 0 }));
  const delta = new Array(periods.length).fill(0);
  for (let k = 0; k < periods.length; k++) { trend[k].created = createdBy[k]; trend[k].resolved = part.flowResolved[k]; delta[k] += createdBy[k] + part.flowDelta[k]; }
  let running = part.openStart ?? 0;
  for (let k = 0; k < periods.length; k++) { running += delta[k]; trend[k].openAtEnd = running; }

  // ---- back-fill (recorded − reported) by technician
  const names = new Map((db.prepare('SELECT id, name FROM users').all() as Array<{ id: string; name: string }>).map((u) => [u.id, u.name]));
  delays.sort((x, y) => binaryCompare(x.k, y.k) || x.d - y.d);
  const byTech = new Map<string, { label: string; d: number[] }>();
  for (const r of delays) { let b = byTech.get(r.k); if (!b) byTech.set(r.k, b = { label: names.get(r.k) ?? r.k, d: [] }); b.d.push(r.d); }

  // ---- people (labels: user names, free text)
  const person = ([key, a]: [string, Sums], label: string): PersonRow => ({
    key, label, handled: a.n, resolved: a.resolved, fcr: a.fcr, fcrRate: rate(a.fcr, a.resolved),
    meanResolveMin: mean(a.sumRes, a.nRes), satisfactionAvg: a.rated ? round(a.sat / a.rated) : null, rated: a.rated,
  });
  const byHandled = (a: PersonRow, b: PersonRow) => b.handled - a.handled || a.key.localeCompare(b.key);

  return {
    query,
    range: { fromUtc: scope.fromUtc, toUtc: scope.toUtc },
    generatedAt: now,
    totals: { created: createdN ?? 0, resolved: firstResolved, closed: closedN ?? 0, openAtEnd: open.count },
    volume: { byChannel, byCategory, bySubcategory, byServiceType, byPriority, byImpactScope, byDepartment, trend },
    sla: {
      response: { byPriority: slaBy('r'), all: att(tot.respMet, tot.respBr) },
      resolution: { byPriority: slaBy('s'), all: att(tot.resMet, tot.resBr) },
      timeToRespond: statBy('resp'), timeToResolve: statBy('res'), timeToFinalResolve: statBy('fin'),
      breached,
    },
    quality: {
      fcr: { count: tot.fcr, of: firstResolved, rate: rate(tot.fcr, firstResolved) },
      reopen: { reopened: tot.reopened, resolved: firstResolved, rate: rate(tot.reopened, firstResolved), reopensPerIncident: firstResolved ? round(tot.reopens / firstResolved) : null },
      returned: { returned: tot.returned, dispatched: tot.dispatched, rate: rate(tot.returned, tot.dispatched), byGroup: retRows.map((r) => ({ ...r, rate: rate(r.returned, r.dispatched) })) },
      reassignmentsPerIncident: tot.n ? round(tot.reassign / tot.n) : null,
      escalations: { autoP3toP2: tot.auto, toL3: tot.l3, toVendor: tot.vendor, toManagement: tot.mgmt, incidents: tot.esc },
      highestTier: ([['L1', tot.t1], ['L2', tot.t2], ['L3', tot.t3], ['vendor', tot.t4]] as const).filter(([, n]) => n > 0).map(([key, count]) => ({ key, count })),
      major: majorN ?? 0,
    },
    backlog: { byAgeBand, oldest },
    satisfaction: {
      rated: ratedN ?? 0, of: ofN ?? 0, share: rate(ratedN ?? 0, ofN ?? 0), average: avgSat == null ? null : round(avgSat),
      distribution: { 1: s1 ?? 0, 2: s2 ?? 0, 3: s3 ?? 0, 4: s4 ?? 0, 5: s5 ?? 0 },
      comments,
    },
    backfill: {
      count: delays.length,
      delay: stat(delays.map((r) => r.d)),
      byTechnician: [...byTech].map(([key, b]) => ({ key, label: b.label, count: b.d.length, medianDelayMin: quantile(b.d, 0.5), p90DelayMin: quantile(b.d, 0.9) }))
        .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
      imported,
    },
    people: {
      byAgent: [...byAgentM].map((e) => person(e, names.get(e[0]) ?? e[0])).sort(byHandled),
      byGroup: [...byGroupM].map((e) => person(e, e[0])).sort(byHandled),
    },
    recurring: {
      categories: bySubcategory.slice(0, MAX_LIST),
      systems: countsOf(vol.sys).slice(0, MAX_LIST).map((b) => ({ key: b.key ?? '', count: b.count, label: b.key as string })),
      requesters: countsOf(new Map([...req].map(([k, v]) => [k, v.count]))).slice(0, MAX_LIST).map((b) => ({ key: b.key ?? '', count: b.count, label: req.get(b.key)!.label as string })),
    },
  };
}

export function ageBand(min: number): AgeBand {
  const d = min / 1440;
  return d < 1 ? 'lt1d' : d < 3 ? 'd1to3' : d < 7 ? 'd3to7' : d <= 30 ? 'd7to30' : 'gt30d';
}

export { localDateOf };
