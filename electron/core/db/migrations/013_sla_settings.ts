export default {
  id: 13,
  name: 'sla_settings',
  sql: /* sql */ `
-- Issue 13: SLA clocks on business time. The SLA settings (calendars and policy) as pulled from the
-- server (or edited offline on a desk that never signed in); none stored = the shipped settings.
CREATE TABLE sla_settings (id TEXT PRIMARY KEY CHECK (id = 'default'), data TEXT NOT NULL, updated_at TEXT NOT NULL, source TEXT NOT NULL DEFAULT 'server');
-- Finished pending spells, [{from, to}] as JSON: the resolution clock leaves them out on business time.
-- Incidents recorded before this keep their wall-clock pause (paused_ms) only.
ALTER TABLE incidents ADD COLUMN pending_spells TEXT NOT NULL DEFAULT '[]';
`,
};
