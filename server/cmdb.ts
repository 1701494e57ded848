// Configuration items on the server (issue 12, item 7): the list of systems and devices every desk
// pulls (`ci` change, audience all) and leads and admins administer: create, update, deactivate and
// import from CSV (all-or-nothing, idempotent by name). Incidents name an item by `ciId`, checked in
// server/sync.ts (`checkRefs`): an item the server does not hold is left out of that one change.
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { ciDiffers, parseCiCsv, type Ci, type CiImportResult, type CiType, type SaveCi, type setCiActiveSchema } from '../shared/cmdb.js';
import { ChangeBuffer } from './changes.js';
import { fieldError, refusal } from './input-guard.js';
import type { Sql } from './storage/index.js';
import type { AuthUser, SyncDeps } from './sync.js';

interface CiRow { id: string; name: string; type: CiType; ip: string | null; location: string | null; group_id: string | null; critical: number; active: number; updated_at: string }
const toCi = (r: CiRow): Ci => ({
  id: r.id, name: r.name, type: r.type, ip: r.ip, location: r.location, groupId: r.group_id, critical: !!Number(r.critical), active: !!Number(r.active), updatedAt: r.updated_at,
});
const COLS = 'id, name, type, ip, location, group_id, critical, active, updated_at';

/** Leads and admins administer the list; everyone signed in reads it. */
export function requireCiEditor(user: AuthUser): void {
  if (user.role !== 'admin' && user.role !== 'lead') throw new TRPCError({ code: 'FORBIDDEN', message: 'only a team lead or an admin may change the configuration items' });
}

export async function listCis(deps: SyncDeps): Promise<Ci[]> {
  return deps.storage.read(async (q) => (await q.all<CiRow>(`SELECT ${COLS} FROM cis ORDER BY name_key`)).map(toCi));
}

export async function ciKnown(q: Sql, id: string): Promise<boolean> {
  return !!(await q.get('SELECT id FROM cis WHERE id = ?', [id]));
}

async function groupKnown(q: Sql, id: string): Promise<boolean> {
  return !!(await q.get('SELECT id FROM groups WHERE id = ?', [id]));
}

async function put(q: Sql, out: ChangeBuffer, ci: Ci, fresh: boolean): Promise<void> {
  const params = [ci.name, ci.name.toLowerCase(), ci.type, ci.ip, ci.location, ci.groupId, ci.critical ? 1 : 0, ci.active ? 1 : 0, ci.updatedAt];
  if (fresh) await q.run(`INSERT INTO cis (name, name_key, type, ip, location, group_id, critical, active, updated_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [...params, ci.id]);
  else await q.run('UPDATE cis SET name = ?, name_key = ?, type = ?, ip = ?, location = ?, group_id = ?, critical = ?, active = ?, updated_at = ? WHERE id = ?', [...params, ci.id]);
  out.add('ci', ci.id, ci, { fresh });
}

/** Creates or updates one item; a name is unique regardless of case. */
export async function saveCi(deps: SyncDeps, input: SaveCi): Promise<Ci> {
  return deps.storage.write(async (q) => {
    const held = input.id ? await q.get<CiRow>(`SELECT ${COLS} FROM cis WHERE id = ?`, [input.id]) : undefined;
    if (input.id && !held) throw fieldError('id', `no configuration item ${input.id}`);
    const same = await q.get<{ id: string }>('SELECT id FROM cis WHERE name_key = ?', [input.name.toLowerCase()]);
    if (same && same.id !== input.id) throw fieldError('name', `a configuration item named ${input.name} exists already`);
    if (input.groupId !== null && !(await groupKnown(q, input.groupId))) throw fieldError('groupId', `no group ${input.groupId}`);
    const ci: Ci = {
      id: input.id ?? randomUUID(), name: input.name, type: input.type, ip: input.ip ?? null, location: input.location ?? null, groupId: input.groupId,
      critical: input.critical, active: input.active, updatedAt: deps.now().toISOString(),
    };
    const out = new ChangeBuffer();
    await put(q, out, ci, !held);
    await out.flush(q);
    return ci;
  });
}

/** Deactivating takes an item out of the pick list; incidents that name it keep it. */
export async function setCiActive(deps: SyncDeps, input: z.infer<typeof setCiActiveSchema>): Promise<Ci> {
  return deps.storage.write(async (q) => {
    const held = await q.get<CiRow>(`SELECT ${COLS} FROM cis WHERE id = ?`, [input.id]);
    if (!held) throw fieldError('id', `no configuration item ${input.id}`);
    const ci = { ...toCi(held), active: input.active, updatedAt: deps.now().toISOString() };
    const out = new ChangeBuffer();
    await put(q, out, ci, false);
    await out.flush(q);
    return ci;
  });
}

/**
 * Imports a CSV file whole or not at all: every problem (line and column) is reported and nothing
 * is written when there is any; a row updates the item of the same name (regardless of case), so a
 * file imported again changes nothing. The owning group is named (a group the server holds).
 */
export async function importCis(deps: SyncDeps, csv: string): Promise<CiImportResult> {
  const parsed = parseCiCsv(csv);
  const issues = parsed.issues.map((i) => ({ path: ['csv', `line ${i.line}`, ...(i.column ? [i.column] : [])], message: `${i.code}: ${i.message}` }));
  if (issues.length) throw refusal(issues);
  return deps.storage.write(async (q) => {
    const groups = new Map((await q.all<{ id: string; name: string }>('SELECT id, name FROM groups')).map((g) => [g.name.toLowerCase(), g.id]));
    const bad: Array<{ path: string[]; message: string }> = [];
    for (const r of parsed.rows) {
      if (r.group && !groups.has(r.group.toLowerCase())) bad.push({ path: ['csv', `line ${r.line}`, 'group'], message: `unknown_group: no group ${r.group}` });
    }
    if (bad.length) throw refusal(bad);
    const held = new Map((await q.all<CiRow>(`SELECT ${COLS} FROM cis`)).map((r) => [r.name.toLowerCase(), toCi(r)]));
    const at = deps.now().toISOString();
    const out = new ChangeBuffer();
    const result: CiImportResult = { created: 0, updated: 0, unchanged: 0 };
    for (const r of parsed.rows) {
      const fields = { name: r.name, type: r.type, ip: r.ip, location: r.location, groupId: r.group ? groups.get(r.group.toLowerCase())! : null, critical: r.critical };
      const before = held.get(r.name.toLowerCase());
      if (before && !ciDiffers(before, fields)) { result.unchanged++; continue; }
      await put(q, out, { ...(before ?? { id: randomUUID() }), ...fields, active: true, updatedAt: at }, !before);
      if (before) result.updated++; else result.created++;
    }
    await out.flush(q);
    return result;
  });
}
