import { z } from 'zod';
import { commitImport, importFileSchema, importProgress, previewImport } from '../import/service.js';
import { sourceFactsOf } from '../import/facts.js';
import { importTemplate } from '../import/template.js';
import { procedure, router } from './trpc.js';

/**
 * Import of past incidents (issue #4): an incident list (one row per incident) or an event log
 * (one row per status change), from CSV (UTF-8 ± BOM or GB18030), XLSX or XES, gzip or not.
 * preview → (edit mapping) → commit; progress is polled by the client's jobId.
 */
export const importRouter = router({
  /** Reads the file and reports what a commit would do; writes nothing. */
  preview: procedure.input(importFileSchema).mutation(({ ctx, input }) => previewImport(ctx.store, input)),
  /** All or nothing; BAD_REQUEST with issues `line N · Column` when any row is bad. */
  commit: procedure.input(importFileSchema).mutation(({ ctx, input }) => commitImport(ctx.store, input)),
  /** Phase and count of a running preview or commit started with this jobId; null when unknown. */
  progress: procedure.input(z.object({ jobId: z.string().trim().min(1).max(64) })).query(({ input }) => importProgress(input.jobId)),
  /** The incident-list template to fill in. */
  template: procedure
    .input(z.object({ format: z.enum(['csv', 'xlsx']), locale: z.enum(['zh-CN', 'en']).default('zh-CN') }))
    .query(({ ctx, input }) => importTemplate(input.format, input.locale, ctx.store.listCategories())),
  /** The source event behind each imported history row of an incident (an event log's every column); [] for other incidents. */
  sourceFacts: procedure
    .input(z.object({ incidentId: z.string().trim().min(1, { message: 'required' }).max(64, { message: 'at most 64 characters' }) }))
    .query(({ ctx, input }) => sourceFactsOf(ctx.store, input.incidentId)),
});
