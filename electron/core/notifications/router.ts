import { z } from 'zod';
import { procedure, router } from '../api/trpc.js';
import { listNotices, markNoticesRead, sweepEventNotices, sweepNotices } from './notices.js';

const noticeIdSchema = z.string().min(1).max(160);

/** The notification centre's API (issue 13): the signed-in user's notices, the sweep, read state. */
export const noticeRouter = router({
  list: procedure.input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
    .query(({ ctx, input }) => listNotices(ctx.store, input)),
  /** Raises the SLA notices due now and those of new returns and assignments (the bell calls it as it polls); returns how many are new. */
  sweep: procedure.mutation(({ ctx }) => ({ raised: sweepNotices(ctx.store) + sweepEventNotices(ctx.store) })),
  markRead: procedure.input(z.object({ ids: z.array(noticeIdSchema).min(1).max(500) }))
    .mutation(({ ctx, input }) => ({ marked: markNoticesRead(ctx.store, input.ids) })),
  markAllRead: procedure.mutation(({ ctx }) => ({ marked: markNoticesRead(ctx.store, 'all') })),
});
