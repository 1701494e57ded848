import { z } from 'zod';
import {
  LIMITS, channelSchema, idSchema, impactScopeSchema, incidentPatchSchema, instantSchema, levelSchema, majorReasonSchema,
  prioritySchema, serviceLevelSchema, serviceTypeSchema, statusSchema, tierSchema,
  type HistoryEntry, type Incident, type Requester, type WorkLog,
} from './schemas.js';
import { MAJOR_REASONS } from './enums.js';
import { returnReasonSchema } from './groups.js';
import { closeKindSchema, confirmViaSchema, pendingReasonSchema } from './closure.js';
import { escalationSyncFields } from './escalation.js';
import { MAX_PENDING_SPELLS } from './sla-clocks.js';
import type { MutationName } from './sync.js';
import { noticeRaiseArgsSchema, noticeReadArgsSchema } from './notices.js';
import { kbProposeArgsSchema } from './knowledge.js';
import { changeLinkArgsSchema, changeSaveArgsSchema, problemSaveArgsSchema } from './problems.js';

/**
 * Args of each outbox mutation, as the desktop store writes them and the server validates them
 * (`MUTATION_ARGS[name].safeParse(args)`). Version 1 of every mutation.
 */

/** Pending time an incident can have gathered: bounded, so due-time arithmetic stays within dates. */
export const MAX_PAUSED_MS = 50 * 365 * 24 * 3600_000;

/** Finished pending spells (issue 13); the server recomputes them from the incident it holds on a transition. */
const pendingSpellsSchema = z.array(z.object({ from: instantSchema, to: instantSchema })).max(MAX_PENDING_SPELLS, { message: `at most ${MAX_PENDING_SPELLS} spells` });

const text = (max: number) => z.string().max(max, { message: `at most ${max} characters` });
/** Escalation facts (issue 12, item 3), bounded in shared/escalation.ts. */
const esc = escalationSyncFields(instantSchema);
const nullableText = (max: number) => text(max).nullable();

export const incidentSchema = z.object({
  id: idSchema,
  number: z.string().trim().min(1).max(64),
  channel: channelSchema,
  requesterId: idSchema.nullable(),
  requesterName: text(LIMITS.name).trim().min(1, { message: 'required' }),
  requesterDept: nullableText(LIMITS.name),
  requesterPhone: nullableText(40),
  requesterEmail: nullableText(LIMITS.short),
  serviceLevel: serviceLevelSchema,
  serviceType: serviceTypeSchema,
  categoryId: idSchema,
  title: text(LIMITS.title).trim().min(1, { message: 'required' }),
  description: text(LIMITS.description),
  affectedName: nullableText(LIMITS.short),
  /** The picked configuration item (issue 12); the default keeps older desks in sync. */
  ciId: idSchema.nullable().default(null),
  affectedIp: nullableText(64),
  affectedLocation: nullableText(LIMITS.short),
  impactScope: impactScopeSchema,
  impact: levelSchema,
  urgency: levelSchema,
  majorReasons: z.array(majorReasonSchema).max(MAJOR_REASONS.length),
  urgentReason: nullableText(LIMITS.reason),
  autoEscalated: z.boolean(),
  /** Recomputed by every replica (`deriveIncident`); the sent value is ignored. */
  priority: prioritySchema,
  status: statusSchema,
  occurredAt: instantSchema.nullable(),
  reportedAt: instantSchema,
  recordedAt: instantSchema,
  firstResponseAt: instantSchema.nullable(),
  resolvedAt: instantSchema.nullable(),
  closedAt: instantSchema.nullable(),
  pendingSince: instantSchema.nullable(),
  pausedMs: z.number().int().min(0).max(MAX_PAUSED_MS, { message: 'at most 50 years' }),
  /** Default keeps desks that predate business-time clocks in sync. */
  pendingSpells: pendingSpellsSchema.default([]),
  resolveDueAt: instantSchema,
  responseDueAt: instantSchema,
  ownerId: idSchema,
  tier: tierSchema,
  groupName: nullableText(LIMITS.name),
  assigneeId: idSchema.nullable(),
  resolution: nullableText(LIMITS.text),
  rootCause: nullableText(LIMITS.text),
  problemRef: nullableText(LIMITS.name),
  changeRef: nullableText(LIMITS.name),
  /** The linked problem and change records by id (issue 12, item 6); defaults keep older desks in sync. */
  problemId: idSchema.nullable().default(null),
  changeId: idSchema.nullable().default(null),
  kbArticleId: nullableText(LIMITS.name),
  satisfaction: z.number().int().min(1).max(5).nullable(),
  satisfactionComment: nullableText(LIMITS.text),
  backfilled: z.boolean(),
  backfillReason: nullableText(LIMITS.reason),
  /** Defaults keep desktops that predate these fields in sync. */
  origin: z.enum(['desk', 'backfill', 'import']).default('desk'),
  externalRef: nullableText(LIMITS.name).default(null),
  /** Dispatch and return (issue 12); defaults keep older desks in sync. */
  dispatchGroup: nullableText(LIMITS.name).default(null),
  returnCount: z.number().int().min(0).max(100_000).default(0),
  returnReason: returnReasonSchema.nullable().default(null),
  returnNote: nullableText(LIMITS.reason).default(null),
  /** Pending reason, reopens and closure (issue 12, items 4 and 5); defaults keep older desks in sync. */
  pendingReason: pendingReasonSchema.nullable().default(null),
  pendingNote: nullableText(LIMITS.reason).default(null),
  reopenCount: z.number().int().min(0).max(100_000).default(0),
  closeKind: closeKindSchema.nullable().default(null),
  confirmedWith: nullableText(LIMITS.name).default(null),
  confirmedVia: confirmViaSchema.nullable().default(null),
  confirmedAt: instantSchema.nullable().default(null),
  /** Escalation, functional and to management (issue 12, item 3); defaults keep older desks in sync. */
  escalationLevel: esc.escalationLevel.default(null),
  escalatedAt: esc.escalatedAt.default(null),
  escalationReason: esc.escalationReason.default(null),
  vendorName: esc.vendorName.default(null),
  vendorContact: esc.vendorContact.default(null),
  vendorTicket: esc.vendorTicket.default(null),
  mgmtEscalatedAt: esc.mgmtEscalatedAt.default(null),
  mgmtReason: esc.mgmtReason.default(null),
  createdBy: idSchema,
  deviceId: idSchema,
  updatedAt: instantSchema,
}) satisfies z.ZodType<Incident>;

export const historyEntrySchema = z.object({
  id: idSchema,
  incidentId: idSchema,
  at: instantSchema,
  actorId: idSchema,
  actorName: nullableText(LIMITS.name),
  deviceId: idSchema,
  online: z.boolean(),
  kind: z.string().min(1).max(40),
  field: nullableText(64),
  oldValue: nullableText(LIMITS.text),
  newValue: nullableText(LIMITS.text),
  note: nullableText(LIMITS.text),
}) satisfies z.ZodType<HistoryEntry>;

export const workLogSchema = z.object({
  id: idSchema,
  incidentId: idSchema,
  at: instantSchema,
  recordedAt: instantSchema,
  authorId: idSchema,
  authorName: nullableText(LIMITS.name),
  body: text(LIMITS.text).trim().min(1, { message: 'required' }),
  kind: z.string().min(1).max(40),
}) satisfies z.ZodType<WorkLog>;

export const requesterSchema = z.object({
  id: idSchema,
  name: text(LIMITS.name).trim().min(1, { message: 'required' }),
  department: nullableText(LIMITS.name),
  phone: nullableText(40),
  email: nullableText(LIMITS.short),
  serviceLevel: serviceLevelSchema,
}) satisfies z.ZodType<Requester>;

/** Fields `incident.update` may set: the form's patchable fields plus the requester snapshot. Status and assignment go through transitions. */
export const incidentUpdateFieldsSchema = z.object({
  ...incidentPatchSchema.shape,
  requesterId: idSchema.nullable(),
  requesterName: text(LIMITS.name).trim().min(1, { message: 'required' }),
  requesterDept: nullableText(LIMITS.name),
  requesterPhone: nullableText(40),
  requesterEmail: nullableText(LIMITS.short),
  serviceLevel: serviceLevelSchema,
  reportedAt: instantSchema,
  autoEscalated: z.boolean(),
  backfillReason: nullableText(LIMITS.reason),
  /** The vendor's details, edited after the escalation (issue 12, item 3), and asking management to step in. */
  vendorName: esc.vendorName,
  vendorContact: esc.vendorContact,
  vendorTicket: esc.vendorTicket,
  mgmtEscalatedAt: esc.mgmtEscalatedAt,
  mgmtReason: esc.mgmtReason,
}).partial().strict();
export const UPDATE_FIELDS = Object.keys(incidentUpdateFieldsSchema.shape) as (keyof Incident)[];

/** Fields a transition may set along with `status`. */
export const transitionFieldsSchema = z.object({
  firstResponseAt: instantSchema.nullable(),
  resolvedAt: instantSchema.nullable(),
  closedAt: instantSchema.nullable(),
  pendingSince: instantSchema.nullable(),
  pausedMs: z.number().int().min(0).max(MAX_PAUSED_MS, { message: 'at most 50 years' }),
  pendingSpells: pendingSpellsSchema,
  tier: tierSchema,
  groupName: nullableText(LIMITS.name),
  assigneeId: idSchema.nullable(),
  resolution: nullableText(LIMITS.text),
  /** Dispatch and return (issue 12): the server recomputes these from the incident it holds. */
  dispatchGroup: nullableText(LIMITS.name),
  returnReason: returnReasonSchema.nullable(),
  returnNote: nullableText(LIMITS.reason),
  returnCount: z.number().int().min(0).max(100_000),
  /** Pending reason, confirmation and closure (issue 12); the server recomputes the reopen count and clears what a step leaves behind. */
  pendingReason: pendingReasonSchema.nullable(),
  pendingNote: nullableText(LIMITS.reason),
  reopenCount: z.number().int().min(0).max(100_000),
  closeKind: closeKindSchema.nullable(),
  confirmedWith: nullableText(LIMITS.name),
  confirmedVia: confirmViaSchema.nullable(),
  confirmedAt: instantSchema.nullable(),
  satisfaction: z.number().int().min(1).max(5).nullable(),
  satisfactionComment: nullableText(LIMITS.text),
  /** A functional escalation (issue 12, item 3): the server checks the tier climbs and stamps the time itself. */
  escalationLevel: esc.escalationLevel,
  escalatedAt: esc.escalatedAt,
  escalationReason: esc.escalationReason,
  vendorName: esc.vendorName,
  vendorContact: esc.vendorContact,
  vendorTicket: esc.vendorTicket,
}).partial().strict();
export const TRANSITION_FIELDS = Object.keys(transitionFieldsSchema.shape) as (keyof Incident)[];

const historyList = z.array(historyEntrySchema).max(500).default([]);

export const incidentCreateArgsSchema = z.object({ incident: incidentSchema, history: historyList });
export const incidentUpdateArgsSchema = z.object({
  id: idSchema,
  fields: incidentUpdateFieldsSchema.refine((f) => Object.keys(f).length > 0, { message: 'no fields to update' }),
  /** The values the desktop saw before the edit, per field; lets the server tell a concurrent edit from a plain one. */
  base: z.record(z.string(), z.unknown()).default({}),
  history: historyList,
});
export const incidentTransitionArgsSchema = z.object({
  id: idSchema,
  from: statusSchema,
  to: statusSchema,
  fields: transitionFieldsSchema.default({}),
  history: historyList,
  workLog: workLogSchema.optional(),
});
export const worklogAddArgsSchema = z.object({ workLog: workLogSchema });
export const requesterUpsertArgsSchema = z.object({ requester: requesterSchema });

export const MUTATION_ARGS = {
  'incident.create': incidentCreateArgsSchema,
  'incident.update': incidentUpdateArgsSchema,
  'incident.transition': incidentTransitionArgsSchema,
  'worklog.add': worklogAddArgsSchema,
  'requester.upsert': requesterUpsertArgsSchema,
  'notice.raise': noticeRaiseArgsSchema,
  'notice.read': noticeReadArgsSchema,
  'problem.save': problemSaveArgsSchema,
  'change.save': changeSaveArgsSchema,
  'change.link': changeLinkArgsSchema,
  'kb.propose': kbProposeArgsSchema,
} as const satisfies Record<MutationName, z.ZodType>;

export type MutationArgsInput<N extends MutationName> = z.input<(typeof MUTATION_ARGS)[N]>;
export type MutationArgs<N extends MutationName> = z.output<(typeof MUTATION_ARGS)[N]>;
export type IncidentCreateArgs = MutationArgs<'incident.create'>;
export type IncidentUpdateArgs = MutationArgs<'incident.update'>;
export type IncidentTransitionArgs = MutationArgs<'incident.transition'>;
export type WorklogAddArgs = MutationArgs<'worklog.add'>;
export type RequesterUpsertArgs = MutationArgs<'requester.upsert'>;
