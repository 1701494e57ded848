import { reportDrillSchema, reportQuerySchema } from '../../../shared/reports.js';
import { computeReport } from '../reports/compute.js';
import { drillReport } from '../reports/drill.js';
import { procedure, router } from './trpc.js';

/** Team leads' reports (issue 11): compute a report for a range and filters, and the incidents behind a figure. */
export const reportRouter = router({
  compute: procedure.input(reportQuerySchema).query(({ ctx, input }) => computeReport(ctx.store, input)),
  drill: procedure.input(reportDrillSchema).query(({ ctx, input }) => drillReport(ctx.store, input)),
});
