import { historyTriggers } from './history-triggers.js';

/**
 * Issue 11: "returned to first line by group" read the history of every dispatched incident of the
 * period on every report (a year: some 85,000 incidents, a fifth of the report's time) because which
 * group held an incident when it was returned is an event-order question. It is a fact of the incident
 * like those of migration 009, so it becomes two columns on the incident (REPORTS.md, "Returned to
 * first line"), kept from its whole history by triggers in the writer's transaction:
 *
 *   fact_dispatch_groups   the groups a dispatched incident (one with a tier change to L2, L3 or vendor)
 *                          was ever given to, distinct, joined by U+001F; NULL if none
 *   fact_returned_groups   the groups that held it when it was returned to first line (the group set
 *                          last, by time then row, at or before each return), distinct, joined by U+001F
 *
 * The history rows read: group changes, returns and tier changes to L2/L3/vendor; a return's own move
 * back to the first-line group (a group change at the instant of the return) is neither a dispatch nor
 * the returning group. The same definition the reports applied to the history before (the previous
 * query is kept in test/reports/legacy-compute.ts, which the single-pass test compares with).
 * Triggers as migration 009's: every history write that touches such a row recomputes its incident
 * from scratch (rows pulled out of time order, replays and deletions give the from-scratch answer);
 * a bulk import defers them and recomputes its own incidents before its COMMIT (reports/facts.ts).
 */
/** A history row that can change the two columns. */
export const ROUTED = (r: string) => `(${r}.group_to IS NOT NULL OR ${r}.status_to = 'returned' OR ${r}.tier_to IS NOT NULL)`;

/** The incident's routing events (see above) as a FROM source with columns at, rid, g, st, tier. */
const events = `(SELECT h.at, h.rowid AS rid, h.group_to AS g, h.status_to AS st, h.tier_to AS tier FROM history h
  WHERE h.incident_id = incidents.id AND (h.group_to IS NOT NULL OR h.status_to = 'returned' OR h.tier_to IN ('L2', 'L3', 'vendor'))
    AND NOT (h.group_to IS NOT NULL AND EXISTS (SELECT 1 FROM history y WHERE y.incident_id = h.incident_id AND y.at = h.at AND y.status_to = 'returned')))`;

/** `UPDATE incidents SET <both columns> = <recomputed from its history> WHERE <where>`: the triggers', the fill's and the import's. */
export const refreshGroupsSql = (where: string) => `UPDATE incidents SET (fact_dispatch_groups, fact_returned_groups) = (SELECT
  (SELECT group_concat(g, char(31)) FROM (SELECT DISTINCT e.g FROM ${events} e WHERE e.g IS NOT NULL ORDER BY e.g)
    WHERE EXISTS (SELECT 1 FROM ${events} t WHERE t.tier IS NOT NULL)),
  (SELECT group_concat(g, char(31)) FROM (SELECT DISTINCT (SELECT y.g FROM ${events} y WHERE y.g IS NOT NULL AND y.at <= r.at ORDER BY y.at DESC, y.rid DESC LIMIT 1) AS g
      FROM ${events} r WHERE r.st = 'returned' ORDER BY 1) WHERE g IS NOT NULL))
WHERE ${where}`;

export default {
  id: 23,
  name: 'returned_groups',
  sql: /* sql */ `
ALTER TABLE incidents ADD COLUMN fact_dispatch_groups TEXT;
ALTER TABLE incidents ADD COLUMN fact_returned_groups TEXT;
${refreshGroupsSql(`id IN (SELECT DISTINCT incident_id FROM history WHERE ${ROUTED('history')})`)};

${historyTriggers('history_groups', ROUTED, 'incident_id, at, group_to, status_to, tier_to', refreshGroupsSql)}
`,
};
