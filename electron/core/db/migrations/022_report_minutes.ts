/**
 * Issue 11: a year's report read 343,000 incidents and computed about a dozen `julianday()` date
 * parses per incident for its clocks, about a third of the pass's time. The clocks' minutes are
 * facts of an incident like those of migration 009, so they become typed columns too, computed once
 * when a column they depend on changes instead of on every report (REPORTS.md, "Per-incident facts"):
 *
 *   fact_resp_target   minutes allowed to respond (reported → response due)
 *   fact_res_target    minutes allowed to resolve, paused time excluded (reported → resolve due − paused)
 *   fact_resp_min      minutes to the first response (reported → fact_first_status_at); NULL before it
 *   fact_res_min       minutes to the first resolution, pending spells before it excluded; NULL before it
 *   fact_final_min     minutes to the final resolution (resolved or closed now), pending excluded; else NULL
 *
 * The expressions are the ones the reports computed before (so every report gives the same figures).
 * Kept by two triggers on incidents, so every writer (the store, a pull, an import, the fact triggers
 * of migration 009, an SLA re-derivation) keeps them in the writer's own transaction: on insert, and on
 * an update that changes a column they depend on. The trigger's own UPDATE sets none of those
 * columns, so it never fires itself.
 */
const DEPENDS_ON = ['reported_at', 'response_due_at', 'resolve_due_at', 'paused_ms', 'status', 'fact_first_status_at', 'fact_first_res_at',
  'fact_final_res_at', 'fact_pending_first_min', 'fact_pending_final_min'];

export const MINUTE_COLUMNS = ['fact_resp_target', 'fact_res_target', 'fact_resp_min', 'fact_res_min', 'fact_final_min'] as const;

/** The minutes of the row `r` (an alias or `incidents`), in MINUTE_COLUMNS order. */
export const minuteValues = (r: string) => `
  1440 * (julianday(${r}.response_due_at) - julianday(${r}.reported_at)),
  1440 * (julianday(${r}.resolve_due_at) - julianday(${r}.reported_at)) - ${r}.paused_ms / 60000.0,
  1440 * (julianday(${r}.fact_first_status_at) - julianday(${r}.reported_at)),
  CASE WHEN ${r}.fact_first_res_at IS NOT NULL THEN 1440 * (julianday(${r}.fact_first_res_at) - julianday(${r}.reported_at)) - ${r}.fact_pending_first_min END,
  CASE WHEN ${r}.status IN ('resolved', 'closed') AND ${r}.fact_final_res_at IS NOT NULL
    THEN 1440 * (julianday(${r}.fact_final_res_at) - julianday(${r}.reported_at)) - ${r}.fact_pending_final_min END`;

const SET = `UPDATE incidents SET (${MINUTE_COLUMNS.join(', ')}) = (${minuteValues('new')}) WHERE rowid = new.rowid`;

export default {
  id: 22,
  name: 'report_minutes',
  sql: /* sql */ `
${MINUTE_COLUMNS.map((c) => `ALTER TABLE incidents ADD COLUMN ${c} REAL;`).join('\n')}
UPDATE incidents SET (${MINUTE_COLUMNS.join(', ')}) = (${minuteValues('incidents')});

CREATE TRIGGER incidents_minutes_insert AFTER INSERT ON incidents
BEGIN ${SET}; END;

CREATE TRIGGER incidents_minutes_update AFTER UPDATE OF ${DEPENDS_ON.join(', ')} ON incidents
  WHEN ${DEPENDS_ON.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ')}
BEGIN ${SET}; END;
`,
};
