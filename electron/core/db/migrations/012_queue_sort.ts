// Issue 14: the queue sorts by any column at 100,000 incidents. One partial index per order over
// open incidents, each led by imported_history (live work, then imported history: migration 010),
// then the order's terms exactly as electron/core/store/queue-order.ts writes them (SQLite matches
// index expressions term by term), then the filter columns, so a page in any order, scope and
// filter is read from its index without sorting or touching the table. The urgency order (the
// default) puts new P1/P2 incidents first, then the nearer of the response and resolution due times.
const OPEN = `WHERE status IN ('new','assigned','in_progress','pending','reopened','returned')`;
const FILTERS = 'status, priority, category_id, channel, group_name, owner_id, assignee_id';
const HOT = `(status = 'new' AND priority IN ('P1','P2'))`;
const DUE = `(CASE WHEN first_response_at IS NULL AND response_due_at < resolve_due_at THEN response_due_at ELSE resolve_due_at END)`;
const STATUS_ORDER = `(CASE status WHEN 'new' THEN 0 WHEN 'reopened' THEN 1 WHEN 'returned' THEN 2 WHEN 'assigned' THEN 3 WHEN 'in_progress' THEN 4 WHEN 'pending' THEN 5 WHEN 'resolved' THEN 6 ELSE 7 END)`;

const ORDERS: Array<[string, string]> = [
  ['urgency', `${HOT} DESC, ${DUE}`],
  ['priority', `priority, ${DUE}`],
  ['number', 'number'],
  ['title', 'title'],
  ['requester', 'requester_name'],
  ['category', 'category_id'],
  ['status', `${STATUS_ORDER}, ${DUE}`],
  ['assignee', `group_name, assignee_id, ${DUE}`],
];

export default {
  id: 12,
  name: 'queue_sort',
  sql: ORDERS.map(([key, terms]) => `CREATE INDEX incidents_queue_${key} ON incidents(imported_history, ${terms}, ${FILTERS}) ${OPEN};`).join('\n'),
};
