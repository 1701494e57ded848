import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { idSchema, LIMITS } from '../../../shared/index.js';
import {
  canEditKnowledge, kbContentSchema, kbPublishSchema, kbRetireSchema, kbSaveSchema, kbVersionsSchema, type KbVersion, type KnowledgeArticle,
} from '../../../shared/knowledge.js';
import { adminCall, pullNow } from '../admin/central.js';
import { procedure, router } from '../api/trpc.js';
import { applyKbArticle, getArticle, proposeArticle, proposedFrom, resolveWithArticle, reviewList, searchArticles, suggestArticles } from './articles.js';

/**
 * Knowledge (issue 12, item 8). Reads come from this desk's pulled copy (offline too); a proposal is a
 * local write with its outbox record; the review (edit, publish, retire) and the version list are the
 * server's, written as the signed-in lead or admin (admin/central.ts `adminCall`), applied here at once
 * and pulled by every other desk.
 */

const isEditor = (role: string | undefined) => canEditKnowledge(role);
function needEditor(role: string | undefined): void {
  if (!isEditor(role)) throw new TRPCError({ code: 'FORBIDDEN', message: 'admin_forbidden' });
}

export const knowledgeRouter = router({
  /** The knowledge screen: published articles (a lead or admin may ask for drafts and retired ones too). */
  search: procedure.input(z.object({ q: z.string().max(200).default(''), limit: z.number().int().min(1).max(200).default(20), all: z.boolean().default(false) }).strict())
    .query(({ ctx, input }) => searchArticles(ctx.store, input.q, {
      limit: input.limit, statuses: input.all && isEditor(ctx.store.currentUser()?.role) ? ['published', 'draft', 'retired'] : ['published'],
    })),
  /** Suggestions for the resolve dialog: published only, by the incident's title and category. */
  suggest: procedure.input(z.object({ title: z.string().max(LIMITS.title).default(''), categoryId: idSchema.nullable().default(null), limit: z.number().int().min(1).max(20).default(6) }).strict())
    .query(({ ctx, input }) => suggestArticles(ctx.store, input)),
  get: procedure.input(z.object({ id: idSchema }).strict()).query(({ ctx, input }) => {
    const a = getArticle(ctx.store, input.id);
    // A draft is its owner's and the reviewers' until published.
    const me = ctx.store.currentUser();
    if (a.status === 'draft' && a.ownerId !== me?.id && !isEditor(me?.role)) throw new TRPCError({ code: 'NOT_FOUND', message: 'not_found' });
    return { ...a, canEdit: isEditor(me?.role) };
  }),
  /** Resolve with an article linked (the resolve dialog). */
  resolveWith: procedure.input(z.object({ id: idSchema, resolution: z.string().max(LIMITS.text), kbArticleId: idSchema }).strict())
    .mutation(({ ctx, input }) => resolveWithArticle(ctx.store, input)),
  /** "Propose as article" from a resolved incident; offline too. */
  propose: procedure.input(kbContentSchema.extend({ id: idSchema.optional(), sourceIncidentId: idSchema }).strict())
    .mutation(({ ctx, input }) => proposeArticle(ctx.store, input)),
  /** Articles proposed from an incident, with their status (the incident's detail). */
  proposedFrom: procedure.input(z.object({ incidentId: idSchema }).strict()).query(({ ctx, input }) => proposedFrom(ctx.store, input.incidentId)),
  /** The review list (administration → Knowledge): every article this desk holds, drafts first. */
  review: procedure.query(({ ctx }) => {
    const me = ctx.store.currentUser();
    needEditor(me?.role);
    return { signedIn: !!ctx.sync?.status().signedIn, articles: reviewList(ctx.store) };
  }),
  save: procedure.input(kbSaveSchema).mutation(async ({ ctx, input }) => {
    needEditor(ctx.store.currentUser()?.role);
    const a = await adminCall<KnowledgeArticle>(ctx, 'mutation', 'knowledge.save', input);
    applyKbArticle(ctx.store, a.id, a as unknown as Record<string, unknown>);
    await pullNow(ctx);
    return getArticle(ctx.store, a.id);
  }),
  publish: procedure.input(kbPublishSchema).mutation(async ({ ctx, input }) => {
    needEditor(ctx.store.currentUser()?.role);
    const a = await adminCall<KnowledgeArticle>(ctx, 'mutation', 'knowledge.publish', input);
    applyKbArticle(ctx.store, a.id, a as unknown as Record<string, unknown>);
    await pullNow(ctx);
    return getArticle(ctx.store, a.id);
  }),
  retire: procedure.input(kbRetireSchema).mutation(async ({ ctx, input }) => {
    needEditor(ctx.store.currentUser()?.role);
    const a = await adminCall<KnowledgeArticle>(ctx, 'mutation', 'knowledge.retire', input);
    applyKbArticle(ctx.store, a.id, a as unknown as Record<string, unknown>);
    await pullNow(ctx);
    return getArticle(ctx.store, a.id);
  }),
  /** The kept versions, newest first (the server's; needs it online). */
  versions: procedure.input(kbVersionsSchema).query(({ ctx, input }) => adminCall<KbVersion[]>(ctx, 'query', 'knowledge.versions', input)),
});
