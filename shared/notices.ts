import { z } from 'zod';
import { idSchema, instantSchema } from './schemas.js';
import { incidentClocks, type ClockIncident, type SlaSettings } from './sla-clocks.js';
import type { ServiceLevel } from './enums.js';

/**
 * Notices (issue 13, items 3 and 4): data, never words. Each has an id derived from what it is about
 * (kind, incident, clock, the due instant it concerns), so the same notice raised by several desks
 * that were offline when it fell due, and by the server's own sweep, is one notice everywhere.
 */
export const NOTICE_KINDS = ['sla_warning', 'sla_breach', 'major_incident', 'returned_to_l1', 'escalated_to_management', 'assigned_to_me'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_CLOCKS = ['response', 'resolution', 'none'] as const;
export type NoticeClock = (typeof NOTICE_CLOCKS)[number];

/** Who a notice is for, by kind; the server resolves roles to people (DOMAIN.md: timeouts to the desk manager, major incidents to the process owner). */
export const NOTICE_AUDIENCE: Record<NoticeKind, 'owner_assignee' | 'leads' | 'process_owner' | 'first_line' | 'assignee'> = {
  sla_warning: 'owner_assignee',
  sla_breach: 'leads',
  major_incident: 'process_owner',
  returned_to_l1: 'first_line',
  escalated_to_management: 'leads',
  assigned_to_me: 'assignee',
};

export const MAX_NOTICE_PARAMS = 8;
export const MAX_NOTICE_RECIPIENTS = 200;
const paramsSchema = z.record(z.string().max(40).regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, { message: 'a code' }), z.union([z.string().max(200, { message: 'at most 200 characters' }), z.number().finite()]))
  .refine((p) => Object.keys(p).length <= MAX_NOTICE_PARAMS, { message: `at most ${MAX_NOTICE_PARAMS} params` });

/** The instant a notice concerns (a clock's due time, or the event's time), as epoch ms. */
export function noticeId(kind: NoticeKind, incidentId: string, clock: NoticeClock, atMs: number): string {
  return `n:${kind}:${clock}:${atMs}:${incidentId}`;
}

/** `notice.raise` args: the desk names the people it resolved locally; the server checks them against its own resolution. */
export const noticeRaiseArgsSchema = z.object({
  id: z.string().max(160),
  kind: z.enum(NOTICE_KINDS),
  incidentId: idSchema,
  clock: z.enum(NOTICE_CLOCKS),
  /** Epoch ms of the instant the notice concerns (the due instant for SLA notices). */
  atMs: z.number().int().min(0).max(8.64e15),
  recipients: z.array(idSchema).max(MAX_NOTICE_RECIPIENTS).default([]),
  params: paramsSchema.default({}),
  raisedAt: instantSchema,
}).superRefine((a, ctx) => {
  if (a.id !== noticeId(a.kind, a.incidentId, a.clock, a.atMs)) ctx.addIssue({ code: 'custom', path: ['id'], message: 'must be derived from kind, clock, instant and incident' });
  const sla = a.kind === 'sla_warning' || a.kind === 'sla_breach';
  if (sla !== (a.clock !== 'none')) ctx.addIssue({ code: 'custom', path: ['clock'], message: sla ? 'an SLA notice names its clock' : 'only SLA notices name a clock' });
});
export type NoticeRaiseArgs = z.output<typeof noticeRaiseArgsSchema>;
export const noticeReadArgsSchema = z.object({ id: z.string().max(160), readAt: instantSchema });
export type NoticeReadArgs = z.output<typeof noticeReadArgsSchema>;

/** A notice as one recipient holds it (pull entity `notice`, audience = the recipient). */
export interface NoticeData {
  id: string; kind: NoticeKind; incidentId: string; clock: NoticeClock; atMs: number;
  params: Record<string, string | number>; raisedAt: string; recipientId: string; readAt: string | null;
}

export type SweepIncident = ClockIncident & { id: string; serviceLevel: ServiceLevel };

/**
 * SLA notices due for an incident at `now`: a warning once the warning share of a clock has passed
 * while it runs, a breach once it is overdue and still running (a clock that stopped late tells no
 * one afterwards: imported history would flood the leads). Never while pending (the due time moves
 * until the spell ends).
 */
export function dueSlaNotices(inc: SweepIncident, settings: SlaSettings, nowMs: number): Array<{ kind: 'sla_warning' | 'sla_breach'; clock: 'response' | 'resolution'; atMs: number; id: string }> {
  if (inc.status === 'closed') return [];
  const clocks = incidentClocks(inc, settings, nowMs);
  const out: Array<{ kind: 'sla_warning' | 'sla_breach'; clock: 'response' | 'resolution'; atMs: number; id: string }> = [];
  for (const v of [clocks.response, clocks.resolution]) {
    if (v.pausedBy === 'pending') continue;
    const stopped = v.stoppedMs !== null;
    if (!stopped && nowMs >= v.warnMs && nowMs < v.dueMs) out.push({ kind: 'sla_warning', clock: v.clock, atMs: v.dueMs, id: noticeId('sla_warning', inc.id, v.clock, v.dueMs) });
    if (!stopped && nowMs >= v.dueMs) out.push({ kind: 'sla_breach', clock: v.clock, atMs: v.dueMs, id: noticeId('sla_breach', inc.id, v.clock, v.dueMs) });
  }
  return out;
}
