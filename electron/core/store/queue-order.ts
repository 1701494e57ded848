// The queue's orders (issue 14). `urgency`, the default, is what a hotline agent works down: new P1
// and P2 incidents nobody has taken yet on top, then by the nearer of the two SLA clocks (response
// until first response, resolution) — breached ones come first as their due time has passed. The
// SLA column sorts by it too. Migration 012 indexes HOT and DUE as written here (SQLite matches
// index expressions term by term), so the default order reads its pages from the index.

export const QUEUE_SORT_KEYS = ['urgency', 'priority', 'number', 'title', 'requester', 'category', 'status', 'assignee'] as const;
export type QueueSortKey = typeof QUEUE_SORT_KEYS[number];
export type SortDir = 'asc' | 'desc';

/** 1 for a new P1/P2 incident nobody has taken (status `new`), else 0. */
export const HOT = `(i.status = 'new' AND i.priority IN ('P1','P2'))`;
/** The nearer due time: the response clock while there has been no first response, then the resolution clock. */
export const DUE = `(CASE WHEN i.first_response_at IS NULL AND i.response_due_at < i.resolve_due_at THEN i.response_due_at ELSE i.resolve_due_at END)`;

const STATUS_ORDER = `(CASE i.status WHEN 'new' THEN 0 WHEN 'reopened' THEN 1 WHEN 'returned' THEN 2 WHEN 'assigned' THEN 3 WHEN 'in_progress' THEN 4 WHEN 'pending' THEN 5 WHEN 'resolved' THEN 6 ELSE 7 END)`;

const PRIMARY: Record<QueueSortKey, string[]> = {
  urgency: [`${HOT} DESC`, DUE],
  priority: ['i.priority', DUE],
  number: ['i.number'],
  title: ['i.title'],
  requester: ['i.requester_name'],
  category: ['i.category_id'],
  status: [STATUS_ORDER, DUE],
  assignee: ['i.group_name', 'i.assignee_id', DUE],
};

/**
 * The ORDER BY terms for a sort (without the keyword). Descending reverses every term, so an index
 * can be read backwards. `tieBreak` adds the rowid where a sort (not an index) orders the rows, so
 * equal keys keep one order from page to page; an index scan has its own fixed order.
 */
export function queueOrder(key: QueueSortKey, dir: SortDir, tieBreak = false): string {
  const flip = (term: string) => (term.endsWith(' DESC') ? term.slice(0, -5) : `${term} DESC`);
  const terms = tieBreak ? [...PRIMARY[key], 'i.rowid'] : PRIMARY[key];
  return (dir === 'desc' ? terms.map(flip) : terms).join(', ');
}

type Prepare = (sql: string) => { all(...args: unknown[]): unknown[]; pluck(): { get(...args: unknown[]): unknown } };

/**
 * One page of the queue in the chosen order. Over open incidents (`indexed`: the WHERE carries the
 * open-status term of the partial indexes) the page comes from that order's index (migration 012):
 * live work first and imported history after it in either direction, each part read in index order.
 * Finished incidents have no urgency: their default order is the resolution due time (incidents_status).
 */
export function queuePage(prepare: Prepare, o: { select: string; where: string; args: unknown[]; total: number; indexed: boolean; sort: QueueSortKey; dir: SortDir; offset: number; limit: number }): unknown[] {
  if (!o.indexed) {
    const order = o.sort === 'urgency' ? (o.dir === 'desc' ? 'i.resolve_due_at DESC, i.rowid DESC' : 'i.resolve_due_at, i.rowid') : queueOrder(o.sort, o.dir, true);
    return prepare(`SELECT ${o.select} FROM incidents i WHERE ${o.where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...o.args, o.limit, o.offset);
  }
  // Imported history is usually a small part (none at all on most desks): count it, not the live work.
  const history = prepare(`SELECT count(*) FROM incidents i INDEXED BY incidents_open_queue WHERE ${o.where} AND i.imported_history = 1`).pluck().get(...o.args) as number;
  const live = o.total - history;
  const part = (history: 0 | 1, offset: number, limit: number) => prepare(
    `SELECT ${o.select} FROM incidents i INDEXED BY incidents_queue_${o.sort} WHERE ${o.where} AND i.imported_history = ${history} ORDER BY ${queueOrder(o.sort, o.dir)} LIMIT ? OFFSET ?`,
  ).all(...o.args, limit, offset);
  const rows = o.offset < live ? part(0, o.offset, Math.min(o.limit, live - o.offset)) : [];
  if (rows.length < o.limit && history > 0) rows.push(...part(1, Math.max(0, o.offset - live), o.limit - rows.length));
  return rows;
}
