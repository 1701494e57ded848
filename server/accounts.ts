import { TRPCError } from '@trpc/server';
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { adminUserSchema } from '../shared/admin.js';
import { idSchema } from '../shared/schemas.js';
import { deviceSecretSchema } from '../shared/sync.js';
import type { Role } from '../shared/enums.js';
import { attemptWait, dummyPasswordHash, hashPassword, loginHashLimiter, newToken, recordSuccess, reserveAttempt, throttleKeys, tokenHash, TOKEN_TTL_MS, verifyPassword } from './auth.js';
import { ChangeBuffer } from './changes.js';
import { passwordProblem } from './password-policy.js';
import type { Sql } from './storage/index.js';
import type { AuthUser, SyncDeps } from './sync.js';

const iso = (ms: number) => new Date(ms).toISOString();

export const loginInputSchema = z.object({ name: z.string().trim().min(1).max(100), password: z.string().min(1).max(1024) });
export interface LoginOutput { token: string; expiresAt: string; user: AuthUser; serverTime: string }

export async function login(deps: SyncDeps, input: z.infer<typeof loginInputSchema>, ip: string): Promise<LoginOutput> {
  const keys = throttleKeys(input.name, ip);
  const nowMs = deps.now().getTime();
  const refuse = (waitMs: number) => new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `too many failed sign-ins; try again in ${Math.ceil(waitMs / 1000)} s` });
  // A locked caller is answered from a plain read: no writer lock, no place in the hashing line.
  const early = await deps.storage.read((q) => attemptWait(q, keys, nowMs));
  if (early.waitMs > 0) throw refuse(early.waitMs);
  const ticket = loginHashLimiter(deps).enter(early.lane, keys.address);
  if (!ticket) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'the server is busy checking other sign-ins; try again in a few seconds' });
  let row: { id: string; name: string; role: Role; group_name: string; password_hash: string; active: number } | undefined;
  let known = false;
  let ok = false;
  try {
    // Counted before the hash, atomically: parallel guesses cannot all pass the check.
    const reserved = await deps.storage.write((q) => reserveAttempt(q, keys, nowMs));
    if (reserved.waitMs > 0) throw refuse(reserved.waitMs);
    known = reserved.known;
    row = await deps.storage.read((q) => q.get<typeof row & object>(
      'SELECT id, name, role, group_name, password_hash, active FROM users WHERE name_key = ?', [input.name.trim().toLowerCase()]));
    const stored = row?.password_hash ?? await dummyPasswordHash();
    await ticket.start();
    ok = await verifyPassword(input.password, stored);
  } finally {
    ticket.release();
  }
  if (!row || !ok || !Number(row.active)) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'wrong user name or password' });
  const user = row;
  const token = newToken();
  const expiresAt = nowMs + TOKEN_TTL_MS;
  await deps.storage.write(async (q) => {
    await recordSuccess(q, keys, nowMs, known);
    await q.run('DELETE FROM tokens WHERE user_id = ? AND expires_at < ?', [user.id, nowMs]);
    await q.run('INSERT INTO tokens (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)', [tokenHash(token), user.id, expiresAt, nowMs]);
  });
  return { token, expiresAt: iso(expiresAt), user: { id: user.id, name: user.name, role: user.role, groupName: user.group_name }, serverTime: iso(nowMs) };
}

export async function userForToken(deps: SyncDeps, token: string): Promise<AuthUser | null> {
  const nowMs = deps.now().getTime();
  const row = await deps.storage.read((q) => q.get<{ id: string; name: string; role: Role; group_name: string; active: number; expires_at: number }>(
    `SELECT u.id, u.name, u.role, u.group_name, u.active, t.expires_at FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
    [tokenHash(token)]));
  if (!row || Number(row.expires_at) <= nowMs || !Number(row.active)) return null;
  return { id: row.id, name: row.name, role: row.role, groupName: row.group_name };
}

export async function logout(deps: SyncDeps, token: string): Promise<void> {
  await deps.storage.write((q) => q.run('DELETE FROM tokens WHERE token_hash = ?', [tokenHash(token)]));
}

// ---- devices -----------------------------------------------------------------------------------

export const CODE_RE = /^[A-Z0-9]{2,8}$/;
export const registerInputSchema = z.object({
  /** The desktop's own id, if it already has one; registering again returns the same row. */
  deviceId: idSchema.optional(),
  /** The secret this device was given at its first registration (required to register it again). */
  deviceSecret: deviceSecretSchema.optional(),
  name: z.string().trim().max(100).optional(),
  /** A code the desktop generated locally; taken if no other device has it. */
  code: z.string().trim().toUpperCase().regex(CODE_RE, { message: '2–8 letters or digits' }).optional(),
});
export interface RegisterOutput { deviceId: string; code: string; ackedThrough: number; deviceSecret: string }
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const randomCode = (len: number) => Array.from(randomBytes(len), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
export const newDeviceSecret = () => randomBytes(32).toString('base64url');

/**
 * A device is its desk's alone: the first registration issues a secret (the server keeps its
 * SHA-256), and pushing to the device, reading its acknowledgements or pulling as it needs that
 * secret, whoever is signed in at the desk (shifts share a desk, and so its secret). Registering an
 * existing device id again needs the secret too; a device from before secrets existed gets one when
 * its own user registers it again.
 */
export async function registerDevice(deps: SyncDeps, user: AuthUser, input: z.infer<typeof registerInputSchema>): Promise<RegisterOutput> {
  return deps.storage.write(async (q) => {
    if (input.deviceId) {
      const held = await q.get<{ code: string; acked_through: number; user_id: string; secret_hash: string | null }>(
        'SELECT code, acked_through, user_id, secret_hash FROM devices WHERE id = ?', [input.deviceId]);
      if (held) {
        const out = { deviceId: input.deviceId, code: held.code, ackedThrough: Number(held.acked_through) };
        if (held.secret_hash) {
          if (input.deviceSecret && secretMatches(input.deviceSecret, held.secret_hash)) return { ...out, deviceSecret: input.deviceSecret };
          throw new TRPCError({ code: 'FORBIDDEN', message: `deviceSecret: device ${input.deviceId} is registered to another desk` });
        }
        if (held.user_id !== user.id) throw new TRPCError({ code: 'FORBIDDEN', message: `deviceId: device ${input.deviceId} is registered to another desk` });
        const deviceSecret = newDeviceSecret();
        await q.run('UPDATE devices SET secret_hash = ? WHERE id = ?', [tokenHash(deviceSecret), input.deviceId]);
        return { ...out, deviceSecret };
      }
    }
    const taken = async (c: string) => !!(await q.get('SELECT id FROM devices WHERE code = ?', [c]));
    let code = input.code && !(await taken(input.code)) ? input.code : '';
    for (let i = 0; !code; i++) {
      const c = randomCode(4 + Math.floor(i / 20));
      if (!(await taken(c))) code = c;
    }
    const deviceId = input.deviceId ?? randomUUID();
    const deviceSecret = newDeviceSecret();
    await q.run('INSERT INTO devices (id, code, user_id, name, acked_through, created_at, secret_hash) VALUES (?, ?, ?, ?, 0, ?, ?)',
      [deviceId, code, user.id, input.name ?? null, iso(deps.now().getTime()), tokenHash(deviceSecret)]);
    return { deviceId, code, ackedThrough: 0, deviceSecret };
  });
}

/** Constant-time comparison of a presented device secret with the stored hash. */
export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(tokenHash(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---- administration ----------------------------------------------------------------------------

/** The shared shape (shared/admin.ts, the desk checks the same) plus the password policy, the server's alone. */
export const upsertUserSchema = adminUserSchema.superRefine((u, ctx) => {
  const problem = u.password === undefined ? null : passwordProblem(u.password, u.name);
  if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
});

export async function upsertUser(deps: SyncDeps, input: z.infer<typeof upsertUserSchema>): Promise<AuthUser & { active: boolean }> {
  const hash = input.password ? await hashPassword(input.password) : null;
  return deps.storage.write(async (q) => {
    const id = input.id ?? randomUUID();
    const held = await q.get<{ id: string }>('SELECT id FROM users WHERE id = ?', [id]);
    if (!held && !hash) throw new TRPCError({ code: 'BAD_REQUEST', message: 'password: required for a new user' });
    const clash = await q.get<{ id: string }>('SELECT id FROM users WHERE name_key = ? AND id <> ?', [input.name.toLowerCase(), id]);
    if (clash) throw new TRPCError({ code: 'CONFLICT', message: `name: ${input.name} is already taken` });
    if (!(await q.get('SELECT id FROM groups WHERE name = ?', [input.groupName]))) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: `groupName: no group named ${input.groupName}` });
    }
    if (held && (input.role !== 'admin' || !input.active)) {
      const others = await q.get<{ n: number }>("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND active = 1 AND id <> ?", [id]);
      if (!Number(others?.n)) throw new TRPCError({ code: 'BAD_REQUEST', message: 'role: this is the last active admin; make another admin first' });
    }
    const at = iso(deps.now().getTime());
    if (held) {
      await q.run(`UPDATE users SET name = ?, name_key = ?, role = ?, group_name = ?, active = ?, updated_at = ?${hash ? ', password_hash = ?' : ''} WHERE id = ?`,
        [input.name, input.name.toLowerCase(), input.role, input.groupName, input.active ? 1 : 0, at, ...(hash ? [hash] : []), id]);
      if (!input.active || hash) await q.run('DELETE FROM tokens WHERE user_id = ?', [id]);
    } else {
      await q.run('INSERT INTO users (id, name, name_key, role, group_name, password_hash, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [id, input.name, input.name.toLowerCase(), input.role, input.groupName, hash, input.active ? 1 : 0, at]);
    }
    const user = { id, name: input.name, role: input.role, groupName: input.groupName, active: input.active };
    const out = new ChangeBuffer();
    out.add('user', id, user);
    await out.flush(q);
    return user;
  });
}

export const upsertGroupSchema = z.object({ id: idSchema.optional(), name: z.string().trim().min(1).max(100) });
export async function upsertGroup(deps: SyncDeps, input: z.infer<typeof upsertGroupSchema>, q?: Sql) {
  const run = async (q: Sql) => {
    const byName = await q.get<{ id: string }>('SELECT id FROM groups WHERE name = ?', [input.name]);
    const id = input.id ?? byName?.id ?? randomUUID();
    if (byName && byName.id !== id) throw new TRPCError({ code: 'CONFLICT', message: `name: group ${input.name} already exists` });
    const held = await q.get<{ name: string }>('SELECT name FROM groups WHERE id = ?', [id]);
    const at = iso(deps.now().getTime());
    await q.run('INSERT INTO groups (id, name, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at',
      [id, input.name, at]);
    const out = new ChangeBuffer();
    // The whole group, as admin.ts sends it (issue 12): a desk keeps only a group's latest snapshot.
    const g = await q.get<{ tier: string; active: number }>('SELECT tier, active FROM groups WHERE id = ?', [id]);
    const members = (await q.all<{ user_id: string }>('SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id', [id])).map((r) => r.user_id);
    const categories = (await q.all<{ category_id: string }>('SELECT category_id FROM assignment_rules WHERE group_id = ? ORDER BY category_id', [id])).map((r) => r.category_id);
    out.add('group', id, { id, name: input.name, tier: g?.tier ?? 'L1', active: g ? !!Number(g.active) : true, members, categories });
    // Users name their group: a renamed group takes its members along, so no user is left in a group
    // that no longer exists (on the server or on any desk that pulls the change).
    if (held && held.name !== input.name) {
      const members = await q.all<{ id: string; name: string; role: Role; active: number }>('SELECT id, name, role, active FROM users WHERE group_name = ?', [held.name]);
      await q.run('UPDATE users SET group_name = ?, updated_at = ? WHERE group_name = ?', [input.name, at, held.name]);
      for (const m of members) out.add('user', m.id, { id: m.id, name: m.name, role: m.role, groupName: input.name, active: !!Number(m.active) });
    }
    await out.flush(q);
    return { id, name: input.name };
  };
  return q ? run(q) : deps.storage.write(run);
}
