import { TRPCError } from '@trpc/server';
import type { FieldIssue } from '../../../shared/index.js';
import type { DeskContext } from '../api/trpc.js';
import { CentralError } from '../sync/central-client.js';
import { DeskInputError } from '../store/errors.js';

/**
 * Calls to the central server as the desk's signed-in user, for administration (issue 12 item 9,
 * issue 13 item 1). The server checks the role and the input again; its answer comes back to the
 * renderer as codes and field paths, never as the server's English:
 * - `admin_not_signed_in` (PRECONDITION_FAILED): this desk has no session with a central server;
 * - `admin_offline` (PRECONDITION_FAILED): the server cannot be reached now;
 * - `admin_session_expired` (UNAUTHORIZED): the server no longer knows the token (sign in again);
 * - `admin_forbidden` (FORBIDDEN): the server refused the user's role;
 * - field issues (BAD_REQUEST, `data.issues`): what the server refused, by field path.
 */
export const ADMIN_ERRORS = ['admin_not_signed_in', 'admin_offline', 'admin_session_expired', 'admin_forbidden'] as const;
export type AdminErrorCode = (typeof ADMIN_ERRORS)[number];

// No `cause`: the desk API's error mapping would turn a CentralError or a network cause into BAD_GATEWAY.
const fail = (code: 'PRECONDITION_FAILED' | 'UNAUTHORIZED' | 'FORBIDDEN', reason: AdminErrorCode) => new TRPCError({ code, message: reason });

/** A server refusal as field issues: its `data.issues`, or a message written `path: what` (CONFLICT, BAD_REQUEST). */
export function centralIssues(err: CentralError): FieldIssue[] | null {
  const listed = err.data.issues as Array<{ path?: string; message?: string }> | undefined;
  if (Array.isArray(listed) && listed.length) return listed.map((i) => ({ path: String(i.path || '(input)'), message: String(i.message ?? '') }));
  if (err.code !== 'BAD_REQUEST' && err.code !== 'CONFLICT' && err.code !== 'NOT_FOUND') return null;
  const m = /^([A-Za-z][\w.]*): (.+)$/s.exec(err.message);
  return m ? [{ path: m[1], message: m[2] }] : [{ path: '(input)', message: err.message }];
}

/** One call to the central server with this desk's session; errors mapped as above. */
export async function adminCall<T>(ctx: DeskContext, kind: 'query' | 'mutation', path: string, input: unknown): Promise<T> {
  const session = ctx.sync?.session() ?? null;
  if (!session) throw fail('PRECONDITION_FAILED', 'admin_not_signed_in');
  try {
    return await session.client.admin<T>(kind, path, input, session.token);
  } catch (err) {
    if (err instanceof CentralError) {
      if (err.code === 'FORBIDDEN') throw fail('FORBIDDEN', 'admin_forbidden');
      if (err.code === 'UNAUTHORIZED') throw fail('UNAUTHORIZED', 'admin_session_expired');
      const issues = centralIssues(err);
      if (issues) throw new DeskInputError(issues);
      throw err;
    }
    // No answer: the network failed, the server is down or too slow.
    throw fail('PRECONDITION_FAILED', 'admin_offline');
  }
}

/** After a write the server accepted: pull now, so this desk shows it (waited for; a failed pull is retried by the next round). */
export async function pullNow(ctx: DeskContext): Promise<void> {
  await ctx.sync?.syncNow().catch(() => undefined);
}
