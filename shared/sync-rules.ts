import type { Status } from './enums.js';
import { parseHlc } from './hlc.js';
import { canTransition } from './status.js';

/**
 * The rules that decide what becomes of one change of a desk's when it reaches the server's replica
 * (issue 9). Written once, used identically by the server when it applies a push and by the desk
 * when it replays its unsent changes on top of the server's snapshot.
 *
 * 1. A refusal never cascades. A transition names the status it started from. When the incident is
 *    in another status, the question is who put it there:
 *    - another desk (the status stamp's node is not the pushing device): a real conflict with a
 *      change this desk had not seen; refused, shown to both;
 *    - this same desk (its own earlier change, or creation): the difference exists only because one
 *      of this desk's own earlier steps, or a field of it, could not be applied. The step is judged on
 *      its own merits, from the status the server holds: applied if the life cycle allows it.
 * 2. What cannot be applied is one field, not the change: an unknown or deactivated person, an
 *    unknown category or knowledge article, a number outside the desk's prefix or already used.
 *    That field is left out (or given a stand-in: the next free number, the root category), recorded
 *    as a `refused` history row with a code, and the rest of the change applies.
 */

/** Why a change, or one field of it, was not applied. The desk words each code in the user's language. */
export const REFUSAL_CODES = [
  'transition_conflict', 'not_allowed', 'missing_need', 'unknown_incident', 'invalid_args', 'forbidden', 'too_large',
  'unknown_user', 'inactive_user', 'unknown_category', 'unknown_kb_article', 'number_taken', 'number_prefix',
  // issue 12: a dispatch to a person outside the chosen group
  'not_in_group',
  // issue 12: an edit of a closed incident (only a note and the follow-up rating stay open)
  'closed_readonly',
  // issue 12: a configuration item the server does not hold
  'unknown_ci',
  // issue 12, item 6: a problem or change record the server does not hold
  'unknown_problem', 'unknown_change',
  // issue 12, item 3: an escalation that does not climb from the tier the incident is at (L2 → L3 → vendor)
  'escalation_refused',
  // issue 12, item 5: a confirmation dated before the resolution the server holds (another desk's later resolve): the close applies, dated at that resolution
  'confirmed_before_resolution',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** One field left out of an applied change: the value sent, and what the incident keeps instead. */
export interface FieldRefusal { field: string; code: RefusalCode; value: string | null; kept: string | null }

export type TransitionVerdict =
  | { kind: 'apply'; from: Status }
  | { kind: 'noop' }
  | { kind: 'conflict' }
  | { kind: 'not_allowed'; from: Status };

/**
 * What a transition `from → to` made on `device` comes to on a replica whose incident is in
 * `current`, last set by `statusBy` (the device in the status field's stamp, or the creation stamp's).
 */
export function judgeTransition(t: { current: Status; statusBy: string | null; from: Status; to: Status; device: string }): TransitionVerdict {
  const { current, from, to } = t;
  // Someone got there first (a re-dispatch, assigned → assigned, is a real change, not this).
  if (current === to && from !== to) return { kind: 'noop' };
  if (current !== from) {
    if (t.statusBy !== t.device) return { kind: 'conflict' };
    return canTransition(current, to) ? { kind: 'apply', from: current } : { kind: 'not_allowed', from: current };
  }
  return canTransition(from, to) ? { kind: 'apply', from } : { kind: 'not_allowed', from };
}

/** The device an HLC stamp came from (its node id); null for a stamp that does not parse. */
export function stampDevice(hlc: string | null | undefined): string | null {
  if (!hlc) return null;
  try { return parseHlc(hlc).node; } catch { return null; }
}

/** An incident number belongs to the desk whose code is its prefix (`K7Q2M9-00042`). */
export const numberPrefix = (number: string): string => {
  const i = number.indexOf('-');
  return i > 0 ? number.slice(0, i) : '';
};

/**
 * The stand-in number the server gives a new incident whose number it cannot keep (another desk's
 * prefix, or already used): under the pushing device's own code, with its push seq, a shape the desk
 * never generates itself (`CODE-R17`), so it cannot clash with the desk's later numbers.
 */
export const standInNumber = (deviceCode: string, seq: number): string => `${deviceCode}-R${seq}`;
