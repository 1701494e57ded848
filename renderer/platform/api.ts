import { createTRPCClient, TRPCClientError } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../electron/core/api/router.js';
import { createLink } from './transport.js';
import { ISSUE_CODES, type FieldIssue, type IssueCode, type IssueParams } from '../../shared/index.js';

/** The one tRPC client of the renderer. */
export const api = createTRPCClient<AppRouter>({ links: [createLink()] });
/** What each procedure returns, as the router declares it (one definition, no copies in the renderer). */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export type { FieldIssue } from '../../shared/index.js';

/**
 * Field issues carried by a rejected input (`data.issues`, each with its `code` and `params` when the
 * desk knows them), or one issue with path '' for anything else.
 */
export function issuesOf(err: unknown): FieldIssue[] {
  if (err instanceof TRPCClientError) {
    const data = err.data as { issues?: unknown } | undefined;
    if (data && Array.isArray(data.issues) && data.issues.length > 0) {
      return (data.issues as Array<{ path?: unknown; message?: unknown; code?: unknown; params?: unknown }>).map((i) => {
        const issue: FieldIssue = { path: Array.isArray(i.path) ? i.path.join('.') : String(i.path ?? ''), message: String(i.message ?? '') };
        if (typeof i.code === 'string' && (ISSUE_CODES as readonly string[]).includes(i.code)) issue.code = i.code as IssueCode;
        if (i.params && typeof i.params === 'object') issue.params = i.params as IssueParams;
        return issue;
      });
    }
    return [{ path: '', message: err.message }];
  }
  return [{ path: '', message: err instanceof Error ? err.message : String(err) }];
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
