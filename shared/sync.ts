import { z } from 'zod';
import { HLC_RE, parseHlc } from './hlc.js';
import { idSchema, instantSchema } from './schemas.js';
import type { FieldRefusal, RefusalCode } from './sync-rules.js';

/**
 * The sync protocol between a desktop and the central server. A desktop's outbox holds explicit,
 * versioned mutations; each carries the device's own sequence number (1, 2, 3 … without gaps) and
 * a hybrid-logical-clock time. The server applies each (deviceId, seq) exactly once.
 *
 * Args of each mutation are defined in `sync-mutations.ts`; the field-merge rules every replica
 * applies are in `sync-merge.ts`.
 */
export const MUTATION_NAMES = ['incident.create', 'incident.update', 'incident.transition', 'worklog.add', 'requester.upsert', 'notice.raise', 'notice.read',
  // issue 12, item 6: problem and change records (shared/problems.ts, server/problems.ts)
  'problem.save', 'change.save', 'change.link',
  // issue 12, item 8: a resolution proposed as a draft knowledge article (shared/knowledge.ts, server/knowledge.ts)
  'kb.propose'] as const;
export type MutationName = (typeof MUTATION_NAMES)[number];

export const mutationSchema = z.object({
  deviceId: idSchema,
  seq: z.number().int().min(1),
  name: z.enum(MUTATION_NAMES),
  version: z.literal(1),
  /** `<wall ms, 13 digits>-<counter, 5 digits>-<node>`; the node must be the pushing device (checked below). */
  hlc: z.string().max(100).regex(HLC_RE, { message: 'malformed HLC timestamp' }),
  userId: idSchema,
  /**
   * Validated per mutation name when applied (see `MUTATION_ARGS` in sync-mutations.ts); here only
   * checked to be an object, without copying it (the per-name schema copies it once).
   */
  args: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'expected an object' }),
}).superRefine((m, ctx) => {
  // The node breaks ties between equal walls: a desk stamps with its own device id, never another's.
  if (HLC_RE.test(m.hlc) && parseHlc(m.hlc).node !== m.deviceId) ctx.addIssue({ code: 'custom', path: ['hlc'], message: 'the HLC node must be the pushing device id' });
});
export type Mutation = z.infer<typeof mutationSchema>;

/** Outbox contents as written by the desktop store, before sending. */
export interface OutboxRow extends Mutation { createdAt: string; sentAt: string | null }

export const PUSH_MAX_MUTATIONS = 500;
/** The HTTP server refuses larger request bodies with 413. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** A desk sizes each push under this (the envelope and a margin fit under MAX_BODY_BYTES). */
export const MAX_PUSH_BYTES = MAX_BODY_BYTES - 256 * 1024;
/** No single change may be larger: the desk refuses it when it is written, so a push always fits. */
export const MAX_MUTATION_BYTES = 1024 * 1024;
/** The secret a device proves itself with (issued at registration; only its hash is kept by the server). */
export const deviceSecretSchema = z.string().min(32).max(128).regex(/^[A-Za-z0-9_-]+$/, { message: 'malformed device secret' });
/**
 * How far a desktop's clock may be off before the server corrects for it. Beyond this, the
 * server shifts the device's HLC walls and system-stamped times by the measured skew (when the
 * push carries `clientTime`) and never accepts an HLC wall later than its own now + this bound.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export const pushInputSchema = z.object({
  deviceId: idSchema,
  deviceSecret: deviceSecretSchema,
  mutations: z.array(mutationSchema).min(1).max(PUSH_MAX_MUTATIONS, { message: `at most ${PUSH_MAX_MUTATIONS} mutations per push` }),
  /** The desktop's wall clock when it sent the push; lets the server measure and correct its skew. */
  clientTime: instantSchema.optional(),
});
export type PushInput = z.infer<typeof pushInputSchema>;

/** applied: took effect now; duplicate: seen before, skipped; rejected: can never apply (reason kept and shown to its author). */
/** What a change came to, as codes the desk words: a refusal's code, and fields left out of an applied change. */
export interface Outcome {
  status: 'applied' | 'duplicate' | 'rejected';
  /** English, for logs and old desks; the desk shows `code` and `params`. */
  reason?: string;
  code?: RefusalCode | 'noop';
  params?: Record<string, string | number>;
  dropped?: FieldRefusal[];
}
export interface PushResult extends Outcome {
  seq: number;
  /**
   * On a duplicate: what the mutation came to when it was first applied. A desk that never saw that
   * answer (it was lost on the way) learns from this that its change was refused, or was a no-op,
   * and undoes it locally as it would have then.
   */
  first?: Outcome;
}
export interface PushOutput {
  results: PushResult[];
  /** highest seq of this device the server holds, gap-free */
  ackedThrough: number;
  /** Server wall clock (ISO) and HLC at the end of the push; the desktop feeds `serverHlc` to `HlcClock.receive`. */
  serverTime?: string;
  serverHlc?: string;
  /** Measured desktop clock skew (clientTime − server time) in ms, when clientTime was sent. */
  clockSkewMs?: number | null;
}

/**
 * A push whose batch has a hole (seq > ackedThrough + 1) is refused with tRPC code
 * PRECONDITION_FAILED; the error's `data.ackedThrough` says where to resend from.
 */
export const SYNC_GAP_CODE = 'PRECONDITION_FAILED' as const;

export const SYNC_ENTITIES = ['incident', 'worklog', 'history', 'requester', 'user', 'group', 'category', 'sla_policy', 'sla_settings', 'kb_article', 'rejection', 'conflict', 'notice', 'ci',
  // issue 12, item 6: problem and change records and their history
  'problem', 'change_record', 'record_history'] as const;
export type SyncEntity = (typeof SYNC_ENTITIES)[number];

export const pullInputSchema = z.object({
  deviceId: idSchema,
  deviceSecret: deviceSecretSchema,
  cursor: z.number().int().min(0),
  limit: z.number().int().min(1).max(5000).default(1000),
  /**
   * Count the changes after the cursor (`remaining`, for a progress bar). A desk asks on the first
   * page of a round only: counting on every page re-reads all later changes each time, quadratic
   * over a first sync.
   */
  count: z.boolean().default(true),
});

export interface ChangeMeta {
  /** incident: HLC per field (key `*` = the creation stamp) so a desktop can merge local edits the same way. */
  fieldHlc?: Record<string, string>;
  /** Set when the server corrected the author's clock: measured skew in ms. */
  clockSkewMs?: number;
  /** The HLC the author sent, when the server re-stamped it. */
  originalHlc?: string;
}
/**
 * One changed entity, as the server holds it after merging (a full snapshot, not a delta).
 * Data by entity: incident → Incident; history → HistoryEntry; worklog → WorkLog; requester →
 * Requester; user → DeskUser & {active}; group → {id,name}; category → Category; sla_policy →
 * {id:'default', policy: SlaPolicy}; sla_settings → {id:'default', settings: SlaSettings, updatedAt}; kb_article → KbArticle; rejection → RejectionData;
 * conflict → ConflictData. Only the latest change of an incident/requester/reference row is kept,
 * so a fresh desktop downloads each snapshot once.
 */
export interface Change { seq: number; entity: SyncEntity; id: string; data: Record<string, unknown>; meta?: ChangeMeta }
export interface PullOutput {
  changes: Change[];
  cursor: number;
  hasMore: boolean;
  /** total changes after the request's cursor, for a progress bar; absent when the request asked for no count */
  remaining?: number;
  serverTime?: string;
  serverHlc?: string;
}

export interface KbArticle { id: string; title: string; body: string; tags: string[]; categoryId: string | null; updatedAt: string }
/** A mutation that can never apply; visible to its author's devices only. */
export interface RejectionData {
  deviceId: string; seq: number; name: MutationName; userId: string; reason: string; at: string; args: Record<string, unknown>;
  code?: RefusalCode; params?: Record<string, string | number>;
}
/** A transition that found the incident in another status than its `from`; visible to everyone. */
export interface ConflictData {
  incidentId: string; kind: 'transition'; attemptedFrom: string; attemptedTo: string; currentStatus: string;
  userId: string; deviceId: string; seq: number; hlc: string; at: string;
}
