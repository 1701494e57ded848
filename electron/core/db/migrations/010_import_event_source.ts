export default {
  id: 10,
  name: 'import_event_source',
  sql: /* sql */ `
-- Imported event logs keep every source column of every event (issue 11), and imported history is
-- history, not live work (issue 14, item 5). See electron/core/import/README.md, "Source facts" and
-- "Imported history".
--
-- 1. The source event behind an imported history row, as typed facts (NULL on every other row): the
--    columns the product knows by name, and every other column of the event, keyed by its name in
--    the file, as one JSON object (NULL when there is none). Desk-local: written by the import only.
ALTER TABLE history ADD COLUMN src_status TEXT;
ALTER TABLE history ADD COLUMN src_sub_status TEXT;
ALTER TABLE history ADD COLUMN src_group TEXT;
ALTER TABLE history ADD COLUMN src_owner TEXT;
ALTER TABLE history ADD COLUMN src_role TEXT;
ALTER TABLE history ADD COLUMN src_org_line TEXT;
ALTER TABLE history ADD COLUMN src_country TEXT;
ALTER TABLE history ADD COLUMN src_owner_country TEXT;
ALTER TABLE history ADD COLUMN src_product TEXT;
ALTER TABLE history ADD COLUMN src_impact TEXT;
ALTER TABLE history ADD COLUMN source_attrs TEXT;
--
-- 2. An imported incident is history unless whoever imported it chose it as live work: its owner is
--    then 'import:live' (history ones are owned by 'import:history'; incidents imported before this
--    migration by the importing person, and they are history too). The owner travels with the
--    incident through sync, so every desk tells the two apart the same way. Virtual: computed, not
--    stored; it leads the open-queue index so that live work comes first, imported history after it,
--    and "mine", "my group" and the escalation sweep read only live work, each from the index alone.
ALTER TABLE incidents ADD COLUMN imported_history INTEGER GENERATED ALWAYS AS (origin = 'import' AND owner_id <> 'import:live') VIRTUAL;
DROP INDEX incidents_open_queue;
CREATE INDEX incidents_open_queue ON incidents(imported_history, resolve_due_at, priority, category_id, channel, group_name, owner_id, assignee_id)
  WHERE status IN ('new','assigned','in_progress','pending','reopened','returned');
`,
};
