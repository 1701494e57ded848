import type { Level, MajorReason, Priority, ServiceLevel } from './enums.js';

/** impact → urgency → priority. Configuration; this is the shipped default from DOMAIN.md. */
export type PriorityMatrix = Record<Level, Record<Level, Priority>>;
export const DEFAULT_MATRIX: PriorityMatrix = {
  high: { high: 'P1', medium: 'P2', low: 'P3' },
  medium: { high: 'P2', medium: 'P3', low: 'P4' },
  low: { high: 'P3', medium: 'P4', low: 'P4' },
};

/** Why an incident has the priority it has; the first reason is the one that decided it. */
export type PriorityReason =
  | { rule: 'matrix'; impact: Level; urgency: Level; priority: Priority }
  | { rule: 'major'; reasons: MajorReason[] }
  | { rule: 'vip'; serviceLevel: ServiceLevel }
  | { rule: 'manual_urgent'; reason: string }
  | { rule: 'auto_escalated' };

export interface PriorityInput {
  impact: Level;
  urgency: Level;
  majorReasons?: readonly MajorReason[];
  serviceLevel?: ServiceLevel;
  /** The desk marked it urgent (many people affected, recurring, strong complaints); a reason is required. */
  urgentReason?: string | null;
  /** Set once an ordinary incident stayed unresolved past the promised time. */
  autoEscalated?: boolean;
}

const RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };
export const priorityRank = (p: Priority) => RANK[p];
const atLeast = (p: Priority, floor: Priority): Priority => (RANK[p] <= RANK[floor] ? p : floor);

/**
 * The priority an incident gets from impact × urgency and the rules that override the matrix.
 * Returns every rule that applied, the deciding one first, so the form can show "why".
 */
export function computePriority(input: PriorityInput, matrix: PriorityMatrix = DEFAULT_MATRIX): { priority: Priority; reasons: PriorityReason[] } {
  const base = matrix[input.impact][input.urgency];
  const reasons: PriorityReason[] = [];
  let priority = base;
  if (input.majorReasons && input.majorReasons.length > 0) {
    priority = 'P1';
    reasons.push({ rule: 'major', reasons: [...input.majorReasons] });
  }
  if (input.serviceLevel === 'vip' || input.serviceLevel === 'svip') {
    const raised = atLeast(priority, 'P2');
    if (raised !== priority || RANK[base] > 2) reasons.push({ rule: 'vip', serviceLevel: input.serviceLevel });
    priority = raised;
  }
  const urgentReason = input.urgentReason?.trim();
  if (urgentReason) {
    if (RANK[base] > 2) reasons.push({ rule: 'manual_urgent', reason: urgentReason });
    priority = atLeast(priority, 'P2');
  }
  if (input.autoEscalated) {
    if (RANK[base] > 2) reasons.push({ rule: 'auto_escalated' });
    priority = atLeast(priority, 'P2');
  }
  // Order: the rule that produced the final value first, the matrix last.
  reasons.push({ rule: 'matrix', impact: input.impact, urgency: input.urgency, priority: base });
  const deciding = reasons.findIndex((r) => decides(r, priority));
  if (deciding > 0) reasons.unshift(...reasons.splice(deciding, 1));
  return { priority, reasons };
}

function decides(r: PriorityReason, p: Priority): boolean {
  switch (r.rule) {
    case 'matrix': return r.priority === p;
    case 'major': return p === 'P1';
    default: return p === 'P2';
  }
}

/** Promised time for an ordinary (P3) incident before it is escalated to urgent automatically. */
export const DEFAULT_ESCALATE_AFTER_MS = 4 * 60 * 60 * 1000;

/**
 * An ordinary incident not resolved within the promised time becomes urgent. `resolvedAt` set, or a
 * priority other than P3, means no escalation.
 */
export function shouldAutoEscalate(
  inc: { priority: Priority; reportedAt: string; resolvedAt?: string | null; status: string },
  now: Date,
  afterMs: number = DEFAULT_ESCALATE_AFTER_MS,
): boolean {
  if (inc.priority !== 'P3') return false;
  if (inc.resolvedAt || inc.status === 'resolved' || inc.status === 'closed') return false;
  return now.getTime() - Date.parse(inc.reportedAt) >= afterMs;
}
