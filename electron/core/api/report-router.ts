import { reportDrillSchema, reportQuerySchema } from '../../../shared/reports.js';
import { computeReport } from '../reports/compute.js';
import { drillReport } from '../reports/drill.js';
import { reportScope } from '../reports/scope.js';
import { computeReportInWorker, workerFileOf } from '../reports/worker-pool.js';
import { procedure, router } from './trpc.js';

/**
 * Team leads' reports (issue 11): compute a report for a range and filters, and the incidents behind a figure.
 * A report is computed on the report worker (its own read-only connection), so the console keeps
 * answering meanwhile; unknown filter values are refused first, here, naming the filter.
 */
export const reportRouter = router({
  compute: procedure.input(reportQuerySchema).query(({ ctx, input }) => {
    const file = workerFileOf(ctx.store.db);
    if (!file) return computeReport(ctx.store, input);
    reportScope(ctx.store, input);
    // a short period holding very many incidents is split too: counted through the reported_at index, only when asked
    const count = ctx.store.db.prepare('SELECT count(*) FROM incidents WHERE reported_at >= ? AND reported_at < ?').pluck();
    return computeReportInWorker(file, input, ctx.store.now(), { periodIncidents: (fromUtc, toUtc) => count.get(fromUtc, toUtc) as number });
  }),
  drill: procedure.input(reportDrillSchema).query(({ ctx, input }) => drillReport(ctx.store, input)),
});
