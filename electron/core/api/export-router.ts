import { z } from 'zod';
import { EXPORT_FORMATS, reportQuerySchema } from '../../../shared/reports.js';
import { cancelExport, exportFile, exportProgress, startExport } from '../reports/export/job.js';
import { EXPORT_LANGS } from '../reports/export/labels.js';
import { procedure, router } from './trpc.js';

const jobInput = z.object({ jobId: z.string().trim().min(1).max(64) });

/**
 * Report exports (issue 11): CSV, XLSX, PDF written on the desk into `<dataDir>/exports/`, with
 * progress and cancel. The renderer starts a job, polls its progress, then asks for the file
 * (browser mode serves it as a download, Electron copies it where the save dialog says).
 */
export const exportRouter = router({
  start: procedure
    .input(z.object({ query: reportQuerySchema, format: z.enum(EXPORT_FORMATS), lang: z.enum(EXPORT_LANGS).default('zh-CN') }))
    .mutation(({ ctx, input }) => {
      const { jobId, fileName } = startExport(ctx.store, { ...input, user: ctx.store.currentUser()?.name ?? '' });
      return { jobId, fileName };
    }),
  /** Phase and counts of an export; null when the id is unknown. */
  progress: procedure.input(jobInput).query(({ input }) => exportProgress(input.jobId)),
  cancel: procedure.input(jobInput).mutation(({ input }) => cancelExport(input.jobId)),
  /** Where the finished file is; BAD_REQUEST while it is not done. */
  file: procedure.input(jobInput).query(({ input }) => exportFile(input.jobId)),
});
