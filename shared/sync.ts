import { z } from 'zod';
import { idSchema } from './schemas.js';

/**
 * The sync protocol between a desktop and the central server. A desktop's outbox holds explicit,
 * versioned mutations; each carries the device's own sequence number (1, 2, 3 … without gaps) and
 * a hybrid-logical-clock time. The server applies each (deviceId, seq) exactly once.
 */
export const MUTATION_NAMES = ['incident.create', 'incident.update', 'incident.transition', 'worklog.add', 'requester.upsert'] as const;
export type MutationName = (typeof MUTATION_NAMES)[number];

export const mutationSchema = z.object({
  deviceId: idSchema,
  seq: z.number().int().min(1),
  name: z.enum(MUTATION_NAMES),
  version: z.literal(1),
  hlc: z.string().regex(/^\d{13}-\d{5}-.+$/, { message: 'malformed HLC timestamp' }).max(100),
  userId: idSchema,
  /** Validated per mutation name when applied (see the args schemas the store exports). */
  args: z.record(z.string(), z.unknown()),
});
export type Mutation = z.infer<typeof mutationSchema>;

/** Outbox contents as written by the desktop store, before sending. */
export interface OutboxRow extends Mutation { createdAt: string; sentAt: string | null }

export const PUSH_MAX_MUTATIONS = 500;
export const pushInputSchema = z.object({
  deviceId: idSchema,
  mutations: z.array(mutationSchema).min(1).max(PUSH_MAX_MUTATIONS, { message: `at most ${PUSH_MAX_MUTATIONS} mutations per push` }),
});
export type PushInput = z.infer<typeof pushInputSchema>;

/** applied: took effect now; duplicate: seen before, skipped; rejected: can never apply (reason kept and shown to its author). */
export interface PushResult { seq: number; status: 'applied' | 'duplicate' | 'rejected'; reason?: string }
export interface PushOutput { results: PushResult[]; /** highest seq of this device the server holds, gap-free */ ackedThrough: number }

export const SYNC_ENTITIES = ['incident', 'worklog', 'history', 'requester', 'user', 'group', 'category', 'sla_policy', 'kb_article', 'rejection', 'conflict'] as const;
export type SyncEntity = (typeof SYNC_ENTITIES)[number];

export const pullInputSchema = z.object({
  deviceId: idSchema,
  cursor: z.number().int().min(0),
  limit: z.number().int().min(1).max(5000).default(1000),
});
/** One changed entity, as the server holds it after merging (a full snapshot, not a delta). */
export interface Change { seq: number; entity: SyncEntity; id: string; data: Record<string, unknown> }
export interface PullOutput { changes: Change[]; cursor: number; hasMore: boolean; /** total changes after the request's cursor, for a progress bar */ remaining: number }
