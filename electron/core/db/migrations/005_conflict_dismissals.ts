export default {
  id: 5,
  name: 'conflict_dismissals',
  sql: /* sql */ `
-- A user who has read a lost-edit notice (a history row of kind 'conflict') and decided to leave it
-- can dismiss it; the history row itself stays.
CREATE TABLE conflict_dismissals (id TEXT PRIMARY KEY, at TEXT NOT NULL, user_id TEXT NOT NULL);
`,
};
