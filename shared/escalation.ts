import { z } from 'zod';
import type { Tier } from './enums.js';

/**
 * Escalation (issue 12, item 3; DOMAIN.md step 5). Functional: second line hands the ticket to a
 * higher tier (L2 → L3 → vendor), with why, and for a vendor its name, contact and their ticket
 * number. Hierarchical: anyone working the ticket asks management to step in, with why; the incident
 * is flagged and the team leads are told. The same rules decide on the desk and again on the server;
 * refusals are codes naming the field, worded by the renderer (`esc.err.<code>`).
 */

/** Tiers in the order a ticket climbs them. */
export const TIER_RANK: Record<Tier, number> = { L1: 1, L2: 2, L3: 3, vendor: 4 };
/** Tiers a functional escalation can reach. */
export const ESCALATION_LEVELS = ['L3', 'vendor'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];
export const escalationLevelSchema = z.enum(ESCALATION_LEVELS, { message: `must be one of ${ESCALATION_LEVELS.join(', ')}` });

/** Bounds of the escalation texts (the vendor's ticket number is theirs: any short text). */
export const ESCALATION_LIMITS = { reason: 500, vendorName: 100, vendorContact: 200, vendorTicket: 100 } as const;

/** The incident's escalation facts (typed columns on the desk, fields of the synced incident). */
export interface EscalationFacts {
  /** The tier of the latest functional escalation (L3 or vendor), kept once the ticket moves on. */
  escalationLevel?: EscalationLevel | null;
  escalatedAt?: string | null;
  escalationReason?: string | null;
  vendorName?: string | null;
  vendorContact?: string | null;
  vendorTicket?: string | null;
  /** Hierarchical escalation: when management was asked to step in, and why. */
  mgmtEscalatedAt?: string | null;
  mgmtReason?: string | null;
}

/** Fields a functional escalation sets (one history row each). */
export const ESCALATION_FIELDS = ['escalationLevel', 'escalatedAt', 'escalationReason', 'vendorName', 'vendorContact', 'vendorTicket'] as const;
/** The vendor's details, editable afterwards (their ticket number often comes later). */
export const VENDOR_FIELDS = ['vendorName', 'vendorContact', 'vendorTicket'] as const;
export const MGMT_FIELDS = ['mgmtEscalatedAt', 'mgmtReason'] as const;

export type EscalationProblemCode = 'required' | 'not_higher' | 'not_from_first_line' | 'not_a_dispatch' | 'too_long';
export interface EscalationProblem { field: 'tier' | 'escalationReason' | 'vendorName' | 'vendorContact' | 'vendorTicket' | 'to'; code: EscalationProblemCode; message: string }

const tooLong = (field: EscalationProblem['field'], v: string | null | undefined, max: number): EscalationProblem | null =>
  v && v.length > max ? { field, code: 'too_long', message: `too_long: at most ${max} characters` } : null;

/**
 * Why a functional escalation cannot stand, naming the field, or null. `from` is the tier the
 * incident is at; `to` the tier it would go to (the chosen group's). Only second or third line
 * escalates, and only upwards: the same or a lower tier is a dispatch, not an escalation.
 */
export function escalationProblem(
  step: { to: string },
  from: Tier,
  to: Tier | null | undefined,
  given: { escalationReason?: string | null; vendorName?: string | null; vendorContact?: string | null; vendorTicket?: string | null },
): EscalationProblem | null {
  if (step.to !== 'assigned') return { field: 'to', code: 'not_a_dispatch', message: 'not_a_dispatch: an escalation hands the ticket to another group (to assigned)' };
  if (from === 'L1') return { field: 'tier', code: 'not_from_first_line', message: 'not_from_first_line: first line dispatches; second or third line escalates' };
  if (!to || TIER_RANK[to] <= TIER_RANK[from] || (to !== 'L3' && to !== 'vendor')) {
    return { field: 'tier', code: 'not_higher', message: `not_higher: escalation goes to a higher tier than ${from} (L2 → L3 → vendor)` };
  }
  if (!given.escalationReason?.trim()) return { field: 'escalationReason', code: 'required', message: 'required: why the ticket is escalated' };
  if (to === 'vendor' && !given.vendorName?.trim()) return { field: 'vendorName', code: 'required', message: 'required: the vendor it is escalated to' };
  return tooLong('escalationReason', given.escalationReason, ESCALATION_LIMITS.reason)
    ?? tooLong('vendorName', given.vendorName, ESCALATION_LIMITS.vendorName)
    ?? tooLong('vendorContact', given.vendorContact, ESCALATION_LIMITS.vendorContact)
    ?? tooLong('vendorTicket', given.vendorTicket, ESCALATION_LIMITS.vendorTicket);
}

/** Whether a step's fields carry an escalation (the server and the desk tell it from a plain dispatch by these). */
export const isEscalation = (fields: object): boolean => 'escalationLevel' in fields || 'escalationReason' in fields;

/**
 * What a functional escalation sets besides the dispatch: the level reached, when, why, and for a
 * vendor its details (a later escalation to L3 leaves an earlier vendor's details as they were).
 */
export function planEscalation(to: EscalationLevel, at: string, given: { escalationReason: string; vendorName?: string | null; vendorContact?: string | null; vendorTicket?: string | null }): EscalationFacts {
  const clean = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);
  const out: EscalationFacts = { escalationLevel: to, escalatedAt: at, escalationReason: given.escalationReason.trim() };
  if (to === 'vendor') {
    out.vendorName = clean(given.vendorName);
    out.vendorContact = clean(given.vendorContact);
    out.vendorTicket = clean(given.vendorTicket);
  }
  return out;
}

/**
 * Why asking management cannot stand, naming the field, or null. Until it is closed (read-only), an
 * incident can be taken to management: a requester may still complain while a resolution awaits confirmation.
 */
export function mgmtProblem(status: string, given: { mgmtReason?: string | null }): EscalationProblem | null {
  if (status === 'closed') return { field: 'to', code: 'not_a_dispatch', message: 'not_open: a closed incident is read-only' };
  if (!given.mgmtReason?.trim()) return { field: 'escalationReason', code: 'required', message: 'required: why management is asked to step in' };
  return tooLong('escalationReason', given.mgmtReason, ESCALATION_LIMITS.reason);
}

/** Why an edit of the vendor's details cannot stand (a vendor ticket keeps its vendor's name), or null. */
export function vendorEditProblem(held: { vendorName?: string | null; escalationLevel?: string | null }, edit: { vendorName?: string | null }): EscalationProblem | null {
  if ('vendorName' in edit && !edit.vendorName?.trim() && (held.vendorName || held.escalationLevel === 'vendor')) {
    return { field: 'vendorName', code: 'required', message: 'required: the vendor it is escalated to' };
  }
  return null;
}

const id = z.string().min(1).max(64);
const text = (max: number) => z.string().trim().max(max, { message: `at most ${max} characters` });
const required = (max: number) => text(max).min(1, { message: 'required' });

/** Desk API: escalate to a higher tier's group (a person of it, none for a vendor), with why; for a vendor, its details. */
export const escalateSchema = z.object({
  id,
  group: required(100),
  assigneeId: id.optional().nullable(),
  reason: required(ESCALATION_LIMITS.reason),
  vendorName: text(ESCALATION_LIMITS.vendorName).optional().nullable(),
  vendorContact: text(ESCALATION_LIMITS.vendorContact).optional().nullable(),
  vendorTicket: text(ESCALATION_LIMITS.vendorTicket).optional().nullable(),
}).strict();
export type EscalateInput = z.input<typeof escalateSchema>;
/** Desk API: ask management to step in. */
export const askManagementSchema = z.object({ id, reason: required(ESCALATION_LIMITS.reason) }).strict();
/** Desk API: the vendor's details, later (their ticket number comes when they open it). */
export const vendorEditSchema = z.object({
  id,
  vendorName: required(ESCALATION_LIMITS.vendorName).optional(),
  vendorContact: text(ESCALATION_LIMITS.vendorContact).optional().nullable(),
  vendorTicket: text(ESCALATION_LIMITS.vendorTicket).optional().nullable(),
}).strict();

/** Sync field schemas (incident snapshot, transition and update fields), bounded here once; `instant` is the shared instant schema. */
export const escalationSyncFields = <I extends z.ZodType<string>>(instant: I) => {
  const bounded = (max: number) => z.string().max(max, { message: `at most ${max} characters` }).nullable();
  return {
    escalationLevel: escalationLevelSchema.nullable(),
    escalatedAt: instant.nullable(),
    escalationReason: bounded(ESCALATION_LIMITS.reason),
    vendorName: bounded(ESCALATION_LIMITS.vendorName),
    vendorContact: bounded(ESCALATION_LIMITS.vendorContact),
    vendorTicket: bounded(ESCALATION_LIMITS.vendorTicket),
    mgmtEscalatedAt: instant.nullable(),
    mgmtReason: bounded(ESCALATION_LIMITS.reason),
  };
};
