export default {
  id: 2,
  name: 'origin',
  sql: /* sql */ `
-- Where a record came from: typed at this desk in real time, back-filled (补录) from paper or an
-- offline spell, or imported from another system. Reports separate them; imports are idempotent by key.
ALTER TABLE incidents ADD COLUMN origin TEXT NOT NULL DEFAULT 'desk';
ALTER TABLE incidents ADD COLUMN external_ref TEXT;
ALTER TABLE incidents ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX incidents_import_key ON incidents(import_key) WHERE import_key IS NOT NULL;
`,
};
