import {
  checkTimes, incidentCreateSchema, type Channel, type IncidentCreateInput, type ImpactScope, type Level, type MajorReason,
  type ServiceLevel, type ServiceType, type Tier,
} from '../../../shared/index.js';
import type { FieldIssue } from '../../platform/api.js';
import { fromLocalInput, toLocalInput } from '../../lib/format.js';
import { fromZodIssues } from '../../lib/zodIssues.js';

/** What the new-incident form holds; this is also what a draft stores. */
export interface IncidentForm {
  clientId: string;
  channel: Channel;
  requester: { id: string | null; name: string; department: string; phone: string; email: string; serviceLevel: ServiceLevel };
  serviceType: ServiceType;
  rootCategoryId: string;
  subCategoryId: string;
  title: string;
  description: string;
  /** `ciId`: the configuration item picked for the name (issue 12); absent in older drafts. */
  affected: { name: string; ip: string; location: string; ciId?: string | null };
  impactScope: ImpactScope;
  impact: Level;
  urgency: Level;
  majorReasons: MajorReason[];
  urgent: boolean;
  urgentReason: string;
  occurredAt: string;
  reportedAt: string;
  tier: Tier;
  group: string;
  assigneeId: string;
  /** 补录: entered after the fact, with its real occurred/reported times and a reason. */
  backfill: boolean;
  backfillReason: string;
}

export function newClientId(): string {
  const c: Crypto = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  // RFC 4122 v4 from getRandomValues, for contexts without randomUUID (plain HTTP on another host).
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function emptyForm(group: string, now: Date = new Date()): IncidentForm {
  const nowLocal = toLocalInput(now.toISOString());
  return {
    clientId: newClientId(),
    channel: 'phone',
    requester: { id: null, name: '', department: '', phone: '', email: '', serviceLevel: 'normal' },
    serviceType: 'fault',
    rootCategoryId: '',
    subCategoryId: '',
    title: '',
    description: '',
    affected: { name: '', ip: '', location: '' },
    impactScope: 'individual',
    impact: 'medium',
    urgency: 'medium',
    majorReasons: [],
    urgent: false,
    urgentReason: '',
    occurredAt: nowLocal,
    reportedAt: nowLocal,
    tier: 'L1',
    group,
    assigneeId: '',
    backfill: false,
    backfillReason: '',
  };
}

const orNull = (v: string) => (v.trim() ? v.trim() : null);

export function toCreateInput(f: IncidentForm): IncidentCreateInput {
  return {
    clientId: f.clientId,
    channel: f.channel,
    requester: {
      id: f.requester.id,
      name: f.requester.name,
      department: orNull(f.requester.department),
      phone: orNull(f.requester.phone),
      email: orNull(f.requester.email),
      serviceLevel: f.requester.serviceLevel,
    },
    serviceType: f.serviceType,
    categoryId: f.subCategoryId || f.rootCategoryId,
    title: f.title,
    description: f.description,
    affected: { name: orNull(f.affected.name), ip: orNull(f.affected.ip), location: orNull(f.affected.location), ciId: f.affected.ciId ?? null },
    impactScope: f.impactScope,
    impact: f.impact,
    urgency: f.urgency,
    majorReasons: f.majorReasons,
    urgentReason: f.urgent ? orNull(f.urgentReason) : null,
    occurredAt: fromLocalInput(f.occurredAt),
    reportedAt: fromLocalInput(f.reportedAt),
    tier: f.tier,
    group: orNull(f.group),
    assigneeId: f.assigneeId || null,
    backfill: f.backfill ? { reason: f.backfillReason } : null,
  };
}

/** The checks the API will make, run first with the same shared schema so a bad form never leaves the desk. */
export function validateForm(f: IncidentForm, now: Date = new Date()): FieldIssue[] {
  const input = toCreateInput(f);
  const parsed = incidentCreateSchema.safeParse(input);
  const issues: FieldIssue[] = parsed.success ? [] : fromZodIssues(parsed.error.issues);
  if (f.urgent && !f.urgentReason.trim()) issues.push({ path: 'urgentReason', message: 'required' });
  issues.push(...checkTimes(input, now));
  return issues;
}

/** Has the agent typed anything worth keeping as a draft? */
export function isDirty(f: IncidentForm): boolean {
  return !!(f.title || f.description || f.requester.name || f.requester.phone || f.requester.email || f.requester.department ||
    f.rootCategoryId || f.backfillReason || f.affected.name || f.affected.ip || f.affected.location || f.urgentReason || f.majorReasons.length);
}

/** The schema's own words for what it refuses: shown as the agent types (a missing value is not one of them). */
const SCHEMA_MESSAGE = /^(required|at most \d+ characters|not a phone number|not an e-mail address|not an IP address|is in the future|is before the occurred time|must be )/;
/** Characters no phone number has (letters other than an extension's "ext"/"x"/"转"): refused as soon as typed. */
const NOT_PHONE = /[^0-9 ()+\-.extEXT转]/;

/**
 * The problems to show now: the shared schema run on every change, each format problem named once the
 * field has been left (`left`, by data-path) or, for a phone with letters, at once; a missing value only
 * once a save was tried (`attempted`: the last attempt's issues); and whatever else the desk answered
 * (e.g. an unknown category) until the next attempt.
 */
export function liveIssues(f: IncidentForm, attempted: FieldIssue[], left: ReadonlySet<string>, now: Date = new Date()): FieldIssue[] {
  const current = validateForm(f, now);
  const tried = new Set(attempted.map((i) => i.path));
  const local = current.filter((i) => (i.message === 'required'
    ? tried.has(i.path)
    : tried.has(i.path) || left.has(i.path) || (i.path === 'requester.phone' && NOT_PHONE.test(f.requester.phone))));
  const seen = new Set(local.map((i) => i.path));
  const fromDesk = attempted.filter((i) => !SCHEMA_MESSAGE.test(i.message) && !seen.has(i.path) && !current.some((c) => c.path === i.path && c.message === 'required'));
  const out: FieldIssue[] = [];
  for (const i of [...local, ...fromDesk]) if (!out.some((o) => o.path === i.path)) out.push(i);
  return out;
}
