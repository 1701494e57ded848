import { z } from 'zod';
import { idSchema, instantSchema } from './schemas.js';
import type { KbArticle } from './sync.js';

/**
 * Knowledge articles (issue 12 item 8): a resolution proposed from the desk as a draft (offline
 * too, outbox mutation `kb.propose`), reviewed and published by a lead, retired when it no longer
 * holds. Every content edit keeps the previous version (server table `kb_versions`). How often an
 * article solved an incident (`useCount`) is counted by the server from the incidents that link it,
 * once per incident: a desk's count is never taken.
 */
export const KB_STATUSES = ['draft', 'published', 'retired'] as const;
export type KbStatus = (typeof KB_STATUSES)[number];
export const kbStatusSchema = z.enum(KB_STATUSES, { message: `must be one of ${KB_STATUSES.join(', ')}` });

export const KB_LIMITS = { title: 200, body: 100_000, tags: 50, tag: 50 } as const;

/** An article as the server sends it to every desk (sync entity `kb_article`). */
export interface KnowledgeArticle extends KbArticle {
  status: KbStatus;
  /** Content version: 1 when written, +1 on every edit of title, body, tags or category. */
  version: number;
  /** Who proposed or wrote it (an account id; shown by name). */
  ownerId: string | null;
  /** Incidents that link it, counted by the server. */
  useCount: number;
  /** The incident whose resolution it was proposed from. */
  sourceIncidentId: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
}

/** One kept version (the article's list and one version's text). */
export interface KbVersion { version: number; title: string; body: string; tags: string[]; categoryId: string | null; editedBy: string | null; editedByName: string | null; editedAt: string }

const title = z.string().trim().min(1, { message: 'required' }).max(KB_LIMITS.title, { message: `at most ${KB_LIMITS.title} characters` });
const body = z.string().trim().min(1, { message: 'required' }).max(KB_LIMITS.body, { message: `at most ${KB_LIMITS.body} characters` });
const tags = z.array(z.string().trim().min(1, { message: 'required' }).max(KB_LIMITS.tag, { message: `at most ${KB_LIMITS.tag} characters` }))
  .max(KB_LIMITS.tags, { message: `at most ${KB_LIMITS.tags} tags` });

/** The article text a person writes: proposal and lead's edit alike. */
export const kbContentSchema = z.object({ title, body, tags: tags.default([]), categoryId: idSchema.nullable().default(null) });

/** Outbox mutation `kb.propose`: a draft owned by the pushing user, idempotent by id. */
export const kbProposeArgsSchema = z.object({
  article: kbContentSchema.extend({ id: idSchema, sourceIncidentId: idSchema.nullable().default(null), proposedAt: instantSchema }).strict(),
}).strict();
export type KbProposeArgs = z.output<typeof kbProposeArgsSchema>;

/** A lead's or admin's edit (new article without `id`, published at once); `baseVersion` refuses an edit over someone else's newer one. */
export const kbSaveSchema = kbContentSchema.extend({ id: idSchema.optional(), baseVersion: z.number().int().min(1).max(1_000_000).optional() }).strict();
export const kbPublishSchema = z.object({ id: idSchema, baseVersion: z.number().int().min(1).max(1_000_000).optional() }).strict();
export const kbRetireSchema = z.object({ id: idSchema }).strict();
export const kbVersionsSchema = z.object({ id: idSchema }).strict();
export const kbVersionSchema = z.object({ id: idSchema, version: z.number().int().min(1).max(1_000_000) }).strict();

/** Only leads and admins review, edit, publish and retire. */
export const canEditKnowledge = (role: string | null | undefined): boolean => role === 'lead' || role === 'admin';

/** What a pulled snapshot says, with the defaults an older server's snapshot leaves out. */
export function knowledgeOf(id: string, d: Record<string, unknown>): KnowledgeArticle {
  const status = KB_STATUSES.includes(d.status as KbStatus) ? (d.status as KbStatus) : 'published';
  return {
    id, title: String(d.title ?? ''), body: String(d.body ?? ''), tags: Array.isArray(d.tags) ? d.tags.map(String) : [],
    categoryId: (d.categoryId as string | null) ?? null, updatedAt: String(d.updatedAt ?? new Date(0).toISOString()),
    status, version: Number(d.version ?? 1) || 1, ownerId: (d.ownerId as string | null) ?? null, useCount: Math.max(0, Number(d.useCount ?? 0) || 0),
    sourceIncidentId: (d.sourceIncidentId as string | null) ?? null, publishedAt: (d.publishedAt as string | null) ?? null, publishedBy: (d.publishedBy as string | null) ?? null,
  };
}
