import type { DeskStore } from '../store/desk-store.js';
import {
  AGE_BANDS, quantile, rate, type AgeBand, type Attainment, type Bucket, type PersonRow, type Report, type ReportQueryParsed, type Stat, type TrendPoint,
} from '../../../shared/reports.js';
import { PRIORITIES } from '../../../shared/enums.js';
import { addDays, localDateOf, localDayStartUtc, reportScope, type ReportScope } from './scope.js';

/**
 * The desk's computation of a team lead's report (issue 11). Every figure's definition is written in
 * REPORTS.md beside this file. Read-only: plain SELECTs over typed columns (incidents, and history's
 * fact columns from migration 008), aggregated in SQLite; what SQL cannot do well (medians, P90) is
 * taken from the sorted values SQLite returns. Keys and codes only; labels only for free text.
 */

const OPEN = "('new','assigned','in_progress','pending','reopened','returned')";
const TIER_RANK = `CASE %s WHEN 'L1' THEN 1 WHEN 'L2' THEN 2 WHEN 'L3' THEN 3 WHEN 'vendor' THEN 4 ELSE 0 END`;
const rank = (col: string) => TIER_RANK.replace('%s', col);
export const TIER_OF_RANK = ['', 'L1', 'L2', 'L3', 'vendor'];
const MAX_BREACHED = 500;
const MAX_LIST = 10;

/** One row per incident of the scope: its columns and what its history says (SQL over history's fact columns). */
export interface IncidentFacts {
  id: string; number: string; title: string; priority: string; status: string; created_by: string; owner_id: string;
  assignee_id: string | null; group_name: string | null; satisfaction: number | null; response_due_at: string;
  resp_target: number; res_target: number; resp_min: number | null; res_min: number | null; final_min: number | null;
  age_min: number; paused_now: number; first_resolver: string | null; reopens: number; returns: number; highest: number;
  assignments: number; assigned_other: number; auto_esc: number; to_l3: number; to_vendor: number; group_dispatched: number;
}

/** The per-incident facts of a scope; `now` is the report's generation time (running clocks). */
export function incidentFacts(store: DeskStore, scope: ReportScope, now: string): IncidentFacts[] {
  const sql = `
WITH c AS MATERIALIZED (
  SELECT i.id, i.number, i.title, i.priority, i.status, i.created_by, i.owner_id, i.assignee_id, i.group_name, i.satisfaction,
    i.tier, i.reported_at, i.response_due_at, i.resolve_due_at, i.paused_ms, i.pending_since
  FROM incidents i WHERE ${scope.where}),
e AS (
  SELECT h.incident_id AS id, h.at, h.status_from, h.status_to, h.tier_from, h.tier_to, h.assignee_to, h.auto_escalated, h.actor_id, c.created_by,
    max(CASE WHEN h.status_to = 'pending' THEN h.at END) OVER w AS pend_at,
    sum(h.status_to = 'resolved') OVER w AS res_n
  FROM c JOIN history h ON h.incident_id = c.id
  WHERE h.status_to IS NOT NULL OR h.tier_to IS NOT NULL OR h.assignee_to IS NOT NULL OR h.auto_escalated = 1
  WINDOW w AS (PARTITION BY h.incident_id ORDER BY h.at, h.rowid ROWS UNBOUNDED PRECEDING)),
f AS (
  SELECT id,
    min(CASE WHEN status_to IS NOT NULL THEN at END) AS first_status_at,
    min(CASE WHEN status_to = 'resolved' THEN at END) AS first_res,
    max(CASE WHEN status_to = 'resolved' THEN at END) AS last_res,
    max(CASE WHEN status_to = 'resolved' AND res_n = 1 THEN actor_id END) AS first_resolver,
    sum(status_to = 'reopened') AS reopens,
    sum(status_to = 'returned') AS returns,
    1440 * sum(CASE WHEN status_from = 'pending' AND pend_at IS NOT NULL AND res_n - (status_to = 'resolved') = 0 THEN julianday(at) - julianday(pend_at) ELSE 0 END) AS paused_first,
    1440 * sum(CASE WHEN status_from = 'pending' AND pend_at IS NOT NULL THEN julianday(at) - julianday(pend_at) ELSE 0 END) AS paused_all,
    count(tier_to) AS tier_rows,
    max(max(${rank('tier_from')}), max(${rank('tier_to')})) AS max_tier,
    count(assignee_to) AS assignments,
    sum(assignee_to IS NOT NULL AND assignee_to <> created_by) AS assigned_other,
    max(auto_escalated) AS auto_esc,
    max(tier_to = 'L3') AS to_l3,
    max(tier_to = 'vendor') AS to_vendor
  FROM e GROUP BY id)
SELECT c.id, c.number, c.title, c.priority, c.status, c.created_by, c.owner_id, c.assignee_id, c.group_name, c.satisfaction, c.response_due_at,
  1440 * (julianday(c.response_due_at) - julianday(c.reported_at)) AS resp_target,
  1440 * (julianday(c.resolve_due_at) - julianday(c.reported_at)) - c.paused_ms / 60000.0 AS res_target,
  1440 * (julianday(f.first_status_at) - julianday(c.reported_at)) AS resp_min,
  1440 * (julianday(f.first_res) - julianday(c.reported_at)) - f.paused_first AS res_min,
  CASE WHEN c.status IN ('resolved', 'closed') THEN 1440 * (julianday(f.last_res) - julianday(c.reported_at)) - f.paused_all END AS final_min,
  1440 * (julianday(@now) - julianday(c.reported_at)) AS age_min,
  c.paused_ms / 60000.0 + CASE WHEN c.pending_since IS NOT NULL THEN 1440 * (julianday(@now) - julianday(c.pending_since)) ELSE 0 END AS paused_now,
  f.first_resolver,
  coalesce(f.reopens, 0) AS reopens, coalesce(f.returns, 0) AS returns,
  CASE WHEN coalesce(f.tier_rows, 0) = 0 THEN ${rank('c.tier')} ELSE f.max_tier END AS highest,
  coalesce(f.assignments, 0) AS assignments, coalesce(f.assigned_other, 0) AS assigned_other,
  coalesce(f.auto_esc, 0) AS auto_esc, coalesce(f.to_l3, 0) AS to_l3, coalesce(f.to_vendor, 0) AS to_vendor,
  0 AS group_dispatched
FROM c LEFT JOIN f ON f.id = c.id`;
  const named = sql.replace(/@now/g, '?');
  const nowCount = (sql.match(/@now/g) ?? []).length;
  // positional: the scope's parameters come first (they are in the first CTE), then @now for each use
  return store.db.prepare(named).all(...scope.params, ...Array(nowCount).fill(now)) as IncidentFacts[];
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

/** The scope of the query with its reported-time bounds replaced: incidents reported before `toUtc`. */
function reportedBefore(scope: ReportScope, toUtc: string): ReportScope {
  return { ...scope, params: ['', toUtc, ...scope.params.slice(2)] };
}

/** Incidents (of the filters, any reported time before T) open at instant T, by the history's status at T. */
export function openAt(store: DeskStore, scope: ReportScope, t: string) {
  const s = reportedBefore(scope, t);
  return store.db.prepare(`
    SELECT id, number, title, reported_at AS reportedAt FROM (
      SELECT i.id, i.number, i.title, i.reported_at,
        (SELECT h.status_to FROM history h WHERE h.incident_id = i.id AND h.status_to IS NOT NULL AND h.at < ?
          ORDER BY h.at DESC, h.rowid DESC LIMIT 1) AS st
      FROM incidents i
      WHERE ${s.where} AND (i.status IN ${OPEN} OR (i.status IN ('resolved', 'closed') AND i.resolved_at >= ?)))
    WHERE st IS NULL OR st IN ${OPEN}
    ORDER BY reported_at`).all(t, ...s.params, t) as Array<{ id: string; number: string; title: string; reportedAt: string }>;
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

export function computeReport(store: DeskStore, query: ReportQueryParsed): Report {
  const db = store.db;
  const now = store.now().toISOString();
  const scope = reportScope(store, query);
  const { where, params } = scope;
  const counts = (expr: string, extra = '', join = '') => (db.prepare(`SELECT ${expr} AS key, count(*) AS count FROM incidents i ${join}
    WHERE ${where} ${extra} GROUP BY 1 ORDER BY count DESC, key`).all(...params) as Bucket[]).map((b) => ({ key: b.key ?? '', count: b.count }));

  // ---- volume (straight GROUP BYs over the incidents of the period)
  const byChannel = counts('i.channel');
  const bySubcategory = counts('i.category_id');
  const byCategory = counts('coalesce(cat.parent_id, i.category_id)', '', 'LEFT JOIN categories cat ON cat.id = i.category_id');
  const byServiceType = counts('i.service_type');
  const byPriority = counts('i.priority');
  const byImpactScope = counts('i.impact_scope');
  const byDepartment = counts('i.requester_dept').map((b) => ({ ...b, label: b.key }));

  // ---- per-incident facts from the history's columns
  const facts = incidentFacts(store, scope, now);
  const pri: Record<string, { rm: number; rb: number; sm: number; sb: number; resp: number[]; res: number[]; fin: number[] }> = {};
  for (const p of PRIORITIES) pri[p] = { rm: 0, rb: 0, sm: 0, sb: 0, resp: [], res: [], fin: [] };
  const breached: Report['sla']['breached'] = [];
  let fcr = 0, firstResolved = 0, reopened = 0, reopens = 0, dispatched = 0, returned = 0, reassign = 0, auto = 0, l3 = 0, vendor = 0;
  const tiers = new Map<string, number>();
  type Acc = { label: string; handled: number; resolved: number; fcr: number; res: number[]; sat: number; rated: number };
  const agents = new Map<string, Acc>(); const groups = new Map<string, Acc>();
  const acc = (m: Map<string, Acc>, k: string) => { let a = m.get(k); if (!a) m.set(k, a = { label: k, handled: 0, resolved: 0, fcr: 0, res: [], sat: 0, rated: 0 }); return a; };
  for (const f of facts) {
    const p = pri[f.priority] ?? (pri[f.priority] = { rm: 0, rb: 0, sm: 0, sb: 0, resp: [], res: [], fin: [] });
    const c = clocks(f);
    if (c.response === 'met') p.rm++; else if (c.response === 'breached') p.rb++;
    if (c.resolution === 'met') p.sm++; else if (c.resolution === 'breached') p.sb++;
    if (c.response === 'breached') breached.push({ id: f.id, number: f.number, title: f.title, priority: f.priority, clock: 'response', overdueMin: round(c.responseOver) });
    if (c.resolution === 'breached') breached.push({ id: f.id, number: f.number, title: f.title, priority: f.priority, clock: 'resolution', overdueMin: round(c.resolutionOver) });
    if (f.resp_min !== null) p.resp.push(f.resp_min);
    if (f.res_min !== null) p.res.push(f.res_min);
    if (f.final_min !== null) p.fin.push(f.final_min);
    const resolved = f.res_min !== null;
    const isF = isFcr(f);
    if (resolved) { firstResolved++; if (f.reopens > 0) reopened++; reopens += f.reopens; }
    if (isF) fcr++;
    if (f.highest >= 2) { dispatched++; if (f.returns > 0) returned++; }
    reassign += Math.max(0, f.assignments - 1);
    if (f.auto_esc) auto++;
    if (f.to_l3) l3++;
    if (f.to_vendor) vendor++;
    const tier = TIER_OF_RANK[f.highest] || 'L1';
    tiers.set(tier, (tiers.get(tier) ?? 0) + 1);
    for (const a of [acc(agents, f.assignee_id ?? f.owner_id), acc(groups, f.group_name ?? '')]) {
      a.handled++;
      if (resolved) { a.resolved++; a.res.push(f.res_min!); }
      if (isF) a.fcr++;
      if (f.satisfaction != null) { a.sat += f.satisfaction; a.rated++; }
    }
  }
  breached.sort((a, b) => b.overdueMin - a.overdueMin);

  const slaBy = (k: 'r' | 's') => Object.fromEntries(Object.entries(pri).map(([p, v]) => [p, k === 'r' ? att(v.rm, v.rb) : att(v.sm, v.sb)]));
  const sum = (k: 'rm' | 'rb' | 'sm' | 'sb') => Object.values(pri).reduce((n, v) => n + v[k], 0);
  const statBy = (k: 'resp' | 'res' | 'fin') => Object.fromEntries(Object.entries(pri).map(([p, v]) => [p, stat(v[k])]));

  // returned-to-first-line by the group that returned it (the group set last before the return)
  const retRows = db.prepare(`
    WITH c AS MATERIALIZED (SELECT i.id FROM incidents i WHERE ${where}),
    d AS (SELECT DISTINCT h.incident_id AS id, h.group_to AS g FROM c JOIN history h ON h.incident_id = c.id
      WHERE h.group_to IS NOT NULL AND EXISTS (SELECT 1 FROM history t WHERE t.incident_id = c.id AND t.tier_to IN ('L2', 'L3', 'vendor'))),
    r AS (SELECT DISTINCT h.incident_id AS id, (SELECT g.group_to FROM history g WHERE g.incident_id = h.incident_id AND g.group_to IS NOT NULL
        AND g.at <= h.at ORDER BY g.at DESC, g.rowid DESC LIMIT 1) AS g
      FROM c JOIN history h ON h.incident_id = c.id WHERE h.status_to = 'returned')
    SELECT g AS key, sum(kind = 'd') AS dispatched, sum(kind = 'r') AS returned FROM (
      SELECT id, g, 'd' AS kind FROM d UNION ALL SELECT id, g, 'r' FROM r WHERE g IS NOT NULL)
    GROUP BY g ORDER BY returned DESC, dispatched DESC, g`).all(...params) as Array<{ key: string; dispatched: number; returned: number }>;

  // ---- totals and backlog
  const totals = db.prepare(`SELECT count(*) AS created, sum(i.status = 'closed') AS closed FROM incidents i WHERE ${where}`).get(...params) as { created: number; closed: number | null };
  const endT = scope.toUtc < now ? scope.toUtc : now;
  const open = openAt(store, scope, endT);
  const endMs = Date.parse(endT);
  const byAgeBand: Record<AgeBand, number> = Object.fromEntries(AGE_BANDS.map((b) => [b, 0])) as Record<AgeBand, number>;
  for (const o of open) byAgeBand[ageBand((endMs - Date.parse(o.reportedAt)) / 60000)]++;
  const oldest = open.slice(0, MAX_LIST).map((o) => ({ ...o, ageMin: Math.round((endMs - Date.parse(o.reportedAt)) / 60000) }));

  // ---- trend: created by reported slot, resolved by first-resolution events, open at each period's end by the flow of status events
  const periods = trendPeriods(query);
  const created = db.prepare(`SELECT ${slot('i.reported_at')} AS s, count(*) AS n FROM incidents i WHERE ${where} GROUP BY 1`).all(...params) as Array<{ s: string; n: number }>;
  const all = reportedBefore(scope, scope.toUtc);
  const flowSql = `SELECT ${slot('h.at')} AS s,
      sum(h.status_to = 'resolved' AND NOT EXISTS (SELECT 1 FROM history p WHERE p.incident_id = h.incident_id AND p.status_to = 'resolved' AND (p.at < h.at OR (p.at = h.at AND p.rowid < h.rowid)))) AS resolved,
      sum((h.status_to IN ${OPEN}) - (coalesce(h.status_from, 'new') IN ${OPEN})) AS delta
    FROM history h JOIN incidents i ON i.id = h.incident_id
    WHERE h.status_to IS NOT NULL AND h.at >= ? AND h.at < ? AND ${all.where} GROUP BY 1`;
  const flows = db.prepare(flowSql).all(scope.fromUtc, scope.toUtc, ...all.params) as Array<{ s: string; resolved: number; delta: number }>;
  const trend: TrendPoint[] = periods.map((p) => ({ period: p.period, created: 0, resolved: 0, openAtEnd: 0 }));
  const periodOf = (s: string) => {
    const t = Date.parse(`${s}:00Z`);
    let lo = 0, hi = periods.length - 1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (t < periods[mid].startUtc) hi = mid - 1; else if (t >= periods[mid].endUtc) lo = mid + 1; else return mid; }
    return -1;
  };
  const delta = new Array(periods.length).fill(0);
  for (const r of created) { const k = periodOf(r.s); if (k >= 0) { trend[k].created += r.n; delta[k] += r.n; } }
  for (const r of flows) { const k = periodOf(r.s); if (k >= 0) { trend[k].resolved += r.resolved; delta[k] += r.delta; } }
  let running = periods.length ? openAt(store, scope, scope.fromUtc).length : 0;
  for (let k = 0; k < periods.length; k++) { running += delta[k]; trend[k].openAtEnd = running; }

  // ---- satisfaction
  const sat = db.prepare(`SELECT sum(i.satisfaction IS NOT NULL) AS rated, sum(i.status IN ('resolved', 'closed')) AS of, avg(i.satisfaction) AS average,
      sum(i.satisfaction = 1) AS s1, sum(i.satisfaction = 2) AS s2, sum(i.satisfaction = 3) AS s3, sum(i.satisfaction = 4) AS s4, sum(i.satisfaction = 5) AS s5
    FROM incidents i WHERE ${where}`).get(...params) as Record<string, number | null>;
  const comments = db.prepare(`SELECT i.id, i.number, i.satisfaction AS rating, i.satisfaction_comment AS comment FROM incidents i
    WHERE ${where} AND i.satisfaction IS NOT NULL AND coalesce(trim(i.satisfaction_comment), '') <> '' ORDER BY i.reported_at DESC LIMIT 200`).all(...params) as Report['satisfaction']['comments'];

  // ---- back-fill (recorded − reported) and imports counted apart
  const delays = db.prepare(`SELECT i.created_by AS k, coalesce(u.name, i.created_by) AS label, 1440 * (julianday(i.recorded_at) - julianday(i.reported_at)) AS d
    FROM incidents i LEFT JOIN users u ON u.id = i.created_by WHERE ${where} AND i.backfilled = 1 ORDER BY k, d`).all(...params) as Array<{ k: string; label: string; d: number }>;
  const byTech = new Map<string, { label: string; d: number[] }>();
  for (const r of delays) { let t = byTech.get(r.k); if (!t) byTech.set(r.k, t = { label: r.label, d: [] }); t.d.push(r.d); }
  const importScope = reportScope(store, { ...query, filters: { ...query.filters, origins: ['import'] } });
  const imported = db.prepare(`SELECT count(*) FROM incidents i WHERE ${importScope.where}`).pluck().get(...importScope.params) as number;

  // ---- recurring faults
  const top = (expr: string, extra: string, label?: string) => db.prepare(`SELECT ${expr} AS key, count(*) AS count${label ? `, ${label} AS label` : ''}
    FROM incidents i WHERE ${where} ${extra} GROUP BY 1 ORDER BY count DESC, key LIMIT ${MAX_LIST}`).all(...params) as Bucket[];
  const strip = (b: Bucket[]) => b.map((x) => (x.label == null ? { key: x.key, count: x.count } : x));

  // ---- people (labels: user names, free text)
  const names = new Map((db.prepare('SELECT id, name FROM users').all() as Array<{ id: string; name: string }>).map((u) => [u.id, u.name]));
  const person = ([key, a]: [string, Acc], label: string): PersonRow => ({
    key, label, handled: a.handled, resolved: a.resolved, fcr: a.fcr, fcrRate: rate(a.fcr, a.resolved),
    meanResolveMin: stat(a.res).meanMin, satisfactionAvg: a.rated ? round(a.sat / a.rated) : null, rated: a.rated,
  });
  const byHandled = (a: PersonRow, b: PersonRow) => b.handled - a.handled || a.key.localeCompare(b.key);

  return {
    query,
    range: { fromUtc: scope.fromUtc, toUtc: scope.toUtc },
    generatedAt: now,
    totals: { created: totals.created, resolved: firstResolved, closed: totals.closed ?? 0, openAtEnd: open.length },
    volume: { byChannel, byCategory, bySubcategory, byServiceType, byPriority, byImpactScope, byDepartment, trend },
    sla: {
      response: { byPriority: slaBy('r'), all: att(sum('rm'), sum('rb')) },
      resolution: { byPriority: slaBy('s'), all: att(sum('sm'), sum('sb')) },
      timeToRespond: statBy('resp'), timeToResolve: statBy('res'), timeToFinalResolve: statBy('fin'),
      breached: breached.slice(0, MAX_BREACHED),
    },
    quality: {
      fcr: { count: fcr, of: firstResolved, rate: rate(fcr, firstResolved) },
      reopen: { reopened, resolved: firstResolved, rate: rate(reopened, firstResolved), reopensPerIncident: firstResolved ? round(reopens / firstResolved) : null },
      returned: { returned, dispatched, rate: rate(returned, dispatched), byGroup: retRows.map((r) => ({ ...r, rate: rate(r.returned, r.dispatched) })) },
      reassignmentsPerIncident: facts.length ? round(reassign / facts.length) : null,
      escalations: { autoP3toP2: auto, toL3: l3, toVendor: vendor },
      highestTier: ['L1', 'L2', 'L3', 'vendor'].filter((t) => tiers.has(t)).map((t) => ({ key: t, count: tiers.get(t)! })),
      major: db.prepare(`SELECT count(*) FROM incidents i WHERE ${where} AND i.major_reasons <> '[]'`).pluck().get(...params) as number,
    },
    backlog: { byAgeBand, oldest },
    satisfaction: {
      rated: sat.rated ?? 0, of: sat.of ?? 0, share: rate(sat.rated ?? 0, sat.of ?? 0), average: sat.average == null ? null : round(sat.average),
      distribution: { 1: sat.s1 ?? 0, 2: sat.s2 ?? 0, 3: sat.s3 ?? 0, 4: sat.s4 ?? 0, 5: sat.s5 ?? 0 },
      comments,
    },
    backfill: {
      count: delays.length,
      delay: stat(delays.map((r) => r.d)),
      byTechnician: [...byTech].map(([key, t]) => ({ key, label: t.label, count: t.d.length, medianDelayMin: quantile(t.d, 0.5), p90DelayMin: quantile(t.d, 0.9) }))
        .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
      imported,
    },
    people: {
      byAgent: [...agents].map((e) => person(e, names.get(e[0]) ?? e[0])).sort(byHandled),
      byGroup: [...groups].map((e) => person(e, e[0])).sort(byHandled),
    },
    recurring: {
      categories: strip(top('i.category_id', '')),
      systems: top('i.affected_name', "AND coalesce(trim(i.affected_name), '') <> ''", 'i.affected_name'),
      requesters: top('coalesce(i.requester_id, i.requester_name)', '', 'max(i.requester_name)'),
    },
  };
}

export function ageBand(min: number): AgeBand {
  const d = min / 1440;
  return d < 1 ? 'lt1d' : d < 3 ? 'd1to3' : d < 7 ? 'd3to7' : d <= 30 ? 'd7to30' : 'gt30d';
}

export { localDateOf };
