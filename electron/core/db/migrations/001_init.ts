export default {
  id: 1,
  name: 'init',
  sql: /* sql */ `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  group_name TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE categories (
  id TEXT PRIMARY KEY,
  parent_id TEXT REFERENCES categories(id),
  code TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL
);

CREATE TABLE requesters (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  department TEXT,
  phone TEXT,
  phone_digits TEXT,
  email TEXT,
  service_level TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX requesters_phone ON requesters(phone_digits);
CREATE INDEX requesters_name ON requesters(name);

CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  client_id TEXT UNIQUE,
  channel TEXT NOT NULL,
  requester_id TEXT REFERENCES requesters(id),
  requester_name TEXT NOT NULL,
  requester_dept TEXT,
  requester_phone TEXT,
  requester_email TEXT,
  service_level TEXT NOT NULL,
  service_type TEXT NOT NULL,
  category_id TEXT NOT NULL REFERENCES categories(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  affected_name TEXT,
  affected_ip TEXT,
  affected_location TEXT,
  impact_scope TEXT NOT NULL,
  impact TEXT NOT NULL,
  urgency TEXT NOT NULL,
  major_reasons TEXT NOT NULL DEFAULT '[]',
  urgent_reason TEXT,
  auto_escalated INTEGER NOT NULL DEFAULT 0,
  priority TEXT NOT NULL,
  status TEXT NOT NULL,
  occurred_at TEXT,
  reported_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  first_response_at TEXT,
  resolved_at TEXT,
  closed_at TEXT,
  pending_since TEXT,
  paused_ms INTEGER NOT NULL DEFAULT 0,
  resolve_due_at TEXT NOT NULL,
  response_due_at TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  tier TEXT NOT NULL,
  group_name TEXT,
  assignee_id TEXT,
  resolution TEXT,
  root_cause TEXT,
  problem_ref TEXT,
  change_ref TEXT,
  kb_article_id TEXT,
  satisfaction INTEGER,
  satisfaction_comment TEXT,
  backfilled INTEGER NOT NULL DEFAULT 0,
  backfill_reason TEXT,
  created_by TEXT NOT NULL,
  device_id TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- The queue is "open work, most urgent SLA first". One partial index over open incidents, in due
-- order, carrying every filter column: each scope and filter reads its page in order and counts its
-- total from the index alone, without touching the table or sorting. The store repeats this exact
-- status list in its queries so SQLite can use it.
CREATE INDEX incidents_open_queue ON incidents(resolve_due_at, priority, category_id, channel, group_name, owner_id, assignee_id)
  WHERE status IN ('new','assigned','in_progress','pending','reopened','returned');
-- The same shape for a chosen status (resolved, closed …): a page and its count from the index.
CREATE INDEX incidents_status ON incidents(status, resolve_due_at, priority, category_id, channel, group_name, owner_id, assignee_id);
CREATE INDEX incidents_requester ON incidents(requester_id, reported_at);
CREATE INDEX incidents_escalation ON incidents(priority, auto_escalated, reported_at);

-- Full-text index. Text is pre-tokenised in JS (CJK characters as single tokens, see store/fts.ts),
-- so a two-character Chinese word is an indexed phrase query rather than a table scan.
CREATE VIRTUAL TABLE incidents_fts USING fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');

CREATE TABLE work_logs (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  author_id TEXT NOT NULL,
  body TEXT NOT NULL,
  kind TEXT NOT NULL
);
CREATE INDEX work_logs_incident ON work_logs(incident_id, at);

CREATE TABLE history (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  at TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  online INTEGER NOT NULL,
  kind TEXT NOT NULL,
  field TEXT,
  old_value TEXT,
  new_value TEXT,
  note TEXT
);
CREATE INDEX history_incident ON history(incident_id, at);

CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  kind TEXT NOT NULL,
  recipient_role TEXT NOT NULL,
  at TEXT NOT NULL,
  body TEXT NOT NULL,
  read_at TEXT
);

-- Every local write appends its mutation here in the same transaction; the sync engine sends them
-- in seq order. AUTOINCREMENT so a seq is never reused, even after rows are pruned.
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  hlc TEXT NOT NULL,
  user_id TEXT NOT NULL,
  args TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE INDEX outbox_unsent ON outbox(sent_at, seq);
`,
};
