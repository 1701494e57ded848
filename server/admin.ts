import { z } from 'zod';
import { adminCategorySchema } from '../shared/admin.js';
import type { Tier } from '../shared/enums.js';
import type { Group, saveGroupSchema, setAssignmentRuleSchema, setGroupMembersSchema } from '../shared/groups.js';
import { idSchema, type Incident } from '../shared/schemas.js';
import type { SlaPolicy } from '../shared/sla.js';
import { upsertGroup } from './accounts.js';
import { ChangeBuffer } from './changes.js';
import { fieldError } from './input-guard.js';
import { setTargetsFromPolicy } from './sla-settings.js';
import { saveArticle } from './knowledge.js';
import type { Sql } from './storage/index.js';
import type { SyncDeps } from './sync.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** One definition with the desk's (shared/admin.ts). */
export const upsertCategorySchema = adminCategorySchema;
/** A refusal that names the field (message and `data.issues`), as the input schemas' refusals do. */
const badRequest = fieldError;

/**
 * Categories are two levels deep, as every desk shows and stores them (a root and its
 * subcategories; the desk's `parent_id` is a foreign key): a parent must exist and be a root, a
 * category is not its own parent, and a category that has subcategories stays a root. So a pulled
 * category row always applies on every desk.
 */
export async function upsertCategory(deps: SyncDeps, c: z.infer<typeof upsertCategorySchema>) {
  return deps.storage.write(async (q) => {
    if (c.parentId !== null) {
      if (c.parentId === c.id) throw badRequest('parentId', 'a category cannot be its own parent');
      const parent = await q.get<{ parent_id: string | null }>('SELECT parent_id FROM categories WHERE id = ?', [c.parentId]);
      if (!parent) throw badRequest('parentId', `no category ${c.parentId}`);
      if (parent.parent_id !== null) throw badRequest('parentId', `${c.parentId} is a subcategory; categories are two levels deep, so the parent must be a root category`);
      const child = await q.get<{ id: string }>('SELECT id FROM categories WHERE parent_id = ? LIMIT 1', [c.id]);
      if (child) throw badRequest('parentId', `${c.id} has subcategories (${child.id}); it must stay a root category`);
    }
    await q.run(`INSERT INTO categories (id, parent_id, code, name_zh, name_en, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, code = excluded.code, name_zh = excluded.name_zh, name_en = excluded.name_en, updated_at = excluded.updated_at`,
    [c.id, c.parentId, c.code, c.nameZh, c.nameEn, iso(deps.now().getTime())]);
    const out = new ChangeBuffer();
    out.add('category', c.id, c);
    await out.flush(q);
    return c;
  });
}

const minutes = z.number().int().min(1, { message: 'must be at least 1 minute' }).max(525_600, { message: 'at most 525,600 minutes (a year)' });
/** A resolution target shorter than the response target would put every incident in breach at once. */
const target = z.object({ responseMin: minutes, resolveMin: minutes }).superRefine((t, ctx) => {
  if (t.resolveMin < t.responseMin) ctx.addIssue({ code: 'custom', path: ['resolveMin'], message: `shorter than the response target (${t.resolveMin} < ${t.responseMin} minutes)` });
});
export const slaPolicySchema = z.object({
  P1: target, P2: target, P3: target, P4: target,
  warnFraction: z.number().gt(0, { message: 'must be between 0 and 1 (exclusive)' }).lt(1, { message: 'must be between 0 and 1 (exclusive)' }).optional(),
});

/**
 * The older targets-only endpoint: kept for the older desks' `sla_policy` row; the targets go into
 * the SLA settings (server/sla-settings.ts), which re-derive the due times of every incident not yet
 * closed on business time, so all replicas agree.
 */
export async function setSlaPolicy(deps: SyncDeps, policy: SlaPolicy) {
  return deps.storage.write(async (q) => {
    await q.run(`INSERT INTO settings (key, value, updated_at) VALUES ('sla_policy', ?, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, [JSON.stringify(policy), iso(deps.now().getTime())]);
    const out = new ChangeBuffer();
    out.add('sla_policy', 'default', { id: 'default', policy });
    await out.flush(q);
    const { incidentsUpdated } = await setTargetsFromPolicy(deps, q, policy, null);
    return { policy, incidentsUpdated };
  });
}

export const upsertKbArticleSchema = z.object({
  id: idSchema.optional(),
  title: z.string().trim().min(1).max(200),
  body: z.string().max(100_000),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
  categoryId: idSchema.nullable().default(null),
});
/** The older admin endpoint's function (tests and tools write articles with it): a knowledge edit, keeping the earlier version. */
export const upsertKbArticle = (deps: SyncDeps, a: z.infer<typeof upsertKbArticleSchema>) => saveArticle(deps, null, a);

// ---- groups, members and assignment rules (issue 12) --------------------------------------------

/** A group as every desk receives it: its tier, listed members and the categories it is the default for. */
export async function groupSnapshot(q: Sql, id: string): Promise<Group | null> {
  const g = await q.get<{ id: string; name: string; tier: Tier; active: number }>('SELECT id, name, tier, active FROM groups WHERE id = ?', [id]);
  if (!g) return null;
  const members = (await q.all<{ user_id: string }>('SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id', [id])).map((r) => r.user_id);
  const categories = (await q.all<{ category_id: string }>('SELECT category_id FROM assignment_rules WHERE group_id = ? ORDER BY category_id', [id])).map((r) => r.category_id);
  return { id: g.id, name: g.name, tier: g.tier, active: !!Number(g.active), members, categories };
}

/** Emits the full snapshot of each group (the latest change of a group replaces the older ones). */
async function emitGroups(q: Sql, ids: Iterable<string>): Promise<Group[]> {
  const out = new ChangeBuffer();
  const groups: Group[] = [];
  for (const id of new Set(ids)) {
    const g = await groupSnapshot(q, id);
    if (g) { out.add('group', id, g); groups.push(g); }
  }
  await out.flush(q);
  return groups;
}

export async function listGroups(deps: SyncDeps): Promise<Group[]> {
  return deps.storage.read(async (q) => {
    const ids = await q.all<{ id: string }>('SELECT id FROM groups ORDER BY name');
    const out: Group[] = [];
    for (const r of ids) out.push((await groupSnapshot(q, r.id))!);
    return out;
  });
}

/**
 * Creates or updates a group (name, tier, active). A rename takes the group's people along
 * (accounts.ts `upsertGroup`); the snapshot every desk pulls carries the tier, members and rules.
 */
export async function saveGroup(deps: SyncDeps, input: z.infer<typeof saveGroupSchema>): Promise<Group> {
  return deps.storage.write(async (q) => {
    if (input.id && !(await q.get('SELECT id FROM groups WHERE id = ?', [input.id]))) throw badRequest('id', `no group ${input.id}`);
    const held = input.id ? null : await q.get<{ id: string }>('SELECT id FROM groups WHERE name = ?', [input.name]);
    if (held) throw badRequest('name', `group ${input.name} already exists`);
    if (input.id && !input.active && (await q.get('SELECT category_id FROM assignment_rules WHERE group_id = ?', [input.id]))) {
      throw badRequest('active', 'this group is the default group of a category; move its assignment rules first');
    }
    const { id } = await upsertGroup(deps, { id: input.id, name: input.name }, q);
    await q.run('UPDATE groups SET tier = ?, active = ?, updated_at = ? WHERE id = ?', [input.tier, input.active ? 1 : 0, iso(deps.now().getTime()), id]);
    return (await emitGroups(q, [id]))[0];
  });
}

/** Same as `admin.upsertGroup` always did (name only), now sending the full snapshot. */
export async function upsertGroupNamed(deps: SyncDeps, input: { id?: string; name: string }): Promise<Group> {
  return deps.storage.write(async (q) => {
    const { id } = await upsertGroup(deps, input, q);
    return (await emitGroups(q, [id]))[0];
  });
}

/** Replaces a group's listed members; every one must be an account the server knows. */
export async function setGroupMembers(deps: SyncDeps, input: z.infer<typeof setGroupMembersSchema>): Promise<Group> {
  return deps.storage.write(async (q) => {
    if (!(await q.get('SELECT id FROM groups WHERE id = ?', [input.groupId]))) throw badRequest('groupId', `no group ${input.groupId}`);
    for (const [i, userId] of input.members.entries()) {
      if (!(await q.get('SELECT id FROM users WHERE id = ?', [userId]))) throw badRequest(`members.${i}`, `no account ${userId}`);
    }
    await q.run('DELETE FROM group_members WHERE group_id = ?', [input.groupId]);
    for (const userId of input.members) await q.run('INSERT INTO group_members (group_id, user_id) VALUES (?, ?)', [input.groupId, userId]);
    await q.run('UPDATE groups SET updated_at = ? WHERE id = ?', [iso(deps.now().getTime()), input.groupId]);
    return (await emitGroups(q, [input.groupId]))[0];
  });
}

/** A category's default group (or none). Both the old and the new group are sent again. */
export async function setAssignmentRule(deps: SyncDeps, input: z.infer<typeof setAssignmentRuleSchema>): Promise<{ categoryId: string; groupId: string | null }> {
  return deps.storage.write(async (q) => {
    if (!(await q.get('SELECT id FROM categories WHERE id = ?', [input.categoryId]))) throw badRequest('categoryId', `no category ${input.categoryId}`);
    if (input.groupId !== null) {
      const g = await q.get<{ active: number }>('SELECT active FROM groups WHERE id = ?', [input.groupId]);
      if (!g) throw badRequest('groupId', `no group ${input.groupId}`);
      if (!Number(g.active)) throw badRequest('groupId', `group ${input.groupId} is not active`);
    }
    const before = await q.get<{ group_id: string }>('SELECT group_id FROM assignment_rules WHERE category_id = ?', [input.categoryId]);
    if (input.groupId === null) await q.run('DELETE FROM assignment_rules WHERE category_id = ?', [input.categoryId]);
    else {
      await q.run(`INSERT INTO assignment_rules (category_id, group_id, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (category_id) DO UPDATE SET group_id = excluded.group_id, updated_at = excluded.updated_at`, [input.categoryId, input.groupId, iso(deps.now().getTime())]);
    }
    await emitGroups(q, [before?.group_id, input.groupId].filter((x): x is string => !!x));
    return input;
  });
}
