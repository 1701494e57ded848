export default {
  id: 15,
  name: 'closure',
  sql: /* sql */ `
-- Issue 12, items 4 and 5: what a pending incident waits for (a code, and text for 'other'); how many
-- times the requester said the fault persists; how it was closed (confirmed with the requester: who,
-- how, when; or by the sweep after nobody confirmed).
ALTER TABLE incidents ADD COLUMN pending_reason TEXT;
ALTER TABLE incidents ADD COLUMN pending_note TEXT;
ALTER TABLE incidents ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN close_kind TEXT;
ALTER TABLE incidents ADD COLUMN confirmed_with TEXT;
ALTER TABLE incidents ADD COLUMN confirmed_via TEXT;
ALTER TABLE incidents ADD COLUMN confirmed_at TEXT;
-- Incidents reopened before the count existed count their reopens from the history's typed facts.
UPDATE incidents SET reopen_count = (SELECT count(*) FROM history h WHERE h.incident_id = incidents.id AND h.status_to = 'reopened')
  WHERE id IN (SELECT incident_id FROM history WHERE status_to = 'reopened');
`,
};
