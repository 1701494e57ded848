import { z } from 'zod';
import { TIERS, type Tier } from './enums.js';

/**
 * Groups, their tier and members, and the assignment rules (category → default group) of issue 12.
 * The same rules decide a dispatch on the desk and again on the server.
 *
 * A person belongs to a group when the group lists them as a member, or when it is their own group
 * (the account's `groupName`): so every account is in its home group without being listed twice.
 */

/** Why second line sends a ticket back to first line (DOMAIN.md, step 5). Worded in the locale files (`ret.reason.<code>`). */
export const RETURN_REASONS = ['wrong_category', 'wrong_group', 'needs_info', 'not_our_system', 'duplicate', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];
export const returnReasonSchema = z.enum(RETURN_REASONS, { message: `must be one of ${RETURN_REASONS.join(', ')}` });

/** A group as the server sends it to every desk (sync entity `group`). */
export interface Group {
  id: string;
  name: string;
  tier: Tier;
  active: boolean;
  /** Accounts listed as members (besides those whose own group this is). */
  members: string[];
  /** Categories whose default group this is (the assignment rules, carried by the group they point at). */
  categories: string[];
}

const id = z.string().trim().min(1).max(64);
const groupName = z.string().trim().min(1, { message: 'required' }).max(100, { message: 'at most 100 characters' });

/** Admin input: create or update a group (name, tier, active). */
export const saveGroupSchema = z.object({
  id: id.optional(),
  name: groupName,
  tier: z.enum(TIERS, { message: `must be one of ${TIERS.join(', ')}` }),
  active: z.boolean().default(true),
}).strict();
/** Admin input: the group's listed members (replaces the list). */
export const setGroupMembersSchema = z.object({
  groupId: id,
  members: z.array(id).max(1000, { message: 'at most 1000 members' }).refine((m) => new Set(m).size === m.length, { message: 'a person is listed twice' }),
}).strict();
/** Admin input: a category's default group, or none (`groupId: null` removes the rule). */
export const setAssignmentRuleSchema = z.object({ categoryId: id, groupId: id.nullable() }).strict();

export interface PersonRef { id: string; groupName: string }

export const isMember = (g: Pick<Group, 'name' | 'members'>, p: PersonRef): boolean => p.groupName === g.name || g.members.includes(p.id);

/** The default group for a category: its own rule, else its root category's. */
export function defaultGroupFor(categoryId: string, groups: readonly Group[]): Group | null {
  const active = groups.filter((g) => g.active);
  const own = active.find((g) => g.categories.includes(categoryId));
  if (own) return own;
  const root = categoryId.split('.')[0];
  return root !== categoryId ? active.find((g) => g.categories.includes(root)) ?? null : null;
}

/**
 * What a dispatch (→ assigned) sets besides the status, from the incident as it is and what the user
 * chose: the group's tier when a known group is chosen; no person for a vendor; and the first-line
 * group that dispatched it, remembered while the incident is still with first line (tier L1), so a
 * return finds its way back. `problem` names the field that cannot stand.
 */
export function planDispatch(
  before: { tier: Tier; groupName: string | null; dispatchGroup?: string | null },
  chosen: { tier?: Tier | null; groupName?: string | null; assigneeId?: string | null },
  lookup: { group: Group | null; person: PersonRef | null },
): { fields: { tier?: Tier; groupName?: string | null; assigneeId?: string | null; dispatchGroup?: string | null }; problem: { field: 'assigneeId'; code: 'not_in_group'; group: string } | null } {
  const fields: { tier?: Tier; groupName?: string | null; assigneeId?: string | null; dispatchGroup?: string | null } = {};
  if (chosen.tier) fields.tier = chosen.tier;
  if (chosen.groupName !== undefined && chosen.groupName !== null) fields.groupName = chosen.groupName;
  if (chosen.assigneeId !== undefined) fields.assigneeId = chosen.assigneeId;
  const g = lookup.group;
  if (g) fields.tier = g.tier;
  // A vendor works the ticket in its own system: no second-line person stays on it.
  if (fields.tier === 'vendor') fields.assigneeId = null;
  const person = fields.assigneeId ? lookup.person : null;
  if (g && person && !isMember(g, person)) return { fields, problem: { field: 'assigneeId', code: 'not_in_group', group: g.name } };
  if (before.tier === 'L1' && before.groupName) fields.dispatchGroup = before.groupName;
  return { fields, problem: null };
}

/**
 * What a return (→ returned) sets: back to first line, to the group that dispatched it (for an
 * incident dispatched before groups were remembered: its owner's group, else where it is), no
 * person, the reason, and one more return.
 */
export function planReturn(
  before: { groupName: string | null; dispatchGroup?: string | null; returnCount?: number | null },
  reason: ReturnReason, note: string, ownerGroup?: string | null,
): { tier: Tier; groupName: string | null; assigneeId: null; returnReason: ReturnReason; returnNote: string; returnCount: number } {
  return {
    tier: 'L1', groupName: before.dispatchGroup ?? ownerGroup ?? before.groupName, assigneeId: null,
    returnReason: reason, returnNote: note, returnCount: (before.returnCount ?? 0) + 1,
  };
}
