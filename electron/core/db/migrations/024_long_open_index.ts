/**
 * Issue 11: the backlog at an instant T (a report's start and end) reads the incidents reported before
 * T and resolved after it. Through `incidents_resolved` that scanned every incident resolved after T
 * (a year's report, at its start: two thirds of a million index entries) to keep the few reported
 * before it. The candidates are now read in two parts (reports/compute.ts, `openAt`): those reported in
 * the 31 days before T, through the reported_at index, and the long-lived ones, resolved more than 30
 * days after they were reported, through this partial index — few, whatever the store's size.
 * The expression is the one `openAt` repeats, as SQLite uses a partial index only for a query that
 * states its condition (date functions without 'now' are deterministic, so allowed here).
 */
export const LONG_OPEN = (r: string) => `${r}.resolved_at > strftime('%Y-%m-%dT%H:%M:%fZ', ${r}.reported_at, '+30 days')`;

export default {
  id: 24,
  name: 'long_open_index',
  sql: /* sql */ `
CREATE INDEX incidents_long_open ON incidents(resolved_at) WHERE ${LONG_OPEN('incidents').replaceAll('incidents.', '')};
`,
};
