import { describe, expect, it } from 'vitest';
import { CentralError } from '../../electron/core/sync/central-client.js';
import { DeskNotFoundError, deskErrorCode } from '../../electron/core/store/errors.js';

// Issue 14.2: the desk API tells the renderer what went wrong as a code (`data.reason`), so a wrong
// password is not worded as an expired session. (The e2e locale check signs in with a wrong password
// against a real server.)
describe('desk API error codes', () => {
  it('a refused sign-in is a wrong name or password, a refused call later an expired session', () => {
    const refused = new CentralError('wrong user name or password', 'UNAUTHORIZED', 401);
    expect(deskErrorCode(refused, 'sync.signIn', 'UNAUTHORIZED')).toBe('wrong_password');
    const expired = new CentralError('sign in first (missing, expired or revoked token)', 'UNAUTHORIZED', 401);
    expect(deskErrorCode(expired, 'sync.now', 'UNAUTHORIZED')).toBe('session_expired');
    expect(deskErrorCode(refused, 'sync.now', 'UNAUTHORIZED')).toBe('wrong_password');
  });
  it('names too many attempts, an unreachable server and a missing record', () => {
    expect(deskErrorCode(new CentralError('slow down', 'TOO_MANY_REQUESTS', 429), 'sync.signIn', 'TOO_MANY_REQUESTS')).toBe('too_many_attempts');
    expect(deskErrorCode(new Error('fetch failed'), 'sync.now', 'BAD_GATEWAY')).toBe('server_unreachable');
    expect(deskErrorCode(new DeskNotFoundError('incident', 'x'), 'incident.get', 'NOT_FOUND')).toBe('not_found');
    expect(deskErrorCode(new Error('boom'), 'incident.get', 'INTERNAL_SERVER_ERROR')).toBeNull();
  });
});
