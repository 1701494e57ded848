export default {
  id: 3,
  name: 'sync',
  sql: /* sql */ `
-- Reference data that flows down from the central server and must work offline.
CREATE TABLE groups (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE kb_articles (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  category_id TEXT,
  updated_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE kb_fts USING fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'local';

-- What the server said about this desk's changes: mutations that can never apply (with the reason
-- shown to their author), and transitions that met another status than they expected.
CREATE TABLE sync_rejections (
  id TEXT PRIMARY KEY,
  seq INTEGER,
  name TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL,
  args TEXT NOT NULL,
  seen_at TEXT
);
CREATE TABLE sync_conflicts (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL,
  data TEXT NOT NULL,
  at TEXT NOT NULL,
  dismissed_at TEXT
);
CREATE INDEX sync_conflicts_incident ON sync_conflicts(incident_id);
-- History and work-log rows pulled before their incident's snapshot (the server keeps only an
-- incident's latest snapshot, which can sort after its history); attached when the incident lands.
CREATE TABLE sync_orphans (entity TEXT NOT NULL, id TEXT NOT NULL, incident_id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (entity, id));
CREATE INDEX sync_orphans_incident ON sync_orphans(incident_id);
-- The server's last snapshot of each incident: when the server refuses one of this desk's changes,
-- the incident goes back to it (with the desk's other unsent changes replayed on top).
CREATE TABLE incident_server (id TEXT PRIMARY KEY, data TEXT NOT NULL);
`,
};
