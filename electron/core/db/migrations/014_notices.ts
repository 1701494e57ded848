export default {
  id: 14,
  name: 'notices',
  sql: /* sql */ `
-- Issue 13: notices as data (kind, incident, clock, the instant they concern, params as codes), one
-- row per id however many desks raised it, and one row per recipient with the read state. The old
-- notifications table (major incidents, English body, nobody shown) is no longer written.
CREATE TABLE notices (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  clock TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  raised_at TEXT NOT NULL,
  -- 'desk' (raised here) or 'server' (pulled)
  origin TEXT NOT NULL
);
CREATE INDEX notices_incident ON notices(incident_id);
CREATE TABLE notice_recipients (
  notice_id TEXT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  read_at TEXT,
  PRIMARY KEY (notice_id, user_id)
);
CREATE INDEX notice_recipients_user ON notice_recipients(user_id, read_at);
`,
};
