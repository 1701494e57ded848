import type { Status } from './enums.js';

/**
 * The incident life cycle (DOMAIN.md "The process"). Keys are the current status, values the
 * statuses it may move to. "returned" is second line sending a wrongly dispatched ticket back to
 * first line; "reopened" is the requester saying the fault persists after resolution.
 */
export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  new: ['assigned', 'in_progress', 'pending', 'resolved'],
  assigned: ['in_progress', 'pending', 'resolved', 'returned', 'assigned'],
  in_progress: ['assigned', 'pending', 'resolved', 'returned'],
  pending: ['in_progress', 'assigned', 'resolved'],
  resolved: ['closed', 'reopened'],
  closed: [],
  reopened: ['assigned', 'in_progress', 'pending', 'resolved'],
  returned: ['assigned', 'in_progress', 'resolved'],
};

export const canTransition = (from: Status, to: Status): boolean => TRANSITIONS[from].includes(to);
export const allowedTransitions = (from: Status): readonly Status[] => TRANSITIONS[from];

/** Statuses that count as open work (queues, backlog, SLA clocks running). */
export const OPEN_STATUSES: readonly Status[] = ['new', 'assigned', 'in_progress', 'pending', 'reopened', 'returned'];
export const isOpen = (s: Status) => OPEN_STATUSES.includes(s);

/** What a transition requires besides the target status. */
export const TRANSITION_NEEDS: Partial<Record<Status, 'resolution' | 'reason' | 'assignment' | 'pendingReason'>> = {
  resolved: 'resolution',
  returned: 'reason',
  reopened: 'reason',
  // what it waits for, as a code (issue 12, item 4); text only for `other` (shared/closure.ts)
  pending: 'pendingReason',
  assigned: 'assignment',
};

/**
 * What a step to `to` lacks by TRANSITION_NEEDS, or null: the desk checks it before recording the
 * step, the server again before applying it. `resolution` is the one the incident will carry.
 */
export function missingForTransition(
  to: Status,
  given: { resolution?: string | null; reason?: string | null; tier?: string | null; group?: string | null; assigneeId?: string | null; returnReason?: string | null; pendingReason?: string | null },
): { need: 'resolution' | 'reason' | 'assignment' | 'returnReason' | 'pendingReason'; message: string } | null {
  const need = TRANSITION_NEEDS[to];
  if (need === 'resolution' && !given.resolution?.trim()) return { need, message: 'required to resolve an incident' };
  if (need === 'reason' && !given.reason?.trim()) return { need, message: `required for ${to}` };
  if (need === 'pendingReason' && !given.pendingReason) return { need, message: 'required: choose what the incident waits for (requester, vendor, change, other)' };
  if (need === 'assignment' && !given.tier && !given.group && !given.assigneeId) return { need, message: 'choose a tier, group or person to dispatch to' };
  // A return to first line also names why the dispatch was wrong, with a code (issue 12).
  if (to === 'returned' && !given.returnReason) return { need: 'returnReason', message: 'required: choose why the ticket goes back to first line' };
  return null;
}
