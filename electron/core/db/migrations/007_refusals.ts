export default {
  id: 7,
  name: 'refusals',
  sql: /* sql */ `
-- What the server made of a change, as codes the renderer words (issue 9): a refusal's code and
-- parameters, or the fields left out of a change that otherwise applied (status 'partial').
ALTER TABLE sync_rejections ADD COLUMN status TEXT NOT NULL DEFAULT 'rejected';
ALTER TABLE sync_rejections ADD COLUMN code TEXT;
ALTER TABLE sync_rejections ADD COLUMN params TEXT;
ALTER TABLE sync_rejections ADD COLUMN dropped TEXT;
ALTER TABLE sync_rejections ADD COLUMN incident_id TEXT;
-- Pulled rows that could not be applied (a category whose parent is missing, a number this desk
-- still uses for another incident …): kept aside and retried after every page, so one bad row never
-- stops the rest of the page or the desk's sync.
CREATE TABLE sync_setaside (entity TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL, meta TEXT, error TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (entity, id));
-- Whose work a local (pre-sign-in) identity's changes are, once the user chose: the name recorded
-- locally stays in the audit trail beside the account.
ALTER TABLE history ADD COLUMN recorded_as TEXT;
ALTER TABLE work_logs ADD COLUMN recorded_as TEXT;
CREATE TABLE identity_choices (local_user_id TEXT PRIMARY KEY, local_name TEXT NOT NULL, choice TEXT NOT NULL, account_id TEXT, at TEXT NOT NULL);
`,
};
