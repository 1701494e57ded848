import { z } from 'zod';
import {
  CHANNELS, IMPACT_SCOPES, LEVELS, MAJOR_REASONS, PRIORITIES, ROLES, SERVICE_LEVELS, SERVICE_TYPES, STATUSES, TIERS,
} from './enums.js';
import { returnReasonSchema, type ReturnReason } from './groups.js';
import { pendingReasonSchema, type CloseKind, type ConfirmVia, type PendingReason } from './closure.js';
import type { EscalationFacts } from './escalation.js';

// Field limits. Over-long input is refused with a message naming the field, never truncated.
export const LIMITS = { title: 200, description: 10_000, name: 100, short: 200, text: 10_000, reason: 500 } as const;

const trimmed = (max: number) => z.string().trim().max(max, { message: `at most ${max} characters` });
const required = (max: number) => trimmed(max).min(1, { message: 'required' });
const optionalText = (max: number) => trimmed(max).optional().nullable();

export const idSchema = z.string().min(1).max(64);
/**
 * ISO-8601 instant with an explicit offset or Z, so an instant never depends on a desktop's zone;
 * in the years 1970–2200 (year 0001 made the server fail, year 9999 was stored as a negative year).
 */
export const instantSchema = z.iso.datetime({ offset: true, message: 'must be a date-time with a time zone, e.g. 2026-11-22T09:30:00+08:00' })
  .refine((v) => { const ms = Date.parse(v); return ms >= 0 && ms < 7_289_654_400_000 /* 2201-01-01T00:00:00Z */; }, { message: 'must be between the years 1970 and 2200' });

const PHONE_RE = /^\+?[0-9][0-9 ()\-]{2,24}(?:\s*(?:ext\.?|x|转)\s*[0-9]{1,6})?$/i;
export const phoneSchema = trimmed(40).refine((v) => v === '' || PHONE_RE.test(v), { message: 'not a phone number (digits, spaces, +, -, parentheses, optional extension)' });
export const emailSchema = trimmed(LIMITS.short).refine((v) => v === '' || z.email().safeParse(v).success, { message: 'not an e-mail address' });
const ipSchema = trimmed(64).refine((v) => v === '' || z.ipv4().safeParse(v).success || z.ipv6().safeParse(v).success, { message: 'not an IP address' });

export const channelSchema = z.enum(CHANNELS);
export const levelSchema = z.enum(LEVELS);
export const statusSchema = z.enum(STATUSES);
export const prioritySchema = z.enum(PRIORITIES);
export const tierSchema = z.enum(TIERS);
export const roleSchema = z.enum(ROLES);
export const serviceLevelSchema = z.enum(SERVICE_LEVELS);
export const serviceTypeSchema = z.enum(SERVICE_TYPES);
export const impactScopeSchema = z.enum(IMPACT_SCOPES);
export const majorReasonSchema = z.enum(MAJOR_REASONS);

export const requesterInputSchema = z.object({
  id: idSchema.optional().nullable(),
  name: required(LIMITS.name),
  department: optionalText(LIMITS.name),
  phone: phoneSchema.optional().nullable(),
  email: emailSchema.optional().nullable(),
  serviceLevel: serviceLevelSchema.default('normal'),
});
export type RequesterInput = z.input<typeof requesterInputSchema>;

export const affectedSchema = z.object({
  name: optionalText(LIMITS.short),
  /** The configuration item picked for the name (issue 12), if any; free text stays allowed. */
  ciId: idSchema.optional().nullable(),
  ip: ipSchema.optional().nullable(),
  location: optionalText(LIMITS.short),
});

export const incidentCreateSchema = z.object({
  /** Chosen by the client so a double submit or a retried request creates one incident, not two. */
  clientId: z.uuid().optional(),
  channel: channelSchema,
  requester: requesterInputSchema,
  serviceType: serviceTypeSchema,
  categoryId: idSchema,
  title: required(LIMITS.title),
  description: trimmed(LIMITS.description).default(''),
  affected: affectedSchema.default({}),
  impactScope: impactScopeSchema.default('individual'),
  impact: levelSchema,
  urgency: levelSchema,
  majorReasons: z.array(majorReasonSchema).max(MAJOR_REASONS.length).default([]),
  urgentReason: optionalText(LIMITS.reason),
  occurredAt: instantSchema.optional().nullable(),
  reportedAt: instantSchema.optional().nullable(),
  tier: tierSchema.default('L1'),
  group: optionalText(LIMITS.name),
  assigneeId: idSchema.optional().nullable(),
  /**
   * Back-fill (补录): an incident that could not be entered at the time. Its occurred and reported
   * times are the real ones (reported is required), the recorded time is now, and a reason is required.
   */
  backfill: z.object({ reason: required(LIMITS.reason) }).optional().nullable(),
});
export type IncidentCreateInput = z.input<typeof incidentCreateSchema>;
export type IncidentCreate = z.output<typeof incidentCreateSchema>;

/** Fields that may be edited after creation (status and assignment go through transitions). */
export const incidentPatchSchema = z.object({
  channel: channelSchema,
  serviceType: serviceTypeSchema,
  categoryId: idSchema,
  title: required(LIMITS.title),
  description: trimmed(LIMITS.description),
  affectedName: optionalText(LIMITS.short),
  ciId: idSchema.nullable(),
  affectedIp: ipSchema.nullable(),
  affectedLocation: optionalText(LIMITS.short),
  impactScope: impactScopeSchema,
  impact: levelSchema,
  urgency: levelSchema,
  majorReasons: z.array(majorReasonSchema).max(MAJOR_REASONS.length),
  urgentReason: optionalText(LIMITS.reason),
  occurredAt: instantSchema.nullable(),
  resolution: optionalText(LIMITS.text),
  rootCause: optionalText(LIMITS.text),
  problemRef: optionalText(LIMITS.name),
  changeRef: optionalText(LIMITS.name),
  /** Picked from real records (issue 12, item 6): an id this desk holds, or null. */
  problemId: idSchema.nullable(),
  changeId: idSchema.nullable(),
  kbArticleId: optionalText(LIMITS.name),
  satisfaction: z.number().int().min(1).max(5).nullable(),
  satisfactionComment: optionalText(LIMITS.text),
}).partial().strict();
export type IncidentPatch = z.output<typeof incidentPatchSchema>;

export const incidentUpdateSchema = z.object({ id: idSchema, patch: incidentPatchSchema });

export const transitionSchema = z.object({
  id: idSchema,
  to: statusSchema,
  /** Required for returned, reopened and pending; kept in the work log. */
  reason: optionalText(LIMITS.reason),
  resolution: optionalText(LIMITS.text),
  tier: tierSchema.optional(),
  group: optionalText(LIMITS.name),
  assigneeId: idSchema.optional().nullable(),
  /** Required to return a ticket to first line (issue 12): why it was dispatched wrongly; the text goes in `reason`. */
  returnReason: returnReasonSchema.optional().nullable(),
  /** Second line takes the ticket (assigned → in progress), recorded as accepted. */
  accept: z.boolean().optional(),
  /** Required to set pending (issue 12): what it waits for; for `other`, the text goes in `reason`. */
  pendingReason: pendingReasonSchema.optional().nullable(),
});
export type TransitionInput = z.input<typeof transitionSchema>;

export const workLogAddSchema = z.object({
  incidentId: idSchema,
  body: required(LIMITS.text),
  /** When the work was done, if not now (a technician writing up what they did on site). */
  at: instantSchema.optional().nullable(),
});

export const queueQuerySchema = z.object({
  /** `unclassified`: incidents nobody could classify (category other), the service-desk manager's queue (issue 12). */
  scope: z.enum(['mine', 'group', 'all', 'unclassified']).default('all'),
  statuses: z.array(statusSchema).max(STATUSES.length).optional(),
  priorities: z.array(prioritySchema).max(4).optional(),
  categoryId: idSchema.optional().nullable(),
  channel: channelSchema.optional().nullable(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type QueueQuery = z.input<typeof queueQuerySchema>;

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, { message: 'required' }).max(LIMITS.short, { message: `at most ${LIMITS.short} characters` }),
  limit: z.number().int().min(1).max(200).default(50),
});

export const requesterLookupSchema = z.object({ q: z.string().trim().max(LIMITS.name), limit: z.number().int().min(1).max(50).default(10) });

export const deskSetupSchema = z.object({
  name: required(LIMITS.name),
  role: roleSchema,
  group: required(LIMITS.name),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
});

export const sampleDataSchema = z.object({ incidents: z.number().int().min(1).max(5000).default(300) });
export const localeSchema = z.object({ locale: z.enum(['zh-CN', 'en']) });
export const backfillRolesSchema = z.object({ roles: z.array(roleSchema).max(4) });
export const incidentBatchSchema = z.object({
  rows: z.array(incidentCreateSchema).min(1, { message: 'no rows to save' }).max(500, { message: 'at most 500 rows per batch' }),
});
export const kbSearchSchema = z.object({
  q: z.string().trim().max(LIMITS.short, { message: `at most ${LIMITS.short} characters` }),
  limit: z.number().int().min(1).max(100).default(20),
});

const userName = required(LIMITS.name);
const password = z.string().min(1, { message: 'required' }).max(1024, { message: 'at most 1024 characters' });
export const signInSchema = z.object({ serverUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }), name: userName, password });
export const offlineSignInSchema = z.object({ name: userName, password });

/** An incident as the API returns it. Instants are ISO strings in UTC. Escalation facts: shared/escalation.ts (issue 12, item 3). */
export interface Incident extends EscalationFacts {
  id: string;
  number: string;
  channel: z.infer<typeof channelSchema>;
  requesterId: string | null;
  requesterName: string;
  requesterDept: string | null;
  requesterPhone: string | null;
  requesterEmail: string | null;
  serviceLevel: z.infer<typeof serviceLevelSchema>;
  serviceType: z.infer<typeof serviceTypeSchema>;
  categoryId: string;
  title: string;
  description: string;
  affectedName: string | null;
  /** The configuration item the affected name was picked from (issue 12); null for free text. */
  ciId?: string | null;
  affectedIp: string | null;
  affectedLocation: string | null;
  impactScope: z.infer<typeof impactScopeSchema>;
  impact: z.infer<typeof levelSchema>;
  urgency: z.infer<typeof levelSchema>;
  majorReasons: z.infer<typeof majorReasonSchema>[];
  urgentReason: string | null;
  autoEscalated: boolean;
  priority: z.infer<typeof prioritySchema>;
  /**
   * The priority-matrix cell it was classified with, `<impact>/<urgency>:<P>` (issue 13): derived by
   * every replica (`deriveIncident`), never sent by a desk; absent = the shipped matrix.
   */
  matrixCell?: string | null;
  status: z.infer<typeof statusSchema>;
  occurredAt: string | null;
  reportedAt: string;
  recordedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  pendingSince: string | null;
  pausedMs: number;
  /** Finished pending spells (issue 13): the resolution clock leaves them out on business time. */
  pendingSpells?: Array<{ from: string; to: string }>;
  resolveDueAt: string;
  responseDueAt: string;
  ownerId: string;
  tier: z.infer<typeof tierSchema>;
  groupName: string | null;
  assigneeId: string | null;
  resolution: string | null;
  rootCause: string | null;
  problemRef: string | null;
  changeRef: string | null;
  /** The linked problem and change records (issue 12, item 6); the free-text refs above stay readable for older rows. */
  problemId?: string | null;
  changeId?: string | null;
  kbArticleId: string | null;
  satisfaction: number | null;
  satisfactionComment: string | null;
  backfilled: boolean;
  backfillReason: string | null;
  /** desk: typed at a desk in real time; backfill: entered later with its real times; import: from a file */
  origin: 'desk' | 'backfill' | 'import';
  /** The record's number in the system it was imported from. */
  externalRef: string | null;
  /** The first-line group that dispatched it, where a return sends it back (issue 12). */
  dispatchGroup?: string | null;
  /** How many times second line returned it to first line. */
  returnCount?: number;
  /** The latest return's reason code and text, shown at the top of the incident until it is dispatched again. */
  returnReason?: ReturnReason | null;
  returnNote?: string | null;
  /** What a pending incident waits for (issue 12, item 4) and the text for `other`; cleared when it leaves pending. */
  pendingReason?: PendingReason | null;
  pendingNote?: string | null;
  /** How many times the requester said the fault persists (resolved → reopened). */
  reopenCount?: number;
  /** Closure (issue 12, item 5): confirmed with the requester (who, how, when), or closed by the sweep. */
  closeKind?: CloseKind | null;
  confirmedWith?: string | null;
  confirmedVia?: ConfirmVia | null;
  confirmedAt?: string | null;
  createdBy: string;
  deviceId: string;
  updatedAt: string;
}

export interface HistoryEntry {
  id: string;
  incidentId: string;
  at: string;
  actorId: string;
  actorName: string | null;
  deviceId: string;
  online: boolean;
  /** create | field | transition | priority | worklog | notification | escalation */
  kind: string;
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
  note: string | null;
}

export interface WorkLog {
  id: string;
  incidentId: string;
  at: string;
  recordedAt: string;
  authorId: string;
  authorName: string | null;
  body: string;
  kind: string;
}

export interface Requester {
  id: string;
  name: string;
  department: string | null;
  phone: string | null;
  email: string | null;
  serviceLevel: z.infer<typeof serviceLevelSchema>;
}

export interface Category {
  id: string;
  parentId: string | null;
  /** one of ROOT_CATEGORIES for a root */
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface DeskUser {
  id: string;
  name: string;
  role: z.infer<typeof roleSchema>;
  groupName: string;
}

/** A row of the queue: the fields a list shows, plus the SLA due time it is sorted by. */
export type QueueRow = Pick<Incident,
  'id' | 'number' | 'title' | 'status' | 'priority' | 'channel' | 'categoryId' | 'requesterName' | 'requesterDept' |
  'serviceLevel' | 'reportedAt' | 'resolveDueAt' | 'responseDueAt' | 'ownerId' | 'assigneeId' | 'groupName' | 'tier' |
  'backfilled' | 'origin' | 'recordedAt' | 'pendingSince' | 'pausedMs' | 'resolvedAt' | 'firstResponseAt' | 'returnReason' | 'returnCount' | 'pendingSpells' | 'pendingReason' | 'reopenCount' | 'escalationLevel' | 'mgmtEscalatedAt'>;
