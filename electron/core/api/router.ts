import { z } from 'zod';
import {
  backfillRolesSchema, deskSetupSchema, idSchema, incidentBatchSchema, incidentCreateSchema, incidentUpdateSchema, kbSearchSchema,
  localeSchema, offlineSignInSchema, queueQuerySchema, requesterLookupSchema, sampleDataSchema, searchQuerySchema, signInSchema,
  transitionSchema, workLogAddSchema,
} from '../../../shared/index.js';
import { loadSampleData, removeSampleData } from '../store/sample.js';
import { QUEUE_SORT_KEYS } from '../store/queue-order.js';
import { procedure, router, createCallerFactory } from './trpc.js';
import { readSlaSettings } from '../sla/settings.js';
import { importRouter } from './import-router.js';
import { reportRouter } from './report-router.js';
import { exportRouter } from './export-router.js';
import type { SyncEngine } from '../sync/engine.js';
import { allowInsecureServer, setAllowInsecureServer } from '../sync/server-url.js';
import { listGroups } from '../groups/groups.js';
import { closureRouter } from '../closure/router.js';
import { noticeRouter } from '../notifications/router.js';
import { cmdbRouter } from '../cmdb/router.js';
import { adminRouter } from '../admin/router.js';
import { knowledgeRouter } from '../knowledge/router.js';
import { changeRouter, problemRouter } from '../problems/router.js';
import { escalationRouter } from '../escalation/router.js';

/** The one API the renderer calls, over Electron IPC or, in browser mode, local HTTP. */
export const appRouter = router({
  desk: router({
    info: procedure.query(({ ctx }) => ({
      user: ctx.store.currentUser(),
      device: { id: ctx.store.deviceId, code: ctx.store.deviceCode },
      locale: (ctx.store.meta('locale') ?? 'zh-CN') as 'zh-CN' | 'en',
      incidentCount: ctx.store.incidentCount(),
    })),
    setup: procedure.input(deskSetupSchema).mutation(({ ctx, input }) => ctx.store.setup(input)),
    setLocale: procedure.input(localeSchema).mutation(({ ctx, input }) => { ctx.store.setMeta('locale', input.locale); return input; }),
    backfillRoles: procedure.query(({ ctx }) => ctx.store.backfillRoles()),
    setBackfillRoles: procedure.input(backfillRolesSchema).mutation(({ ctx, input }) => { ctx.store.setBackfillRoles(input.roles); return input.roles; }),
    /** Plain http:// to a server other than loopback: off unless a team lead or admin of this desk allows it. */
    allowInsecureServer: procedure.query(({ ctx }) => allowInsecureServer(ctx.store)),
    setAllowInsecureServer: procedure.input(z.object({ allow: z.boolean() })).mutation(({ ctx, input }) => setAllowInsecureServer(ctx.store, input.allow)),
    loadSample: procedure.input(sampleDataSchema).mutation(({ ctx, input }) => loadSampleData(ctx.store, { incidents: input.incidents })),
    /** The demo goes in one step (offered at first sign-in): sample incidents, their people and requesters. */
    removeSample: procedure.mutation(({ ctx }) => removeSampleData(ctx.store)),
  }),
  kb: router({
    search: procedure.input(kbSearchSchema).query(({ ctx, input }) => ctx.store.searchKb(input.q, input.limit)),
    get: procedure.input(z.object({ id: idSchema })).query(({ ctx, input }) => ctx.store.kbArticle(input.id)),
  }),
  category: router({ list: procedure.query(({ ctx }) => ctx.store.listCategories()) }),
  /** SLA settings in force on this desk (issue 13): the renderer computes both clocks with them. */
  sla: router({ settings: procedure.query(({ ctx }) => readSlaSettings(ctx.store.db)) }),
  /** Groups with their tier, listed members and the categories they are the default for (issue 12). */
  group: router({ list: procedure.query(({ ctx }) => ({ connected: ctx.store.connected(), groups: listGroups(ctx.store) })) }),
  user: router({
    /**
     * Everyone this desk knows (names are shown for all of them); `dispatchable` says who a real
     * incident may be given to (once signed in: active accounts the server knows; sample people never).
     */
    list: procedure.query(({ ctx }) => {
      const ok = new Set(ctx.store.dispatchableUsers().map((u) => u.id));
      const source = new Map((ctx.store.db.prepare('SELECT id, source FROM users').all() as Array<{ id: string; source: string }>).map((r) => [r.id, r.source]));
      return ctx.store.listUsers().map((u) => ({ ...u, dispatchable: ok.has(u.id), sample: source.get(u.id) === 'sample' }));
    }),
  }),
  requester: router({
    lookup: procedure.input(requesterLookupSchema).query(({ ctx, input }) => ctx.store.lookupRequesters(input.q, input.limit)),
  }),
  incident: router({
    create: procedure.input(incidentCreateSchema).mutation(({ ctx, input }) => ctx.store.createIncident(input)),
    createBatch: procedure.input(incidentBatchSchema).mutation(({ ctx, input }) => ctx.store.createBatch(input.rows)),
    update: procedure.input(incidentUpdateSchema).mutation(({ ctx, input }) => ctx.store.updateIncident(input.id, input.patch)),
    transition: procedure.input(transitionSchema).mutation(({ ctx, input }) => ctx.store.transition(input)),
    /** Second line takes a dispatched ticket: assigned → in progress, recorded as accepted. */
    accept: procedure.input(z.object({ id: idSchema })).mutation(({ ctx, input }) => ctx.store.transition({ id: input.id, to: 'in_progress', accept: true })),
    addWorkLog: procedure.input(workLogAddSchema).mutation(({ ctx, input }) => ctx.store.addWorkLog(input)),
    get: procedure.input(z.object({ id: idSchema })).query(({ ctx, input }) => ctx.store.getIncident(input.id)),
    queue: procedure.input(queueQuerySchema.extend({ sort: z.enum(QUEUE_SORT_KEYS).default('urgency'), dir: z.enum(['asc', 'desc']).default('asc') }))
      .query(({ ctx, input }) => ctx.store.queue(input)),
    dismissConflict: procedure.input(z.object({ id: idSchema })).mutation(({ ctx, input }) => { ctx.store.dismissConflict(input.id); return { id: input.id }; }),
    search: procedure.input(searchQuerySchema).query(({ ctx, input }) => ({ rows: ctx.store.search(input.q, input.limit) })),
  }),
  /** Confirmation, closure, reopen, follow-up rating and auto-close (issue 12). */
  closure: closureRouter,
  /** Escalation: to L3 or a vendor, the vendor's details, asking management (issue 12, item 3). */
  escalation: escalationRouter,
  import: importRouter,
  notice: noticeRouter,
  /** Configuration items (issue 12): the picker, an item's recent incidents, the list and its CSV import. */
  cmdb: cmdbRouter,
  /** Administration (issue 12 item 9, issue 13 item 1): people, groups and rules, categories, SLA settings, written on the central server. */
  admin: adminRouter,
  /** Knowledge: resolve with an article, propose one, review and publish (issue 12 item 8). */
  knowledge: knowledgeRouter,
  /** Problem and change records (issue 12, item 6): raised and worked offline, linked from incidents by picker. */
  problem: problemRouter,
  change: changeRouter,
  report: reportRouter,
  export: exportRouter,
  sync: router({
    status: procedure.query(({ ctx }) => needSync(ctx).status()),
    signIn: procedure.input(signInSchema).mutation(async ({ ctx, input }) => {
      const out = await needSync(ctx).signIn(input);
      void needSync(ctx).syncNow().catch(() => undefined); // the first sync runs on; its progress shows in status
      return out;
    }),
    /** Work recorded here under a local name before sign-in, whose author the user has not chosen yet. */
    localWork: procedure.query(({ ctx }) => needSync(ctx).localWork()),
    attributeLocalWork: procedure.input(z.object({
      localUserId: idSchema, to: z.enum(['me', 'account', 'local']), accountId: idSchema.nullable().optional(),
    })).mutation(({ ctx, input }) => {
      const left = needSync(ctx).attributeLocalWork(input);
      if (input.to !== 'local') void needSync(ctx).syncNow().catch(() => undefined);
      return left;
    }),
    signInOffline: procedure.input(offlineSignInSchema).mutation(({ ctx, input }) => needSync(ctx).signInOffline(input)),
    syncNow: procedure.mutation(async ({ ctx }) => { await needSync(ctx).syncNow(); return needSync(ctx).status(); }),
    rejections: procedure.query(({ ctx }) => needSync(ctx).rejections()),
    markRejectionsSeen: procedure.mutation(({ ctx }) => { needSync(ctx).markRejectionsSeen(); return needSync(ctx).status(); }),
  }),
});

function needSync(ctx: { sync?: SyncEngine }): SyncEngine {
  if (!ctx.sync) throw new Error('sync is not available in this context');
  return ctx.sync;
}

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
