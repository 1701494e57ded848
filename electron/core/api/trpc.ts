import { initTRPC, TRPCError } from '@trpc/server';
import type { DeskStore } from '../store/desk-store.js';
import type { SyncEngine } from '../sync/engine.js';
import { CentralError } from '../sync/central-client.js';
import { DeskInputError, DeskNoUserError, DeskNotFoundError, deskErrorCode } from '../store/errors.js';
import { IMPORT_BUSY } from '../import/write.js';
import { issueFromZod, withCode, type FieldIssue, type ZodLikeIssue } from '../../../shared/index.js';

export interface DeskContext { store: DeskStore; sync?: SyncEngine }

/**
 * Every error the renderer sees carries `data.issues`: which field, what is wrong with it as a code and
 * its parameters (the renderer words them), and an English `message` for logs. Made here, from the
 * schema's zod issues or the store's refusals, and nowhere else.
 */
function issuesOf(cause: unknown): FieldIssue[] | null {
  if (cause instanceof DeskInputError) return cause.issues.map(withCode);
  const issues = (cause as { issues?: ZodLikeIssue[] } | undefined)?.issues;
  if (Array.isArray(issues)) return issues.map((i) => issueFromZod(i, '(input)'));
  return null;
}

const t = initTRPC.context<DeskContext>().create({
  errorFormatter({ shape, error, path }) {
    const issues = issuesOf(error.cause);
    return {
      ...shape,
      message: issues ? issues.map((i) => `${i.path}: ${i.message}`).join('; ') : shape.message,
      // `reason`: a code the renderer words (wrong password vs an expired session, …), null for field issues.
      data: { ...shape.data, stack: undefined, issues, reason: issues ? null : deskErrorCode(error.cause, path, error.code) },
    };
  },
});

/** Store errors become tRPC errors with the right code; a refused write changed nothing (its transaction rolled back). */
const mapErrors = t.middleware(async ({ next }) => {
  const res = await next();
  if (!res.ok) {
    const cause = res.error.cause;
    if (cause instanceof DeskInputError) res.error = new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
    else if (cause instanceof DeskNotFoundError) res.error = new TRPCError({ code: 'NOT_FOUND', message: cause.message, cause });
    else if (cause instanceof DeskNoUserError) res.error = new TRPCError({ code: 'PRECONDITION_FAILED', message: cause.message, cause });
    // A write made while an import is being written is refused by the import's guard, changing nothing.
    else if (cause?.message?.includes(IMPORT_BUSY)) res.error = new TRPCError({ code: 'CONFLICT', message: IMPORT_BUSY, cause });
    else if (cause instanceof CentralError) res.error = new TRPCError({ code: cause.code === 'UNAUTHORIZED' ? 'UNAUTHORIZED' : cause.code === 'TOO_MANY_REQUESTS' ? 'TOO_MANY_REQUESTS' : 'BAD_GATEWAY', message: `central server: ${cause.message}`, cause });
    else if (cause && !(cause instanceof TRPCError) && /fetch failed|ECONNREFUSED|TimeoutError/.test(`${cause.name} ${cause.message} ${(cause as { cause?: { code?: string } }).cause?.code ?? ''}`)) {
      res.error = new TRPCError({ code: 'BAD_GATEWAY', message: 'central server unreachable; work continues offline and syncs when it is back', cause });
    }
  }
  return res;
});

export const router = t.router;
export const procedure = t.procedure.use(mapErrors);
export const createCallerFactory = t.createCallerFactory;
