export default {
  id: 18,
  name: 'escalation',
  sql: /* sql */ `
-- Issue 12, item 3: functional escalation (the tier it reached, L3 or vendor; when; why; the vendor's
-- name, contact and their ticket number) and hierarchical escalation (management asked to step in:
-- when, why). Typed columns, so reports and the queue read them without parsing the history.
ALTER TABLE incidents ADD COLUMN escalation_level TEXT;
ALTER TABLE incidents ADD COLUMN escalated_at TEXT;
ALTER TABLE incidents ADD COLUMN escalation_reason TEXT;
ALTER TABLE incidents ADD COLUMN vendor_name TEXT;
ALTER TABLE incidents ADD COLUMN vendor_contact TEXT;
ALTER TABLE incidents ADD COLUMN vendor_ticket TEXT;
ALTER TABLE incidents ADD COLUMN mgmt_escalated_at TEXT;
ALTER TABLE incidents ADD COLUMN mgmt_reason TEXT;
`,
};
