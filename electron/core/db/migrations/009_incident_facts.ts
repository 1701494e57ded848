/**
 * Reports (issue 11) read what an incident's history says from columns on the incident itself, so a
 * report is plain GROUP BYs over the period's incidents instead of grouping 7 history rows per
 * incident on every report. The facts (REPORTS.md, "Per-incident facts"):
 *
 *   fact_first_status_at    the first status transition (the response clock stops there)
 *   fact_first_res_at       the first resolution event (to resolved, or to closed from anything but resolved)
 *   fact_first_resolver     its actor (ties at the same instant: the smallest actor id)
 *   fact_final_res_at       the last resolution event
 *   fact_pending_first_min  minutes spent pending before the first resolution (Σ ends − Σ starts up to it)
 *   fact_pending_final_min  the same before the last resolution
 *   fact_reopens, fact_returns     transitions to reopened / returned
 *   fact_tier_rows, fact_max_tier  tier changes, and the highest tier rank among their from/to (L1 1 … vendor 4)
 *   fact_assignments        history rows setting an assignee
 *   fact_assigned_other     of those, to someone other than the incident's recorder (created_by)
 *   fact_auto_esc           a priority change by the automatic P3→P2 rule (0/1)
 *   fact_to_l3, fact_to_vendor     a tier change to L3 / vendor (0/1)
 *   fact_flow               how the incident's status events move the open count (the trend): 0 none;
 *                           1 one step out of open work, at fact_first_res_at, and none back in; 2 anything else
 *                           (reopened, or irregular trails): the trend reads those incidents' events
 *
 * One mechanism for every writer (the store, sync's pulled pages, import, undoing a refused change,
 * sample removal, adopting an identity): triggers on history (insert, delete, update of a fact column)
 * and on incidents.created_by recompute the incident's facts from its whole history in the same
 * statement, hence in the writer's transaction. A full recomputation, not an increment: rows pulled
 * out of time order, replayed rows (INSERT OR IGNORE fires nothing) and deletions all give the
 * from-scratch answer; an incident has a handful of fact rows, read from the covering index
 * history_facts. History rows that carry no fact (created, notes, other fields) fire nothing. An
 * import defers them and recomputes its own incidents once, before its COMMIT (reports/facts.ts).
 *
 * Frozen once released, like every migration: a later change of a definition is a new migration that
 * replaces the triggers and refills the columns.
 */

const TIER_RANK = (col: string) => `CASE ${col} WHEN 'L1' THEN 1 WHEN 'L2' THEN 2 WHEN 'L3' THEN 3 WHEN 'vendor' THEN 4 ELSE 0 END`;
const RES = "(h.status_to = 'resolved' OR (h.status_to = 'closed' AND coalesce(h.status_from, '') <> 'resolved'))";
const OPEN = "('new','assigned','in_progress','pending','reopened','returned')";
export const LIVE = 'NOT EXISTS (SELECT 1 FROM incident_facts_deferred)';
export const HAS_FACT = (r: string) => `(${r}.status_to IS NOT NULL OR ${r}.tier_to IS NOT NULL OR ${r}.assignee_to IS NOT NULL OR ${r}.auto_escalated = 1)`;

export const FACT_COLUMNS = [
  'fact_first_status_at', 'fact_first_res_at', 'fact_first_resolver', 'fact_final_res_at', 'fact_pending_first_min', 'fact_pending_final_min',
  'fact_reopens', 'fact_returns', 'fact_tier_rows', 'fact_max_tier', 'fact_assignments', 'fact_assigned_other', 'fact_auto_esc', 'fact_to_l3', 'fact_to_vendor', 'fact_flow',
] as const;

/** Pending minutes up to `bound` (an ISO time) of the incident `incidents.id`, as the reports have always summed them. */
const pendingBefore = (bound: string) => `(SELECT 1440 * (total(CASE WHEN p.status_from = 'pending' THEN julianday(p.at) END) - total(CASE WHEN p.status_to = 'pending' THEN julianday(p.at) END))
    FROM history p WHERE p.incident_id = incidents.id AND (p.status_from = 'pending' OR p.status_to = 'pending') AND p.at <= ${bound})`;

/**
 * `UPDATE incidents SET <every fact> = <recomputed from its history> WHERE <where>`: the one
 * recomputation, used by the triggers, this migration's fill and a bulk refresh (reports/facts.ts).
 */
export const refreshFactsSql = (where: string) => `UPDATE incidents SET (${FACT_COLUMNS.join(', ')}) = (
  SELECT a.first_status_at, substr(a.first_res, 1, 24), substr(a.first_res, 25), a.last_res,
    CASE WHEN a.pendings > 0 AND a.first_res IS NOT NULL THEN ${pendingBefore('substr(a.first_res, 1, 24)')} ELSE 0 END,
    CASE WHEN a.pendings > 0 AND a.last_res IS NOT NULL THEN ${pendingBefore('a.last_res')} ELSE 0 END,
    a.reopens, a.returns, a.tier_rows, a.max_tier, a.assignments, a.assigned_other, a.auto_esc, a.to_l3, a.to_vendor,
    CASE WHEN a.flow_in = 0 AND a.flow_out = 0 THEN 0 WHEN a.flow_in = 0 AND a.flow_out = 1 AND a.flow_out_at = substr(a.first_res, 1, 24) THEN 1 ELSE 2 END
  FROM (SELECT
      min(CASE WHEN h.status_to IS NOT NULL THEN h.at END) AS first_status_at,
      min(CASE WHEN ${RES} THEN h.at || h.actor_id END) AS first_res,
      max(CASE WHEN ${RES} THEN h.at END) AS last_res,
      count(CASE WHEN h.status_to = 'pending' THEN 1 END) AS pendings,
      count(CASE WHEN h.status_to = 'reopened' THEN 1 END) AS reopens,
      count(CASE WHEN h.status_to = 'returned' THEN 1 END) AS returns,
      count(h.tier_to) AS tier_rows,
      coalesce(max(max(${TIER_RANK('h.tier_from')}), max(${TIER_RANK('h.tier_to')})), 0) AS max_tier,
      count(h.assignee_to) AS assignments,
      count(CASE WHEN h.assignee_to <> incidents.created_by THEN 1 END) AS assigned_other,
      coalesce(max(h.auto_escalated), 0) AS auto_esc,
      count(CASE WHEN h.tier_to = 'L3' THEN 1 END) > 0 AS to_l3,
      count(CASE WHEN h.tier_to = 'vendor' THEN 1 END) > 0 AS to_vendor,
      count(CASE WHEN h.status_to IN ('resolved', 'closed') AND coalesce(h.status_from, 'new') IN ${OPEN} THEN 1 END) AS flow_out,
      min(CASE WHEN h.status_to IN ('resolved', 'closed') AND coalesce(h.status_from, 'new') IN ${OPEN} THEN h.at END) AS flow_out_at,
      count(CASE WHEN h.status_to = 'reopened' AND coalesce(h.status_from, 'new') NOT IN ${OPEN} THEN 1 END) AS flow_in
    FROM history h WHERE h.incident_id = incidents.id AND ${HAS_FACT('h')}) a)
WHERE ${where}`;

export default {
  id: 9,
  name: 'incident_facts',
  sql: /* sql */ `
ALTER TABLE incidents ADD COLUMN fact_first_status_at TEXT;
ALTER TABLE incidents ADD COLUMN fact_first_res_at TEXT;
ALTER TABLE incidents ADD COLUMN fact_first_resolver TEXT;
ALTER TABLE incidents ADD COLUMN fact_final_res_at TEXT;
ALTER TABLE incidents ADD COLUMN fact_pending_first_min REAL NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN fact_pending_final_min REAL NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN fact_reopens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN fact_returns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN fact_tier_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN fact_max_tier INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN fact_assignments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN fact_assigned_other INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN fact_auto_esc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN fact_to_l3 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN fact_to_vendor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN fact_flow INTEGER NOT NULL DEFAULT 0;

${refreshFactsSql(`id IN (SELECT DISTINCT incident_id FROM history WHERE ${HAS_FACT('history')})`)};

-- A bulk writer (an import of thousands of incidents in one transaction) may defer the triggers and
-- recompute its incidents once at the end, in the same transaction (reports/facts.ts): a row here,
-- inserted and deleted inside that transaction, so no other connection ever sees it.
CREATE TABLE incident_facts_deferred (id INTEGER PRIMARY KEY CHECK (id = 1));

CREATE TRIGGER history_facts_insert AFTER INSERT ON history WHEN ${HAS_FACT('new')} AND ${LIVE}
BEGIN ${refreshFactsSql('id = new.incident_id')}; END;

CREATE TRIGGER history_facts_delete AFTER DELETE ON history WHEN ${HAS_FACT('old')} AND ${LIVE}
BEGIN ${refreshFactsSql('id = old.incident_id')}; END;

CREATE TRIGGER history_facts_update AFTER UPDATE OF incident_id, at, actor_id, status_from, status_to, tier_from, tier_to, assignee_to, auto_escalated ON history
  WHEN (${HAS_FACT('old')} OR ${HAS_FACT('new')}) AND ${LIVE}
BEGIN ${refreshFactsSql('id IN (old.incident_id, new.incident_id)')}; END;

-- The backlog at an instant T reads the incidents resolved after T that were reported before it:
-- with reported_at, status and the origin columns in the index, the many resolved after T but
-- reported after it too are passed over in the index (a year's report read every incident row for this).
DROP INDEX IF EXISTS incidents_resolved;
CREATE INDEX incidents_resolved ON incidents(resolved_at, reported_at, status, origin, backfilled) WHERE resolved_at IS NOT NULL;

-- The trend: first resolutions by time, and the few incidents whose events it must read one by one.
CREATE INDEX incidents_first_res ON incidents(fact_first_res_at, reported_at, fact_flow, origin, backfilled) WHERE fact_first_res_at IS NOT NULL;
CREATE INDEX incidents_flow_irregular ON incidents(reported_at) WHERE fact_flow = 2;

-- assigned_other compares with the recorder (an identity adopted at sign-in changes it)
CREATE TRIGGER incident_facts_recorder AFTER UPDATE OF created_by ON incidents WHEN old.created_by IS NOT new.created_by
BEGIN ${refreshFactsSql('id = new.id')}; END;
`,
};
