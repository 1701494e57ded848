import type { Priority, Status } from './enums.js';

/** Minutes to first response and to resolution per priority (DOMAIN.md defaults). */
export type SlaPolicy = Record<Priority, { responseMin: number; resolveMin: number }> & {
  /** Fraction of the target left at which the owner is warned. */
  warnFraction?: number;
};
export const DEFAULT_SLA: SlaPolicy = {
  P1: { responseMin: 60, resolveMin: 4 * 60 },
  P2: { responseMin: 2 * 60, resolveMin: 8 * 60 },
  P3: { responseMin: 4 * 60, resolveMin: 24 * 60 },
  P4: { responseMin: 24 * 60, resolveMin: 72 * 60 },
  warnFraction: 0.2,
};

export type ClockState = 'ok' | 'warning' | 'breached' | 'met' | 'missed' | 'paused';

export interface SlaInput {
  priority: Priority;
  status: Status;
  reportedAt: string;
  firstResponseAt?: string | null;
  resolvedAt?: string | null;
  /** Time already spent in pending, finished spells only. */
  pausedMs?: number;
  /** Start of the current pending spell, when pending. */
  pendingSince?: string | null;
}

export interface SlaView {
  responseDueAt: string;
  resolveDueAt: string;
  response: ClockState;
  resolution: ClockState;
  /** ms until resolution is due (negative once breached); null once resolved. */
  resolveRemainingMs: number | null;
}

const MIN = 60_000;

/**
 * SLA clocks run from the reported time, not the time the incident was typed in, so a back-filled
 * incident can already be in breach. Pending time pauses the resolution clock only.
 */
export function computeSla(inc: SlaInput, now: Date, policy: SlaPolicy = DEFAULT_SLA): SlaView {
  const target = policy[inc.priority];
  const reported = Date.parse(inc.reportedAt);
  const nowMs = now.getTime();
  const openPause = inc.pendingSince && inc.status === 'pending' ? Math.max(0, nowMs - Date.parse(inc.pendingSince)) : 0;
  const paused = (inc.pausedMs ?? 0) + openPause;
  const responseDue = reported + target.responseMin * MIN;
  const resolveDue = reported + target.resolveMin * MIN + paused;
  const warn = policy.warnFraction ?? 0.2;

  const clock = (dueMs: number, targetMin: number, doneAt: string | null | undefined, pausedNow: boolean): ClockState => {
    if (doneAt) return Date.parse(doneAt) <= dueMs ? 'met' : 'missed';
    if (nowMs > dueMs) return 'breached';
    if (pausedNow) return 'paused';
    return dueMs - nowMs <= targetMin * MIN * warn ? 'warning' : 'ok';
  };
  const responded = inc.firstResponseAt ?? (inc.status !== 'new' ? inc.resolvedAt ?? null : null);
  return {
    responseDueAt: new Date(responseDue).toISOString(),
    resolveDueAt: new Date(resolveDue).toISOString(),
    response: clock(responseDue, target.responseMin, responded, false),
    resolution: clock(resolveDue, target.resolveMin, inc.resolvedAt, inc.status === 'pending'),
    resolveRemainingMs: inc.resolvedAt ? null : resolveDue - nowMs,
  };
}

/**
 * Due times as every replica stores them (queues sort by them): from the reported time, the
 * resolution clock extended by closed pending spells only — an open spell has no length yet.
 */
export function storedDueTimes(inc: Pick<SlaInput, 'priority' | 'reportedAt' | 'pausedMs'>, policy: SlaPolicy = DEFAULT_SLA): { responseDueAt: string; resolveDueAt: string } {
  const target = policy[inc.priority];
  const reported = Date.parse(inc.reportedAt);
  return {
    responseDueAt: new Date(reported + target.responseMin * MIN).toISOString(),
    resolveDueAt: new Date(reported + target.resolveMin * MIN + (inc.pausedMs ?? 0)).toISOString(),
  };
}

/** The resolution due time as stored for sorting queues (pending time as of `now` included). */
export function resolveDueMs(inc: SlaInput, now: Date, policy: SlaPolicy = DEFAULT_SLA): number {
  return Date.parse(computeSla(inc, now, policy).resolveDueAt);
}
