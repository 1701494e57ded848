export default {
  id: 11,
  name: 'groups',
  sql: /* sql */ `
-- Issue 12: groups have a tier and members, categories a default group (the assignment rules); an
-- incident remembers the first-line group that dispatched it and counts its returns.
-- source: 'server' (pulled) or 'local' (a desk that never signed in: made from its people's groups).
ALTER TABLE groups ADD COLUMN tier TEXT NOT NULL DEFAULT 'L1';
ALTER TABLE groups ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE groups ADD COLUMN source TEXT NOT NULL DEFAULT 'server';
CREATE TABLE group_members (group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE, user_id TEXT NOT NULL, PRIMARY KEY (group_id, user_id));
CREATE TABLE assignment_rules (category_id TEXT PRIMARY KEY, group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE);
CREATE INDEX assignment_rules_group ON assignment_rules(group_id);
ALTER TABLE incidents ADD COLUMN dispatch_group TEXT;
ALTER TABLE incidents ADD COLUMN return_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN return_reason TEXT;
ALTER TABLE incidents ADD COLUMN return_note TEXT;
-- A desk that has not signed in keeps its setup: its people's groups become local groups (a group
-- of technicians only is second line), and the groups its incidents were dispatched to (their tier).
INSERT OR IGNORE INTO groups (id, name, tier, source)
  SELECT 'local:' || group_name, group_name, CASE WHEN min(role) = 'technician' AND max(role) = 'technician' THEN 'L2' ELSE 'L1' END, 'local'
  FROM users WHERE group_name <> '' AND NOT EXISTS (SELECT 1 FROM groups g WHERE g.name = users.group_name) GROUP BY group_name;
INSERT OR IGNORE INTO groups (id, name, tier, source)
  SELECT 'local:' || group_name, group_name, max(tier), 'local'
  FROM incidents WHERE group_name IS NOT NULL AND group_name <> '' AND NOT EXISTS (SELECT 1 FROM groups g WHERE g.name = incidents.group_name) GROUP BY group_name;
`,
};
