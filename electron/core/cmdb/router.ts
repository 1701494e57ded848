import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { importCisSchema, parseCiCsv, saveCiSchema, setCiActiveSchema, type Ci, type CiImportResult } from '../../../shared/cmdb.js';
import type { FieldIssue } from '../../../shared/index.js';
import { procedure, router } from '../api/trpc.js';
import { adminCall } from '../admin/central.js';
import type { DeskContext } from '../api/trpc.js';
import { DeskInputError } from '../store/errors.js';
import type { DeskStore } from '../store/desk-store.js';
import type { SyncEngine } from '../sync/engine.js';
import { applyCi, getCi, recentIncidents, searchCis } from './cis.js';

/**
 * The configuration items' API (issue 12, item 7). Reads come from this desk's pulled copy, so the
 * picker works offline. Changes are the server's: a lead or admin signed in here writes through to
 * the central server (which checks again), and the answer is applied here at once; the same change
 * reaches every other desk by pull.
 */

const canEdit = (store: DeskStore) => ['lead', 'admin'].includes(store.currentUser()?.role ?? '');

/** Where a server refusal names a CSV line (`csv.line 3.group`), the desk's issue names it the same way, with its code. */
function csvIssues(issues: FieldIssue[]): FieldIssue[] {
  return issues.map((i) => {
    const csv = /^csv\.line (\d+)(?:\.(\w+))?$/.exec(i.path);
    const code = /^(\w+):/.exec(i.message)?.[1];
    return csv
      ? { path: `line ${csv[1]}${csv[2] ? `.${csv[2]}` : ''}`, message: i.message, params: { csv: code ?? 'invalid', line: Number(csv[1]), column: csv[2] ?? '' } }
      : i;
  });
}

/**
 * One call to the central server as the signed-in user, through the administration section's one
 * client (admin/central.ts `adminCall`: this desk's session, its errors as codes). Refusals keep the
 * shapes this screen words: a desk without a session is `not_connected`, a role the server refuses is
 * `forbidden`, a refused file names its lines.
 */
async function central<T>(ctx: DeskContext, kind: 'query' | 'mutation', path: string, input: unknown): Promise<T> {
  try {
    return await adminCall<T>(ctx, kind, path, input);
  } catch (err) {
    if (err instanceof DeskInputError) throw new DeskInputError(csvIssues(err.issues));
    if (err instanceof TRPCError && err.message === 'admin_not_signed_in') {
      throw new DeskInputError([{ path: '(desk)', message: 'not_connected: sign in to the central server to change the configuration items' }]);
    }
    if (err instanceof TRPCError && err.message === 'admin_forbidden') throw new TRPCError({ code: 'FORBIDDEN', message: 'forbidden: only a team lead or an admin may change the configuration items' });
    throw err;
  }
}

function needEditor(store: DeskStore): void {
  if (!canEdit(store)) throw new TRPCError({ code: 'FORBIDDEN', message: 'forbidden: only a team lead or an admin may change the configuration items' });
}

const pullSoon = (sync: SyncEngine | undefined) => { void sync?.syncNow().catch(() => undefined); };

export const cmdbRouter = router({
  /** The list screen: every item (inactive ones too), searched by name, IP or location. */
  list: procedure.input(z.object({ q: z.string().max(200).default(''), includeInactive: z.boolean().default(true) }).default({ q: '', includeInactive: true }))
    .query(({ ctx, input }) => ({
      connected: ctx.store.connected(), canEdit: canEdit(ctx.store),
      items: searchCis(ctx.store, input.q, { limit: 5000, includeInactive: input.includeInactive }),
    })),
  /** The affected-system picker: active items matching what was typed. */
  suggest: procedure.input(z.object({ q: z.string().max(200), limit: z.number().int().min(1).max(50).default(8) }))
    .query(({ ctx, input }) => searchCis(ctx.store, input.q, { limit: input.limit })),
  /** One item with its recent incidents (newest first). */
  get: procedure.input(z.object({ id: z.string().min(1).max(64), limit: z.number().int().min(1).max(50).default(5) }))
    .query(({ ctx, input }) => ({ ci: getCi(ctx.store, input.id), incidents: recentIncidents(ctx.store, input.id, input.limit) })),
  save: procedure.input(saveCiSchema).mutation(async ({ ctx, input }) => {
    needEditor(ctx.store);
    const ci = await central<Ci>(ctx, 'mutation', 'cmdb.save', input);
    applyCi(ctx.store, ci.id, ci);
    pullSoon(ctx.sync);
    return getCi(ctx.store, ci.id)!;
  }),
  setActive: procedure.input(setCiActiveSchema).mutation(async ({ ctx, input }) => {
    needEditor(ctx.store);
    const ci = await central<Ci>(ctx, 'mutation', 'cmdb.setActive', input);
    applyCi(ctx.store, ci.id, ci);
    pullSoon(ctx.sync);
    return getCi(ctx.store, ci.id)!;
  }),
  /**
   * A CSV file, whole or not at all. Checked here first (every problem by line and column, nothing
   * sent), then by the server, which resolves the owning groups and writes; the items arrive by pull.
   */
  importCsv: procedure.input(importCisSchema).mutation(async ({ ctx, input }): Promise<CiImportResult> => {
    needEditor(ctx.store);
    const { issues } = parseCiCsv(input.csv);
    if (issues.length) {
      throw new DeskInputError(issues.map((i) => ({
        path: `line ${i.line}${i.column ? `.${i.column}` : ''}`, message: `${i.code}: ${i.message}`, params: { csv: i.code, line: i.line, column: i.column ?? '' },
      })));
    }
    const result = await central<CiImportResult>(ctx, 'mutation', 'cmdb.importCsv', input);
    // The imported items reach this desk by pull; waited for, so the list shows them when this answers.
    if (ctx.sync) await ctx.sync.syncNow().catch(() => undefined);
    else for (const ci of await central<Ci[]>(ctx, 'query', 'cmdb.list', undefined).catch(() => [] as Ci[])) applyCi(ctx.store, ci.id, ci);
    return result;
  }),
});
