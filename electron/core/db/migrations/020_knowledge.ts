export default {
  id: 20,
  name: 'knowledge articles: status, version, owner, use count',
  sql: /* sql */ `
-- Issue 12, item 8: an article's status (draft, published, retired), content version, owner, the
-- incident it was proposed from, and the use count the server keeps (typed, as the server sends it).
-- Articles pulled before this were published.
ALTER TABLE kb_articles ADD COLUMN status TEXT NOT NULL DEFAULT 'published';
ALTER TABLE kb_articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE kb_articles ADD COLUMN owner_id TEXT;
ALTER TABLE kb_articles ADD COLUMN use_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE kb_articles ADD COLUMN source_incident_id TEXT;
ALTER TABLE kb_articles ADD COLUMN published_at TEXT;
ALTER TABLE kb_articles ADD COLUMN published_by TEXT;
-- The review list (drafts, newest first) and the suggestions (published, by category).
CREATE INDEX kb_articles_status ON kb_articles(status, updated_at);
CREATE INDEX kb_articles_category ON kb_articles(category_id, status);
`,
};
