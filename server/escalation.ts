// Escalation on the server (issue 12, item 3): the same shared rules the desk applied
// (shared/escalation.ts), decided again from the incident the server holds.
import type { HistoryEntry, Incident } from '../shared/schemas.js';
import { ESCALATION_FIELDS, escalationProblem, isEscalation, mgmtProblem, planEscalation, vendorEditProblem, type EscalationLevel } from '../shared/escalation.js';
import type { RefusalCode } from '../shared/sync-rules.js';

export interface EscalationRefusal { path: string; code: RefusalCode; params: Record<string, string>; message: string }

const refusal = (field: string, code: string, message: string, to: string): EscalationRefusal =>
  code === 'required'
    ? { path: `args.fields.${field}`, code: 'missing_need', params: { need: field, to }, message }
    : code === 'not_a_dispatch'
      ? { path: `args.fields.${field}`, code: 'invalid_args', params: {}, message }
      : { path: `args.fields.${field}`, code: code === 'too_long' ? 'invalid_args' : 'escalation_refused', params: { field }, message };

/**
 * A transition carrying an escalation: why it cannot stand on the incident held here (a tier that
 * does not climb from the held tier, no reason, a vendor without its name), or null. `planned` are
 * the fields the dispatch rules set (the tier follows a known group's).
 */
export function escalationRefusal(held: Incident, to: Incident['status'], sent: Partial<Incident>, planned: Partial<Incident>): EscalationRefusal | null {
  if (!isEscalation(sent)) return null;
  const p = escalationProblem({ to }, held.tier, planned.tier ?? null, sent);
  return p ? refusal(p.field, p.code, p.message, to) : null;
}

/**
 * The escalation facts a step sets, decided here: the level is the tier the dispatch reached and the
 * time is the step's own (skew-corrected); without an escalation a step sets none of them.
 */
export function planServerEscalation(to: Incident['status'], sent: Partial<Incident>, planned: Partial<Incident>, stepAt: string): Partial<Incident> {
  const out: Partial<Incident> = { ...planned };
  for (const k of ESCALATION_FIELDS) delete out[k];
  if (to !== 'assigned' || !isEscalation(sent) || (planned.tier !== 'L3' && planned.tier !== 'vendor')) return out;
  return { ...out, ...planEscalation(planned.tier as EscalationLevel, stepAt, { escalationReason: sent.escalationReason ?? '', vendorName: sent.vendorName, vendorContact: sent.vendorContact, vendorTicket: sent.vendorTicket }) };
}

/** An edit of the escalation facts: asking management needs why, on an open incident; a vendor ticket keeps its vendor's name. */
export function escalationEditRefusal(held: Incident, sent: Partial<Incident>): EscalationRefusal | null {
  if (sent.mgmtEscalatedAt) {
    const p = mgmtProblem(held.status, { mgmtReason: sent.mgmtReason ?? held.mgmtReason });
    if (p) return p.code === 'required' ? refusal('mgmtReason', 'required', p.message, held.status) : refusal(p.field === 'to' ? 'mgmtEscalatedAt' : 'mgmtReason', 'not_a_dispatch', p.message, held.status);
  }
  if ('mgmtReason' in sent && !sent.mgmtReason?.trim() && (sent.mgmtEscalatedAt ?? held.mgmtEscalatedAt)) {
    return refusal('mgmtReason', 'required', 'required: why management is asked to step in', held.status);
  }
  const v = vendorEditProblem(held, sent);
  return v ? refusal(v.field, v.code, v.message, held.status) : null;
}

/** The step's own time (its transition row's), for the escalation's. */
export const stepTime = (history: HistoryEntry[], fallback: string): string => history.find((h) => h.kind === 'transition')?.at ?? fallback;
