import { z } from 'zod';
import { autoCloseDaysSchema, confirmCloseSchema, followUpSchema, reopenSchema } from '../../../shared/closure.js';
import { procedure, router } from '../api/trpc.js';
import { autoCloseDays, setAutoCloseDays, sweepAutoClose } from './closure.js';

/** Confirmation, closure, reopen and the follow-up rating (issue 12, item 5). */
export const closureRouter = router({
  confirmClose: procedure.input(confirmCloseSchema).mutation(({ ctx, input }) => ctx.store.transition({
    id: input.id, to: 'closed', closeKind: 'confirmed', confirmedWith: input.confirmedWith, confirmedVia: input.confirmedVia,
    confirmedAt: input.confirmedAt ?? null, satisfaction: input.satisfaction ?? null, satisfactionComment: input.satisfactionComment ?? null,
  })),
  reopen: procedure.input(reopenSchema).mutation(({ ctx, input }) => ctx.store.transition({ id: input.id, to: 'reopened', reason: input.reason })),
  followUp: procedure.input(followUpSchema).mutation(({ ctx, input }) => ctx.store.updateIncident(input.id, {
    satisfaction: input.satisfaction, ...(input.satisfactionComment !== undefined ? { satisfactionComment: input.satisfactionComment } : {}),
  })),
  settings: procedure.query(({ ctx }) => ({ autoCloseDays: autoCloseDays(ctx.store) })),
  setAutoCloseDays: procedure.input(z.object({ days: autoCloseDaysSchema }).strict())
    .mutation(({ ctx, input }) => ({ autoCloseDays: setAutoCloseDays(ctx.store, ctx.store.currentUser(), input.days) })),
  /** Runs the auto-close sweep now (the desk also runs it every minute). */
  sweep: procedure.mutation(({ ctx }) => ({ closed: sweepAutoClose(ctx.store) })),
});
