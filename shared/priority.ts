import { z } from 'zod';
import { LEVELS, PRIORITIES, type Level, type MajorReason, type Priority, type ServiceLevel } from './enums.js';

/** impact → urgency → priority. Configuration; this is the shipped default from DOMAIN.md. */
export type PriorityMatrix = Record<Level, Record<Level, Priority>>;
export const DEFAULT_MATRIX: PriorityMatrix = {
  high: { high: 'P1', medium: 'P2', low: 'P3' },
  medium: { high: 'P2', medium: 'P3', low: 'P4' },
  low: { high: 'P3', medium: 'P4', low: 'P4' },
};

/**
 * The matrix as data (issue 13): every cell present and a priority code, so a refusal names the cell
 * (`matrix.high.medium: invalid_choice`). Edited by leads and admins with the SLA settings.
 */
const cellSchema = z.enum(PRIORITIES);
const rowSchema = z.object({ high: cellSchema, medium: cellSchema, low: cellSchema }).strict();
export const priorityMatrixSchema = z.object({ high: rowSchema, medium: rowSchema, low: rowSchema }).strict();

/**
 * The matrix cell an incident was classified with, kept on the incident as `<impact>/<urgency>:<P>`
 * (`matrixCell`): a matrix change applies to incidents recorded or re-classified (impact or urgency
 * changed) after it; the others keep the answer they got. See shared/SLA.md, "The priority matrix".
 */
export interface MatrixCell { impact: Level; urgency: Level; priority: Priority }
const CELL = /^(high|medium|low)\/(high|medium|low):(P[1-4])$/;
export const formatMatrixCell = (c: MatrixCell) => `${c.impact}/${c.urgency}:${c.priority}`;
export function parseMatrixCell(text: string | null | undefined): MatrixCell | null {
  const m = text ? CELL.exec(text) : null;
  return m ? { impact: m[1] as Level, urgency: m[2] as Level, priority: m[3] as Priority } : null;
}
export const matrixCellFrom = (matrix: PriorityMatrix, impact: Level, urgency: Level): MatrixCell => ({ impact, urgency, priority: matrix[impact][urgency] });

/**
 * The cell that classifies an incident now: the one it holds while its impact and urgency are those
 * it was classified with; otherwise (re-classified, or `reclassify`: a new record) the current
 * matrix's. An incident holding no cell was classified before matrices could be edited, that is with
 * the shipped matrix (`legacy`: DEFAULT_MATRIX), unless the caller knows it is new (`legacy: matrix`).
 */
export function classifyCell(
  inc: { impact: Level; urgency: Level; matrixCell?: string | null },
  matrix: PriorityMatrix,
  opts: { reclassify?: boolean; legacy?: PriorityMatrix } = {},
): MatrixCell {
  if (opts.reclassify) return matrixCellFrom(matrix, inc.impact, inc.urgency);
  const held = parseMatrixCell(inc.matrixCell);
  if (!held) return matrixCellFrom(opts.legacy ?? DEFAULT_MATRIX, inc.impact, inc.urgency);
  return held.impact === inc.impact && held.urgency === inc.urgency ? held : matrixCellFrom(matrix, inc.impact, inc.urgency);
}

/** Every cell of a matrix, in reading order (impact high → low, urgency high → low). */
export const matrixCells = (m: PriorityMatrix): MatrixCell[] => LEVELS.flatMap((impact) => LEVELS.map((urgency) => matrixCellFrom(m, impact, urgency)));

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
  /** The cell it was classified with (`formatMatrixCell`); used while impact and urgency still match it. */
  matrixCell?: string | null;
}

const RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };
export const priorityRank = (p: Priority) => RANK[p];
const atLeast = (p: Priority, floor: Priority): Priority => (RANK[p] <= RANK[floor] ? p : floor);

/**
 * The priority an incident gets from impact × urgency and the rules that override the matrix.
 * Returns every rule that applied, the deciding one first, so the form can show "why".
 */
export function computePriority(input: PriorityInput, matrix: PriorityMatrix = DEFAULT_MATRIX): { priority: Priority; reasons: PriorityReason[] } {
  const held = parseMatrixCell(input.matrixCell);
  const base = held && held.impact === input.impact && held.urgency === input.urgency ? held.priority : matrix[input.impact][input.urgency];
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
