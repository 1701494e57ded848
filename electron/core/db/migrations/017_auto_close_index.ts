export default {
  id: 17,
  name: 'auto_close_index',
  sql: /* sql */ `
-- Issue 12: the auto-close sweep (every minute) reads the resolved live incidents by resolution time
-- from this small partial index, not by scanning the incidents table (1,000,000 rows on a big desk).
CREATE INDEX incidents_resolved_unconfirmed ON incidents(resolved_at) WHERE status = 'resolved' AND imported_history = 0;
`,
};
