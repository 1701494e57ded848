import { classifyCell, computePriority, formatMatrixCell } from './priority.js';
import { DEFAULT_SLA_SETTINGS, matrixOf, slaDueTimes, type SlaSettings } from './sla-clocks.js';
import type { Incident } from './schemas.js';

/**
 * Merge rules every replica applies the same way, so the server and the desktops agree.
 *
 * Incident fields are last-writer-wins per field, ordered by the mutation's HLC (plain string
 * comparison; the node id breaks ties). A value that loses — the incoming one because a later
 * edit is already held, or the held one because a later edit overwrote a value its author had not
 * seen — is reported as a `FieldLoss` so it can be written to the history as kind `conflict`.
 */
export interface FieldStamp { hlc: string; userId: string; deviceId: string }
/** Per-field stamps of an incident; key `*` is the creation stamp, used for fields never edited since. */
export type FieldStamps = Record<string, FieldStamp>;

export interface FieldLoss {
  field: string;
  losingValue: unknown;
  losing: FieldStamp;
  winningValue: unknown;
  winning: FieldStamp;
}

export const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function mergeFields(
  current: Incident, stamps: FieldStamps, fields: Partial<Incident>, base: Record<string, unknown>, stamp: FieldStamp,
): { next: Incident; stamps: FieldStamps; losses: FieldLoss[]; changed: string[] } {
  const next: Record<string, unknown> = { ...current };
  const nextStamps: FieldStamps = { ...stamps };
  const losses: FieldLoss[] = [];
  const changed: string[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const held = stamps[field] ?? stamps['*'];
    const heldValue = next[field];
    if (!held || stamp.hlc > held.hlc) {
      // Wins. The held value is lost only if its author's edit was not what this author saw.
      if (held && field in base && !sameValue(base[field], heldValue) && !sameValue(heldValue, value)) {
        losses.push({ field, losingValue: heldValue, losing: held, winningValue: value, winning: stamp });
      }
      if (!sameValue(heldValue, value)) changed.push(field);
      next[field] = value;
      nextStamps[field] = stamp;
    } else if (stamp.hlc < held.hlc && !sameValue(heldValue, value)) {
      losses.push({ field, losingValue: value, losing: stamp, winningValue: heldValue, winning: held });
    }
  }
  return { next: next as unknown as Incident, stamps: nextStamps, losses, changed };
}

/**
 * Derived fields: priority from impact × urgency and the override rules, and the SLA due times on
 * business time (`slaDueTimes`: the calendar chosen for the priority and requester level under the
 * SLA settings). `resolveDueAt` leaves out finished pending spells only (`pendingSpells`, not the
 * open one), so it does not depend on the clock of whoever computes it; a view adds the open spell
 * with `incidentClocks(…, now)`.
 */
export function deriveIncident(inc: Incident, settings: SlaSettings = DEFAULT_SLA_SETTINGS, opts: { reclassify?: boolean } = {}): Incident {
  // The matrix cell (issue 13): kept while impact and urgency are those it was classified with, taken
  // from the settings' matrix for a new record (`reclassify`) or a re-classified one; an incident
  // holding none was classified with the shipped matrix (shared/SLA.md, "The priority matrix").
  const matrixCell = formatMatrixCell(classifyCell(inc, matrixOf(settings), opts));
  const { priority } = computePriority({
    impact: inc.impact, urgency: inc.urgency, majorReasons: inc.majorReasons, serviceLevel: inc.serviceLevel,
    urgentReason: inc.urgentReason, autoEscalated: inc.autoEscalated, matrixCell,
  });
  const due = slaDueTimes({ priority, serviceLevel: inc.serviceLevel, reportedAt: inc.reportedAt, pendingSpells: inc.pendingSpells }, settings);
  return { ...inc, priority, matrixCell, responseDueAt: due.responseDueAt, resolveDueAt: due.resolveDueAt };
}
