import { z } from 'zod';
import { LIMITS, idSchema, instantSchema } from './schemas.js';

/**
 * Problem and change records (issue 12, item 6; DOMAIN.md steps 6–7). Second line raises a problem
 * from an incident it cannot solve; a fix that changes systems goes through a change record. Both
 * are made offline like incidents: their number carries the desk's code (`PRB-K7Q2M9-00001`,
 * `CHG-K7Q2M9-00001`), so desks never ask a server for one. The rules here are used by the desk
 * (electron/core/problems) and the server (server/problems.ts) alike.
 *
 * Links: an incident names its problem and its change by id (`problemId`, `changeId`, typed
 * columns), so a problem's linked incidents are the incidents that name it; a change's linked
 * problems are a set (`change.link`, one pair at a time, last writer wins per pair).
 */

export const PROBLEM_STATUSES = ['open', 'known_error', 'resolved', 'closed'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];
export const CHANGE_STATUSES = ['planned', 'approved', 'in_progress', 'done', 'cancelled'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];
export const RECORD_KINDS = ['problem', 'change'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Roles that raise and work problem and change records (second line, leads, admins). */
export const RECORD_ROLES = ['technician', 'lead', 'admin'] as const;
export const canWorkRecords = (role: string | null | undefined) => (RECORD_ROLES as readonly string[]).includes(role ?? '');

export const RECORD_PREFIX: Record<RecordKind, 'PRB' | 'CHG'> = { problem: 'PRB', change: 'CHG' };
/** At most this many problems linked to one change (a bound on the set and on its snapshot). */
export const MAX_CHANGE_PROBLEMS = 200;
/** A planned window longer than this is refused (a typo of the year, not a plan). */
export const MAX_WINDOW_MS = 366 * 24 * 3600_000;

/** `PRB-<desk code>-00042`: the desk's own sequence, five digits at least. */
export const recordNumber = (kind: RecordKind, deskCode: string, seq: number) => `${RECORD_PREFIX[kind]}-${deskCode}-${String(seq).padStart(5, '0')}`;
/** The server's stand-in for a number it cannot keep (another desk's code, or used): a shape desks never make. */
export const recordStandIn = (kind: RecordKind, deskCode: string, seq: number) => `${RECORD_PREFIX[kind]}-${deskCode}-R${seq}`;
/** The desk code a record number carries, or '' when it is not of the kind's shape. */
export function recordNumberCode(kind: RecordKind, number: string): string {
  const m = new RegExp(`^${RECORD_PREFIX[kind]}-([0-9A-Za-z]{1,16})-R?\\d{1,12}$`).exec(number);
  return m ? m[1] : '';
}

const text = (max: number) => z.string().trim().max(max, { message: `at most ${max} characters` });
const title = text(LIMITS.title).min(1, { message: 'required' });
const recordNumberSchema = z.string().max(40).regex(/^(PRB|CHG)-[0-9A-Za-z]{1,16}-R?\d{1,12}$/, { message: 'not a record number' });

export interface ProblemRecord {
  id: string; number: string; status: ProblemStatus; title: string; rootCause: string | null; workaround: string | null;
  createdBy: string; deviceId: string; createdAt: string; updatedAt: string; resolvedAt: string | null;
}
export interface ChangeRecord {
  id: string; number: string; status: ChangeStatus; title: string; description: string | null; plannedStart: string; plannedEnd: string;
  problemIds: string[]; createdBy: string; deviceId: string; createdAt: string; updatedAt: string;
}

/** A history row of a record: who, when, from which device, online or not, what changed. */
export const recordHistorySchema = z.object({
  id: idSchema,
  recordId: idSchema,
  at: instantSchema,
  actorId: idSchema,
  deviceId: idSchema,
  online: z.boolean(),
  kind: z.enum(['create', 'field', 'link', 'unlink', 'refused']),
  field: text(64).nullable(),
  oldValue: text(LIMITS.text).nullable(),
  newValue: text(LIMITS.text).nullable(),
});
export type RecordHistory = z.output<typeof recordHistorySchema>;
const historyList = z.array(recordHistorySchema).max(50).default([]);

export const problemFieldsSchema = z.object({
  title,
  status: z.enum(PROBLEM_STATUSES),
  rootCause: text(LIMITS.text).nullable(),
  workaround: text(LIMITS.text).nullable(),
}).partial().strict();
export type ProblemFields = z.output<typeof problemFieldsSchema>;

export const changeFieldsSchema = z.object({
  title,
  status: z.enum(CHANGE_STATUSES),
  description: text(LIMITS.text).nullable(),
  plannedStart: instantSchema,
  plannedEnd: instantSchema,
}).partial().strict();
export type ChangeFields = z.output<typeof changeFieldsSchema>;

/** Why a planned window cannot stand, naming the field, or null. */
export function windowIssue(start: string | null | undefined, end: string | null | undefined): { path: 'plannedStart' | 'plannedEnd'; message: string } | null {
  if (!start) return { path: 'plannedStart', message: 'required' };
  if (!end) return { path: 'plannedEnd', message: 'required' };
  const a = Date.parse(start), b = Date.parse(end);
  if (!(b > a)) return { path: 'plannedEnd', message: 'window_order: the planned end must be after the planned start' };
  if (b - a > MAX_WINDOW_MS) return { path: 'plannedEnd', message: 'window_length: a planned window is at most 366 days' };
  return null;
}

/** `create` is sent with a record's first save only: its number and when it was made. */
const createPart = z.object({ number: recordNumberSchema, createdAt: instantSchema }).strict();

export const problemSaveArgsSchema = z.object({
  id: idSchema,
  create: createPart.optional(),
  fields: problemFieldsSchema,
  /** The values the desk saw before the edit (as for incidents). */
  base: z.record(z.string(), z.unknown()).default({}),
  history: historyList,
}).superRefine((a, ctx) => {
  if (a.create && !a.fields.title) ctx.addIssue({ code: 'custom', path: ['fields', 'title'], message: 'required' });
  if (a.create && recordNumberCode('problem', a.create.number) === '') ctx.addIssue({ code: 'custom', path: ['create', 'number'], message: 'not a problem number' });
  if (!a.create && Object.keys(a.fields).length === 0) ctx.addIssue({ code: 'custom', path: ['fields'], message: 'no fields to save' });
});
export type ProblemSaveArgs = z.output<typeof problemSaveArgsSchema>;

export const changeSaveArgsSchema = z.object({
  id: idSchema,
  create: createPart.optional(),
  fields: changeFieldsSchema,
  base: z.record(z.string(), z.unknown()).default({}),
  history: historyList,
}).superRefine((a, ctx) => {
  if (a.create) {
    if (!a.fields.title) ctx.addIssue({ code: 'custom', path: ['fields', 'title'], message: 'required' });
    if (recordNumberCode('change', a.create.number) === '') ctx.addIssue({ code: 'custom', path: ['create', 'number'], message: 'not a change number' });
    const w = windowIssue(a.fields.plannedStart, a.fields.plannedEnd);
    if (w) ctx.addIssue({ code: 'custom', path: ['fields', w.path], message: w.message });
  } else if (Object.keys(a.fields).length === 0) ctx.addIssue({ code: 'custom', path: ['fields'], message: 'no fields to save' });
  if (a.fields.plannedStart && a.fields.plannedEnd) {
    const w = windowIssue(a.fields.plannedStart, a.fields.plannedEnd);
    if (w && !a.create) ctx.addIssue({ code: 'custom', path: ['fields', w.path], message: w.message });
  }
});
export type ChangeSaveArgs = z.output<typeof changeSaveArgsSchema>;

/** Links or unlinks one problem to a change (a set: the later of two edits of the same pair wins). */
export const changeLinkArgsSchema = z.object({
  id: idSchema,
  problemId: idSchema,
  linked: z.boolean(),
  history: historyList,
});
export type ChangeLinkArgs = z.output<typeof changeLinkArgsSchema>;

// ---- the desk's API inputs (renderer → desk) ------------------------------------------------------

export const raiseProblemSchema = z.object({
  /** The incident it is raised from: it is linked at once. */
  incidentId: idSchema.optional(),
  title,
  rootCause: text(LIMITS.text).optional().nullable(),
  workaround: text(LIMITS.text).optional().nullable(),
}).strict();
export const saveProblemSchema = z.object({ id: idSchema, fields: problemFieldsSchema }).strict();
export const createChangeSchema = z.object({
  title,
  description: text(LIMITS.text).optional().nullable(),
  plannedStart: instantSchema,
  plannedEnd: instantSchema,
  problemIds: z.array(idSchema).max(MAX_CHANGE_PROBLEMS).default([]),
  incidentIds: z.array(idSchema).max(200).default([]),
}).strict();
export const saveChangeSchema = z.object({ id: idSchema, fields: changeFieldsSchema }).strict();
export const linkChangeProblemSchema = z.object({ id: idSchema, problemId: idSchema, linked: z.boolean() }).strict();
export const recordSuggestSchema = z.object({ kind: z.enum(RECORD_KINDS), q: z.string().max(200).default(''), limit: z.number().int().min(1).max(50).default(8) });
export const recordListSchema = z.object({ q: z.string().max(200).default(''), status: z.string().max(40).optional() }).default({ q: '' });
/** Resolving a problem offers its linked open incidents: the ones checked are resolved with this text, each on its own. */
export const resolveProblemSchema = z.object({
  id: idSchema,
  resolution: text(LIMITS.text).min(1, { message: 'required' }),
  incidentIds: z.array(idSchema).max(500).default([]),
}).strict();
