import { z } from 'zod';
import {
  deskSetupSchema, idSchema, roleSchema, incidentCreateSchema, incidentUpdateSchema, queueQuerySchema, requesterLookupSchema,
  sampleDataSchema, searchQuerySchema, transitionSchema, workLogAddSchema,
} from '../../../shared/index.js';
import { loadSampleData } from '../store/sample.js';
import { procedure, router, createCallerFactory } from './trpc.js';

const localeSchema = z.object({ locale: z.enum(['zh-CN', 'en']) });

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
    setBackfillRoles: procedure.input(z.object({ roles: z.array(roleSchema).max(4) })).mutation(({ ctx, input }) => { ctx.store.setBackfillRoles(input.roles); return input.roles; }),
    loadSample: procedure.input(sampleDataSchema).mutation(({ ctx, input }) => loadSampleData(ctx.store, { incidents: input.incidents })),
  }),
  category: router({ list: procedure.query(({ ctx }) => ctx.store.listCategories()) }),
  user: router({ list: procedure.query(({ ctx }) => ctx.store.listUsers()) }),
  requester: router({
    lookup: procedure.input(requesterLookupSchema).query(({ ctx, input }) => ctx.store.lookupRequesters(input.q, input.limit)),
  }),
  incident: router({
    create: procedure.input(incidentCreateSchema).mutation(({ ctx, input }) => ctx.store.createIncident(input)),
    update: procedure.input(incidentUpdateSchema).mutation(({ ctx, input }) => ctx.store.updateIncident(input.id, input.patch)),
    transition: procedure.input(transitionSchema).mutation(({ ctx, input }) => ctx.store.transition(input)),
    addWorkLog: procedure.input(workLogAddSchema).mutation(({ ctx, input }) => ctx.store.addWorkLog(input)),
    get: procedure.input(z.object({ id: idSchema })).query(({ ctx, input }) => ctx.store.getIncident(input.id)),
    queue: procedure.input(queueQuerySchema).query(({ ctx, input }) => ctx.store.queue(input)),
    search: procedure.input(searchQuerySchema).query(({ ctx, input }) => ({ rows: ctx.store.search(input.q, input.limit) })),
  }),
  sync: router({ status: procedure.query(({ ctx }) => ctx.store.syncStatus()) }),
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
