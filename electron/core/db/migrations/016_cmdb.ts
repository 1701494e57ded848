export default {
  id: 16,
  name: 'configuration items',
  sql: /* sql */ `
-- Issue 12, item 7: configuration items pulled from the server (systems and devices), and the item
-- an incident's affected system was picked from (free text stays allowed: ci_id is then null).
CREATE TABLE cis (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  ip TEXT,
  location TEXT,
  group_id TEXT,
  critical INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL
);
CREATE INDEX cis_name ON cis(name COLLATE NOCASE);
ALTER TABLE incidents ADD COLUMN ci_id TEXT;
-- An item's recent incidents, newest first.
CREATE INDEX incidents_ci ON incidents(ci_id, reported_at) WHERE ci_id IS NOT NULL;
`,
};
