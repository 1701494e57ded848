export default {
  id: 19,
  name: 'problem and change records',
  sql: /* sql */ `
-- Issue 12, item 6: problem and change records, made here offline (numbers PRB-/CHG-<desk code>-<seq>)
-- or pulled from the server; an incident links one of each by id (typed columns; the free-text
-- problem_ref / change_ref of older rows stay readable). A change's linked problems are rows.
CREATE TABLE problems (
  id TEXT PRIMARY KEY,
  number TEXT NOT NULL,
  status TEXT NOT NULL,
  title TEXT NOT NULL,
  root_cause TEXT,
  workaround TEXT,
  created_by TEXT NOT NULL,
  device_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  resolved_at TEXT
);
CREATE INDEX problems_number ON problems(number);
CREATE INDEX problems_status ON problems(status, updated_at);
CREATE TABLE change_records (
  id TEXT PRIMARY KEY,
  number TEXT NOT NULL,
  status TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  planned_start TEXT NOT NULL,
  planned_end TEXT NOT NULL,
  created_by TEXT NOT NULL,
  device_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX change_records_number ON change_records(number);
CREATE INDEX change_records_status ON change_records(status, planned_start);
CREATE TABLE change_problems (
  change_id TEXT NOT NULL,
  problem_id TEXT NOT NULL,
  PRIMARY KEY (change_id, problem_id)
);
CREATE INDEX change_problems_problem ON change_problems(problem_id);
-- Who changed a record, when, from which device, online or not (a union by id with the server's).
CREATE TABLE record_history (
  id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  online INTEGER NOT NULL,
  kind TEXT NOT NULL,
  field TEXT,
  old_value TEXT,
  new_value TEXT
);
CREATE INDEX record_history_record ON record_history(record_id, at);
ALTER TABLE incidents ADD COLUMN problem_id TEXT;
ALTER TABLE incidents ADD COLUMN change_id TEXT;
CREATE INDEX incidents_problem ON incidents(problem_id) WHERE problem_id IS NOT NULL;
CREATE INDEX incidents_change ON incidents(change_id) WHERE change_id IS NOT NULL;
`,
};
