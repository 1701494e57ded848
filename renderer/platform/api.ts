import { createTRPCClient, TRPCClientError } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../electron/core/api/router.js';
import { createLink } from './transport.js';

/** The one tRPC client of the renderer. */
export const api = createTRPCClient<AppRouter>({ links: [createLink()] });
/** What each procedure returns, as the router declares it (one definition, no copies in the renderer). */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export interface FieldIssue { path: string; message: string }

/** Field issues carried by a rejected input (`data.issues`), or one issue with path '' for anything else. */
export function issuesOf(err: unknown): FieldIssue[] {
  if (err instanceof TRPCClientError) {
    const data = err.data as { issues?: unknown } | undefined;
    if (data && Array.isArray(data.issues) && data.issues.length > 0) {
      return (data.issues as Array<{ path?: unknown; message?: unknown }>).map((i) => ({
        path: Array.isArray(i.path) ? i.path.join('.') : String(i.path ?? ''),
        message: String(i.message ?? ''),
      }));
    }
    return [{ path: '', message: err.message }];
  }
  return [{ path: '', message: err instanceof Error ? err.message : String(err) }];
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
