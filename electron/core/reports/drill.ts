import type { DeskStore } from '../store/desk-store.js';
import { DeskInputError } from '../store/errors.js';
import { QUEUE_SELECT, queueRowFromRow, type Row } from '../store/rows.js';
import { reportDrillSchema, reportQuerySchema, type ReportDrill } from '../../../shared/reports.js';
import type { QueueRow } from '../../../shared/index.js';
import { ageBand, clocks, incidentFacts, isFcr, openAt, TIER_OF_RANK, type IncidentFacts } from './compute.js';
import { localDayStartUtc, reportScope } from './scope.js';

/**
 * The incidents behind a figure of a report (issue 11): the same scope and the same definitions as
 * `computeReport`, so a bar's count and the rows it opens agree. Figures are named as in `Report`
 * ('volume.byChannel', 'sla.resolution.breached', 'backlog.byAgeBand' …) and `key` is the bucket's key.
 * Read-only.
 */

/** Figures answered by a WHERE over the incidents of the period: figure → SQL with `?` for the key. */
const COLUMN_FIGURES: Record<string, { sql: string; keyed: boolean }> = {
  'totals.created': { sql: '1', keyed: false },
  'volume': { sql: '1', keyed: false },
  'totals.closed': { sql: "i.status = 'closed'", keyed: false },
  'volume.byChannel': { sql: 'i.channel = ?', keyed: true },
  'volume.bySubcategory': { sql: 'i.category_id = ?', keyed: true },
  'recurring.categories': { sql: 'i.category_id = ?', keyed: true },
  'volume.byCategory': { sql: 'coalesce((SELECT cat.parent_id FROM categories cat WHERE cat.id = i.category_id), i.category_id) = ?', keyed: true },
  'volume.byServiceType': { sql: 'i.service_type = ?', keyed: true },
  'volume.byPriority': { sql: 'i.priority = ?', keyed: true },
  'volume.byImpactScope': { sql: 'i.impact_scope = ?', keyed: true },
  'volume.byDepartment': { sql: "coalesce(i.requester_dept, '') = ?", keyed: true },
  'recurring.systems': { sql: 'i.affected_name = ?', keyed: true },
  'recurring.requesters': { sql: 'coalesce(i.requester_id, i.requester_name) = ?', keyed: true },
  'quality.major': { sql: "i.major_reasons <> '[]'", keyed: false },
  'satisfaction': { sql: 'i.satisfaction IS NOT NULL', keyed: false },
  'satisfaction.distribution': { sql: 'i.satisfaction = CAST(? AS INTEGER)', keyed: true },
  'satisfaction.comments': { sql: "i.satisfaction IS NOT NULL AND coalesce(trim(i.satisfaction_comment), '') <> ''", keyed: false },
  'backfill': { sql: 'i.backfilled = 1', keyed: false },
  'backfill.count': { sql: 'i.backfilled = 1', keyed: false },
  'backfill.byTechnician': { sql: 'i.backfilled = 1 AND i.created_by = ?', keyed: true },
};

/** Figures answered from the per-incident history facts: figure → predicate(facts, key). */
const FACT_FIGURES: Record<string, (f: IncidentFacts, key: string | null) => boolean> = {
  'totals.resolved': (f) => f.res_min !== null,
  'quality.fcr': (f) => isFcr(f),
  'quality.reopen': (f) => f.res_min !== null && f.reopens > 0,
  'quality.returned': (f) => f.highest >= 2 && f.returns > 0,
  'quality.highestTier': (f, k) => (TIER_OF_RANK[f.highest] || 'L1') === k,
  'quality.escalations': (f, k) => (k === 'autoP3toP2' ? f.auto_esc === 1 : k === 'toL3' ? f.to_l3 === 1 : k === 'toVendor' ? f.to_vendor === 1
    : k === 'toManagement' ? f.to_mgmt === 1 : f.auto_esc + f.to_l3 + f.to_vendor + f.to_mgmt > 0),
  'sla.response': (f, k) => clocks(f).response !== null && (!k || f.priority === k),
  'sla.resolution': (f, k) => clocks(f).resolution !== null && (!k || f.priority === k),
  'sla.response.byPriority': (f, k) => clocks(f).response !== null && (!k || f.priority === k),
  'sla.resolution.byPriority': (f, k) => clocks(f).resolution !== null && (!k || f.priority === k),
  'sla.response.met': (f, k) => clocks(f).response === 'met' && (!k || f.priority === k),
  'sla.resolution.met': (f, k) => clocks(f).resolution === 'met' && (!k || f.priority === k),
  'sla.response.breached': (f, k) => clocks(f).response === 'breached' && (!k || f.priority === k),
  'sla.resolution.breached': (f, k) => clocks(f).resolution === 'breached' && (!k || f.priority === k),
  'sla.breached': (f, k) => { const c = clocks(f); return (c.response === 'breached' || c.resolution === 'breached') && (!k || f.priority === k); },
  'sla.timeToRespond': (f, k) => f.resp_min !== null && (!k || f.priority === k),
  'sla.timeToResolve': (f, k) => f.res_min !== null && (!k || f.priority === k),
  'sla.timeToFinalResolve': (f, k) => f.final_min !== null && (!k || f.priority === k),
  'people.byAgent': (f, k) => (f.assignee_id ?? f.owner_id) === k,
  'people.byGroup': (f, k) => (f.group_name ?? '') === (k ?? ''),
};

const BACKLOG_FIGURES = new Set(['totals.openAtEnd', 'backlog', 'backlog.byAgeBand', 'backlog.oldest']);

export function drillReport(store: DeskStore, input: ReportDrill): { rows: QueueRow[]; total: number } {
  const drill = reportDrillSchema.parse(input);
  const query = reportQuerySchema.parse(drill.query);
  const scope = reportScope(store, query);
  const { figure, key, offset, limit } = drill;
  const db = store.db;

  const column = COLUMN_FIGURES[figure];
  if (column) {
    if (column.keyed && key === null) throw new DeskInputError([{ path: 'key', message: `required for ${figure}` }]);
    const params = [...scope.params, ...(column.keyed ? [key] : [])];
    const where = `${scope.where} AND ${column.sql}`;
    const total = db.prepare(`SELECT count(*) FROM incidents i WHERE ${where}`).pluck().get(...params) as number;
    const rows = (db.prepare(`SELECT ${QUEUE_SELECT} FROM incidents i WHERE ${where} ORDER BY i.reported_at, i.id LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as Row[]).map(queueRowFromRow);
    return { rows, total };
  }
  if (figure === 'volume.trend') {
    if (key === null) throw new DeskInputError([{ path: 'key', message: 'required for volume.trend (the period)' }]);
    // the period's created incidents: reported from the period's first local day to the next period's (or the range's end)
    const start = new Date(localDayStartUtc(key, query.timeZone)).toISOString();
    const params = [...scope.params, start];
    const where = `${scope.where} AND i.reported_at >= ?`;
    const ids = (db.prepare(`SELECT i.id, i.reported_at FROM incidents i WHERE ${where} ORDER BY i.reported_at, i.id`).all(...params) as Array<{ id: string; reported_at: string }>);
    return page(store, ids.filter((r) => periodKeyOf(query, r.reported_at) === key).map((r) => r.id), offset, limit);
  }
  if (figure === 'backfill.imported') {
    // Imported incidents of the period, counted apart from live work whatever the origins filter says (as computeReport counts them).
    const imp = reportScope(store, { ...query, filters: { ...query.filters, origins: ['import'] } });
    const total = db.prepare(`SELECT count(*) FROM incidents i WHERE ${imp.where}`).pluck().get(...imp.params) as number;
    const rows = (db.prepare(`SELECT ${QUEUE_SELECT} FROM incidents i WHERE ${imp.where} ORDER BY i.reported_at, i.id LIMIT ? OFFSET ?`)
      .all(...imp.params, limit, offset) as Row[]).map(queueRowFromRow);
    return { rows, total };
  }
  if (figure === 'quality.returned.byGroup') {
    if (key === null) throw new DeskInputError([{ path: 'key', message: 'required for quality.returned.byGroup (the group)' }]);
    // Returned incidents by the group that held them when they were returned (the group set last before
    // the return): the fact column the report counts them by (migration 023).
    const ids = db.prepare(`SELECT i.id FROM incidents i WHERE ${scope.where}
        AND instr(char(31) || i.fact_returned_groups || char(31), char(31) || ? || char(31)) > 0 ORDER BY i.id`).pluck().all(...scope.params, key) as string[];
    return page(store, ids, offset, limit);
  }
  const fact = FACT_FIGURES[figure];
  if (fact) {
    const facts = incidentFacts(store, scope, store.now().toISOString());
    return page(store, facts.filter((f) => fact(f, key)).map((f) => f.id), offset, limit);
  }
  if (BACKLOG_FIGURES.has(figure)) {
    const now = store.now().toISOString();
    const end = scope.toUtc < now ? scope.toUtc : now;
    const endMs = Date.parse(end);
    const open = openAt(store, scope, end).filter((o) => figure !== 'backlog.byAgeBand' || key === null || ageBand((endMs - Date.parse(o.reportedAt)) / 60000) === key);
    return page(store, open.map((o) => o.id), offset, limit);
  }
  throw new DeskInputError([{ path: 'figure', message: `unknown figure: ${figure}` }]);
}

/** The trend period (its first local day) an instant falls in. */
function periodKeyOf(query: { from: string; grain: string; timeZone: string }, iso: string): string {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: query.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const local = fmt.format(new Date(iso)); // YYYY-MM-DD
  let k = local;
  if (query.grain === 'week') {
    const dow = (new Date(`${local}T00:00:00Z`).getUTCDay() + 6) % 7;
    k = new Date(Date.parse(`${local}T00:00:00Z`) - dow * 86_400_000).toISOString().slice(0, 10);
  } else if (query.grain === 'month') k = `${local.slice(0, 7)}-01`;
  return k < query.from ? query.from : k;
}

function page(store: DeskStore, ids: string[], offset: number, limit: number): { rows: QueueRow[]; total: number } {
  const slice = ids.slice(offset, offset + limit);
  if (!slice.length) return { rows: [], total: ids.length };
  const got = new Map((store.db.prepare(`SELECT ${QUEUE_SELECT} FROM incidents i WHERE i.id IN (${slice.map(() => '?').join(',')})`).all(...slice) as Row[])
    .map((r) => [r.id as string, queueRowFromRow(r)]));
  return { rows: slice.map((id) => got.get(id)!).filter(Boolean), total: ids.length };
}
