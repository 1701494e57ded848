export default {
  id: 21,
  name: 'priority_matrix_notices',
  sql: /* sql */ `
-- Issue 13. (1) The priority-matrix cell each incident was classified with ('<impact>/<urgency>:<P>',
-- shared/priority.ts): a matrix change applies to incidents recorded or re-classified after it.
-- Every incident so far was classified with the shipped matrix (DOMAIN.md), the only one there was.
ALTER TABLE incidents ADD COLUMN matrix_cell TEXT;
UPDATE incidents SET matrix_cell = impact || '/' || urgency || ':' || CASE impact || '/' || urgency
  WHEN 'high/high' THEN 'P1' WHEN 'high/medium' THEN 'P2' WHEN 'medium/high' THEN 'P2'
  WHEN 'high/low' THEN 'P3' WHEN 'medium/medium' THEN 'P3' WHEN 'low/high' THEN 'P3' ELSE 'P4' END;

-- (2) When the desk's SLA notice sweep next has something to look at for an open incident (epoch ms;
-- NULL: nothing left to tell). 0 means "look now": a new row gets it by default and the trigger below
-- sets it whenever a column a clock depends on changes, whichever write path changed it (the store,
-- a pull, an import, a re-derivation). A settings change sets it on every open incident
-- (electron/core/sla/settings.ts). The sweep reads due rows from the partial index and writes each
-- one's next instant back (electron/core/notifications/notices.ts).
ALTER TABLE incidents ADD COLUMN next_notice_at INTEGER DEFAULT 0;
CREATE INDEX incidents_next_notice ON incidents(next_notice_at) WHERE next_notice_at IS NOT NULL AND status NOT IN ('resolved', 'closed');
CREATE TRIGGER incidents_next_notice_reset AFTER UPDATE OF status, priority, service_level, reported_at, first_response_at, resolved_at,
    pending_since, pending_spells, response_due_at, resolve_due_at ON incidents
  WHEN NEW.next_notice_at IS NOT 0 AND NEW.status NOT IN ('resolved', 'closed') AND (
    OLD.status IS NOT NEW.status OR OLD.priority IS NOT NEW.priority OR OLD.service_level IS NOT NEW.service_level
    OR OLD.reported_at IS NOT NEW.reported_at OR OLD.first_response_at IS NOT NEW.first_response_at OR OLD.resolved_at IS NOT NEW.resolved_at
    OR OLD.pending_since IS NOT NEW.pending_since OR OLD.pending_spells IS NOT NEW.pending_spells
    OR OLD.response_due_at IS NOT NEW.response_due_at OR OLD.resolve_due_at IS NOT NEW.resolve_due_at)
BEGIN
  UPDATE incidents SET next_notice_at = 0 WHERE rowid = NEW.rowid;
END;
`,
};
