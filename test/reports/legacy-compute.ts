import type { DeskStore } from '../../electron/core/store/desk-store.js';
import {
  AGE_BANDS, quantile, rate, type AgeBand, type Attainment, type Bucket, type PersonRow, type Report, type ReportQueryParsed, type Stat, type TrendPoint,
} from '../../shared/reports.js';
import { PRIORITIES } from '../../shared/enums.js';
import { addDays, localDateOf, localDayStartUtc, reportScope, type ReportScope } from '../../electron/core/reports/scope.js';

/**
 * The desk's computation of a team lead's report (issue 11). Every figure's definition is written in
 * REPORTS.md beside this file. Read-only: plain SELECTs over typed columns — the incidents with their
 * per-incident fact columns (migration 009, kept by triggers from the history's typed columns of
 * migration 008; a resolution event and every other fact are defined there) — aggregated in SQLite
 * in one pass; what SQL cannot do well (medians, P90) is taken from the sorted values SQLite returns.
 * Keys and codes only; labels only for free text.
 */

const OPEN = "('new','assigned','in_progress','pending','reopened','returned')";
const TIER_RANK = `CASE %s WHEN 'L1' THEN 1 WHEN 'L2' THEN 2 WHEN 'L3' THEN 3 WHEN 'vendor' THEN 4 ELSE 0 END`;
const rank = (col: string) => TIER_RANK.replace('%s', col);
export const TIER_OF_RANK = ['', 'L1', 'L2', 'L3', 'vendor'];
const MAX_BREACHED = 500;
const MAX_LIST = 10;

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

/** Minutes to the first response, to the first resolution and to the final one (pending spells before each excluded). */
const RESP_MIN = '1440 * (julianday(i.fact_first_status_at) - julianday(i.reported_at))';
const RES_MIN = 'CASE WHEN i.fact_first_res_at IS NOT NULL THEN 1440 * (julianday(i.fact_first_res_at) - julianday(i.reported_at)) - i.fact_pending_first_min END';
const FINAL_MIN = `CASE WHEN i.status IN ('resolved', 'closed') AND i.fact_final_res_at IS NOT NULL
    THEN 1440 * (julianday(i.fact_final_res_at) - julianday(i.reported_at)) - i.fact_pending_final_min END`;

/**
 * The per-incident facts as a SELECT list over `incidents i`: its columns and what its history says,
 * read from the fact columns the history triggers keep (migration 009); no history row is read.
 * Two parameters: now, now (clocks still running).
 */
const FACTS_COLUMNS = `i.id, i.priority, i.status, i.created_by, i.owner_id, i.assignee_id, i.group_name, i.satisfaction, i.response_due_at,
  1440 * (julianday(i.response_due_at) - julianday(i.reported_at)) AS resp_target,
  1440 * (julianday(i.resolve_due_at) - julianday(i.reported_at)) - i.paused_ms / 60000.0 AS res_target,
  ${RESP_MIN} AS resp_min, ${RES_MIN} AS res_min, ${FINAL_MIN} AS final_min,
  1440 * (julianday(?) - julianday(i.reported_at)) AS age_min,
  i.paused_ms / 60000.0 + CASE WHEN i.pending_since IS NOT NULL THEN 1440 * (julianday(?) - julianday(i.pending_since)) ELSE 0 END AS paused_now,
  i.fact_first_resolver AS first_resolver, i.fact_reopens AS reopens, i.fact_returns AS returns,
  CASE WHEN i.fact_tier_rows = 0 THEN ${rank('i.tier')} ELSE i.fact_max_tier END AS highest,
  i.fact_assignments AS assignments, i.fact_assigned_other AS assigned_other, i.fact_auto_esc AS auto_esc,
  i.fact_to_l3 AS to_l3, i.fact_to_vendor AS to_vendor, 0 AS group_dispatched, (i.mgmt_escalated_at IS NOT NULL) AS to_mgmt`;

/** The per-incident facts of a scope; parameters: now, now, then the scope's. */
const factsSql = (scope: ReportScope) => `SELECT ${FACTS_COLUMNS} FROM incidents i WHERE ${scope.where}`;

const W = 44; // columns of every row of the report statement: kind, key, then up to 42 values
const pad = (n: number) => Array(n).fill('NULL').join(', ');
const row = (kind: string, key: string, ...vals: string[]) => `'${kind}', ${key}${vals.length ? ', ' + vals.join(', ') : ''}${W - 2 - vals.length > 0 ? ', ' + pad(W - 2 - vals.length) : ''}`;

/**
 * The whole report over the period's incidents in ONE statement and one pass over them: the
 * incidents of the filters (all origins, flagged in_o when the origins filter takes them, imp when
 * imported) are materialized once with their fact columns and the minutes derived from them (each
 * julianday once per row), then UNION ALL of: the sums, totals and satisfaction counts by priority ×
 * credited person × group ('k': one sort for what were three GROUP BYs; JavaScript adds them up by
 * priority, person and group, and the overall sums are the priorities'); the volume counts by channel
 * × category × service type × impact × department ('v': one sort for six breakdowns); nearest-rank
 * the most overdue breached clocks ('b'); the recurring tops ('top:…'); created by 15-minute slot ('s'); back-fill delays ('bf');
 * comments ('cm'); the imported count ('imp'); the returned-to-first-line rows by group ('rg', from the
 * history of the incidents with a return or a dispatch only). Parameters: now, now, then the scope's
 * filterParams. (Each GROUP BY over the set is a sort of all its rows: the fewer, the faster.)
 */
function reportSql(scope: ReportScope): string {
  const sums = ['count(*)', 'sum(res_min IS NOT NULL)', 'sum(fcr)', 'sum(resp_state = 1)', 'sum(resp_state = 2)', 'sum(res_state = 1)', 'sum(res_state = 2)',
    'sum(res_min IS NOT NULL AND reopens > 0)', 'sum(CASE WHEN res_min IS NOT NULL THEN reopens ELSE 0 END)', 'sum(highest >= 2)', 'sum(highest >= 2 AND returns > 0)',
    'sum(max(assignments - 1, 0))', 'sum(auto_esc)', 'sum(to_l3)', 'sum(to_vendor)', 'sum(to_mgmt)', 'sum(auto_esc + to_l3 + to_vendor + to_mgmt > 0)', 'total(resp_min)', 'count(resp_min)', 'total(res_min)', 'count(res_min)',
    'total(final_min)', 'count(final_min)', 'total(satisfaction)', 'count(satisfaction)', 'sum(highest <= 1)', 'sum(highest = 2)', 'sum(highest = 3)', 'sum(highest = 4)'];
  const b = (state: string, over: string, clock: number) => `SELECT * FROM (SELECT ${row('b', 'id', 'priority', String(clock), over)}
      FROM x WHERE ${state} = 2 ORDER BY ${over} DESC LIMIT ${MAX_BREACHED})`;
  const totals = ["sum(status = 'closed')", 'sum(major)', 'sum(satisfaction IS NOT NULL)', "sum(status IN ('resolved', 'closed'))",
    'sum(satisfaction = 1)', 'sum(satisfaction = 2)', 'sum(satisfaction = 3)', 'sum(satisfaction = 4)', 'sum(satisfaction = 5)'];
  const top = (dim: string, col: string, label: string, where = '1') => `SELECT * FROM (SELECT ${row(`top:${dim}`, col, 'count(*) AS c', label)}
      FROM x WHERE ${where} GROUP BY ${col} ORDER BY c DESC, ${col} LIMIT ${MAX_LIST})`;
  return `
WITH f0 AS MATERIALIZED (
  SELECT ${FACTS_COLUMNS}, ${scope.originWhere} AS in_o, i.origin = 'import' AS imp, i.reported_at, i.channel, i.category_id, coalesce(cat.parent_id, i.category_id) AS top_cat,
    i.service_type, i.impact_scope, i.requester_dept, i.major_reasons <> '[]' AS major, i.affected_name,
    coalesce(i.requester_id, i.requester_name) AS req_key, i.requester_name, ${slot('i.reported_at')} AS rslot, i.backfilled,
    CASE WHEN i.backfilled = 1 THEN 1440 * (julianday(i.recorded_at) - julianday(i.reported_at)) END AS bf_delay,
    CASE WHEN i.satisfaction IS NOT NULL AND coalesce(trim(i.satisfaction_comment), '') <> '' THEN i.number END AS c_number,
    CASE WHEN i.satisfaction IS NOT NULL AND coalesce(trim(i.satisfaction_comment), '') <> '' THEN i.satisfaction_comment END AS comment,
    i.fact_tier_rows AS tier_rows
  FROM incidents i LEFT JOIN categories cat ON cat.id = i.category_id
  WHERE ${scope.filterWhere}),
x AS (
  SELECT f0.*,
    CASE WHEN resp_min IS NOT NULL THEN CASE WHEN resp_min <= resp_target + 1e-9 THEN 1 ELSE 2 END WHEN age_min > resp_target THEN 2 ELSE 0 END AS resp_state,
    coalesce(resp_min, age_min) - resp_target AS resp_over,
    CASE WHEN res_min IS NOT NULL THEN CASE WHEN res_min <= res_target + 1e-9 THEN 1 ELSE 2 END WHEN age_min - paused_now > res_target THEN 2 ELSE 0 END AS res_state,
    coalesce(res_min, age_min - paused_now) - res_target AS res_over,
    (res_min IS NOT NULL AND first_resolver = created_by AND highest <= 1 AND assigned_other = 0) AS fcr
  FROM f0 WHERE in_o),
e AS MATERIALIZED (SELECT h.incident_id AS id, h.at, h.rowid AS rid, h.group_to AS g, h.status_to AS st, h.tier_to AS tier
  FROM (SELECT id FROM x WHERE tier_rows > 0 OR returns > 0) c CROSS JOIN history h ON h.incident_id = c.id
  WHERE (h.group_to IS NOT NULL OR h.status_to = 'returned' OR h.tier_to IN ('L2', 'L3', 'vendor'))
    -- a return's own move back to the first-line group (issue 12) is neither a dispatch nor the returning group
    AND NOT (h.group_to IS NOT NULL AND EXISTS (SELECT 1 FROM history y WHERE y.incident_id = h.incident_id AND y.at = h.at AND y.status_to = 'returned'))),
d AS (SELECT DISTINCT id, g FROM e WHERE g IS NOT NULL AND id IN (SELECT id FROM e WHERE tier IS NOT NULL)),
r AS (SELECT DISTINCT r.id, (SELECT y.g FROM e y WHERE y.id = r.id AND y.g IS NOT NULL AND y.at <= r.at ORDER BY y.at DESC, y.rid DESC LIMIT 1) AS g
  FROM e r WHERE r.st = 'returned')
SELECT ${row('k', 'priority', 'coalesce(assignee_id, owner_id)', "coalesce(group_name, '')", ...sums, ...totals)} FROM x GROUP BY 2, 3, 4
UNION ALL ${b('resp_state', 'resp_over', 1)}
UNION ALL ${b('res_state', 'res_over', 2)}
UNION ALL SELECT ${row('v', 'channel', 'category_id', 'top_cat', 'service_type', 'impact_scope', 'requester_dept', 'count(*)')} FROM x GROUP BY 2, 3, 4, 5, 6, 7
UNION ALL ${top('sys', 'affected_name', 'affected_name', "coalesce(trim(affected_name), '') <> ''")}
UNION ALL ${top('req', 'req_key', 'max(requester_name)')}
UNION ALL SELECT ${row('s', 'rslot', 'count(*)')} FROM x GROUP BY rslot
UNION ALL SELECT ${row('bf', 'created_by', 'bf_delay')} FROM x WHERE backfilled = 1
UNION ALL SELECT * FROM (SELECT ${row('cm', 'id', 'c_number', 'satisfaction', 'comment')} FROM x WHERE comment IS NOT NULL ORDER BY reported_at DESC LIMIT 200)
UNION ALL SELECT ${row('imp', 'NULL', 'count(*)')} FROM f0 WHERE imp
UNION ALL SELECT ${row('rg', 'g', "sum(kind = 'd')", "sum(kind = 'r')")} FROM (
  SELECT id, g, 'd' AS kind FROM d UNION ALL SELECT id, g, 'r' FROM r WHERE g IS NOT NULL) GROUP BY g`;
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
function reportedBefore(scope: ReportScope, t: string): ReportScope {
  const head = 'i.reported_at >= ? AND i.reported_at < ?';
  if (!scope.where.startsWith(head)) throw new Error('reportScope: unexpected shape');
  return { ...scope, where: `+i.reported_at < ?${scope.where.slice(head.length)}`, params: [t, ...scope.params.slice(2)] };
}

/** Incidents (of the filters, any reported time before T) open at instant T, by the history's status at T. */
export function openAt(store: DeskStore, scope: ReportScope, t: string) {
  const s = reportedBefore(scope, t);
  const status = (alias: string) => `(SELECT h.status_to FROM history h WHERE h.incident_id = ${alias}.id AND h.status_to IS NOT NULL AND h.at < ?
      ORDER BY h.at DESC, h.rowid DESC LIMIT 1)`;
  // candidates: open now (the queue's partial index), or resolved/closed after T (index on resolved_at)
  return store.db.prepare(`
    SELECT id, number, title, reported_at AS reportedAt FROM (
      SELECT i.id, i.number, i.title, i.reported_at, ${status('i')} AS st FROM incidents i
        WHERE i.status IN ${OPEN} AND ${s.where}
      UNION ALL
      SELECT i.id, i.number, i.title, i.reported_at, ${status('i')} AS st FROM incidents i
        WHERE i.resolved_at >= ? AND i.status IN ('resolved', 'closed') AND ${s.where})
    WHERE st IS NULL OR st IN ${OPEN}
    ORDER BY reported_at, id`).all(t, ...s.params, t, t, ...s.params) as Array<{ id: string; number: string; title: string; reportedAt: string }>;
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

export function computeReport(store: DeskStore, query: ReportQueryParsed): Report {
  const db = store.db;
  const now = store.now().toISOString();
  const scope = reportScope(store, query);

  // ---- one statement, one pass over the period's incidents (see reportSql)
  const rows = db.prepare(reportSql(scope)).raw(true).all(now, now, ...scope.filterParams) as unknown[][];
  type Sums = { n: number; resolved: number; fcr: number; respMet: number; respBr: number; resMet: number; resBr: number; reopened: number; reopens: number;
    dispatched: number; returned: number; reassign: number; auto: number; l3: number; vendor: number; mgmt: number; esc: number; sumResp: number; nResp: number; sumRes: number; nRes: number;
    sumFin: number; nFin: number; sat: number; rated: number; t1: number; t2: number; t3: number; t4: number };
  const SUM_KEYS: Array<keyof Sums> = ['n', 'resolved', 'fcr', 'respMet', 'respBr', 'resMet', 'resBr', 'reopened', 'reopens', 'dispatched', 'returned', 'reassign',
    'auto', 'l3', 'vendor', 'mgmt', 'esc', 'sumResp', 'nResp', 'sumRes', 'nRes', 'sumFin', 'nFin', 'sat', 'rated', 't1', 't2', 't3', 't4'];
  const byKind: Record<string, Map<string, Sums>> = { p: new Map(), a: new Map(), g: new Map() };
  const quant = new Map<string, { q50: number | null; q90: number | null }>();
  const breached: Report['sla']['breached'] = [];
  const dims = new Map<string, Array<{ key: string | null; count: number; label?: string }>>();
  const dim = (k: string) => { let l = dims.get(k); if (!l) dims.set(k, l = []); return l; };
  const none: Sums = Object.fromEntries(SUM_KEYS.map((k) => [k, 0])) as Sums;
  const t9 = [0, 0, 0, 0, 0, 0, 0, 0, 0]; // closed, major, rated, resolved or closed now, ratings 1–5
  const vol = new Map<string, Map<string | null, number>>(['v:channel', 'v:sub', 'v:cat', 'v:svc', 'v:impact', 'v:dept'].map((d) => [d, new Map()]));
  const created: Array<{ s: string; n: number }> = [];
  const delays: Array<{ k: string; d: number }> = [];
  const comments: Report['satisfaction']['comments'] = [];
  let imported = 0;
  const retRows: Array<{ key: string; dispatched: number; returned: number }> = [];
  for (const r of rows) {
    const kind = r[0] as string;
    const key = r[1] as string | null;
    switch (kind) {
      case 'k': {
        // priority × person × group: added up by each
        const add = (m: Map<string, Sums>, k: string) => {
          let a = m.get(k);
          if (!a) m.set(k, a = { ...none });
          SUM_KEYS.forEach((f, j) => { a![f] += (r[4 + j] as number | null) ?? 0; });
        };
        add(byKind.p, key ?? ''); add(byKind.a, r[2] as string); add(byKind.g, r[3] as string);
        for (let j = 0; j < 9; j++) t9[j] += (r[4 + SUM_KEYS.length + j] as number | null) ?? 0;
        break;
      }
      case 'v': {
        // channel × category × service type × impact × department: counted by each
        const n = r[7] as number;
        const add = (d: string, k: string | null) => { const m = vol.get(d)!; m.set(k, (m.get(k) ?? 0) + n); };
        add('v:channel', key); add('v:sub', r[2] as string | null); add('v:cat', r[3] as string | null);
        add('v:svc', r[4] as string | null); add('v:impact', r[5] as string | null); add('v:dept', r[6] as string | null);
        break;
      }
      case 'b': breached.push({ id: key!, number: '', title: '', priority: r[2] as string, clock: r[3] === 1 ? 'response' : 'resolution', overdueMin: round(r[4] as number) }); break;
      case 's': created.push({ s: key!, n: r[2] as number }); break;
      case 'bf': delays.push({ k: key!, d: r[2] as number }); break;
      case 'cm': comments.push({ id: key!, number: r[2] as string, rating: r[3] as number, comment: r[4] as string } as Report['satisfaction']['comments'][number]); break;
      case 'imp': imported = (r[2] as number) ?? 0; break;
      case 'rg': retRows.push({ key: key!, dispatched: r[2] as number, returned: r[3] as number }); break;
      default: dim(kind).push({ key, count: r[2] as number, ...(kind.startsWith('top:') ? { label: r[3] as string } : {}) });
    }
  }
  for (const [d, m] of vol) for (const [key, count] of m) dim(d).push({ key, count });
  dim('v:prio').push(...[...byKind.p].map(([key, a]) => ({ key, count: a.n })));
  // buckets in the order SQL's ORDER BY count DESC, key gives (BINARY text order, null first), keys null → ''
  const ordered = (k: string) => (dims.get(k) ?? []).sort((x, y) => y.count - x.count || binaryCompare(x.key, y.key));
  const buckets = (k: string): Bucket[] => ordered(k).map((b) => ({ key: b.key ?? '', count: b.count }));
  const byChannel = buckets('v:channel');
  const bySubcategory = buckets('v:sub');
  const byCategory = buckets('v:cat');
  const byServiceType = buckets('v:svc');
  const byPriority = buckets('v:prio');
  const byImpactScope = buckets('v:impact');
  const byDepartment = buckets('v:dept').map((b) => ({ ...b, label: b.key }));
  retRows.sort((x, y) => y.returned - x.returned || y.dispatched - x.dispatched || binaryCompare(x.key, y.key));

  breached.sort((x, y) => y.overdueMin - x.overdueMin || x.id.localeCompare(y.id));
  breached.splice(MAX_BREACHED);
  if (breached.length) {
    const ids = [...new Set(breached.map((b) => b.id))];
    const info = new Map((db.prepare(`SELECT id, number, title FROM incidents WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as Array<{ id: string; number: string; title: string }>).map((r) => [r.id, r]));
    for (const b of breached) { const r = info.get(b.id); if (r) { b.number = r.number; b.title = r.title; } }
  }
  // nearest-rank median and P90 of the times by priority: the values sorted here (three window sorts
  // over the period in SQL cost twice as much as reading them)
  const times = new Map<string, number[][]>();
  for (const [p, ...v] of db.prepare(`SELECT i.priority, ${RESP_MIN}, ${RES_MIN}, ${FINAL_MIN} FROM incidents i WHERE ${scope.where}`).raw(true).all(...scope.params) as Array<[string, ...Array<number | null>]>) {
    let l = times.get(p);
    if (!l) times.set(p, l = [[], [], []]);
    for (let j = 0; j < 3; j++) if (v[j] !== null) l[j].push(v[j]!);
  }
  for (const [p, l] of times) (['resp', 'res', 'fin'] as const).forEach((which, j) => {
    const v = Float64Array.from(l[j]).sort();
    const n = v.length;
    if (n) quant.set(`${p}|${which}`, { q50: v[Math.floor((n + 1) / 2) - 1], q90: v[Math.floor((9 * n + 9) / 10) - 1] });
  });
  // the overall sums are the sums of the priorities' rows
  const tot = { ...none };
  for (const v of byKind.p.values()) for (const k of SUM_KEYS) tot[k] += v[k];
  const priorities = [...new Set<string>([...PRIORITIES, ...byKind.p.keys()])];
  const pr = (p: string) => byKind.p.get(p) ?? none;
  const mean = (sum: number, n: number) => (n ? round(sum / n) : null);
  const statOf = (p: string, which: 'resp' | 'res' | 'fin'): Stat => {
    const s = pr(p); const n = which === 'resp' ? s.nResp : which === 'res' ? s.nRes : s.nFin;
    const sum = which === 'resp' ? s.sumResp : which === 'res' ? s.sumRes : s.sumFin;
    const q = quant.get(`${p}|${which}`);
    return { count: n, meanMin: mean(sum, n), medianMin: q?.q50 == null ? null : round(q.q50), p90Min: q?.q90 == null ? null : round(q.q90) };
  };
  const slaBy = (k: 'r' | 's') => Object.fromEntries(priorities.map((p) => [p, k === 'r' ? att(pr(p).respMet, pr(p).respBr) : att(pr(p).resMet, pr(p).resBr)]));
  const statBy = (k: 'resp' | 'res' | 'fin') => Object.fromEntries(priorities.map((p) => [p, statOf(p, k)]));
  const firstResolved = tot.resolved;
  const [closedN, majorN, ratedN, ofN, s1, s2, s3, s4, s5] = t9;
  const createdN = tot.n;
  const avgSat = tot.rated ? tot.sat / tot.rated : null;

  // ---- backlog
  const endT = scope.toUtc < now ? scope.toUtc : now;
  const open = openAt(store, scope, endT);
  const endMs = Date.parse(endT);
  const byAgeBand: Record<AgeBand, number> = Object.fromEntries(AGE_BANDS.map((b) => [b, 0])) as Record<AgeBand, number>;
  for (const o of open) byAgeBand[ageBand((endMs - Date.parse(o.reportedAt)) / 60000)]++;
  const oldest = open.slice(0, MAX_LIST).map((o) => ({ ...o, ageMin: Math.round((endMs - Date.parse(o.reportedAt)) / 60000) }));

  // ---- trend: created by reported slot; resolved by first resolution (fact_first_res_at); the open
  // count's flow: an incident that leaves open work once (fact_flow = 1) leaves it at its first
  // resolution; the events of the others (fact_flow = 2: reopened, irregular trails) are read one by one
  const periods = trendPeriods(query);
  const all = reportedBefore(scope, scope.toUtc);
  const firsts = db.prepare(`SELECT ${slot('i.fact_first_res_at')} AS s, count(*) AS resolved, -sum(i.fact_flow = 1) AS delta FROM incidents i
    WHERE i.fact_first_res_at >= ? AND i.fact_first_res_at < ? AND ${all.where} GROUP BY 1`).all(scope.fromUtc, scope.toUtc, ...all.params) as Array<{ s: string; resolved: number; delta: number }>;
  const irregular = db.prepare(`SELECT ${slot('h.at')} AS s, 0 AS resolved, sum((h.status_to IN ${OPEN}) - (coalesce(h.status_from, 'new') IN ${OPEN})) AS delta
    FROM incidents i CROSS JOIN history h ON h.incident_id = i.id
    WHERE i.fact_flow = 2 AND ${all.where} AND h.status_to IN ('resolved', 'closed', 'reopened') AND h.at >= ? AND h.at < ? GROUP BY 1`)
    .all(...all.params, scope.fromUtc, scope.toUtc) as Array<{ s: string; resolved: number; delta: number }>;
  const trend: TrendPoint[] = periods.map((p) => ({ period: p.period, created: 0, resolved: 0, openAtEnd: 0 }));
  const periodOf = (s: string) => {
    const ms = Date.parse(`${s}:00Z`);
    let lo = 0, hi = periods.length - 1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (ms < periods[mid].startUtc) hi = mid - 1; else if (ms >= periods[mid].endUtc) lo = mid + 1; else return mid; }
    return -1;
  };
  const delta = new Array(periods.length).fill(0);
  for (const r of created) { const k = periodOf(r.s); if (k >= 0) { trend[k].created += r.n; delta[k] += r.n; } }
  for (const r of [...firsts, ...irregular]) { const k = periodOf(r.s); if (k >= 0) { trend[k].resolved += r.resolved; delta[k] += r.delta; } }
  let running = periods.length ? openAt(store, scope, scope.fromUtc).length : 0;
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
  const topOf = (k: string) => ordered(k).map((b) => ({ key: b.key ?? '', count: b.count, label: b.label as string }));

  return {
    query,
    range: { fromUtc: scope.fromUtc, toUtc: scope.toUtc },
    generatedAt: now,
    totals: { created: createdN ?? 0, resolved: firstResolved, closed: closedN ?? 0, openAtEnd: open.length },
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
      byAgent: [...byKind.a].map((e) => person(e, names.get(e[0]) ?? e[0])).sort(byHandled),
      byGroup: [...byKind.g].map((e) => person(e, e[0])).sort(byHandled),
    },
    recurring: {
      categories: ordered('v:sub').slice(0, MAX_LIST).map((b) => ({ key: b.key ?? '', count: b.count })),
      systems: topOf('top:sys'),
      requesters: topOf('top:req'),
    },
  };
}

export function ageBand(min: number): AgeBand {
  const d = min / 1440;
  return d < 1 ? 'lt1d' : d < 3 ? 'd1to3' : d < 7 ? 'd3to7' : d <= 30 ? 'd7to30' : 'gt30d';
}

export { localDateOf };
