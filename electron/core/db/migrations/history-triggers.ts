import { LIVE } from './009_incident_facts.js';

/**
 * The three triggers that keep columns of an incident derived from its whole history (migration 009's
 * pattern, used by 022 and 023): after a history row for which `touches(row)` holds is inserted or
 * deleted, or has one of `columns` changed, `refresh(where)` recomputes the incident(s) in the
 * writer's statement — unless a bulk writer has deferred them (incident_facts_deferred, reports/facts.ts).
 * Named `<prefix>_insert`, `_delete`, `_update`.
 */
export const historyTriggers = (prefix: string, touches: (row: string) => string, columns: string, refresh: (where: string) => string) => `
CREATE TRIGGER ${prefix}_insert AFTER INSERT ON history WHEN ${touches('new')} AND ${LIVE}
BEGIN ${refresh('id = new.incident_id')}; END;

CREATE TRIGGER ${prefix}_delete AFTER DELETE ON history WHEN ${touches('old')} AND ${LIVE}
BEGIN ${refresh('id = old.incident_id')}; END;

CREATE TRIGGER ${prefix}_update AFTER UPDATE OF ${columns} ON history
  WHEN (${touches('old')} OR ${touches('new')}) AND ${LIVE}
BEGIN ${refresh('id IN (old.incident_id, new.incident_id)')}; END;
`;
