import type Database from 'better-sqlite3';
import type { DeskUser, FieldIssue, Incident, Status, Tier } from '../../../shared/index.js';
import { RETURN_REASONS, planDispatch, planReturn, type Group, type PersonRef, type ReturnReason } from '../../../shared/groups.js';
import type { DeskStore } from '../store/desk-store.js';

/**
 * Groups on the desk (issue 12): pulled from the server once signed in (`source = 'server'`); on a
 * desk that never signed in, made from its own people's groups (`source = 'local'`), so today's
 * local setup keeps working offline. The dispatch and return rules are shared with the server
 * (shared/groups.ts); this module reads what they need and turns their verdict into field issues.
 */

const cache = new WeakMap<DeskStore, Map<string, Database.Statement>>();
function stmt(store: DeskStore, sql: string): Database.Statement {
  let m = cache.get(store);
  if (!m) cache.set(store, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = store.db.prepare(sql)));
  return s;
}

/** Which groups count: the server's once signed in, else this desk's own. */
const scope = (store: DeskStore) => (store.connected() ? "source = 'server'" : '1 = 1');

/**
 * A desk that has not signed in has a local group for each group name its people carry (a group of
 * technicians only is second line). Idempotent and cheap; runs inside the caller's transaction.
 */
export function ensureLocalGroups(store: DeskStore): void {
  if (store.connected()) return;
  stmt(store, `INSERT OR IGNORE INTO groups (id, name, tier, source)
    SELECT 'local:' || group_name, group_name, CASE WHEN min(role) = 'technician' AND max(role) = 'technician' THEN 'L2' ELSE 'L1' END, 'local'
    FROM users WHERE group_name <> '' AND NOT EXISTS (SELECT 1 FROM groups g WHERE g.name = users.group_name) GROUP BY group_name`).run();
}

interface GroupRow { id: string; name: string; tier: Tier; active: number }
function toGroup(store: DeskStore, r: GroupRow): Group {
  return {
    id: r.id, name: r.name, tier: r.tier, active: !!r.active,
    members: stmt(store, 'SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id').pluck().all(r.id) as string[],
    categories: stmt(store, 'SELECT category_id FROM assignment_rules WHERE group_id = ? ORDER BY category_id').pluck().all(r.id) as string[],
  };
}

export function listGroups(store: DeskStore): Group[] {
  ensureLocalGroups(store);
  return (stmt(store, `SELECT id, name, tier, active FROM groups WHERE ${scope(store)} ORDER BY name`).all() as GroupRow[]).map((r) => toGroup(store, r));
}

export function groupByName(store: DeskStore, name: string): Group | null {
  ensureLocalGroups(store);
  const r = stmt(store, `SELECT id, name, tier, active FROM groups WHERE name = ? AND ${scope(store)}`).get(name) as GroupRow | undefined;
  return r ? toGroup(store, r) : null;
}

function person(store: DeskStore, id: string): PersonRef | null {
  const r = stmt(store, 'SELECT id, group_name AS groupName FROM users WHERE id = ?').get(id) as PersonRef | undefined;
  return r ?? null;
}

export interface GroupStepInput {
  to: Status;
  reason: string | null;
  tier?: Tier;
  group?: string | null;
  assigneeId?: string | null;
  returnReason?: ReturnReason | string | null;
  accept?: boolean;
}

/**
 * The fields a dispatch, a return or an accept sets on `before`, and what cannot stand, named by
 * field (nothing is written when there is any). The status itself and the clocks stay with the store.
 */
export function planGroupStep(store: DeskStore, before: Incident, input: GroupStepInput, actor: DeskUser): { fields: Partial<Incident>; issues: FieldIssue[]; accepted: boolean } {
  const issues: FieldIssue[] = [];
  const fields: Partial<Incident> = {};
  if (input.to === 'assigned') {
    // Picking a person without a group sends the ticket to their group.
    const chosenPerson = input.assigneeId ? person(store, input.assigneeId) : null;
    const groupName = input.group?.trim() ? input.group.trim() : chosenPerson ? chosenPerson.groupName : undefined;
    const group = groupName ? groupByName(store, groupName) : null;
    if (group && !group.active) issues.push({ path: 'group', message: `inactive_group: ${group.name} no longer takes tickets` });
    const plan = planDispatch(before, { tier: input.tier, groupName, assigneeId: input.assigneeId }, { group, person: chosenPerson });
    if (plan.problem) issues.push({ path: 'assigneeId', message: `not_in_group: not a member of ${plan.problem.group}` });
    Object.assign(fields, plan.fields);
  }
  if (input.to === 'returned') {
    if (input.returnReason && !(RETURN_REASONS as readonly string[]).includes(input.returnReason)) {
      issues.push({ path: 'returnReason', message: `unknown reason code; one of ${RETURN_REASONS.join(', ')}` });
    } else if (input.returnReason) {
      const owner = before.dispatchGroup ? null : person(store, before.ownerId);
      Object.assign(fields, planReturn(before, input.returnReason as ReturnReason, input.reason ?? '', owner?.groupName));
    }
  }
  let accepted = false;
  if (input.accept) {
    if (input.to !== 'in_progress' || before.status !== 'assigned') {
      issues.push({ path: 'to', message: `only an assigned ticket is accepted (this one is ${before.status})` });
    } else if (before.assigneeId && before.assigneeId !== actor.id) {
      issues.push({ path: 'assigneeId', message: 'not_assignee: only the person it was dispatched to accepts it' });
    } else {
      accepted = true;
      fields.assigneeId = actor.id;
    }
  }
  return { fields, issues, accepted };
}

/** Applies a pulled group snapshot (older servers send only id and name: the rest is kept). */
export function applyGroup(store: DeskStore, id: string, d: Partial<Group>): void {
  // A local group of the same name made before the first sign-in gives way to the server's.
  stmt(store, "DELETE FROM groups WHERE name = ? AND id <> ? AND source = 'local'").run(d.name, id);
  stmt(store, `INSERT INTO groups (id, name, tier, active, source) VALUES (@id, @name, coalesce(@tier, 'L1'), coalesce(@active, 1), 'server')
    ON CONFLICT(id) DO UPDATE SET name = excluded.name, tier = coalesce(@tier, groups.tier), active = coalesce(@active, groups.active), source = 'server'`)
    .run({ id, name: d.name, tier: d.tier ?? null, active: d.active === undefined ? null : d.active ? 1 : 0 });
  if (Array.isArray(d.members)) {
    stmt(store, 'DELETE FROM group_members WHERE group_id = ?').run(id);
    for (const u of d.members) stmt(store, 'INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?, ?)').run(id, u);
  }
  if (Array.isArray(d.categories)) {
    stmt(store, 'DELETE FROM assignment_rules WHERE group_id = ?').run(id);
    for (const c of d.categories) stmt(store, 'INSERT OR REPLACE INTO assignment_rules (category_id, group_id) VALUES (?, ?)').run(c, id);
  }
}
