import type { DeskUser, FieldIssue, Incident, Status } from '../../../shared/index.js';
import {
  DEFAULT_AUTO_CLOSE_DAYS, autoCloseDue, autoCloseHistoryId, closureProblem,
  type CloseKind, type ConfirmVia, type PendingReason,
} from '../../../shared/closure.js';
import type { DeskStore } from '../store/desk-store.js';
import { DeskInputError } from '../store/errors.js';
import { SELECT_INCIDENT, incidentFromRow, type Row } from '../store/rows.js';

/**
 * Pending reasons, confirmation and closure on the desk (issue 12, items 4 and 5). The rules are
 * shared with the server (shared/closure.ts); this module turns them into the fields a step sets and
 * the issues that refuse it, runs the auto-close sweep, and keeps its setting. The store calls it
 * from its one transition path, so every write keeps its history and outbox row in one transaction.
 */

export interface ClosureStepInput {
  to: Status;
  /** The transition's free text: for pending, what it waits for when the code is `other`. */
  reason: string | null;
  pendingReason?: PendingReason | string | null;
  closeKind?: CloseKind | null;
  confirmedWith?: string | null;
  confirmedVia?: ConfirmVia | null;
  confirmedAt?: string | null;
  satisfaction?: number | null;
  satisfactionComment?: string | null;
}

/** Fields of a step that the history records one row each. */
export const CLOSURE_FIELDS = ['pendingReason', 'pendingNote', 'reopenCount', 'closeKind', 'confirmedWith', 'confirmedVia', 'confirmedAt', 'satisfaction', 'satisfactionComment'] as const;

/**
 * What a step sets for pending, reopen and closure, and what cannot stand (named by field, nothing
 * written when there is any). `historyId`: the auto-close's transition row, the same on every desk.
 */
export function planClosureStep(before: Incident, input: ClosureStepInput, now: Date): { fields: Partial<Incident>; issues: FieldIssue[]; historyId: string | null } {
  const issues: FieldIssue[] = [];
  const fields: Partial<Incident> = {};
  const trim = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);
  const problem = closureProblem(input.to, { ...input, pendingNote: input.reason }, before, now.getTime());
  if (problem) issues.push({ path: problem.field === 'pendingNote' ? 'reason' : problem.field, message: problem.message });
  if (input.to === 'pending') {
    fields.pendingReason = (input.pendingReason ?? null) as PendingReason | null;
    fields.pendingNote = trim(input.reason);
  } else if (before.status === 'pending') {
    // Leaving pending: it no longer waits for anything.
    fields.pendingReason = null;
    fields.pendingNote = null;
  }
  if (input.to === 'reopened') fields.reopenCount = (before.reopenCount ?? 0) + 1;
  let historyId: string | null = null;
  if (input.to === 'closed') {
    if (input.closeKind) fields.closeKind = input.closeKind;
    if (input.closeKind === 'confirmed') {
      fields.confirmedWith = trim(input.confirmedWith);
      fields.confirmedVia = input.confirmedVia ?? null;
      fields.confirmedAt = input.confirmedAt ? new Date(input.confirmedAt).toISOString() : now.toISOString();
    }
    if (input.satisfaction != null) fields.satisfaction = input.satisfaction;
    if (trim(input.satisfactionComment)) fields.satisfactionComment = trim(input.satisfactionComment);
    if (input.closeKind === 'auto' && before.resolvedAt) historyId = autoCloseHistoryId(before.id, before.resolvedAt);
  } else if (input.closeKind || input.confirmedWith || input.confirmedVia || input.satisfaction != null) {
    issues.push({ path: 'to', message: 'a confirmation or rating closes the incident: only with the step to closed' });
  }
  return { fields, issues, historyId };
}

// ---- auto-close --------------------------------------------------------------------------------

/** Incidents one sweep closes at most (the desk sweeps every minute). */
export const AUTO_CLOSE_BATCH = 500;

/** Days after resolution an unconfirmed incident closes by itself on this desk. */
export function autoCloseDays(store: DeskStore): number {
  const v = Number(store.meta('auto_close_days'));
  return Number.isInteger(v) && v >= 1 ? v : DEFAULT_AUTO_CLOSE_DAYS;
}

export function setAutoCloseDays(store: DeskStore, actor: DeskUser | null, days: number): number {
  if (!actor || (actor.role !== 'lead' && actor.role !== 'admin')) throw new DeskInputError([{ path: 'days', message: 'only a team lead or admin may change when resolved incidents close by themselves' }]);
  store.setMeta('auto_close_days', String(days));
  return days;
}

/**
 * Closes the resolved incidents nobody confirmed within the configured days (live work only, not
 * imported history). Each close is an ordinary step to closed (history, outbox) recorded as
 * auto-closed, its history row's id derived from the incident and its resolution: a desk that swept
 * the same incident too sends a close the server takes as a no-op, not a conflict. Returns how many.
 */
export function sweepAutoClose(store: DeskStore): number {
  const actor = store.currentUser();
  if (!actor) return 0;
  const days = autoCloseDays(store);
  const now = store.now();
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  // Oldest first, a bounded batch per sweep (migration 017's partial index): a desk that first meets the
  // rule with thousands of old resolved incidents closes them over a few sweeps, never in one long transaction.
  const due = (store.db.prepare(`${SELECT_INCIDENT} INDEXED BY incidents_resolved_unconfirmed WHERE status = 'resolved' AND imported_history = 0 AND resolved_at <= ? ORDER BY resolved_at LIMIT ?`)
    .all(cutoff, AUTO_CLOSE_BATCH) as Row[]).map(incidentFromRow);
  let n = 0;
  store.db.transaction(() => {
    for (const inc of due) {
      if (!autoCloseDue(inc, now.getTime(), days)) continue;
      store.transition({ id: inc.id, to: 'closed', closeKind: 'auto' });
      n++;
    }
  })();
  return n;
}
