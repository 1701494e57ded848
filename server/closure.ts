// Pending reasons, reopens, confirmation and closure on the server (issue 12, items 4 and 5): the same
// shared rules the desk applied (shared/closure.ts), decided again from the incident the server holds.
import type { HistoryEntry, Incident } from '../shared/schemas.js';
import { closedEditRefused, closureProblem } from '../shared/closure.js';

/** Why a step's closure fields cannot stand, as the path and message the refusal names; or null. */
export function closureRefusal(to: Incident['status'], given: Partial<Incident>, held: Incident, history: HistoryEntry[], nowMs: number): { path: string; need: string; message: string } | null {
  const note = history.find((h) => h.kind === 'transition')?.note ?? null;
  const p = closureProblem(to, { ...given, pendingNote: given.pendingNote ?? note }, held, nowMs);
  return p ? { path: `args.fields.${p.field}`, need: p.field, message: p.message } : null;
}

/**
 * The closure fields a step sets, from the incident held here: what a desk sent for another step is
 * not taken (a reopen count, a confirmation on a step that does not close), the reopen count is
 * counted here, and leaving pending clears what it waited for.
 */
export function planClosure(held: Incident, to: Incident['status'], fields: Partial<Incident>, history: HistoryEntry[]): Partial<Incident> {
  const out: Partial<Incident> = { ...fields };
  delete out.reopenCount;
  if (to === 'pending') {
    out.pendingNote = out.pendingNote ?? (out.pendingReason === 'other' ? history.find((h) => h.kind === 'transition')?.note ?? null : null);
  } else {
    delete out.pendingReason; delete out.pendingNote;
    if (held.status === 'pending') { out.pendingReason = null; out.pendingNote = null; }
  }
  if (to === 'reopened') out.reopenCount = (held.reopenCount ?? 0) + 1;
  if (to !== 'closed') {
    for (const k of ['closeKind', 'confirmedWith', 'confirmedVia', 'confirmedAt', 'satisfaction', 'satisfactionComment'] as const) delete out[k];
  } else if (out.closeKind !== 'confirmed') {
    delete out.confirmedWith; delete out.confirmedVia; delete out.confirmedAt;
  }
  return out;
}

/** The first field of an update a closed incident cannot take (only the follow-up rating is open), or null. */
export const closedEditField = (held: Incident, fields: object): string | null => closedEditRefused(held.status, Object.keys(fields));
