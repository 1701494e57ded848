import { z } from 'zod';
import { CHANNELS, PRIORITIES } from './enums.js';

/**
 * Team leads' reports (issue 11): the query a report is made for, and the shape of what it returns.
 * The desk computes it (`electron/core/reports/`), the renderer shows it, the exporters write it;
 * every figure's definition is in `electron/core/reports/REPORTS.md`. Pure: no node, no DOM.
 *
 * Times: every instant is ISO-8601 UTC; durations are minutes (business time where a calendar
 * applies; 24×7 until SLA calendars exist). Periods are [from, to) in the desk's time zone, given
 * as local dates; an incident belongs to the period by its reported time.
 */

export const REPORT_ORIGINS = ['desk', 'backfill', 'import'] as const;
export type ReportOrigin = (typeof REPORT_ORIGINS)[number];
export const TREND_GRAINS = ['day', 'week', 'month'] as const;
export type TrendGrain = (typeof TREND_GRAINS)[number];
export const AGE_BANDS = ['lt1d', 'd1to3', 'd3to7', 'd7to30', 'gt30d'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date as YYYY-MM-DD' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { message: 'not a calendar date' });
const MAX_RANGE_DAYS = 3660;

export const reportFiltersSchema = z.object({
  groups: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  /** user ids (owner or assignee) */
  agents: z.array(z.string().min(1).max(64)).max(50).optional(),
  /** a category id includes its subcategories */
  categories: z.array(z.string().min(1).max(64)).max(50).optional(),
  priorities: z.array(z.enum(PRIORITIES)).max(4).optional(),
  channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).optional(),
  departments: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  /** Which work counts: live work by default ('desk' and 'backfill'); imported history only when asked. */
  origins: z.array(z.enum(REPORT_ORIGINS)).min(1).max(3).default(['desk', 'backfill']),
}).strict();
export type ReportFilters = z.input<typeof reportFiltersSchema>;

export const reportQuerySchema = z.object({
  /** First day of the period (local date, inclusive). */
  from: localDate,
  /** Last day of the period (local date, inclusive). */
  to: localDate,
  /** The desk's IANA time zone; the period's days start at local midnight there. */
  timeZone: z.string().min(1).max(64).refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, { message: 'unknown time zone' }),
  grain: z.enum(TREND_GRAINS).default('day'),
  filters: reportFiltersSchema.default({ origins: ['desk', 'backfill'] }),
}).superRefine((q, ctx) => {
  const days = (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000;
  if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the range ends before it starts' });
  else if (days > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the range is longer than ten years' });
});
export type ReportQuery = z.input<typeof reportQuerySchema>;
export type ReportQueryParsed = z.output<typeof reportQuerySchema>;

/** A count under a key (an enum value, a category id, a department, a user id …); `label` only where the key is not a code the renderer words. */
export interface Bucket { key: string; count: number; label?: string }
export interface Stat { count: number; meanMin: number | null; medianMin: number | null; p90Min?: number | null }
export interface Attainment { met: number; breached: number; /** met ÷ (met + breached); null when none */ rate: number | null }
export interface TrendPoint { period: string; created: number; resolved: number; openAtEnd: number }
export interface PersonRow {
  key: string; label: string; handled: number; resolved: number; fcr: number; fcrRate: number | null;
  meanResolveMin: number | null; satisfactionAvg: number | null; rated: number;
}

export interface Report {
  query: ReportQueryParsed;
  /** [from, to) as UTC instants. */
  range: { fromUtc: string; toUtc: string };
  generatedAt: string;
  totals: { created: number; resolved: number; closed: number; openAtEnd: number };
  volume: {
    byChannel: Bucket[]; byCategory: Bucket[]; bySubcategory: Bucket[]; byServiceType: Bucket[];
    byPriority: Bucket[]; byImpactScope: Bucket[]; byDepartment: Bucket[];
    trend: TrendPoint[];
  };
  sla: {
    response: { byPriority: Record<string, Attainment>; all: Attainment };
    resolution: { byPriority: Record<string, Attainment>; all: Attainment };
    timeToRespond: Record<string, Stat>;
    timeToResolve: Record<string, Stat>;
    /** after reopens (the last resolution), shown apart */
    timeToFinalResolve: Record<string, Stat>;
    /** ids of incidents with a breached clock (response or resolution), most overdue first; capped at 500 in the object, all in exports */
    breached: Array<{ id: string; number: string; title: string; priority: string; clock: 'response' | 'resolution'; overdueMin: number }>;
  };
  quality: {
    fcr: { count: number; of: number; rate: number | null };
    reopen: { reopened: number; resolved: number; rate: number | null; reopensPerIncident: number | null };
    returned: { returned: number; dispatched: number; rate: number | null; byGroup: Array<{ key: string; returned: number; dispatched: number; rate: number | null }> };
    reassignmentsPerIncident: number | null;
    /** `incidents`: those escalated in any of the four ways (each once). */
    escalations: { autoP3toP2: number; toL3: number; toVendor: number; toManagement: number; incidents: number };
    highestTier: Bucket[];
    major: number;
  };
  backlog: { byAgeBand: Record<AgeBand, number>; oldest: Array<{ id: string; number: string; title: string; reportedAt: string; ageMin: number }> };
  satisfaction: { rated: number; of: number; share: number | null; average: number | null; distribution: Record<'1' | '2' | '3' | '4' | '5', number>; comments: Array<{ id: string; number: string; rating: number; comment: string }> };
  backfill: { count: number; delay: Stat; byTechnician: Array<{ key: string; label: string; count: number; medianDelayMin: number | null; p90DelayMin: number | null }>; imported: number };
  people: { byAgent: PersonRow[]; byGroup: PersonRow[] };
  recurring: { categories: Bucket[]; systems: Bucket[]; requesters: Bucket[] };
}

/** Which incidents a figure was counted from: the renderer asks for them when a bar, slice or figure is clicked. */
export const reportDrillSchema = z.object({
  query: z.custom<ReportQuery>((v) => reportQuerySchema.safeParse(v).success, { message: 'invalid report query' }),
  /** e.g. 'volume.byChannel', 'sla.resolution.breached', 'backlog.byAgeBand', 'quality.reopen' */
  figure: z.string().min(1).max(80),
  /** the bucket's key within the figure, when it has buckets */
  key: z.string().max(200).nullable().default(null),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type ReportDrill = z.input<typeof reportDrillSchema>;

export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Median and P90 of a list of numbers (nearest-rank), null when empty. */
export function quantile(values: number[], q: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
export const rate = (n: number, of: number): number | null => (of > 0 ? n / of : null);


/**
 * The typed facts of one history row (issue 11, migration 008): what a status, tier, group, assignee
 * or priority change came to, as columns the reports aggregate. Every history writer on the desk
 * fills them from the row's kind/field/old/new/note; migration 008 fills older rows with the same rule
 * in SQL. Only real changes count: kind 'transition' (status), kind 'field' (tier, groupName,
 * assigneeId) and kind 'priority'; conflict and refusal rows carry none.
 */
export interface HistoryFacts {
  statusFrom: string | null; statusTo: string | null; tierFrom: string | null; tierTo: string | null;
  groupTo: string | null; assigneeTo: string | null; priorityTo: string | null; autoEscalated: 0 | 1;
}
export function historyFacts(h: { kind: string; field: string | null; oldValue: string | null; newValue: string | null; note: string | null }): HistoryFacts {
  const status = h.kind === 'transition' && h.field === 'status';
  const field = h.kind === 'field';
  const priority = h.kind === 'priority';
  return {
    statusFrom: status ? h.oldValue : null,
    statusTo: status ? h.newValue : null,
    tierFrom: field && h.field === 'tier' ? h.oldValue : null,
    tierTo: field && h.field === 'tier' ? h.newValue : null,
    groupTo: field && h.field === 'groupName' ? h.newValue : null,
    assigneeTo: field && h.field === 'assigneeId' ? h.newValue : null,
    priorityTo: priority ? h.newValue : null,
    autoEscalated: priority && (h.note ?? '').includes('auto_escalated') ? 1 : 0,
  };
}
