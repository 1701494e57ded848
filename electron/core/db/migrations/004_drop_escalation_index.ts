export default {
  id: 4,
  name: 'drop_escalation_index',
  sql: /* sql */ `
-- The escalation sweep reads open incidents through incidents_open_queue (priority is one of its
-- columns); one index less for every incident write.
DROP INDEX IF EXISTS incidents_escalation;
`,
};
