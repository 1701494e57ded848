import { z } from 'zod';
import {
  createChangeSchema, linkChangeProblemSchema, raiseProblemSchema, recordListSchema, recordSuggestSchema, resolveProblemSchema, saveChangeSchema, saveProblemSchema,
} from '../../../shared/problems.js';
import { idSchema } from '../../../shared/index.js';
import { procedure, router } from '../api/trpc.js';
import {
  createChange, getChange, getProblem, linkChangeProblem, listChanges, listProblems, raiseProblem, resolveProblem, saveChange, saveProblem, suggestRecords,
} from './records.js';

/**
 * Problem and change records (issue 12, item 6): read from this desk's copy and written here offline,
 * each write with its history and its change to the server in one transaction (records.ts).
 */
export const problemRouter = router({
  list: procedure.input(recordListSchema).query(({ ctx, input }) => listProblems(ctx.store, input.q, input.status)),
  get: procedure.input(z.object({ id: idSchema })).query(({ ctx, input }) => getProblem(ctx.store, input.id)),
  /** The pickers (incident detail, change form): problems or changes by number or title. */
  suggest: procedure.input(recordSuggestSchema).query(({ ctx, input }) => suggestRecords(ctx.store, input.kind, input.q, input.limit)),
  raise: procedure.input(raiseProblemSchema).mutation(({ ctx, input }) => raiseProblem(ctx.store, input)),
  save: procedure.input(saveProblemSchema).mutation(({ ctx, input }) => saveProblem(ctx.store, input.id, input.fields)),
  /** Resolves the problem and, each on its own, the linked incidents the user checked. */
  resolve: procedure.input(resolveProblemSchema).mutation(({ ctx, input }) => resolveProblem(ctx.store, input)),
});

export const changeRouter = router({
  list: procedure.input(recordListSchema).query(({ ctx, input }) => listChanges(ctx.store, input.q, input.status)),
  get: procedure.input(z.object({ id: idSchema })).query(({ ctx, input }) => getChange(ctx.store, input.id)),
  create: procedure.input(createChangeSchema).mutation(({ ctx, input }) => createChange(ctx.store, input)),
  save: procedure.input(saveChangeSchema).mutation(({ ctx, input }) => saveChange(ctx.store, input.id, input.fields)),
  link: procedure.input(linkChangeProblemSchema).mutation(({ ctx, input }) => linkChangeProblem(ctx.store, input.id, input.problemId, input.linked)),
});
