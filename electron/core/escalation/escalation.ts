import type { FieldIssue, Incident, IncidentPatch, Tier } from '../../../shared/index.js';
import {
  escalationProblem, mgmtProblem, planEscalation, vendorEditProblem, type EscalationLevel, type EscalationProblem,
} from '../../../shared/escalation.js';
import type { DeskStore } from '../store/desk-store.js';
import { DeskInputError } from '../store/errors.js';
import { raiseNotice } from '../notifications/notices.js';

/**
 * Escalation on the desk (issue 12, item 3). Functional: a dispatch to a higher tier's group that also
 * records the escalation; the store calls `planEscalationStep` from its one transition path, so the
 * step, its history rows and its outbox record commit together. Hierarchical: management is asked to
 * step in through the store's edit path (history, outbox), and the team leads get a notice whose id
 * comes from the incident and the moment, so it is one notice on every desk and the server.
 */

export interface EscalationStepInput { reason: string; vendorName?: string | null; vendorContact?: string | null; vendorTicket?: string | null }

const issue = (p: EscalationProblem): FieldIssue => ({ path: p.field, message: p.message });

/**
 * What an escalation sets besides the dispatch (`dispatched`: the fields the group step set, its tier
 * the chosen group's), and what cannot stand, named by field. Nothing when the step is no escalation.
 */
export function planEscalationStep(before: Incident, to: string, esc: EscalationStepInput | undefined, dispatched: Partial<Incident>, inputTier: Tier | undefined, at: string): { fields: Partial<Incident>; issues: FieldIssue[] } {
  if (!esc) return { fields: {}, issues: [] };
  const tier = dispatched.tier ?? inputTier ?? null;
  const p = escalationProblem({ to }, before.tier, tier, { escalationReason: esc.reason, vendorName: esc.vendorName, vendorContact: esc.vendorContact, vendorTicket: esc.vendorTicket });
  if (p) return { fields: {}, issues: [issue(p)] };
  return { fields: planEscalation(tier as EscalationLevel, at, { escalationReason: esc.reason, vendorName: esc.vendorName, vendorContact: esc.vendorContact, vendorTicket: esc.vendorTicket }), issues: [] };
}

/** Escalate to a higher tier's group (a person of it; none for a vendor): a dispatch that records the escalation. */
export function escalate(store: DeskStore, input: { id: string; group: string; assigneeId?: string | null } & EscalationStepInput): Incident {
  return store.transition({
    id: input.id, to: 'assigned', group: input.group, assigneeId: input.assigneeId ?? null, reason: input.reason,
    escalation: { reason: input.reason, vendorName: input.vendorName ?? null, vendorContact: input.vendorContact ?? null, vendorTicket: input.vendorTicket ?? null },
  });
}

/**
 * Ask management to step in: the incident is flagged (when, why) and the team leads are told, once
 * (the notice's id is the incident's and the moment's). Offline too: the notice waits in the outbox
 * behind the flag, and the leads on this desk see it at once.
 */
export function askManagement(store: DeskStore, input: { id: string; reason: string }): Incident {
  return store.db.transaction(() => {
    const before = store.getIncidentRecord(input.id);
    const p = mgmtProblem(before.status, { mgmtReason: input.reason });
    if (p) throw new DeskInputError([{ path: p.field === 'escalationReason' ? 'reason' : p.field, message: p.message }]);
    const at = store.now().toISOString();
    const next = store.updateIncident(input.id, { mgmtEscalatedAt: at, mgmtReason: input.reason.trim() } as IncidentPatch);
    raiseNotice(store, { kind: 'escalated_to_management', incident: next, clock: 'none', atMs: Date.parse(at), params: { reason: input.reason.trim().slice(0, 200) } });
    return next;
  })();
}

/** The vendor's details after the escalation (their ticket number often comes later). */
export function editVendor(store: DeskStore, input: { id: string; vendorName?: string; vendorContact?: string | null; vendorTicket?: string | null }): Incident {
  const { id, ...edit } = input;
  const before = store.getIncidentRecord(id);
  const p = vendorEditProblem(before, edit);
  if (p) throw new DeskInputError([issue(p)]);
  const patch: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(edit)) patch[k] = v?.trim() ? v.trim() : null;
  return store.updateIncident(id, patch as IncidentPatch);
}
