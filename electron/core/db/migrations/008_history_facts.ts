export default {
  id: 8,
  name: 'history_facts',
  sql: /* sql */ `
-- Reports (issue 11) compute from a structured event log: what each history row changed, as typed
-- columns beside the free-text kind/field/old/new. The same rule as shared/reports.ts historyFacts(),
-- which every history writer applies to new rows; existing rows are filled here.
ALTER TABLE history ADD COLUMN status_from TEXT;
ALTER TABLE history ADD COLUMN status_to TEXT;
ALTER TABLE history ADD COLUMN tier_from TEXT;
ALTER TABLE history ADD COLUMN tier_to TEXT;
ALTER TABLE history ADD COLUMN group_to TEXT;
ALTER TABLE history ADD COLUMN assignee_to TEXT;
ALTER TABLE history ADD COLUMN priority_to TEXT;
ALTER TABLE history ADD COLUMN auto_escalated INTEGER NOT NULL DEFAULT 0;
UPDATE history SET status_from = old_value, status_to = new_value WHERE kind = 'transition' AND field = 'status';
UPDATE history SET tier_from = old_value, tier_to = new_value WHERE kind = 'field' AND field = 'tier';
UPDATE history SET group_to = new_value WHERE kind = 'field' AND field = 'groupName';
UPDATE history SET assignee_to = new_value WHERE kind = 'field' AND field = 'assigneeId';
UPDATE history SET priority_to = new_value, auto_escalated = (coalesce(note, '') LIKE '%auto_escalated%') WHERE kind = 'priority';
-- An incident's events in time order carrying the facts, so a report reads them from the index alone.
CREATE INDEX history_facts ON history(incident_id, at, status_from, status_to, tier_from, tier_to, group_to, assignee_to, auto_escalated, actor_id);
-- Status events by time (resolved / reopened / closed in a period: the trend).
CREATE INDEX history_status_at ON history(status_to, at) WHERE status_to IS NOT NULL;
-- A report's incidents are those reported in its period; the backlog at a period's end reads the
-- incidents resolved after it.
CREATE INDEX incidents_reported ON incidents(reported_at);
CREATE INDEX incidents_resolved ON incidents(resolved_at) WHERE resolved_at IS NOT NULL;
`,
};
