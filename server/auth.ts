import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Sql } from './storage/index.js';

/**
 * Passwords: scrypt (memory-hard, built into node:crypto), N=2^15, r=8, p=1, 16-byte salt,
 * 32-byte key. Stored as `scrypt$N$r$p$salt$hash` (base64url) so parameters can be raised later.
 */
const N = 1 << 15, R = 8, P = 1, KEYLEN = 32;
const MAXMEM = 128 * N * R * 2;
/**
 * Test suites may lower the cost for new hashes (RELAY_DESK_SCRYPT_LOG2N, 10…15) so hundreds of
 * sign-ins stay fast on small CI machines; never higher than the default, never below 2^10.
 */
const costN = () => {
  const log2 = Number(process.env.RELAY_DESK_SCRYPT_LOG2N);
  return Number.isInteger(log2) && log2 >= 10 && log2 < 15 ? 1 << log2 : N;
};

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEYLEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const n = costN();
  const key = await scryptAsync(password, salt, n, R, P);
  return ['scrypt', n, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash || Number(n) > N || Number(r) > 32 || Number(p) > 4) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Verifying against this keeps a login for an unknown name as slow as one for a known name. */
let dummyHash: Promise<string> | null = null;
export const dummyPasswordHash = () => (dummyHash ??= hashPassword('relay-desk-dummy-password'));

/** Bearer tokens: 32 random bytes; only their SHA-256 is stored. */
export const newToken = () => randomBytes(32).toString('base64url');
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
export const TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Failed logins are throttled per user name and per client IP: after `free` failures each further
 * failure locks the key for base × 2^(extra) ms, capped; a success clears the user-name key.
 * Time comes from the server's injected clock, so tests advance it instead of sleeping.
 */
export const THROTTLE = {
  user: { free: 3, baseMs: 1_000, maxMs: 15 * 60_000 },
  ip: { free: 20, baseMs: 1_000, maxMs: 15 * 60_000 },
  /** A key with no failure for this long starts again from zero. */
  forgetMs: 24 * 60 * 60_000,
};

export const throttleKeys = (name: string, ip: string) => ({ user: `user:${name.trim().toLowerCase()}`, ip: `ip:${ip}` });

/** ms until a key may try again (0 = now). */
export async function lockedFor(q: Sql, keys: string[], nowMs: number): Promise<number> {
  let wait = 0;
  for (const key of keys) {
    const row = await q.get<{ locked_until: number }>('SELECT locked_until FROM login_throttle WHERE key = ?', [key]);
    if (row) wait = Math.max(wait, Number(row.locked_until) - nowMs);
  }
  return wait;
}

export async function recordFailure(q: Sql, key: string, kind: 'user' | 'ip', nowMs: number): Promise<void> {
  const rule = THROTTLE[kind];
  const row = await q.get<{ failures: number; updated_at: number }>('SELECT failures, updated_at FROM login_throttle WHERE key = ?', [key]);
  const failures = (row && nowMs - Number(row.updated_at) < THROTTLE.forgetMs ? Number(row.failures) : 0) + 1;
  const extra = failures - rule.free;
  const lockedUntil = extra > 0 ? nowMs + Math.min(rule.maxMs, rule.baseMs * 2 ** (extra - 1)) : 0;
  await q.run(
    `INSERT INTO login_throttle (key, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
    [key, failures, lockedUntil, nowMs]);
}

export async function clearFailures(q: Sql, key: string): Promise<void> {
  await q.run('DELETE FROM login_throttle WHERE key = ?', [key]);
}
