import { TRPCError } from '@trpc/server';
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { idSchema, roleSchema } from '../shared/schemas.js';
import type { Role } from '../shared/enums.js';
import { clearFailures, dummyPasswordHash, hashPassword, lockedFor, newToken, recordFailure, throttleKeys, tokenHash, TOKEN_TTL_MS, verifyPassword } from './auth.js';
import { ChangeBuffer } from './changes.js';
import type { Sql } from './storage/index.js';
import type { AuthUser, SyncDeps } from './sync.js';

const iso = (ms: number) => new Date(ms).toISOString();

export const loginInputSchema = z.object({ name: z.string().trim().min(1).max(100), password: z.string().min(1).max(1024) });
export interface LoginOutput { token: string; expiresAt: string; user: AuthUser; serverTime: string }

export async function login(deps: SyncDeps, input: z.infer<typeof loginInputSchema>, ip: string): Promise<LoginOutput> {
  const keys = throttleKeys(input.name, ip);
  const nowMs = deps.now().getTime();
  const wait = await deps.storage.read((q) => lockedFor(q, [keys.user, keys.ip], nowMs));
  if (wait > 0) {
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s` });
  }
  const row = await deps.storage.read((q) => q.get<{ id: string; name: string; role: Role; group_name: string; password_hash: string; active: number }>(
    'SELECT id, name, role, group_name, password_hash, active FROM users WHERE name_key = ?', [input.name.trim().toLowerCase()]));
  const ok = await verifyPassword(input.password, row?.password_hash ?? await dummyPasswordHash());
  if (!row || !ok || !Number(row.active)) {
    await deps.storage.write(async (q) => {
      await recordFailure(q, keys.user, 'user', nowMs);
      await recordFailure(q, keys.ip, 'ip', nowMs);
    });
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'wrong user name or password' });
  }
  const token = newToken();
  const expiresAt = nowMs + TOKEN_TTL_MS;
  await deps.storage.write(async (q) => {
    await clearFailures(q, keys.user);
    await q.run('DELETE FROM tokens WHERE user_id = ? AND expires_at < ?', [row.id, nowMs]);
    await q.run('INSERT INTO tokens (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)', [tokenHash(token), row.id, expiresAt, nowMs]);
  });
  return { token, expiresAt: iso(expiresAt), user: { id: row.id, name: row.name, role: row.role, groupName: row.group_name }, serverTime: iso(nowMs) };
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
  name: z.string().trim().max(100).optional(),
  /** A code the desktop generated locally; taken if no other device has it. */
  code: z.string().trim().toUpperCase().regex(CODE_RE, { message: '2–8 letters or digits' }).optional(),
});
export interface RegisterOutput { deviceId: string; code: string; ackedThrough: number }
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const randomCode = (len: number) => Array.from(randomBytes(len), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');

export async function registerDevice(deps: SyncDeps, user: AuthUser, input: z.infer<typeof registerInputSchema>): Promise<RegisterOutput> {
  return deps.storage.write(async (q) => {
    if (input.deviceId) {
      const held = await q.get<{ code: string; acked_through: number }>('SELECT code, acked_through FROM devices WHERE id = ?', [input.deviceId]);
      if (held) return { deviceId: input.deviceId, code: held.code, ackedThrough: Number(held.acked_through) };
    }
    const taken = async (c: string) => !!(await q.get('SELECT id FROM devices WHERE code = ?', [c]));
    let code = input.code && !(await taken(input.code)) ? input.code : '';
    for (let i = 0; !code; i++) {
      const c = randomCode(4 + Math.floor(i / 20));
      if (!(await taken(c))) code = c;
    }
    const deviceId = input.deviceId ?? randomUUID();
    await q.run('INSERT INTO devices (id, code, user_id, name, acked_through, created_at) VALUES (?, ?, ?, ?, 0, ?)',
      [deviceId, code, user.id, input.name ?? null, iso(deps.now().getTime())]);
    return { deviceId, code, ackedThrough: 0 };
  });
}

// ---- administration ----------------------------------------------------------------------------

export const upsertUserSchema = z.object({
  id: idSchema.optional(),
  name: z.string().trim().min(1).max(100),
  role: roleSchema,
  groupName: z.string().trim().min(1).max(100),
  /** Required for a new user; omitted keeps the current password. */
  password: z.string().min(8, { message: 'at least 8 characters' }).max(1024).optional(),
  active: z.boolean().default(true),
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
    await q.run('INSERT INTO groups (id, name, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at',
      [id, input.name, iso(deps.now().getTime())]);
    const out = new ChangeBuffer();
    out.add('group', id, { id, name: input.name });
    await out.flush(q);
    return { id, name: input.name };
  };
  return q ? run(q) : deps.storage.write(run);
}
