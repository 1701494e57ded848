import type { FieldIssue } from '../../../shared/index.js';

/** Input that the schema accepted but the store refuses (unknown category, future time, illegal transition…). */
export class DeskInputError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.name = 'DeskInputError';
  }
}

export class DeskNotFoundError extends Error {
  constructor(what: string, id: string) {
    super(`${what} ${id} not found`);
    this.name = 'DeskNotFoundError';
  }
}

/** The desk has nobody signed in yet (first start): writes need an actor for the history. */
export class DeskNoUserError extends Error {
  constructor() {
    super('nobody works at this desk yet: set up the desk first');
    this.name = 'DeskNoUserError';
  }
}

/**
 * What went wrong, as a code the renderer words (`err.<code>` in the locale files), for errors that are
 * not about one field: the desk's own refusals and what the central server answered.
 */
export type DeskErrorCode = 'wrong_password' | 'session_expired' | 'too_many_attempts' | 'server_unreachable' | 'not_found' | 'no_user' | 'import_busy';

/** The code of an error the desk API answers with (`data.reason`), from its cause and the procedure's path. */
export function deskErrorCode(cause: unknown, path: string | undefined, trpcCode: string): DeskErrorCode | null {
  if (cause instanceof DeskNotFoundError) return 'not_found';
  if (cause instanceof DeskNoUserError) return 'no_user';
  const central = cause && typeof cause === 'object' && (cause as { name?: string }).name === 'CentralError' ? cause as { code?: string; message?: string } : null;
  if (central?.code === 'UNAUTHORIZED' || (!central && trpcCode === 'UNAUTHORIZED')) {
    // Signing in sends no token: a refusal there is the name or the password, never an expired session.
    return path === 'sync.signIn' || /wrong user name or password/i.test(central?.message ?? '') ? 'wrong_password' : 'session_expired';
  }
  if (central?.code === 'TOO_MANY_REQUESTS' || trpcCode === 'TOO_MANY_REQUESTS') return 'too_many_attempts';
  if (trpcCode === 'BAD_GATEWAY' && !central) return 'server_unreachable';
  if (trpcCode === 'CONFLICT' && /import/i.test(String((cause as { message?: string } | undefined)?.message ?? ''))) return 'import_busy';
  return null;
}
