import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { MAX_BODY_BYTES, pullInputSchema, pushInputSchema } from '../shared/sync.js';
import {
  listGroups, saveGroup, setAssignmentRule, setGroupMembers, setSlaPolicy, slaPolicySchema, upsertCategory, upsertCategorySchema,
  upsertGroupNamed, upsertKbArticleSchema,
} from './admin.js';
import { saveGroupSchema, setAssignmentRuleSchema, setGroupMembersSchema } from '../shared/groups.js';
import { login, loginInputSchema, logout, registerDevice, registerInputSchema, upsertGroupSchema, upsertUser, upsertUserSchema, userForToken } from './accounts.js';
import type { PullOutput } from '../shared/sync.js';
import { getSlaSettings, saveSlaSettings, setPriorityMatrix, setPriorityMatrixSchema, setSlaSettingsSchema } from './sla-settings.js';
import { importCis, listCis, requireCiEditor, saveCi, setCiActive } from './cmdb.js';
import { importCisSchema, saveCiSchema, setCiActiveSchema } from '../shared/cmdb.js';
import { JsonText } from './bulk-route.js';
import { listVersions, publishArticle, requireKbEditor, retireArticle, saveArticle } from './knowledge.js';
import { kbPublishSchema, kbRetireSchema, kbSaveSchema, kbVersionsSchema } from '../shared/knowledge.js';
import { pull, pullJson, push, SeqGapError, type AuthUser, type SyncDeps } from './sync.js';
import { myNotices } from './notifications.js';

export interface Context {
  deps: SyncDeps; ip: string; token: string | null;
  /** Served by the bulk route, which takes a JsonText answer (see bulk-route.ts). */
  jsonText?: boolean;
}

interface Issue { path: string; message: string }
const issuesOf = (cause: unknown): Issue[] | undefined => {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return undefined;
  return issues.map((i: { path?: (string | number | { key: string | number })[]; message: string }) => ({
    path: (i.path ?? []).map((p) => (typeof p === 'object' ? p.key : p)).join('.'),
    message: i.message,
  }));
};

const t = initTRPC.context<Context>().create({
  /** Errors name the offending field (`mutations.3.seq: …`); a gap says where to resend from. */
  errorFormatter({ shape, error }) {
    const issues = error.code === 'BAD_REQUEST' ? issuesOf(error.cause) : undefined;
    let message = shape.message;
    if (issues) message = issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ');
    // Internal errors are logged here, not shown: their text may carry SQL or paths.
    if (error.code === 'INTERNAL_SERVER_ERROR') { console.error(error); message = 'internal server error; the request was not applied'; }
    if (error.code === 'PAYLOAD_TOO_LARGE') message = `request body too large: the limit is ${MAX_BODY_BYTES / 1024 / 1024} MB; send fewer mutations per push`;
    const gap = error.cause instanceof SeqGapError ? { ackedThrough: error.cause.ackedThrough } : {};
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, message, data: { ...data, ...(issues ? { issues } : {}), ...gap } };
  },
});

const authed = t.procedure.use(async ({ ctx, next }) => {
  const user = ctx.token ? await userForToken(ctx.deps, ctx.token) : null;
  if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first (missing, expired or revoked token)' });
  return next({ ctx: { ...ctx, user: user as AuthUser, token: ctx.token as string } });
});
const adminOnly = authed.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'only an admin may change users, groups, categories, the SLA policy or the knowledge base' });
  return next();
});
/** Groups, their members and the assignment rules are run by team leads as well as admins (issue 12). */
const leadOrAdmin = authed.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin' && ctx.user.role !== 'lead') throw new TRPCError({ code: 'FORBIDDEN', message: 'only a team lead or an admin may change groups, their members or the assignment rules' });
  return next();
});
/** The SLA settings (calendars, targets, warning share, calendar per level and priority; issue 13). */
const slaEditor = authed.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin' && ctx.user.role !== 'lead') throw new TRPCError({ code: 'FORBIDDEN', message: 'only a team lead or an admin may change the SLA settings' });
  return next();
});

export const appRouter = t.router({
  health: t.procedure.query(({ ctx }) => ({ ok: true as const, storage: ctx.deps.storage.kind, serverTime: ctx.deps.now().toISOString() })),
  /** The signed-in user's own notices (issue 13, item 4): read when they sign in on a desk. */
  notice: t.router({
    mine: authed.input(z.object({ limit: z.number().int().min(1).max(1000).default(500) }).strict()).query(({ ctx, input }) => myNotices(ctx.deps.storage, ctx.user.id, input.limit)),
  }),
  auth: t.router({
    login: t.procedure.input(loginInputSchema).mutation(({ ctx, input }) => login(ctx.deps, input, ctx.ip)),
    me: authed.query(({ ctx }) => ctx.user),
    logout: authed.mutation(async ({ ctx }) => { await logout(ctx.deps, ctx.token); return { ok: true as const }; }),
  }),
  device: t.router({
    register: authed.input(registerInputSchema).mutation(({ ctx, input }) => registerDevice(ctx.deps, ctx.user, input)),
  }),
  sync: t.router({
    push: authed.input(pushInputSchema).mutation(({ ctx, input }) => push(ctx.deps, ctx.user, input)),
    // The bulk route gets the page as JSON text with the stored snapshots spliced in; the wire format is the same.
    pull: authed.input(pullInputSchema).query(async ({ ctx, input }): Promise<PullOutput> =>
      ctx.jsonText ? (new JsonText(await pullJson(ctx.deps, ctx.user, input)) as unknown as PullOutput) : pull(ctx.deps, ctx.user, input)),
  }),
  admin: t.router({
    upsertUser: adminOnly.input(upsertUserSchema).mutation(({ ctx, input }) => upsertUser(ctx.deps, input)),
    upsertGroup: adminOnly.input(upsertGroupSchema).mutation(async ({ ctx, input }) => { const g = await upsertGroupNamed(ctx.deps, input); return { id: g.id, name: g.name }; }),
    groups: leadOrAdmin.query(({ ctx }) => listGroups(ctx.deps)),
    saveGroup: leadOrAdmin.input(saveGroupSchema).mutation(({ ctx, input }) => saveGroup(ctx.deps, input)),
    setGroupMembers: leadOrAdmin.input(setGroupMembersSchema).mutation(({ ctx, input }) => setGroupMembers(ctx.deps, input)),
    setAssignmentRule: leadOrAdmin.input(setAssignmentRuleSchema).mutation(({ ctx, input }) => setAssignmentRule(ctx.deps, input)),
    upsertCategory: adminOnly.input(upsertCategorySchema).mutation(({ ctx, input }) => upsertCategory(ctx.deps, input)),
    setSlaPolicy: adminOnly.input(z.object({ policy: slaPolicySchema })).mutation(({ ctx, input }) => setSlaPolicy(ctx.deps, input.policy)),
    // Kept for older callers; written as a knowledge edit, so the earlier version is kept (server/knowledge.ts).
    upsertKbArticle: adminOnly.input(upsertKbArticleSchema).mutation(({ ctx, input }) => saveArticle(ctx.deps, ctx.user, input)),
    slaSettings: authed.query(({ ctx }) => getSlaSettings(ctx.deps)),
    setSlaSettings: slaEditor.input(setSlaSettingsSchema).mutation(({ ctx, input }) => saveSlaSettings(ctx.deps, input.settings, ctx.user.id)),
    setPriorityMatrix: slaEditor.input(setPriorityMatrixSchema).mutation(({ ctx, input }) => setPriorityMatrix(ctx.deps, input.matrix, ctx.user.id)),
  }),
  /** Knowledge articles (issue 12 item 8): leads and admins edit, publish and retire; everyone reads the versions (server/knowledge.ts). */
  knowledge: t.router({
    save: authed.input(kbSaveSchema).mutation(({ ctx, input }) => { requireKbEditor(ctx.user); return saveArticle(ctx.deps, ctx.user, input); }),
    publish: authed.input(kbPublishSchema).mutation(({ ctx, input }) => { requireKbEditor(ctx.user); return publishArticle(ctx.deps, ctx.user, input); }),
    retire: authed.input(kbRetireSchema).mutation(({ ctx, input }) => { requireKbEditor(ctx.user); return retireArticle(ctx.deps, ctx.user, input); }),
    versions: authed.input(kbVersionsSchema).query(({ ctx, input }) => listVersions(ctx.deps, input.id)),
  }),
  /** Configuration items (issue 12): everyone reads, leads and admins change (server/cmdb.ts). */
  cmdb: t.router({
    list: authed.query(({ ctx }) => listCis(ctx.deps)),
    save: authed.input(saveCiSchema).mutation(({ ctx, input }) => { requireCiEditor(ctx.user); return saveCi(ctx.deps, input); }),
    setActive: authed.input(setCiActiveSchema).mutation(({ ctx, input }) => { requireCiEditor(ctx.user); return setCiActive(ctx.deps, input); }),
    importCsv: authed.input(importCisSchema).mutation(({ ctx, input }) => { requireCiEditor(ctx.user); return importCis(ctx.deps, input.csv); }),
  }),
});

export type ServerRouter = typeof appRouter;
