// Knowledge articles on the server (issue 12, item 8): a desk proposes a draft (outbox mutation
// `kb.propose`, applied here as the pushing user's draft, idempotent by id); a lead or admin edits,
// publishes and retires (endpoints `knowledge.*`, role-checked here); every content edit keeps the
// previous version (`kb_versions`); the use count is the number of incidents that link an article,
// kept in `kb_uses` (one row per incident) as pushes apply, never taken from a desk.
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { Incident } from '../shared/schemas.js';
import type { Outcome } from '../shared/sync.js';
import type { FieldRefusal } from '../shared/sync-rules.js';
import {
  canEditKnowledge, type KbProposeArgs, type kbPublishSchema, type kbRetireSchema, type kbSaveSchema, type KbStatus, type KbVersion,
  type KnowledgeArticle,
} from '../shared/knowledge.js';
import { ChangeBuffer } from './changes.js';
import { fieldError } from './input-guard.js';
import type { Sql } from './storage/index.js';
import type { AuthUser, SyncDeps } from './sync.js';

interface ArticleRow {
  id: string; title: string; body: string; tags: string; category_id: string | null; updated_at: string; status: KbStatus; version: number | string;
  owner_id: string | null; use_count: number | string; source_incident_id: string | null; published_at: string | null; published_by: string | null;
}
const COLS = 'id, title, body, tags, category_id, updated_at, status, version, owner_id, use_count, source_incident_id, published_at, published_by';
const toArticle = (r: ArticleRow): KnowledgeArticle => ({
  id: r.id, title: r.title, body: r.body, tags: JSON.parse(r.tags) as string[], categoryId: r.category_id, updatedAt: r.updated_at,
  status: r.status, version: Number(r.version), ownerId: r.owner_id, useCount: Number(r.use_count), sourceIncidentId: r.source_incident_id,
  publishedAt: r.published_at, publishedBy: r.published_by,
});

const iso = (ms: number) => new Date(ms).toISOString();

/** Leads and admins review, edit, publish and retire; everyone signed in proposes and reads. */
export function requireKbEditor(user: AuthUser): void {
  if (!canEditKnowledge(user.role)) throw new TRPCError({ code: 'FORBIDDEN', message: 'only a team lead or an admin may edit, publish or retire knowledge articles' });
}

async function held(q: Sql, id: string): Promise<KnowledgeArticle | null> {
  const r = await q.get<ArticleRow>(`SELECT ${COLS} FROM kb_articles WHERE id = ?`, [id]);
  return r ? toArticle(r) : null;
}

async function categoryKnown(q: Sql, id: string): Promise<boolean> {
  return !!(await q.get('SELECT id FROM categories WHERE id = ?', [id]));
}

async function put(q: Sql, a: KnowledgeArticle, fresh: boolean): Promise<void> {
  const params = [a.title, a.body, JSON.stringify(a.tags), a.categoryId, a.updatedAt, a.status, a.version, a.ownerId, a.useCount, a.sourceIncidentId, a.publishedAt, a.publishedBy];
  if (fresh) {
    await q.run(`INSERT INTO kb_articles (title, body, tags, category_id, updated_at, status, version, owner_id, use_count, source_incident_id, published_at, published_by, id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [...params, a.id]);
  } else {
    await q.run(`UPDATE kb_articles SET title = ?, body = ?, tags = ?, category_id = ?, updated_at = ?, status = ?, version = ?, owner_id = ?, use_count = ?,
      source_incident_id = ?, published_at = ?, published_by = ? WHERE id = ?`, [...params, a.id]);
  }
}

/** The content of this version, kept for good (the article's version list). */
async function keepVersion(q: Sql, a: KnowledgeArticle, by: string | null): Promise<void> {
  await q.run(`INSERT INTO kb_versions (article_id, version, title, body, tags, category_id, edited_by, edited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (article_id, version) DO NOTHING`, [a.id, a.version, a.title, a.body, JSON.stringify(a.tags), a.categoryId, by, a.updatedAt]);
}

// ---- the desk's proposal (sync mutation `kb.propose`) -------------------------------------------

/** A proposal the server will not take: the push answers it as refused, with this code. */
export class KbRefused extends Error {
  constructor(message: string, readonly code: 'forbidden' | 'invalid_args') { super(message); }
}

/**
 * Applies `kb.propose`: a draft owned by the pushing user. The same id again from its owner changes
 * nothing (a desk that sent it twice, or restored from a copy); from anyone else it is refused. An
 * unknown category or source incident is left out (that field alone), as with incidents.
 */
export async function proposeArticle(q: Sql, out: ChangeBuffer, args: KbProposeArgs, userId: string, nowMs: number,
  incidentKnown: (id: string) => Promise<boolean>, kbKnown?: Map<string, boolean>): Promise<Outcome & { dropped?: FieldRefusal[] }> {
  const p = args.article;
  const before = await held(q, p.id);
  if (before) {
    if (before.ownerId !== userId) throw new KbRefused(`forbidden: knowledge article ${p.id} belongs to someone else`, 'forbidden');
    return { status: 'applied', code: 'noop', reason: 'no-op: this proposal is held already' };
  }
  const dropped: FieldRefusal[] = [];
  let categoryId = p.categoryId;
  if (categoryId && !(await categoryKnown(q, categoryId))) { dropped.push({ field: 'categoryId', code: 'unknown_category', value: categoryId, kept: null }); categoryId = null; }
  let sourceIncidentId = p.sourceIncidentId;
  if (sourceIncidentId && !(await incidentKnown(sourceIncidentId))) sourceIncidentId = null;
  const at = iso(nowMs);
  const a: KnowledgeArticle = {
    id: p.id, title: p.title, body: p.body, tags: p.tags, categoryId, updatedAt: at, status: 'draft', version: 1, ownerId: userId, useCount: 0,
    sourceIncidentId, publishedAt: null, publishedBy: null,
  };
  await put(q, a, true);
  await keepVersion(q, a, userId);
  out.add('kb_article', a.id, a, { fresh: true });
  kbKnown?.set(a.id, true);
  return { status: 'applied', ...(dropped.length ? { dropped } : {}) };
}

// ---- a lead's or admin's review -----------------------------------------------------------------

/**
 * Writes an article: without `id` a new one, published at once (a lead writes it); with `id` an
 * edit that keeps the earlier version and counts the next one, the status unchanged. An edit that
 * changes nothing is no new version. `baseVersion` refuses an edit made over an older version.
 */
export async function saveArticle(deps: SyncDeps, user: AuthUser | null, input: Omit<z.output<typeof kbSaveSchema>, 'baseVersion'> & { baseVersion?: number }): Promise<KnowledgeArticle> {
  return deps.storage.write(async (q) => {
    if (input.categoryId !== null && !(await categoryKnown(q, input.categoryId))) throw fieldError('categoryId', `no category ${input.categoryId}`);
    const before = input.id ? await held(q, input.id) : null;
    const at = iso(deps.now().getTime());
    const out = new ChangeBuffer();
    let a: KnowledgeArticle;
    if (!before) {
      a = {
        id: input.id ?? randomUUID(), title: input.title, body: input.body, tags: input.tags, categoryId: input.categoryId, updatedAt: at,
        status: 'published', version: 1, ownerId: user?.id ?? null, useCount: 0, sourceIncidentId: null, publishedAt: at, publishedBy: user?.id ?? null,
      };
      await put(q, a, true);
    } else {
      if (input.baseVersion !== undefined && input.baseVersion !== before.version) {
        throw fieldError('baseVersion', `stale_version: the article is at version ${before.version} now, this edit was made on version ${input.baseVersion}`);
      }
      const same = before.title === input.title && before.body === input.body && JSON.stringify(before.tags) === JSON.stringify(input.tags) && before.categoryId === input.categoryId;
      if (same) return before;
      a = { ...before, title: input.title, body: input.body, tags: input.tags, categoryId: input.categoryId, updatedAt: at, version: before.version + 1 };
      await put(q, a, false);
    }
    await keepVersion(q, a, user?.id ?? null);
    out.add('kb_article', a.id, a, { fresh: !before });
    await out.flush(q);
    return a;
  });
}

async function setStatus(deps: SyncDeps, user: AuthUser, id: string, status: KbStatus, baseVersion?: number): Promise<KnowledgeArticle> {
  return deps.storage.write(async (q) => {
    const before = await held(q, id);
    if (!before) throw fieldError('id', `no knowledge article ${id}`);
    if (baseVersion !== undefined && baseVersion !== before.version) {
      throw fieldError('baseVersion', `stale_version: the article is at version ${before.version} now, it was reviewed at version ${baseVersion}`);
    }
    if (before.status === status) return before;
    const at = iso(deps.now().getTime());
    const a: KnowledgeArticle = { ...before, status, updatedAt: at, ...(status === 'published' ? { publishedAt: at, publishedBy: user.id } : {}) };
    await put(q, a, false);
    const out = new ChangeBuffer();
    out.add('kb_article', a.id, a);
    await out.flush(q);
    return a;
  });
}

export const publishArticle = (deps: SyncDeps, user: AuthUser, input: z.output<typeof kbPublishSchema>) => setStatus(deps, user, input.id, 'published', input.baseVersion);
export const retireArticle = (deps: SyncDeps, user: AuthUser, input: z.output<typeof kbRetireSchema>) => setStatus(deps, user, input.id, 'retired');

/** The kept versions, newest first, with who wrote each (by name). */
export async function listVersions(deps: SyncDeps, id: string): Promise<KbVersion[]> {
  return deps.storage.read(async (q) => {
    if (!(await held(q, id))) throw fieldError('id', `no knowledge article ${id}`);
    const rows = await q.all<{ version: number | string; title: string; body: string; tags: string; category_id: string | null; edited_by: string | null; name: string | null; edited_at: string }>(
      `SELECT v.version, v.title, v.body, v.tags, v.category_id, v.edited_by, u.name, v.edited_at FROM kb_versions v LEFT JOIN users u ON u.id = v.edited_by
       WHERE v.article_id = ? ORDER BY v.version DESC`, [id]);
    return rows.map((r) => ({
      version: Number(r.version), title: r.title, body: r.body, tags: JSON.parse(r.tags) as string[], categoryId: r.category_id, editedBy: r.edited_by, editedByName: r.name, editedAt: r.edited_at,
    }));
  });
}

// ---- the use count ------------------------------------------------------------------------------

/**
 * After a push's incidents are written: which article each touched incident links now. One row per
 * incident (`kb_uses`), so an incident counts once for its article however often it is pushed,
 * re-pushed or duplicated, and moves its count when it links another article. The count of every
 * article whose users changed is recounted from the rows and sent to every desk.
 */
export async function recordKbUses(q: Sql, out: ChangeBuffer, incidents: Array<Pick<Incident, 'id' | 'kbArticleId'>>): Promise<void> {
  if (!incidents.length) return;
  const touched = new Set<string>();
  for (let i = 0; i < incidents.length; i += 500) {
    const part = incidents.slice(i, i + 500);
    const rows = await q.all<{ incident_id: string; article_id: string }>(
      `SELECT incident_id, article_id FROM kb_uses WHERE incident_id IN (${part.map(() => '?').join(', ')})`, part.map((x) => x.id));
    const now = new Map(rows.map((r) => [r.incident_id, r.article_id]));
    for (const inc of part) {
      const was = now.get(inc.id) ?? null;
      const is = inc.kbArticleId ?? null;
      if (was === is) continue;
      // Only an article the server holds is linked (server/sync.ts leaves an unknown one out).
      if (is && !(await q.get('SELECT id FROM kb_articles WHERE id = ?', [is]))) continue;
      if (was) { await q.run('DELETE FROM kb_uses WHERE incident_id = ?', [inc.id]); touched.add(was); }
      if (is) { await q.run('INSERT INTO kb_uses (incident_id, article_id) VALUES (?, ?)', [inc.id, is]); touched.add(is); }
    }
  }
  for (const id of touched) {
    const n = await q.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM kb_uses WHERE article_id = ?', [id]);
    await q.run('UPDATE kb_articles SET use_count = ? WHERE id = ?', [Number(n?.n ?? 0), id]);
    const a = await held(q, id);
    if (a) out.add('kb_article', id, a);
  }
}
