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
 * Sign-in throttling (issue 10). Every attempt is counted BEFORE its password is hashed, inside one
 * writer transaction (`reserveAttempt`), so parallel or pipelined guesses cannot all slip through
 * while the first ones are still being hashed. A key that is locked refuses the attempt without
 * hashing and without counting it (a refused call costs the caller nothing it could use).
 *
 * Three keys, each with its own rule:
 * - `ua:<user>|<address>` — one name from one address: a few free attempts, then delays that double
 *   (1 s, 2 s, 4 s … 15 min). A success clears it. This is what stops a guesser.
 * - `addr:<address>` — one address across all names: generous (an office behind one NAT address
 *   mistypes a lot), then doubling delays capped at one minute. IPv6 counts per /64.
 * - `user:<user>` — one name across all addresses: never a lockout (a stranger must not be able to
 *   shut a user out everywhere), only a spacing of one attempt per second after many failures, which
 *   bounds a distributed guesser to about one guess a second. An address the user has signed in from
 *   before (`known:<user>|<address>`, kept 90 days) is exempt from the spacing.
 * Counts leak away while a key is quiet (one attempt forgiven per `leakMs`); a success gives back
 * the attempt it reserved on the address and user keys. Time is the server's injected clock.
 */
export interface ThrottleRule { free: number; baseMs: number; factor: number; maxMs: number; leakMs: number }
export const THROTTLE = {
  userAddress: { free: 3, baseMs: 1_000, factor: 2, maxMs: 15 * 60_000, leakMs: 15 * 60_000 },
  address: { free: 100, baseMs: 1_000, factor: 2, maxMs: 60_000, leakMs: 30_000 },
  user: { free: 20, baseMs: 1_000, factor: 1, maxMs: 1_000, leakMs: 60_000 },
  /** How long an address a user signed in from stays "known" (exempt from the per-user spacing). */
  knownMs: 90 * 24 * 60 * 60_000,
  /** Rows quiet for this long are deleted (at most once per `pruneEveryMs` per process). */
  forgetMs: 24 * 60 * 60_000,
  pruneEveryMs: 10 * 60_000,
} satisfies Record<string, ThrottleRule | number>;

/** IPv4 (and IPv4-mapped IPv6) as is; other IPv6 addresses by their /64 network. */
export function addressKey(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1];
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.split('%')[0].toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export const throttleKeys = (name: string, ip: string) => {
  const user = name.trim().toLowerCase();
  const addr = addressKey(ip);
  return { userAddress: `ua:${user}|${addr}`, address: `addr:${addr}`, user: `user:${user}`, known: `known:${user}|${addr}` };
};
export type ThrottleKeys = ReturnType<typeof throttleKeys>;

interface ThrottleRow { key: string; failures: number; locked_until: number; updated_at: number }
const leaked = (row: ThrottleRow | undefined, rule: ThrottleRule, nowMs: number) =>
  row ? Math.max(0, Number(row.failures) - Math.floor(Math.max(0, nowMs - Number(row.updated_at)) / rule.leakMs)) : 0;

let lastPrune = 0;

async function throttleState(q: Sql, keys: ThrottleKeys, nowMs: number) {
  const rows = await q.all<ThrottleRow>('SELECT key, failures, locked_until, updated_at FROM login_throttle WHERE key IN (?, ?, ?, ?)',
    [keys.userAddress, keys.address, keys.user, keys.known]);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const knownRow = byKey.get(keys.known);
  const known = !!knownRow && nowMs - Number(knownRow.updated_at) < THROTTLE.knownMs;
  const applied: [string, ThrottleRule][] = [[keys.userAddress, THROTTLE.userAddress], [keys.address, THROTTLE.address]];
  if (!known) applied.push([keys.user, THROTTLE.user]);
  let waitMs = 0;
  for (const [key] of applied) waitMs = Math.max(waitMs, Number(byKey.get(key)?.locked_until ?? 0) - nowMs);
  return { waitMs, known, applied, byKey };
}

/** How long (ms) the caller must wait before an attempt, and which hashing line it joins; a plain
 * read, for refusing early. */
export async function attemptWait(q: Sql, keys: ThrottleKeys, nowMs: number): Promise<{ waitMs: number; lane: Lane }> {
  const { waitMs, known, byKey } = await throttleState(q, keys, nowMs);
  const clean = leaked(byKey.get(keys.address), THROTTLE.address, nowMs) === 0;
  return { waitMs, lane: known ? LANE.returning : clean ? LANE.cleanAddress : LANE.other };
}

/**
 * Reserves one attempt on every key that applies, or answers how long the caller must wait (ms)
 * when one of them is locked (then nothing is counted). Call inside `storage.write`.
 */
export async function reserveAttempt(q: Sql, keys: ThrottleKeys, nowMs: number): Promise<{ waitMs: number; known: boolean }> {
  if (nowMs - lastPrune > THROTTLE.pruneEveryMs || nowMs < lastPrune) {
    lastPrune = nowMs;
    await q.run("DELETE FROM login_throttle WHERE updated_at < ? AND key NOT LIKE 'known:%'", [nowMs - THROTTLE.forgetMs]);
    await q.run("DELETE FROM login_throttle WHERE updated_at < ? AND key LIKE 'known:%'", [nowMs - THROTTLE.knownMs]);
  }
  const { waitMs, known, applied, byKey } = await throttleState(q, keys, nowMs);
  if (waitMs > 0) return { waitMs, known };
  for (const [key, rule] of applied) {
    const failures = leaked(byKey.get(key), rule, nowMs) + 1;
    const extra = failures - rule.free;
    const lockedUntil = extra > 0 ? nowMs + Math.min(rule.maxMs, rule.baseMs * rule.factor ** Math.min(extra - 1, 40)) : 0;
    await q.run(
      `INSERT INTO login_throttle (key, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
      [key, failures, lockedUntil, nowMs]);
  }
  return { waitMs: 0, known };
}

/** After a correct password: the name-and-address count starts again, the reserved attempt on the
 * address and user keys is given back, and the address becomes known for this user. */
export async function recordSuccess(q: Sql, keys: ThrottleKeys, nowMs: number, wasKnown: boolean): Promise<void> {
  await q.run('DELETE FROM login_throttle WHERE key = ?', [keys.userAddress]);
  await q.run('UPDATE login_throttle SET failures = failures - 1 WHERE key = ? AND failures > 0', [keys.address]);
  if (!wasKnown) await q.run('UPDATE login_throttle SET failures = failures - 1 WHERE key = ? AND failures > 0', [keys.user]);
  await q.run(
    `INSERT INTO login_throttle (key, failures, locked_until, updated_at) VALUES (?, 0, 0, ?)
     ON CONFLICT (key) DO UPDATE SET updated_at = excluded.updated_at`, [keys.known, nowMs]);
}

/** The hashing lines, served in this order (see HashLimiter). */
export const LANE = { returning: 0, cleanAddress: 1, other: 2 } as const;
export type Lane = (typeof LANE)[keyof typeof LANE];

/**
 * Bounds the password hashing unauthenticated callers can cause: at most `concurrency` sign-in
 * hashes run at once and at most `queue` more wait in each line; a caller whose line is full is
 * refused at once (TOO_MANY_REQUESTS) without touching the database again. Three lines, served in
 * order: sign-ins from an address the user has signed in from before; from an address with no
 * recent failed sign-in at all (a flood's addresses soon have some); and the rest. So a flood of
 * fake sign-ins can neither fill the first two lines nor delay them by more than the hashes already
 * running. (Lines depend on the address only, never on whether the name exists: no name oracle.)
 */
export class HashLimiter {
  private running = 0;
  private readonly admitted = [0, 0, 0];
  private readonly lanes: Array<Array<() => void>> = [[], [], []];
  /**
   * Addresses refused as busy lately (address → until, ms of this process's monotonic clock): a
   * refusal is not a failed sign-in and is not written down, but an address that keeps a full line
   * busy is not "clean" for the next minute. Bounded: the oldest entries go first.
   */
  private readonly pushy = new Map<string, number>();
  static readonly PUSHY_MS = 60_000;
  static readonly PUSHY_MAX = 10_000;
  peakRunning = 0;
  refused = 0;
  constructor(readonly concurrency: number, readonly queue: number) {}

  /** A place in line `lane` for a caller at `address`, or null when that line is full. Release it in every case. */
  enter(lane: Lane = LANE.other, address = ''): { start(): Promise<void>; release(): void } | null {
    const now = performance.now();
    if (lane === LANE.cleanAddress && (this.pushy.get(address) ?? 0) > now) lane = LANE.other;
    if (this.admitted[lane] >= this.concurrency + this.queue) {
      this.refused++;
      this.pushy.delete(address);
      this.pushy.set(address, now + HashLimiter.PUSHY_MS);
      if (this.pushy.size > HashLimiter.PUSHY_MAX) this.pushy.delete(this.pushy.keys().next().value!);
      return null;
    }
    this.admitted[lane]++;
    let started = false, released = false;
    return {
      start: () => new Promise<void>((ok) => {
        const go = () => { started = true; this.running++; this.peakRunning = Math.max(this.peakRunning, this.running); ok(); };
        if (this.running < this.concurrency) go();
        else this.lanes[lane].push(go);
      }),
      release: () => {
        if (released) return;
        released = true;
        this.admitted[lane]--;
        if (!started) return;
        this.running--;
        const next = this.lanes[0].shift() ?? this.lanes[1].shift() ?? this.lanes[2].shift();
        next?.();
      },
    };
  }
}

export interface LoginHashLimits { concurrency: number; queue: number }
export const DEFAULT_LOGIN_HASH_LIMITS: LoginHashLimits = { concurrency: 2, queue: 16 };
const limiters = new WeakMap<object, HashLimiter>();
let processLimiter: HashLimiter | null = null;
/** One limiter per server (`startServer` sets it); callers without one share a process-wide one. */
export function setLoginHashLimits(owner: object, limits: LoginHashLimits): HashLimiter {
  const l = new HashLimiter(Math.max(1, limits.concurrency), Math.max(0, limits.queue));
  limiters.set(owner, l);
  return l;
}
export const loginHashLimiter = (owner: object) =>
  limiters.get(owner) ?? (processLimiter ??= new HashLimiter(DEFAULT_LOGIN_HASH_LIMITS.concurrency, DEFAULT_LOGIN_HASH_LIMITS.queue));
