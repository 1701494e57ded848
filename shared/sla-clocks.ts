// SLA clocks on business time (issue 13): the policy (targets, warning share, which calendar per
// requester service level and priority) as validated data, and the view of an incident's response
// and resolution clocks at a given instant. Pure; shared/SLA.md explains the rules.
import { z } from 'zod';
import { PRIORITIES, SERVICE_LEVELS, type Priority, type ServiceLevel, type Status } from './enums.js';
import {
  CALENDAR_24X7, CALENDAR_CN_DEFAULT, addBusinessMinutesExcluding, businessCalendarSchema,
  businessMinutesBetweenExcluding, isBusinessTime, type BusinessCalendar, type Pause,
} from './calendar.js';
import { DEFAULT_MATRIX, priorityMatrixSchema, type PriorityMatrix } from './priority.js';

const targetMinutes = z.number().int('whole minutes').min(1, 'a target of zero: give at least 1 minute').max(366 * 24 * 60, 'longer than a year');
export const slaTargetSchema = z.object({ responseMin: targetMinutes, resolveMin: targetMinutes });
const calendarId = z.string().trim().min(1).max(64);
const byPriority = <T extends z.ZodType>(t: T) => z.object({ P1: t, P2: t, P3: t, P4: t });

/** Targets per priority, the warning share, and the calendar per requester service level × priority. */
export const slaCalendarPolicySchema = z.object({
  targets: byPriority(slaTargetSchema),
  /** Share of a clock's target after which its owner is warned (0.75 = at 75 %). */
  warnShare: z.number().gt(0, 'must be above 0').lt(1, 'must be below 1 (a share of the target)').default(0.75),
  /** calendars[serviceLevel][priority] = calendar id. */
  calendars: z.object({ normal: byPriority(calendarId), vip: byPriority(calendarId), svip: byPriority(calendarId) }),
});
export type SlaCalendarPolicy = z.output<typeof slaCalendarPolicySchema>;

/** The calendars and the policy together, so the policy's calendar ids can be checked. */
export const slaSettingsSchema = z.object({
  calendars: z.array(businessCalendarSchema).min(1).max(50),
  policy: slaCalendarPolicySchema,
  /**
   * impact × urgency → priority (issue 13). Absent: the shipped matrix (DOMAIN.md), so settings saved
   * before the matrix could be edited, and desks that predate it, read the same.
   */
  priorityMatrix: priorityMatrixSchema.optional(),
}).superRefine((s, ctx) => {
  const seen = new Map<string, number>();
  s.calendars.forEach((c, i) => {
    const j = seen.get(c.id);
    if (j !== undefined) ctx.addIssue({ code: 'custom', path: ['calendars', i, 'id'], message: `the same id as calendars.${j}` });
    else seen.set(c.id, i);
  });
  for (const level of SERVICE_LEVELS) for (const p of PRIORITIES) {
    const id = s.policy.calendars[level][p];
    if (!seen.has(id)) ctx.addIssue({ code: 'custom', path: ['policy', 'calendars', level, p], message: `no calendar with id ${id}` });
  }
});
export type SlaSettings = z.output<typeof slaSettingsSchema>;

/** Shipped: DOMAIN.md's targets; P1 round the clock, the rest on China's business hours. */
const P1_24X7 = { P1: CALENDAR_24X7.id, P2: CALENDAR_CN_DEFAULT.id, P3: CALENDAR_CN_DEFAULT.id, P4: CALENDAR_CN_DEFAULT.id };
export const DEFAULT_SLA_SETTINGS: SlaSettings = {
  calendars: [CALENDAR_24X7, CALENDAR_CN_DEFAULT],
  policy: {
    targets: {
      P1: { responseMin: 60, resolveMin: 4 * 60 },
      P2: { responseMin: 2 * 60, resolveMin: 8 * 60 },
      P3: { responseMin: 4 * 60, resolveMin: 24 * 60 },
      P4: { responseMin: 24 * 60, resolveMin: 72 * 60 },
    },
    warnShare: 0.75,
    calendars: { normal: P1_24X7, vip: P1_24X7, svip: P1_24X7 },
  },
};

/** The priority matrix in force under these settings. */
export const matrixOf = (settings: Pick<SlaSettings, 'priorityMatrix'>): PriorityMatrix => settings.priorityMatrix ?? DEFAULT_MATRIX;

/** `calendarFor(priority, serviceLevel)` for validated settings. */
export function calendarChooser(settings: SlaSettings): (priority: Priority, serviceLevel: ServiceLevel) => BusinessCalendar {
  const byId = new Map(settings.calendars.map((c) => [c.id, c as BusinessCalendar]));
  return (priority, serviceLevel) => {
    const id = settings.policy.calendars[serviceLevel][priority];
    const cal = byId.get(id);
    if (!cal) throw new Error(`SLA policy names calendar ${id}, which does not exist`);
    return cal;
  };
}

/** What the clocks need of an incident. */
export interface ClockIncident {
  priority: Priority;
  status: Status;
  reportedAt: string;
  /**
   * First response: the first time the desk acted on the incident after it was reported, recorded as
   * the incident's first status change out of `new` (accepted, dispatched, set pending, resolved —
   * resolved on the call counts) or given with a back-filled or imported incident. Editing fields or
   * adding a work log alone does not count. Without it, a resolution counts as the response.
   */
  firstResponseAt?: string | null;
  resolvedAt?: string | null;
  /** Start of the current pending spell, when pending. */
  pendingSince?: string | null;
  /** Finished pending spells, [from, to). */
  pendingSpells?: ReadonlyArray<{ from: string; to: string }>;
}

export type BusinessClockState = 'running' | 'paused' | 'warning' | 'met' | 'breached';
export type ClockPause = 'pending' | 'outside_hours';

export interface BusinessClockView {
  clock: 'response' | 'resolution';
  calendarId: string;
  targetMin: number;
  /**
   * met / breached once stopped (at or before / after the due time); breached while running past
   * the due time; warning once the warning share has passed; otherwise paused (pending, or outside
   * business hours) or running.
   */
  state: BusinessClockState;
  /** Why the clock is not counting now (also reported with state warning); null when it counts or has stopped. */
  pausedBy: ClockPause | null;
  // Instants are UTC epoch ms (formatting 100,000 views as ISO strings would cost more than computing them).
  startedMs: number;
  /** Due instant; while pending, as if the spell ended now (it moves on while the pause lasts). */
  dueMs: number;
  /** Instant the warning share is reached (same caveat as dueMs): a notice is raised once, at or after it. */
  warnMs: number;
  stoppedMs: number | null;
  /** Business minutes counted so far (up to stoppedMs when stopped). */
  elapsedMin: number;
  /** targetMin − elapsedMin: positive = remaining, negative = overdue. */
  remainingMin: number;
  overdueMin: number;
}
export interface SlaClocks { response: BusinessClockView; resolution: BusinessClockView }

const NO_PAUSES: Pause[] = [];

function clockView(calendar: BusinessCalendar, clock: BusinessClockView['clock'], start: number, nowMs: number, warnShare: number,
  targetMin: number, stop: string | null | undefined, clockPauses: Pause[], pending: boolean): BusinessClockView {
  const stopMs = stop ? Date.parse(stop) : null;
  const dueMs = addBusinessMinutesExcluding(calendar, start, targetMin, clockPauses);
  const warnMs = addBusinessMinutesExcluding(calendar, start, targetMin * warnShare, clockPauses);
  const elapsed = businessMinutesBetweenExcluding(calendar, start, stopMs ?? nowMs, clockPauses);
  let state: BusinessClockState;
  let pausedBy: ClockPause | null = null;
  if (stopMs !== null) state = stopMs <= dueMs ? 'met' : 'breached';
  else if (nowMs > dueMs) state = 'breached';
  else {
    pausedBy = pending ? 'pending' : !isBusinessTime(calendar, nowMs) ? 'outside_hours' : null;
    state = nowMs >= warnMs ? 'warning' : pausedBy ? 'paused' : 'running';
  }
  const remaining = targetMin - elapsed;
  return {
    clock, calendarId: calendar.id, targetMin, state, pausedBy,
    startedMs: start, dueMs, warnMs, stoppedMs: stopMs,
    elapsedMin: elapsed, remainingMin: remaining, overdueMin: Math.max(0, -remaining),
  };
}

/** Both clocks of an incident at `now` on the calendar chosen for its priority and service level. */
export function slaClocks(inc: ClockIncident, calendar: BusinessCalendar, policy: Pick<SlaCalendarPolicy, 'targets' | 'warnShare'>, now: Date | number): SlaClocks {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const start = Date.parse(inc.reportedAt);
  const target = policy.targets[inc.priority];
  const warnShare = policy.warnShare ?? 0.75;

  const pendingNow = inc.status === 'pending' && !!inc.pendingSince;
  const pauses: Pause[] = (inc.pendingSpells ?? []).map((s) => [Date.parse(s.from), Date.parse(s.to)] as const);
  if (pendingNow) pauses.push([Date.parse(inc.pendingSince!), Math.max(nowMs, Date.parse(inc.pendingSince!))]);

  return {
    // Pending pauses the resolution clock only (DOMAIN.md "SLA").
    response: clockView(calendar, 'response', start, nowMs, warnShare, target.responseMin, inc.firstResponseAt ?? inc.resolvedAt ?? null, NO_PAUSES, false),
    resolution: clockView(calendar, 'resolution', start, nowMs, warnShare, target.resolveMin, inc.resolvedAt ?? null, pauses, pendingNow),
  };
}

/** Due instants only (what a queue sorts by), from the reported time, finished pending spells excluded. */
export function businessDueTimes(inc: Pick<ClockIncident, 'priority' | 'reportedAt' | 'pendingSpells'>, calendar: BusinessCalendar, policy: Pick<SlaCalendarPolicy, 'targets'>): { responseDueMs: number; resolveDueMs: number } {
  const start = Date.parse(inc.reportedAt);
  const t = policy.targets[inc.priority];
  const pauses: Pause[] = (inc.pendingSpells ?? []).map((s) => [Date.parse(s.from), Date.parse(s.to)] as const);
  return {
    responseDueMs: addBusinessMinutesExcluding(calendar, start, t.responseMin, []),
    resolveDueMs: addBusinessMinutesExcluding(calendar, start, t.resolveMin, pauses),
  };
}

// ---------------------------------------------------------------------------------------------
// Wired into the product (issue 13, part 2): the due times every replica stores, from synced fields.

/** A finished pending spell, [from, to), as ISO instants; kept on the incident (`pendingSpells`). */
export interface PendingSpell { from: string; to: string }
/** Spells kept per incident; past this the oldest are dropped (an incident pending 1,000 times is not a real case). */
export const MAX_PENDING_SPELLS = 1000;

const choosers = new WeakMap<SlaSettings, ReturnType<typeof calendarChooser>>();
/** The calendar for a priority and service level under `settings` (the chooser is built once per settings object). */
export function calendarFor(settings: SlaSettings, priority: Priority, serviceLevel: ServiceLevel): BusinessCalendar {
  let choose = choosers.get(settings);
  if (!choose) choosers.set(settings, (choose = calendarChooser(settings)));
  return choose(priority, serviceLevel);
}

const parsedSettings = new Map<string, SlaSettings>();
/**
 * Stored settings text → validated settings, the same object for the same text (calendars compile
 * once per object, so a server reading the settings per push keeps its caches warm). Unreadable or
 * invalid text gives the shipped settings.
 */
export function slaSettingsFromText(text: string | null | undefined): SlaSettings {
  if (!text) return DEFAULT_SLA_SETTINGS;
  let s = parsedSettings.get(text);
  if (!s) {
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch { return DEFAULT_SLA_SETTINGS; }
    const r = slaSettingsSchema.safeParse(parsed);
    if (!r.success) return DEFAULT_SLA_SETTINGS;
    if (parsedSettings.size > 8) parsedSettings.clear();
    parsedSettings.set(text, (s = r.data));
  }
  return s;
}

/** What due times are derived from: fields every replica holds after sync. */
export interface DueInput {
  priority: Priority;
  serviceLevel: ServiceLevel;
  reportedAt: string;
  pendingSpells?: ReadonlyArray<PendingSpell> | null;
}

/**
 * The due times every replica stores (and queues sort by): business time on the calendar chosen for
 * the incident's priority and requester level, from the reported time; the resolution clock leaves
 * out the finished pending spells (an open spell has no end yet, so it is not in the stored value).
 */
export function slaDueTimes(inc: DueInput, settings: SlaSettings = DEFAULT_SLA_SETTINGS): { responseDueAt: string; resolveDueAt: string } {
  const due = businessDueTimes(inc as Pick<ClockIncident, 'priority' | 'reportedAt' | 'pendingSpells'>, calendarFor(settings, inc.priority, inc.serviceLevel), settings.policy);
  return { responseDueAt: new Date(due.responseDueMs).toISOString(), resolveDueAt: new Date(due.resolveDueMs).toISOString() };
}

/** Both clocks of an incident at `now` under `settings` (the calendar chosen for its priority and level). */
export function incidentClocks(inc: ClockIncident & { serviceLevel: ServiceLevel; pendingSpells?: ReadonlyArray<PendingSpell> | null }, settings: SlaSettings, now: Date | number): SlaClocks {
  return slaClocks({ ...inc, pendingSpells: inc.pendingSpells ?? [] }, calendarFor(settings, inc.priority, inc.serviceLevel), settings.policy, now);
}

/**
 * The spells after an incident leaves pending at `at`: the open spell (from `pendingSince`) is
 * closed and kept. Null when the incident is not in an open pending spell. The server applies the
 * same rule to the incident it holds, so every replica ends up with the same spells.
 */
export function closePendingSpell(inc: { status: Status; pendingSince: string | null; pendingSpells?: ReadonlyArray<PendingSpell> | null }, at: string): PendingSpell[] | null {
  if (inc.status !== 'pending' || !inc.pendingSince) return null;
  const to = Date.parse(at) < Date.parse(inc.pendingSince) ? inc.pendingSince : at;
  const spells = [...(inc.pendingSpells ?? []), { from: inc.pendingSince, to }];
  return spells.length > MAX_PENDING_SPELLS ? spells.slice(spells.length - MAX_PENDING_SPELLS) : spells;
}
