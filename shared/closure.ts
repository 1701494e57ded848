import { z } from 'zod';
import type { Status } from './enums.js';

/**
 * Pending, confirmation and closure (issue 12, items 4 and 5). The same rules decide on the desk and
 * again on the server. Codes only: the renderer words them (`pend.reason.<code>`, `closure.via.<code>`).
 */

/** What a pending incident waits for (DOMAIN.md: waiting for the requester or a vendor pauses the resolution clock). */
export const PENDING_REASONS = ['requester', 'vendor', 'change', 'other'] as const;
export type PendingReason = (typeof PENDING_REASONS)[number];
export const pendingReasonSchema = z.enum(PENDING_REASONS, { message: `must be one of ${PENDING_REASONS.join(', ')}` });

/** How first line confirmed the resolution with the requester. */
export const CONFIRM_VIA = ['phone', 'email', 'in_person', 'other'] as const;
export type ConfirmVia = (typeof CONFIRM_VIA)[number];
export const confirmViaSchema = z.enum(CONFIRM_VIA, { message: `must be one of ${CONFIRM_VIA.join(', ')}` });

/** How an incident was closed: confirmed with the requester, or by the sweep after nobody answered. */
export const CLOSE_KINDS = ['confirmed', 'auto'] as const;
export type CloseKind = (typeof CLOSE_KINDS)[number];
export const closeKindSchema = z.enum(CLOSE_KINDS, { message: `must be one of ${CLOSE_KINDS.join(', ')}` });

/** Days after resolution an unconfirmed incident closes by itself (DOMAIN.md default: 3). */
export const DEFAULT_AUTO_CLOSE_DAYS = 3;
export const autoCloseDaysSchema = z.number().int({ message: 'whole days' }).min(1, { message: 'at least 1 day' }).max(90, { message: 'at most 90 days' });

/** A closed incident is read-only except for these (the follow-up call, 回访, records the rating later). Notes stay open too. */
export const CLOSED_EDITABLE: readonly string[] = ['satisfaction', 'satisfactionComment'];

/** The first field of an edit a closed incident cannot take, or null. */
export function closedEditRefused(status: Status, fields: readonly string[]): string | null {
  if (status !== 'closed') return null;
  return fields.find((f) => !CLOSED_EDITABLE.includes(f)) ?? null;
}

/** What a step's closure fields lack, named by field (the desk and the server both ask). */
export function closureProblem(
  to: Status,
  given: { pendingReason?: string | null; pendingNote?: string | null; closeKind?: string | null; confirmedWith?: string | null; confirmedVia?: string | null; confirmedAt?: string | null },
  held: { resolvedAt: string | null },
  nowMs: number,
): { field: 'pendingReason' | 'pendingNote' | 'confirmedWith' | 'confirmedVia' | 'confirmedAt'; message: string } | null {
  if (to === 'pending') {
    if (!given.pendingReason) return { field: 'pendingReason', message: `required: what the incident waits for (${PENDING_REASONS.join(', ')})` };
    if (given.pendingReason === 'other' && !given.pendingNote?.trim()) return { field: 'pendingNote', message: 'required: say what it waits for' };
  }
  if (to === 'closed' && given.closeKind === 'confirmed') {
    if (!given.confirmedWith?.trim()) return { field: 'confirmedWith', message: 'required: who confirmed the resolution' };
    if (!given.confirmedVia) return { field: 'confirmedVia', message: `required: how (${CONFIRM_VIA.join(', ')})` };
    if (given.confirmedAt) {
      const ms = Date.parse(given.confirmedAt);
      if (ms > nowMs + 5 * 60_000) return { field: 'confirmedAt', message: 'is in the future' };
      if (held.resolvedAt && ms < Date.parse(held.resolvedAt) - 60_000) return { field: 'confirmedAt', message: 'is before the incident was resolved' };
    }
  }
  return null;
}

/** Whether a resolved incident is due to close by itself at `nowMs`. */
export function autoCloseDue(inc: { status: Status; resolvedAt: string | null }, nowMs: number, days: number): boolean {
  return inc.status === 'resolved' && !!inc.resolvedAt && Date.parse(inc.resolvedAt) + days * 86_400_000 <= nowMs;
}

/**
 * The id of the auto-close history row: the same on every desk that sweeps the incident for the same
 * resolution, so the close is recorded once whichever desk (or several) swept it.
 */
export const autoCloseHistoryId = (incidentId: string, resolvedAt: string): string => `ac:${Date.parse(resolvedAt).toString(36)}:${incidentId}`.slice(0, 64);

const id = z.string().min(1).max(64);
const trimmed = (max: number) => z.string().trim().max(max, { message: `at most ${max} characters` });
const instant = z.iso.datetime({ offset: true, message: 'must be a date-time with a time zone, e.g. 2026-11-22T09:30:00+08:00' });
const rating = z.number().int({ message: 'a whole number from 1 to 5' }).min(1, { message: 'from 1 to 5' }).max(5, { message: 'from 1 to 5' });

/** Desk API: first line confirmed the resolution with the requester and closes, with the rating asked at that moment. */
export const confirmCloseSchema = z.object({
  id,
  confirmedWith: trimmed(100).min(1, { message: 'required' }),
  confirmedVia: confirmViaSchema,
  /** When the requester confirmed (default: now). */
  confirmedAt: instant.optional().nullable(),
  satisfaction: rating.optional().nullable(),
  satisfactionComment: trimmed(10_000).optional().nullable(),
}).strict();
/** Desk API: the requester says the fault persists: reopened, with why. */
export const reopenSchema = z.object({ id, reason: trimmed(500).min(1, { message: 'required' }) }).strict();
/** Desk API: the follow-up call (回访) records the rating on a resolved or closed incident. */
export const followUpSchema = z.object({ id, satisfaction: rating, satisfactionComment: trimmed(10_000).optional().nullable() }).strict();
