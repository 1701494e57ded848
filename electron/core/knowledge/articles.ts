import type Database from 'better-sqlite3';
import { uuidv7 } from '../../../shared/ids.js';
import type { FieldIssue, Incident } from '../../../shared/index.js';
import { knowledgeOf, type KbStatus, type KnowledgeArticle } from '../../../shared/knowledge.js';
import type { DeskStore } from '../store/desk-store.js';
import { DeskInputError, DeskNotFoundError } from '../store/errors.js';
import { ftsQuery, ftsText, snippet } from '../store/fts.js';

/**
 * Knowledge articles on the desk (issue 12, item 8). The server's articles are pulled (sync entity
 * `kb_article`, applied here through electron/core/sync/apply.ts) with their status, version and the
 * use count the server keeps. A desk proposes a draft from a resolved incident, offline too: the
 * draft is written here and its outbox record `kb.propose` in the same transaction. Agents are offered
 * published articles only; the review list (drafts) is for leads and admins.
 */

const cache = new WeakMap<DeskStore, Map<string, Database.Statement>>();
function stmt(store: DeskStore, sql: string): Database.Statement {
  let m = cache.get(store);
  if (!m) cache.set(store, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = store.db.prepare(sql)));
  return s;
}

interface Row {
  id: string; title: string; body: string; tags: string; category_id: string | null; updated_at: string; status: KbStatus; version: number;
  owner_id: string | null; use_count: number; source_incident_id: string | null; published_at: string | null; published_by: string | null;
}
const COLS = 'k.id, k.title, k.body, k.tags, k.category_id, k.updated_at, k.status, k.version, k.owner_id, k.use_count, k.source_incident_id, k.published_at, k.published_by';
const toArticle = (r: Row): KnowledgeArticle => ({
  id: r.id, title: r.title, body: r.body, tags: JSON.parse(r.tags) as string[], categoryId: r.category_id, updatedAt: r.updated_at, status: r.status,
  version: r.version, ownerId: r.owner_id, useCount: r.use_count, sourceIncidentId: r.source_incident_id, publishedAt: r.published_at, publishedBy: r.published_by,
});

/** An article as the renderer shows it: people by name where this desk knows them. */
export interface ArticleView extends KnowledgeArticle { ownerName: string | null; publishedByName: string | null }
export interface ArticleHit { id: string; title: string; snippet: string; tags: string[]; categoryId: string | null; updatedAt: string; status: KbStatus; version: number; useCount: number }

const nameOf = (store: DeskStore, id: string | null): string | null => (id ? ((stmt(store, 'SELECT name FROM users WHERE id = ?').pluck().get(id) as string | undefined) ?? null) : null);
const view = (store: DeskStore, a: KnowledgeArticle): ArticleView => ({ ...a, ownerName: nameOf(store, a.ownerId), publishedByName: nameOf(store, a.publishedBy) });

/** Applies a pulled (or just written) article snapshot and its full-text entry; idempotent. */
export function applyKbArticle(store: DeskStore, id: string, d: Record<string, unknown>): void {
  const a = knowledgeOf(id, d);
  const rowid = stmt(store, `INSERT INTO kb_articles (id, title, body, tags, category_id, updated_at, status, version, owner_id, use_count, source_incident_id, published_at, published_by)
    VALUES (@id, @title, @body, @tags, @categoryId, @updatedAt, @status, @version, @ownerId, @useCount, @sourceIncidentId, @publishedAt, @publishedBy)
    ON CONFLICT(id) DO UPDATE SET title = excluded.title, body = excluded.body, tags = excluded.tags, category_id = excluded.category_id,
      updated_at = excluded.updated_at, status = excluded.status, version = excluded.version, owner_id = excluded.owner_id, use_count = excluded.use_count,
      source_incident_id = excluded.source_incident_id, published_at = excluded.published_at, published_by = excluded.published_by
    RETURNING rowid`).pluck().get({ ...a, tags: JSON.stringify(a.tags) }) as number;
  stmt(store, 'DELETE FROM kb_fts WHERE rowid = ?').run(rowid);
  stmt(store, 'INSERT INTO kb_fts (rowid, body) VALUES (?, ?)').run(rowid, ftsText([a.title, a.body, ...a.tags]));
}

export function readArticle(store: DeskStore, id: string): KnowledgeArticle | null {
  const r = stmt(store, `SELECT ${COLS} FROM kb_articles k WHERE k.id = ?`).get(id) as Row | undefined;
  return r ? toArticle(r) : null;
}

export function getArticle(store: DeskStore, id: string): ArticleView {
  const a = readArticle(store, id);
  if (!a) throw new DeskNotFoundError('knowledge-base article', id);
  return view(store, a);
}

/**
 * The issue for a `kbArticleId` this desk does not hold (null when it is fine, not given, or the
 * value the incident has already): a link is picked from real articles, never typed free.
 */
export function kbIssue(store: DeskStore, path: string, id: string | null | undefined, current?: string | null): FieldIssue | null {
  if (!id || id === current || readArticle(store, id)) return null;
  return { path, message: 'unknown_kb_article: no such knowledge article on this desk' };
}

const toHit = (r: Row, q: string): ArticleHit => ({
  id: r.id, title: r.title, snippet: snippet(r.body, q, 120), tags: JSON.parse(r.tags) as string[], categoryId: r.category_id, updatedAt: r.updated_at,
  status: r.status, version: r.version, useCount: r.use_count,
});

/** Full-text search over the articles of the given statuses (the knowledge screen: published). */
export function searchArticles(store: DeskStore, q: string, opts: { limit?: number; statuses?: KbStatus[] } = {}): ArticleHit[] {
  const limit = opts.limit ?? 20;
  const statuses = opts.statuses ?? ['published'];
  const inList = statuses.map(() => '?').join(', ');
  const match = q.trim() ? ftsQuery(q) : null;
  if (q.trim() && !match) return [];
  const rows = (match
    ? stmt(store, `SELECT ${COLS} FROM kb_fts f JOIN kb_articles k ON k.rowid = f.rowid WHERE kb_fts MATCH ? AND k.status IN (${inList}) ORDER BY f.rank LIMIT ?`).all(match, ...statuses, limit)
    : stmt(store, `SELECT ${COLS} FROM kb_articles k WHERE k.status IN (${inList}) ORDER BY k.updated_at DESC LIMIT ?`).all(...statuses, limit)) as Row[];
  return rows.map((r) => toHit(r, q));
}

/** The words of a title worth asking the index for (whole words, and a long Chinese run by its ends). */
function titleWords(title: string): string[] {
  const words = title.trim().split(/[\s,，。.、;；:：!！?？()（）【】[\]"“”'‘’/\\|-]+/).filter((w) => w.length >= 2);
  const out: string[] = [];
  for (const w of words) { out.push(w); if (/^[\u3400-\u9fff]{4,}$/.test(w)) out.push(w.slice(0, 2), w.slice(-2)); }
  return [...new Set(out)].slice(0, 8);
}

/**
 * Published articles for the resolve dialog: those sharing words with the incident's title, and those
 * of its category (or its root's), most words first, then same category, then most used.
 */
export function suggestArticles(store: DeskStore, input: { categoryId?: string | null; title?: string; limit?: number }): ArticleHit[] {
  const limit = input.limit ?? 6;
  const score = new Map<string, { row: Row; n: number }>();
  const bump = (r: Row, n: number) => { const s = score.get(r.id); if (s) s.n += n; else score.set(r.id, { row: r, n }); };
  for (const w of titleWords(input.title ?? '')) {
    const match = ftsQuery(w);
    if (!match) continue;
    for (const r of stmt(store, `SELECT ${COLS} FROM kb_fts f JOIN kb_articles k ON k.rowid = f.rowid WHERE kb_fts MATCH ? AND k.status = 'published' LIMIT 20`).all(match) as Row[]) bump(r, 2);
  }
  if (input.categoryId) {
    const root = input.categoryId.split('.')[0];
    const parent = (stmt(store, 'SELECT parent_id FROM categories WHERE id = ?').pluck().get(input.categoryId) as string | null | undefined) ?? root;
    for (const r of stmt(store, `SELECT ${COLS} FROM kb_articles k WHERE k.status = 'published' AND k.category_id IN (?, ?) ORDER BY k.use_count DESC, k.updated_at DESC LIMIT 20`)
      .all(input.categoryId, parent) as Row[]) bump(r, r.category_id === input.categoryId ? 3 : 1);
  }
  return [...score.values()].sort((a, b) => b.n - a.n || b.row.use_count - a.row.use_count || a.row.title.localeCompare(b.row.title))
    .slice(0, limit).map((s) => toHit(s.row, input.title ?? ''));
}

/** Articles proposed from one incident (its detail shows them with their status). */
export function proposedFrom(store: DeskStore, incidentId: string): Array<Pick<KnowledgeArticle, 'id' | 'title' | 'status' | 'version'>> {
  return stmt(store, 'SELECT id, title, status, version FROM kb_articles WHERE source_incident_id = ? ORDER BY updated_at DESC LIMIT 20').all(incidentId) as Array<Pick<KnowledgeArticle, 'id' | 'title' | 'status' | 'version'>>;
}

/** Every article for the review list: drafts first (newest first), then published, then retired. */
export function reviewList(store: DeskStore): ArticleView[] {
  const rows = stmt(store, `SELECT ${COLS} FROM kb_articles k
    ORDER BY CASE k.status WHEN 'draft' THEN 0 WHEN 'published' THEN 1 ELSE 2 END, k.updated_at DESC LIMIT 2000`).all() as Row[];
  return rows.map((r) => view(store, toArticle(r)));
}

const empty = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

/**
 * Proposes a resolution as a draft article owned by the signed-in user; works offline. The draft and
 * its outbox record commit together. From a resolved (or closed) incident only; the id is made here
 * once, so sending it again changes nothing on the server.
 */
export function proposeArticle(store: DeskStore, input: { id?: string; title: string; body: string; tags: string[]; categoryId: string | null; sourceIncidentId: string }): ArticleView {
  return store.db.transaction(() => {
    const user = store.currentUser();
    if (!user) throw new DeskInputError([{ path: '(desk)', message: 'not_set_up: this desk has no user yet' }]);
    const inc = stmt(store, 'SELECT id, number, status FROM incidents WHERE id = ?').get(input.sourceIncidentId) as Pick<Incident, 'id' | 'number' | 'status'> | undefined;
    const issues: FieldIssue[] = [];
    if (!inc) throw new DeskNotFoundError('incident', input.sourceIncidentId);
    if (inc.status !== 'resolved' && inc.status !== 'closed') issues.push({ path: 'sourceIncidentId', message: 'kb_not_resolved: propose an article from a resolved incident' });
    if (inc.number.startsWith('DEMO-')) issues.push({ path: 'sourceIncidentId', message: 'kb_sample: sample incidents do not feed the knowledge base' });
    if (input.categoryId && !stmt(store, 'SELECT 1 FROM categories WHERE id = ?').get(input.categoryId)) issues.push({ path: 'categoryId', message: 'unknown category' });
    if (input.id && readArticle(store, input.id)) issues.push({ path: 'id', message: 'kb_exists: this article exists already' });
    if (issues.length) throw new DeskInputError(issues);
    const id = input.id ?? uuidv7(store.now().getTime());
    const at = store.now().toISOString();
    const article: KnowledgeArticle = {
      id, title: input.title.trim(), body: input.body.trim(), tags: input.tags, categoryId: empty(input.categoryId), updatedAt: at, status: 'draft', version: 1,
      ownerId: user.id, useCount: 0, sourceIncidentId: inc.id, publishedAt: null, publishedBy: null,
    };
    applyKbArticle(store, id, article as unknown as Record<string, unknown>);
    store.requeue('kb.propose', {
      article: { id, title: article.title, body: article.body, tags: article.tags, categoryId: article.categoryId, sourceIncidentId: inc.id, proposedAt: at },
    }, user.id);
    return view(store, article);
  })();
}

/**
 * Resolves an incident with a knowledge article linked: the link (an edit) and the resolution (a
 * transition) in one transaction, each with its outbox record; refused whole, naming the field, when
 * the article is not one this desk holds published.
 */
export function resolveWithArticle(store: DeskStore, input: { id: string; resolution: string; kbArticleId: string }): Incident {
  return store.db.transaction(() => {
    const a = readArticle(store, input.kbArticleId);
    if (!a) throw new DeskInputError([{ path: 'kbArticleId', message: 'unknown_kb_article: no such knowledge article on this desk' }]);
    if (a.status !== 'published') throw new DeskInputError([{ path: 'kbArticleId', message: 'kb_not_published: only a published article can be linked' }]);
    store.updateIncident(input.id, { kbArticleId: a.id });
    return store.transition({ id: input.id, to: 'resolved', resolution: input.resolution });
  })();
}
