import { TRPCError } from '@trpc/server';
import { reportDrillSchema, reportQuerySchema } from '../../../shared/reports.js';
import { procedure, router } from './trpc.js';

/** Team leads' reports (issue 11): compute a report for a range and filters, and the incidents behind a figure. */
export const reportRouter = router({
  compute: procedure.input(reportQuerySchema).query(() => { throw new TRPCError({ code: 'NOT_IMPLEMENTED', message: 'reports are being built' }); }),
  drill: procedure.input(reportDrillSchema).query(() => { throw new TRPCError({ code: 'NOT_IMPLEMENTED', message: 'reports are being built' }); }),
});
