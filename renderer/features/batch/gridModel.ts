import {
  LIMITS, checkTimes, incidentCreateSchema, withCode, type Category, type Channel, type IncidentCreateInput, type Level, type ServiceLevel,
} from '../../../shared/index.js';
import type { FieldIssue } from '../../platform/api.js';
import { fromZodIssues } from '../../lib/zodIssues.js';
import { newClientId } from '../incident-form/formState.js';

/** The columns of the paper-log grid, in Tab order. */
export const COLUMNS = ['reportedAt', 'occurredAt', 'requester', 'channel', 'category', 'title', 'description', 'impact', 'urgency', 'reason'] as const;
export type Column = (typeof COLUMNS)[number];

export interface GridRow {
  /** Stable per row: the React key, and the incident's clientId (a retried save creates nothing twice). */
  clientId: string;
  reportedAt: string;
  occurredAt: string;
  requesterId: string | null;
  requesterName: string;
  requesterServiceLevel: ServiceLevel;
  channel: Channel;
  categoryId: string;
  categoryText: string;
  title: string;
  description: string;
  impact: Level;
  urgency: Level;
  /** Overrides the batch's back-fill reason when not empty. */
  reason: string;
}

export interface GridDraft { rows: GridRow[]; reason: string }

export function emptyRow(prev?: GridRow): GridRow {
  return {
    clientId: newClientId(),
    reportedAt: '', occurredAt: '',
    requesterId: null, requesterName: '', requesterServiceLevel: 'normal',
    // The same source usually runs down a paper log: keep the previous row's channel.
    channel: prev?.channel ?? 'phone',
    categoryId: '', categoryText: '',
    title: '', description: '',
    impact: 'medium', urgency: 'medium',
    reason: '',
  };
}

export function isBlank(r: GridRow): boolean {
  return !(r.reportedAt || r.occurredAt || r.requesterName || r.categoryText || r.title || r.description || r.reason);
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A time as typed from paper, read in the desktop's zone: `2026-11-21 14:30`, `2026/11/21 14:30`,
 * `11-21 14:30` (this year), `14:30` (today). Returns an ISO instant, or null when it cannot be read.
 */
export function parseGridTime(text: string, now: Date = new Date()): string | null {
  const v = text.trim().replace(/[／/.]/g, '-').replace(/\s+/g, ' ').replace('T', ' ').replace('：', ':');
  if (!v) return null;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2})$/.exec(v);
  let y: number, mo: number, d: number, h: number, mi: number;
  if (m) [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  else if ((m = /^(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2})$/.exec(v))) { y = now.getFullYear(); [mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number]; }
  else if ((m = /^(\d{1,2}):(\d{2})$/.exec(v))) { y = now.getFullYear(); mo = now.getMonth() + 1; d = now.getDate(); [h, mi] = m.slice(1).map(Number) as [number, number]; }
  else return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const date = new Date(y, mo - 1, d, h, mi);
  if (date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date.toISOString();
}

/** An instant shown the way the grid takes it back. */
export function formatGridTime(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A category typed by id, zh or en name (case-insensitive), or `parent/child`. */
export function resolveCategory(text: string, categories: Category[]): Category | undefined {
  const v = text.trim().toLowerCase();
  if (!v) return undefined;
  const byName = (c: Category) => [c.id, c.nameZh, c.nameEn].map((x) => x.toLowerCase());
  const exact = categories.find((c) => byName(c).includes(v));
  if (exact) return exact;
  const [p, s] = v.split(/\s*[/／]\s*/);
  if (s) {
    const parent = categories.find((c) => !c.parentId && byName(c).includes(p));
    return parent ? categories.find((c) => c.parentId === parent.id && byName(c).includes(s)) : undefined;
  }
  return undefined;
}

export function rowToInput(r: GridRow, batchReason: string, now: Date = new Date()): IncidentCreateInput {
  const reason = (r.reason.trim() || batchReason).trim();
  return {
    clientId: r.clientId,
    channel: r.channel,
    requester: { id: r.requesterId, name: r.requesterName, serviceLevel: r.requesterServiceLevel },
    serviceType: 'fault',
    categoryId: r.categoryId,
    title: r.title,
    description: r.description,
    impact: r.impact,
    urgency: r.urgency,
    occurredAt: r.occurredAt.trim() ? parseGridTime(r.occurredAt, now) ?? r.occurredAt : null,
    reportedAt: r.reportedAt.trim() ? parseGridTime(r.reportedAt, now) ?? r.reportedAt : null,
    backfill: { reason },
  };
}

/** Which cell an issue path of one row (`reportedAt`, `requester.name`, `backfill.reason`) belongs to. */
export function columnOf(path: string): Column | null {
  const head = path.split('.')[0];
  switch (head) {
    case 'reportedAt': case 'occurredAt': case 'channel': case 'title': case 'description': case 'impact': case 'urgency': return head;
    case 'requester': return 'requester';
    case 'categoryId': return 'category';
    case 'backfill': return 'reason';
    default: return null;
  }
}

/** One cell's problem; `code` + `params` as the API sends them (shared/issues.ts), worded by the renderer. */
export interface CellIssue { row: number; column: Column | null; message: string; path: string; code?: FieldIssue['code']; params?: FieldIssue['params'] }

/** A server issue `rows.3.reportedAt` → row 3, the reported-time cell. */
export function cellOfServerIssue(issue: FieldIssue): CellIssue {
  const m = /^rows\.(\d+)(?:\.(.*))?$/.exec(issue.path);
  const coded = { message: issue.message, code: issue.code, params: issue.params };
  if (!m) return { row: -1, column: null, ...coded, path: issue.path };
  const rest = m[2] ?? '';
  return { row: Number(m[1]), column: rest ? columnOf(rest) : null, ...coded, path: rest };
}

/** Every row checked as the API will check it (shared schema + times), before anything leaves the desk. */
export function validateGrid(rows: GridRow[], batchReason: string, now: Date = new Date()): CellIssue[] {
  const out: CellIssue[] = [];
  rows.forEach((r, k) => {
    const push = (path: string, message: string, code?: FieldIssue['code'], params?: FieldIssue['params']) => {
      const coded = withCode({ path, message, code, params });
      out.push({ row: k, column: columnOf(path), message, path, ...(coded.code ? { code: coded.code } : {}), ...(coded.params ? { params: coded.params } : {}) });
    };
    for (const f of ['reportedAt', 'occurredAt'] as const) {
      if (r[f].trim() && !parseGridTime(r[f], now)) push(f, 'must be a date-time like 2026-11-21 14:30');
    }
    if (!r.reportedAt.trim()) push('reportedAt', 'required');
    if (r.categoryText.trim() && !r.categoryId) push('categoryId', 'unknown category');
    const input = rowToInput(r, batchReason, now);
    const parsed = incidentCreateSchema.safeParse(input);
    const seen = new Set(out.filter((i) => i.row === k).map((i) => i.column));
    const issues = [...(parsed.success ? [] : fromZodIssues(parsed.error.issues)), ...checkTimes({ occurredAt: parseGridTime(r.occurredAt, now), reportedAt: parseGridTime(r.reportedAt, now) }, now)];
    for (const i of issues) {
      const col = columnOf(i.path);
      if (col && seen.has(col)) continue;
      seen.add(col);
      push(i.path, i.message, i.code, i.params);
    }
  });
  return out;
}

/** The longest text each typed cell takes (the schema's limits: the cell stops there, as the call form's fields do). */
export const CELL_MAX: Partial<Record<Column, number>> = {
  reportedAt: 40, occurredAt: 40, requester: LIMITS.name, category: LIMITS.short, title: LIMITS.title, description: LIMITS.description, reason: LIMITS.reason,
};

/**
 * The problem of one cell once the user leaves it, as the call form names a field's problem on leaving:
 * a time it cannot read, a text over its limit (pasted), an unknown category. A missing value waits for
 * the save (`validateGrid`); a blank row has no problems.
 */
export function cellIssueOnLeave(r: GridRow, row: number, col: Column, batchReason: string, now: Date = new Date()): CellIssue | null {
  if (isBlank(r)) return null;
  const found = validateGrid([r], batchReason, now).find((i) => i.column === col && i.code !== 'required');
  return found ? { ...found, row } : null;
}
