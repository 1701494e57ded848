import { HAS_FACT, refreshFactsSql } from './009_incident_facts.js';
import { historyTriggers } from './history-triggers.js';

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
 * Kept in the writer's own statement or transaction, see below.
 */
export const MINUTE_COLUMNS = ['fact_resp_target', 'fact_res_target', 'fact_resp_min', 'fact_res_min', 'fact_final_min'] as const;

/** The minutes, in MINUTE_COLUMNS order, with each column they depend on written by `col` (a row alias, a bound parameter). */
export const minuteExprs = (col: (c: string) => string) => [
  `1440 * (julianday(${col('response_due_at')}) - julianday(${col('reported_at')}))`,
  `1440 * (julianday(${col('resolve_due_at')}) - julianday(${col('reported_at')})) - ${col('paused_ms')} / 60000.0`,
  `1440 * (julianday(${col('fact_first_status_at')}) - julianday(${col('reported_at')}))`,
  `CASE WHEN ${col('fact_first_res_at')} IS NOT NULL THEN 1440 * (julianday(${col('fact_first_res_at')}) - julianday(${col('reported_at')})) - ${col('fact_pending_first_min')} END`,
  `CASE WHEN ${col('status')} IN ('resolved', 'closed') AND ${col('fact_final_res_at')} IS NOT NULL
    THEN 1440 * (julianday(${col('fact_final_res_at')}) - julianday(${col('reported_at')})) - ${col('fact_pending_final_min')} END`,
];

/** The minutes of the row `r` (an alias or `incidents`), in MINUTE_COLUMNS order. */
export const minuteValues = (r: string) => minuteExprs((c) => `${r}.${c}`).join(',\n  ');

/**
 * `UPDATE incidents SET <the minutes> = <of the row's values> WHERE <where>`, rewriting only rows whose
 * minutes are not those (the history triggers' second statement, the import's refresh, the fill).
 */
export const refreshMinutesSql = (where: string) => `UPDATE incidents SET (${MINUTE_COLUMNS.join(', ')}) = (${minuteValues('incidents')})
WHERE ${where} AND (${MINUTE_COLUMNS.join(', ')}) IS NOT (${minuteValues('incidents')})`;

/*
 * Who keeps them, with no trigger on incidents: any trigger on the incidents table, even one whose
 * WHEN is false, cost each insert about 70 µs here (50,000 inserts: 2.5 s against 1.1 s), a quarter of
 * an import. So:
 *  - the writers of incident rows set them in the same statement (store/rows.ts: insert, whole-row
 *    update and the store's changed-columns update; sync/apply.ts; import/write.ts; sla/settings.ts);
 *  - the history's fact triggers of migration 009 are made again here with a second statement that
 *    recomputes the minutes after the facts, in the same trigger program (their WHEN unchanged);
 *  - an import, which defers those triggers, refreshes the minutes after the facts (reports/facts.ts).
 * test/reports/facts.test.ts checks every incident's minutes against its times, over the store's
 * operations, imports, sample data and seeded multi-desk simulations with faults.
 */
export default {
  id: 22,
  name: 'report_minutes',
  sql: /* sql */ `
${MINUTE_COLUMNS.map((c) => `ALTER TABLE incidents ADD COLUMN ${c} REAL;`).join('\n')}
${refreshMinutesSql('1')};

DROP TRIGGER history_facts_insert;
DROP TRIGGER history_facts_delete;
DROP TRIGGER history_facts_update;
${historyTriggers('history_facts', HAS_FACT, 'incident_id, at, actor_id, status_from, status_to, tier_from, tier_to, assignee_to, auto_escalated',
  (where) => `${refreshFactsSql(where)}; ${refreshMinutesSql(where)}`)}
`,
};
