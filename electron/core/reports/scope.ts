import type { DeskStore } from '../store/desk-store.js';
import { DeskInputError } from '../store/errors.js';
import type { ReportQueryParsed } from '../../../shared/reports.js';

/**
 * Which incidents a report is about (issue 11): those *reported* in [from, to) — local days in the
 * query's time zone, turned into UTC instants correctly across DST — and matching the filters.
 * The SQL is a WHERE over `incidents i`; its parameters are positional (`?`). Read-only.
 * The exporters list a report's incidents with it; `compute.ts` and `drill.ts` build on it.
 */
export interface ReportScope {
  fromUtc: string; toUtc: string; where: string; params: unknown[];
  /** The same without the origins filter (where = filterWhere AND originWhere), so one pass can also count the imported incidents. */
  filterWhere: string; filterParams: unknown[]; originWhere: string;
}

const formats = new Map<string, Intl.DateTimeFormat>(); // one formatter per zone: making one costs far more than using it
/** Offset (ms, local − UTC) of `tz` at the instant `t`. */
function offsetAt(t: number, tz: string): number {
  let f = formats.get(tz);
  if (!f) formats.set(tz, f = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }));
  const parts = f.formatToParts(new Date(t));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return asUtc - Math.floor(t / 1000) * 1000;
}

/**
 * The UTC instant at which the local day `date` (YYYY-MM-DD) begins in `tz`. Where local midnight
 * does not exist (a DST jump at midnight), the day begins at the first local instant after the gap.
 */
export function localDayStartUtc(date: string, tz: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  let t = wall - offsetAt(wall, tz);
  t = wall - offsetAt(t, tz);
  // a gap: the computed instant shows a later local day/time; the earliest instant of the day is after the jump
  const again = wall - offsetAt(t, tz);
  if (again !== t) t = Math.max(t, again);
  return t;
}

/** The local date (YYYY-MM-DD) `days` after `date` (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The local date in `tz` of the instant `t`. */
export function localDateOf(t: number, tz: string): string {
  return new Date(t + offsetAt(t, tz)).toISOString().slice(0, 10);
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export function reportScope(store: DeskStore, query: ReportQueryParsed): ReportScope {
  const fromUtc = new Date(localDayStartUtc(query.from, query.timeZone)).toISOString();
  const toUtc = new Date(localDayStartUtc(addDays(query.to, 1), query.timeZone)).toISOString();
  const where: string[] = ['i.reported_at >= ?', 'i.reported_at < ?'];
  const params: unknown[] = [fromUtc, toUtc];
  const f = query.filters;
  const issues: Array<{ path: string; message: string }> = [];

  if (f.groups?.length) { where.push(`i.group_name IN (${placeholders(f.groups.length)})`); params.push(...f.groups); }
  if (f.agents?.length) {
    const known = new Set(store.db.prepare(`SELECT id FROM users WHERE id IN (${placeholders(f.agents.length)})`).pluck().all(...f.agents) as string[]);
    const unknown = f.agents.filter((a) => !known.has(a));
    if (unknown.length) issues.push({ path: 'filters.agents', message: `unknown_user: ${unknown.join(', ')}` });
    const ph = placeholders(f.agents.length);
    where.push(`(i.owner_id IN (${ph}) OR i.assignee_id IN (${ph}))`);
    params.push(...f.agents, ...f.agents);
  }
  if (f.categories?.length) {
    // a category includes its subcategories (any depth)
    const rows = store.db.prepare(`WITH RECURSIVE t(id) AS (SELECT id FROM categories WHERE id IN (${placeholders(f.categories.length)})
      UNION SELECT c.id FROM categories c JOIN t ON c.parent_id = t.id) SELECT id FROM t`).pluck().all(...f.categories) as string[];
    const known = new Set(rows);
    const unknown = f.categories.filter((c) => !known.has(c));
    if (unknown.length) issues.push({ path: 'filters.categories', message: `unknown_category: ${unknown.join(', ')}` });
    where.push(`i.category_id IN (${placeholders(rows.length || 1)})`);
    params.push(...(rows.length ? rows : ['']));
  }
  if (f.priorities?.length) { where.push(`i.priority IN (${placeholders(f.priorities.length)})`); params.push(...f.priorities); }
  if (f.channels?.length) { where.push(`i.channel IN (${placeholders(f.channels.length)})`); params.push(...f.channels); }
  if (f.departments?.length) { where.push(`i.requester_dept IN (${placeholders(f.departments.length)})`); params.push(...f.departments); }
  if (issues.length) throw new DeskInputError(issues);

  const filterWhere = where.join(' AND ');
  const origins = new Set(f.origins);
  let originWhere = '1';
  if (origins.size < 3) {
    const or: string[] = [];
    if (origins.has('desk')) or.push("(i.origin = 'desk' AND i.backfilled = 0)");
    if (origins.has('backfill')) or.push('i.backfilled = 1');
    if (origins.has('import')) or.push("i.origin = 'import'");
    originWhere = `(${or.join(' OR ')})`;
    where.push(originWhere);
  }
  return { fromUtc, toUtc, where: where.join(' AND '), params, filterWhere, filterParams: [...params], originWhere };
}
