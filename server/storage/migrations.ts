import { DEFAULT_CATEGORIES } from '../../shared/categories.js';
import type { Migration } from './types.js';

/**
 * Numbered migrations, one list per dialect, never edited once released: add a new number.
 * JSON documents are stored as TEXT in both dialects; instants used for ordering are epoch ms.
 */
const common = (bigint: string): string[] => [
  `CREATE TABLE groups (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, updated_at TEXT NOT NULL)`,
  `CREATE TABLE users (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
     group_name TEXT NOT NULL, password_hash TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, updated_at TEXT NOT NULL)`,
  `CREATE TABLE categories (id TEXT PRIMARY KEY, parent_id TEXT, code TEXT NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL, updated_at TEXT NOT NULL)`,
  `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)`,
  `CREATE TABLE kb_articles (id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, tags TEXT NOT NULL, category_id TEXT, updated_at TEXT NOT NULL)`,
  `CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), expires_at ${bigint} NOT NULL, created_at ${bigint} NOT NULL)`,
  `CREATE INDEX tokens_user ON tokens(user_id)`,
  `CREATE TABLE login_throttle (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until ${bigint} NOT NULL, updated_at ${bigint} NOT NULL)`,
  `CREATE TABLE devices (
     id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL REFERENCES users(id), name TEXT,
     acked_through ${bigint} NOT NULL DEFAULT 0, clock_skew_ms ${bigint}, created_at TEXT NOT NULL, last_seen_at TEXT)`,
  `CREATE TABLE mutation_log (
     device_id TEXT NOT NULL REFERENCES devices(id), seq ${bigint} NOT NULL, name TEXT NOT NULL, user_id TEXT NOT NULL,
     hlc TEXT NOT NULL, applied_hlc TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, at TEXT NOT NULL,
     PRIMARY KEY (device_id, seq))`,
  `CREATE TABLE incidents (id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, status TEXT NOT NULL, data TEXT NOT NULL, stamps TEXT NOT NULL)`,
  `CREATE TABLE history (id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents(id), data TEXT NOT NULL)`,
  `CREATE INDEX history_incident ON history(incident_id)`,
  `CREATE TABLE worklogs (id TEXT PRIMARY KEY, incident_id TEXT NOT NULL REFERENCES incidents(id), data TEXT NOT NULL)`,
  `CREATE INDEX worklogs_incident ON worklogs(incident_id)`,
  `CREATE TABLE requesters (id TEXT PRIMARY KEY, hlc TEXT NOT NULL, data TEXT NOT NULL)`,
  `CREATE TABLE changes (seq ${bigint} PRIMARY KEY, entity TEXT NOT NULL, entity_id TEXT NOT NULL, audience TEXT, data TEXT, meta TEXT)`,
  `CREATE INDEX changes_entity ON changes(entity, entity_id)`,
  `CREATE TABLE change_counter (id INTEGER PRIMARY KEY, v ${bigint} NOT NULL)`,
  `INSERT INTO change_counter (id, v) VALUES (1, 0)`,
];

/** Root categories (DOMAIN.md), id = code, so every desktop starts from the same list. */
const ROOTS: [string, string, string][] = [
  ['hardware', '硬件', 'Hardware'], ['software', '软件', 'Software'], ['network', '网络', 'Network'],
  ['security', '安全', 'Security'], ['service_request', '服务请求', 'Service request'], ['other', '其他', 'Other'],
];
const seed = (): string[] => {
  const at = '2026-01-01T00:00:00.000Z';
  const out: string[] = [];
  ROOTS.forEach(([code, zh, en], i) => {
    out.push(`INSERT INTO categories (id, parent_id, code, name_zh, name_en, updated_at) VALUES ('${code}', NULL, '${code}', '${zh}', '${en}', '${at}')`);
    const data = JSON.stringify({ id: code, parentId: null, code, nameZh: zh, nameEn: en });
    out.push(`INSERT INTO changes (seq, entity, entity_id, audience, data) VALUES (${i + 1}, 'category', '${code}', NULL, '${data}')`);
  });
  out.push(`UPDATE change_counter SET v = ${ROOTS.length} WHERE id = 1`);
  return out;
};

/**
 * A device is its desk's alone: registration issues a secret (only its SHA-256 is kept) that every
 * push and pull of the device must carry. Devices registered before this have none until their
 * desk registers again as the device's own user.
 */
const deviceSecrets = (): string[] => [
  'ALTER TABLE devices ADD COLUMN secret_hash TEXT',
  // What a change came to, as codes (refusal code and parameters, fields left out): a duplicate's answer repeats it.
  'ALTER TABLE mutation_log ADD COLUMN detail TEXT',
];

/**
 * Sign-in throttling keeps a row per name, address and name-and-address tried (server/auth.ts);
 * rows quiet for a day are deleted, found by this index rather than a scan of every row.
 */
const throttlePruning = (): string[] => ['CREATE INDEX login_throttle_updated ON login_throttle(updated_at)'];

/**
 * The desks' default subcategories (shared/categories.ts), so an incident filed under one keeps it
 * when it syncs (the server leaves out a category it does not know). Each gets a change row for
 * desks to pull, with seqs after the counter.
 */
const seedSubcategories = (): string[] => {
  const at = '2026-12-06T00:00:00.000Z';
  const subs = DEFAULT_CATEGORIES.filter((c) => c.parentId);
  const q = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const out: string[] = [];
  subs.forEach((c, i) => {
    out.push(`INSERT INTO categories (id, parent_id, code, name_zh, name_en, updated_at) SELECT ${q(c.id)}, ${q(c.parentId!)}, ${q(c.code)}, ${q(c.nameZh)}, ${q(c.nameEn)}, '${at}'
      WHERE NOT EXISTS (SELECT 1 FROM categories WHERE id = ${q(c.id)})`);
    const data = JSON.stringify({ id: c.id, parentId: c.parentId, code: c.code, nameZh: c.nameZh, nameEn: c.nameEn });
    out.push(`INSERT INTO changes (seq, entity, entity_id, audience, data) SELECT v + ${i + 1}, 'category', ${q(c.id)}, NULL, ${q(data)} FROM change_counter WHERE id = 1`);
  });
  out.push(`UPDATE change_counter SET v = v + ${subs.length} WHERE id = 1`);
  return out;
};

/**
 * Issue 12: a group has a tier (L1, L2, L3, vendor) and listed members; a category has a default
 * group (assignment rule). A person is also a member of their own group (users.group_name).
 */
const groupTiers = (): string[] => [
  "ALTER TABLE groups ADD COLUMN tier TEXT NOT NULL DEFAULT 'L1'",
  'ALTER TABLE groups ADD COLUMN active INTEGER NOT NULL DEFAULT 1',
  'CREATE TABLE group_members (group_id TEXT NOT NULL REFERENCES groups(id), user_id TEXT NOT NULL REFERENCES users(id), PRIMARY KEY (group_id, user_id))',
  'CREATE INDEX group_members_user ON group_members(user_id)',
  'CREATE TABLE assignment_rules (category_id TEXT PRIMARY KEY REFERENCES categories(id), group_id TEXT NOT NULL REFERENCES groups(id), updated_at TEXT NOT NULL)',
  'CREATE INDEX assignment_rules_group ON assignment_rules(group_id)',
];

/** Issue 13: the SLA settings (business calendars and policy) as one validated JSON document. */
const slaSettings = (): string[] => [
  'CREATE TABLE sla_settings (id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT)',
];

/** Issue 13: notices, once per id, and each recipient's copy with its read state. */
const notices = (bigint: string): string[] => [
  `CREATE TABLE notices (id TEXT PRIMARY KEY, kind TEXT NOT NULL, incident_id TEXT NOT NULL, clock TEXT NOT NULL, at_ms ${bigint} NOT NULL,
     params TEXT NOT NULL, raised_at TEXT NOT NULL, raised_by TEXT NOT NULL)`,
  'CREATE TABLE notice_recipients (notice_id TEXT NOT NULL REFERENCES notices(id), user_id TEXT NOT NULL, read_at TEXT, PRIMARY KEY (notice_id, user_id))',
  'CREATE INDEX notice_recipients_user ON notice_recipients(user_id)',
];

/** Issue 12, item 7: configuration items (systems and devices), unique by name regardless of case. */
const configurationItems = (): string[] => [
  `CREATE TABLE cis (id TEXT PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, type TEXT NOT NULL, ip TEXT, location TEXT,
     group_id TEXT REFERENCES groups(id), critical INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1, updated_at TEXT NOT NULL)`,
];

/**
 * Issue 12, item 8: knowledge articles have a status (draft, published, retired), an owner, a content
 * version with every earlier version kept, and a typed use count the server keeps from the incidents
 * that link each article (one row per incident, so a re-push or a duplicate never counts twice).
 * Articles written before this were published.
 */
const knowledge = (): string[] => [
  "ALTER TABLE kb_articles ADD COLUMN status TEXT NOT NULL DEFAULT 'published'",
  'ALTER TABLE kb_articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1',
  'ALTER TABLE kb_articles ADD COLUMN owner_id TEXT',
  'ALTER TABLE kb_articles ADD COLUMN use_count INTEGER NOT NULL DEFAULT 0',
  'ALTER TABLE kb_articles ADD COLUMN source_incident_id TEXT',
  'ALTER TABLE kb_articles ADD COLUMN published_at TEXT',
  'ALTER TABLE kb_articles ADD COLUMN published_by TEXT',
  `CREATE TABLE kb_versions (article_id TEXT NOT NULL REFERENCES kb_articles(id), version INTEGER NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
     tags TEXT NOT NULL, category_id TEXT, edited_by TEXT, edited_at TEXT NOT NULL, PRIMARY KEY (article_id, version))`,
  'CREATE TABLE kb_uses (incident_id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES kb_articles(id))',
  'CREATE INDEX kb_uses_article ON kb_uses(article_id)',
  `INSERT INTO kb_versions (article_id, version, title, body, tags, category_id, edited_by, edited_at)
     SELECT id, 1, title, body, tags, category_id, NULL, updated_at FROM kb_articles`,
];

/**
 * Issue 12, item 6: problem and change records, made offline by desks (number with the desk's code),
 * merged per field (`stamps`, as incidents), with their status, number, title and planned window as
 * columns; a change's linked problems as rows; their history, a union by id.
 */
const problemRecords = (): string[] => [
  `CREATE TABLE problems (id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, status TEXT NOT NULL, title TEXT NOT NULL, created_by TEXT NOT NULL,
     device_id TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, resolved_at TEXT, data TEXT NOT NULL, stamps TEXT NOT NULL)`,
  'CREATE INDEX problems_status ON problems(status)',
  `CREATE TABLE change_records (id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, status TEXT NOT NULL, title TEXT NOT NULL, planned_start TEXT NOT NULL,
     planned_end TEXT NOT NULL, created_by TEXT NOT NULL, device_id TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, data TEXT NOT NULL, stamps TEXT NOT NULL)`,
  'CREATE INDEX change_records_status ON change_records(status)',
  'CREATE TABLE change_problems (change_id TEXT NOT NULL REFERENCES change_records(id), problem_id TEXT NOT NULL REFERENCES problems(id), PRIMARY KEY (change_id, problem_id))',
  'CREATE TABLE record_history (id TEXT PRIMARY KEY, record_id TEXT NOT NULL, at TEXT NOT NULL, data TEXT NOT NULL)',
  'CREATE INDEX record_history_record ON record_history(record_id)',
];

export const SQLITE_MIGRATIONS: Migration[] = [
  { version: 1, name: 'init', up: common('INTEGER') },
  { version: 2, name: 'seed root categories', up: seed() },
  { version: 4, name: 'device secrets', up: deviceSecrets() },
  { version: 5, name: 'sign-in throttle pruning', up: throttlePruning() },
  { version: 6, name: 'default subcategories', up: seedSubcategories() },
  { version: 7, name: 'group tiers, members and assignment rules', up: groupTiers() },
  { version: 8, name: 'SLA settings', up: slaSettings() },
  { version: 9, name: 'notices', up: notices('INTEGER') },
  { version: 10, name: 'configuration items', up: configurationItems() },
  { version: 12, name: 'problem and change records', up: problemRecords() },
  { version: 13, name: 'knowledge: status, versions, use count', up: knowledge() },
];

export const POSTGRES_MIGRATIONS: Migration[] = [
  { version: 1, name: 'init', up: common('BIGINT') },
  { version: 2, name: 'seed root categories', up: seed() },
  // Every mutation-log row is written by a push, which reads its device row under the writer lock
  // first and refuses an unknown device; devices are never deleted. The foreign key only repeated
  // that check once per row, a sixth of PostgreSQL's work in a push of new incidents.
  { version: 3, name: 'mutation log without per-row device check', up: ['ALTER TABLE mutation_log DROP CONSTRAINT mutation_log_device_id_fkey'] },
  { version: 4, name: 'device secrets', up: deviceSecrets() },
  { version: 5, name: 'sign-in throttle pruning', up: throttlePruning() },
  { version: 6, name: 'default subcategories', up: seedSubcategories() },
  { version: 7, name: 'group tiers, members and assignment rules', up: groupTiers() },
  { version: 8, name: 'SLA settings', up: slaSettings() },
  { version: 9, name: 'notices', up: notices('BIGINT') },
  { version: 10, name: 'configuration items', up: configurationItems() },
  { version: 12, name: 'problem and change records', up: problemRecords() },
  { version: 13, name: 'knowledge: status, versions, use count', up: knowledge() },
];
