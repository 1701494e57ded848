import {
  FUTURE_TOLERANCE_MS, LIMITS, MAX_PENDING_SPELLS, OPEN_STATUSES, emailSchema, phoneSchema,
  type Channel, type HistoryEntry, type ImpactScope, type Incident, type Level, type MajorReason, type Priority,
  type ServiceLevel, type ServiceType, type Status, type Tier, type IssueCode, type IssueParams,
} from '../../../shared/index.js';
import type { DeskStore } from '../store/desk-store.js';
import { detectMacRomanColumn, unMacRoman } from './decode.js';
import { FIELDS, type FieldDef } from './fields.js';
import { autoStatus, isStatus, statusKey, type ImportMapping } from './mapping.js';
import type { OnProgress, SourceRow, SourceTable } from './table.js';
import { yieldToLoop } from './table.js';
import { iso, parseTime } from './times.js';
import { categoryLookup, MAJOR_WORDS, norm, VOCAB, type VocabName } from './vocab.js';
import type { ImportIncident, ImportRecord, SourceFacts } from './write.js';

export type { ImportIncident, ImportRecord, SourceFacts };
export { iso };

/** A bad cell: the line (or sheet row) and the column as the file names it. */
/** `code` + `params` where the renderer words the problem from them (shared/issues.ts); `message` for the CLI and logs. */
export interface RowIssue { line: number; column: string; message: string; code?: IssueCode; params?: IssueParams; /** the import field's key */ field?: string }

export interface BuildResult {
  records: ImportRecord[];
  issues: RowIssue[];
  /** rows read (data rows, header excluded) */
  rows: number;
  /** incidents in the file (distinct numbers) */
  incidents: number;
  /** timestamps read in the mapping's zone because they had no offset */
  naiveTimes: number;
  /** source status values (event log: `Status / Sub status`) with how often they occur and what they map to */
  statusValues: Array<{ value: string; count: number; mappedTo: Status | null }>;
  /** names repaired from Mac Roman mojibake: source → fixed */
  repaired: Array<{ from: string; to: string; count: number }>;
}

const CHUNK = 5000;
const OPEN = new Set<Status>(OPEN_STATUSES);

interface Ctx {
  mapping: ImportMapping;
  table: SourceTable;
  idx: Record<string, number>;
  label: Record<string, string>;
  nowLimit: number;
  categories: Map<string, string>;
  categoryIds: Set<string>;
  overrides: Map<string, Map<string, string>>;
  naive: number;
}

function makeCtx(store: DeskStore, table: SourceTable, mapping: ImportMapping): Ctx {
  const idx: Record<string, number> = {};
  const label: Record<string, string> = {};
  const defs: FieldDef[] = FIELDS[mapping.shape];
  for (const d of defs) {
    label[d.key] = mapping.columns[d.key] ?? `${d.zh}/${d.en}`;
    const col = mapping.columns[d.key];
    if (col !== undefined) { const k = table.columns.indexOf(col); if (k >= 0) idx[d.key] = k; }
  }
  const cats = store.listCategories();
  const overrides = new Map<string, Map<string, string>>();
  for (const [field, m] of Object.entries(mapping.values)) {
    const inner = new Map<string, string>();
    for (const [k, v] of Object.entries(m)) { inner.set(k, v); inner.set(norm(k), v); }
    overrides.set(field, inner);
  }
  return {
    mapping, table, idx, label, nowLimit: store.now().getTime() + FUTURE_TOLERANCE_MS,
    categories: categoryLookup(cats), categoryIds: new Set(cats.map((c) => c.id)), overrides, naive: 0,
  };
}

const cell = (ctx: Ctx, row: SourceRow, field: string): string => {
  const k = ctx.idx[field];
  return k === undefined ? '' : (row.cells[k] ?? '').trim();
};

function override(ctx: Ctx, field: string, raw: string): string | undefined {
  const m = ctx.overrides.get(field);
  return m ? m.get(raw) ?? m.get(norm(raw)) : undefined;
}

function vocab<T extends string>(ctx: Ctx, field: string, name: VocabName, raw: string): T | undefined {
  const o = override(ctx, field, raw);
  if (o !== undefined) return (VOCAB[name].get(norm(o)) ?? undefined) as T | undefined;
  return VOCAB[name].get(norm(raw)) as T | undefined;
}

const words = (name: VocabName) => [...new Set(VOCAB[name].values())].join(', ');

class RowCheck {
  issues: RowIssue[] = [];
  constructor(private ctx: Ctx, private row: SourceRow) {}
  fail(field: string, message: string) { this.issues.push({ line: this.row.line, column: this.ctx.label[field], message, field }); }
  text(field: string, max: number, required = false): string {
    const v = cell(this.ctx, this.row, field);
    if (required && !v) this.fail(field, 'required');
    else if (v.length > max) this.fail(field, `at most ${max} characters (has ${v.length})`);
    return v;
  }
  pick<T extends string>(field: string, name: VocabName, fallback: T | undefined): T | undefined {
    const raw = cell(this.ctx, this.row, field);
    if (!raw) return fallback;
    const v = vocab<T>(this.ctx, field, name, raw);
    if (v === undefined) this.fail(field, `"${raw}" is not one of ${words(name)}`);
    return v;
  }
  time(field: string, required = false): number | null {
    const raw = cell(this.ctx, this.row, field);
    if (!raw) { if (required) this.fail(field, 'required'); return null; }
    const t = parseTime(raw, this.ctx.mapping.timeZone, this.ctx.mapping.dateOrder);
    if ('error' in t) { this.fail(field, `${t.error}: "${raw}"`); return null; }
    if (t.naive) this.ctx.naive++;
    if (t.ms > this.ctx.nowLimit) { this.fail(field, `is in the future: "${raw}"`); return null; }
    return t.ms;
  }
  /** Impact; `Major`/`重大` is high impact declared major (P1). */
  impact(field: string): { impact: Level; major: boolean } | undefined {
    const raw = cell(this.ctx, this.row, field);
    if (!raw) return { impact: 'medium', major: false };
    const o = override(this.ctx, field, raw) ?? raw;
    if (MAJOR_WORDS.has(norm(o))) return { impact: 'high', major: true };
    const v = VOCAB.level.get(norm(o));
    if (!v) { this.fail(field, `"${raw}" is not one of high, medium, low, major`); return undefined; }
    return { impact: v, major: false };
  }
  category(field: string): string | undefined {
    const raw = cell(this.ctx, this.row, field);
    const m = this.ctx.mapping;
    if (!raw) {
      if (m.defaults.categoryId && this.ctx.categoryIds.has(m.defaults.categoryId)) return m.defaults.categoryId;
      if (m.unknownCategory === 'other') return 'other';
      this.fail(field, 'required');
      return undefined;
    }
    const o = override(this.ctx, field, raw);
    const id = o !== undefined ? (this.ctx.categoryIds.has(o) ? o : this.ctx.categories.get(norm(o))) : this.ctx.categories.get(norm(raw));
    if (id) return id;
    if (m.unknownCategory === 'other') return 'other';
    this.fail(field, `unknown category "${raw}" (map it in the mapping, or send unknown categories to other)`);
    return undefined;
  }
}

function dupCheck(seen: Map<string, number>, number: string, line: number, c: RowCheck) {
  const prev = seen.get(number);
  if (prev !== undefined) c.fail('number', `duplicate number ${number} (also on line ${prev})`);
  else seen.set(number, line);
}

type Required_ = 'channel' | 'requesterName' | 'serviceType' | 'categoryId' | 'title' | 'impact' | 'urgency' | 'status' | 'reportedAt';
/**
 * One literal with every field in one order: objects built by spreading a base into 40+ keys fall
 * into V8's slow dictionary mode, which made building 50,000 incidents take seconds.
 */
function incident(p: Pick<ImportIncident, Required_> & Partial<Omit<ImportIncident, Required_>>): ImportIncident {
  return {
    channel: p.channel, requesterId: null, requesterName: p.requesterName, requesterDept: p.requesterDept ?? null,
    requesterPhone: p.requesterPhone ?? null, requesterEmail: p.requesterEmail ?? null, serviceLevel: p.serviceLevel ?? 'normal',
    serviceType: p.serviceType, categoryId: p.categoryId, title: p.title, description: p.description ?? '',
    affectedName: p.affectedName ?? null, affectedIp: null, affectedLocation: null, impactScope: p.impactScope ?? 'individual',
    impact: p.impact, urgency: p.urgency, majorReasons: p.majorReasons ?? [], urgentReason: null, autoEscalated: false,
    priority: p.priority, status: p.status, occurredAt: p.occurredAt ?? null, reportedAt: p.reportedAt,
    firstResponseAt: p.firstResponseAt ?? null, resolvedAt: p.resolvedAt ?? null, closedAt: p.closedAt ?? null,
    pendingSince: p.pendingSince ?? null, pausedMs: p.pausedMs ?? 0, pendingSpells: p.pendingSpells ?? [], tier: p.tier ?? 'L1', groupName: p.groupName ?? null,
    assigneeId: null, resolution: p.resolution ?? null, rootCause: null, problemRef: null, changeRef: null, kbArticleId: null,
    satisfaction: null, satisfactionComment: null, backfilled: false, backfillReason: null, externalRef: p.externalRef ?? null,
  };
}

const empty = (s: string) => (s === '' ? null : s);

// ---- incident list --------------------------------------------------------------------------------

/**
 * One row per incident. Required: number, requester, title, reported time, category (unless the
 * mapping sends unknown/missing ones to `other`). Defaults: channel phone, service type fault,
 * impact and urgency medium, status from the times given (closed / resolved / new). Times must be
 * in order (occurred ≤ reported ≤ first response ≤ resolved ≤ closed) and not in the future.
 */
export async function buildList(store: DeskStore, table: SourceTable, mapping: ImportMapping, onProgress?: OnProgress): Promise<BuildResult> {
  const ctx = makeCtx(store, table, mapping);
  const issues: RowIssue[] = [];
  const records: ImportRecord[] = [];
  const seen = new Map<string, number>();
  const statusCounts = new Map<string, number>();
  const d = mapping.defaults;
  for (let i = 0; i < table.rows.length; i++) {
    if (i % CHUNK === 0 && i > 0) { onProgress?.(i, table.rows.length); await yieldToLoop(); }
    const row = table.rows[i];
    const c = new RowCheck(ctx, row);
    const number = c.text('number', 64, true);
    if (number) dupCheck(seen, number, row.line, c);
    const requester = c.text('requester', LIMITS.name, !d.requester);
    const department = c.text('department', LIMITS.name);
    const phone = c.text('phone', 40);
    if (phone && !phoneSchema.safeParse(phone).success) c.fail('phone', `not a phone number: "${phone}"`);
    const email = c.text('email', LIMITS.short);
    if (email && !emailSchema.safeParse(email).success) c.fail('email', `not an e-mail address: "${email}"`);
    const serviceLevel = c.pick<ServiceLevel>('serviceLevel', 'serviceLevel', 'normal');
    const channel = c.pick<Channel>('channel', 'channel', d.channel ?? 'phone');
    const serviceType = c.pick<ServiceType>('serviceType', 'serviceType', d.serviceType ?? 'fault');
    const categoryId = c.category('category');
    const title = c.text('title', LIMITS.title, true);
    const description = c.text('description', LIMITS.description);
    const affected = c.text('affected', LIMITS.short);
    const impactScope = c.pick<ImpactScope>('impactScope', 'impactScope', 'individual');
    const imp = c.impact('impact');
    const urgency = c.pick<Level>('urgency', 'level', d.urgency ?? 'medium');
    const priority = c.pick<Priority>('priority', 'priority', undefined);
    const statusRaw = cell(ctx, row, 'status');
    if (statusRaw) statusCounts.set(statusRaw, (statusCounts.get(statusRaw) ?? 0) + 1);
    let status = c.pick<Status>('status', 'status', undefined);
    const occurred = c.time('occurred');
    const reported = c.time('reported', true);
    const firstResponse = c.time('firstResponse');
    let resolved = c.time('resolved');
    const closed = c.time('closed');
    const resolution = c.text('resolution', LIMITS.text);
    const group = c.text('group', LIMITS.name);
    const tier = c.pick<Tier>('tier', 'tier', 'L1');

    if (!statusRaw) status = closed != null ? 'closed' : resolved != null ? 'resolved' : 'new';
    if (status === 'closed' && closed == null && !c.issues.some((x) => x.column === ctx.label.closed)) c.fail('closed', 'required when the status is closed');
    if (status === 'closed' && resolved == null) resolved = closed;
    if (status === 'resolved' && resolved == null && !c.issues.some((x) => x.column === ctx.label.resolved)) c.fail('resolved', 'required when the status is resolved');
    if (status && OPEN.has(status)) {
      if (closed != null) c.fail('closed', `the status (${statusRaw}) is still open, but a closed time is given`);
      if (resolved != null && status !== 'reopened') c.fail('resolved', `the status (${statusRaw}) is still open, but a resolved time is given`);
    }
    if (reported != null) {
      if (occurred != null && occurred > reported) c.fail('occurred', 'is after the reported time');
      if (firstResponse != null && firstResponse < reported) c.fail('firstResponse', 'is before the reported time');
      if (resolved != null && resolved < reported) c.fail(cell(ctx, row, 'resolved') ? 'resolved' : 'closed', 'is before the reported time');
      if (closed != null && resolved != null && closed < resolved) c.fail('closed', 'is before the resolved time');
    }
    if (c.issues.length) { issues.push(...c.issues); continue; }

    const reopened = status === 'reopened';
    const inc = incident({
      channel: channel!, requesterName: requester || d.requester!, requesterDept: empty(department), requesterPhone: empty(phone),
      requesterEmail: empty(email), serviceLevel: serviceLevel!, serviceType: serviceType!, categoryId: categoryId!, title, description,
      affectedName: empty(affected), impactScope: impactScope!, impact: imp!.impact, urgency: urgency!,
      majorReasons: imp!.major ? ['declared'] as MajorReason[] : [], status: status!,
      occurredAt: occurred != null ? iso(occurred) : null, reportedAt: iso(reported!),
      firstResponseAt: firstResponse != null ? iso(firstResponse) : null,
      resolvedAt: resolved != null && !reopened ? iso(resolved) : null, closedAt: closed != null ? iso(closed) : null,
      pendingSince: null, tier: tier!, groupName: empty(group), resolution: empty(resolution), externalRef: number,
      priority,
    });
    const history: ImportRecord['history'] = [];
    if (resolved != null) history.push({ at: iso(resolved), kind: 'transition', field: 'status', oldValue: null, newValue: 'resolved', note: 'from the imported resolved time' });
    if (closed != null) history.push({ at: iso(closed), kind: 'transition', field: 'status', oldValue: 'resolved', newValue: 'closed', note: 'from the imported closed time' });
    records.push({ importKey: `${mapping.source}:${number}`, incident: inc, history });
  }
  onProgress?.(table.rows.length, table.rows.length);
  return {
    records, issues, rows: table.rows.length, incidents: seen.size, naiveTimes: ctx.naive,
    statusValues: [...statusCounts].map(([value, count]) => ({ value, count, mappedTo: vocab<Status>(ctx, 'status', 'status', value) ?? null })),
    repaired: [],
  };
}

// ---- event log --------------------------------------------------------------------------------------

interface Ev { tierRaw: string; line: number; ms: number; status: Status; label: string; sub: string; group: string; owner: string; impact: { impact: Level; major: boolean }; urgency: Level | undefined; product: string; category: string | undefined; title: string; orgLine: string; role: string; country: string; ownerCountry: string; source: SourceFacts }

/** Event-log fields kept as typed source columns of each event's history row (migration 010). */
const TYPED_SOURCE_FIELDS = new Set(['status', 'subStatus', 'group', 'owner', 'role', 'orgLine', 'country', 'ownerCountry', 'product', 'impact']);
/** Stored elsewhere exactly: the case number is the incident's external reference, the time the row's `at`. */
const ROW_FIELDS = new Set(['number', 'time']);

/**
 * The columns of an event kept in `source_attrs` (JSON, keyed by the file's own column names): every
 * column that is neither a typed source column nor the case number or time — unmapped ones, and
 * mapped ones whose value only the last event gives the incident (urgency, category, title, tier).
 */
function attrColumns(table: SourceTable, mapping: ImportMapping): Array<[number, string]> {
  const typed = new Set<string>();
  for (const [field, col] of Object.entries(mapping.columns)) if (TYPED_SOURCE_FIELDS.has(field) || ROW_FIELDS.has(field)) typed.add(col);
  const out: Array<[number, string]> = [];
  table.columns.forEach((name, k) => { if (!typed.has(name)) out.push([k, name]); });
  return out;
}

/** The event's other columns as one JSON object (non-empty cells only), or null when it has none. */
function attrsOf(row: SourceRow, cols: Array<[number, string]>): string | null {
  let out: Record<string, string> | null = null;
  for (let j = 0; j < cols.length; j++) {
    const v = row.cells[cols[j][0]];
    if (v === undefined || v === '') continue;
    (out ??= {})[cols[j][1]] = v;
  }
  return out ? JSON.stringify(out) : null;
}

/** `2nd` / `3rd` in a support team's name is its tier (VINST: `G140 2nd`, `V5 3rd`, `V13 2nd 3rd` → L3). */
export function tierOfGroup(group: string): Tier {
  if (/\b3rd\b|三线/i.test(group)) return 'L3';
  if (/\b2nd\b|二线/i.test(group)) return 'L2';
  return 'L1';
}

/**
 * One row per status change. Each incident's events (sorted by time) become its history: one
 * `transition` row per event, old → new in our statuses, the source status, group and owner in the
 * note. A move from resolved/closed back to open work is recorded as `reopened`. From the trail:
 * reported = first event; first response = first event in progress, pending, resolved or closed;
 * resolved / closed = the last time it reached them (cleared by a reopen; closed without a resolve
 * counts as resolved then); pending spells (Wait*) add up to pausedMs and, finished, are kept as
 * pendingSpells (the business-time resolution clock leaves them out); an open one is pendingSince;
 * tier and group = the last event's (tier from the group's 2nd/3rd suffix unless a tier column is
 * mapped), with a `field` history row for each change of tier.
 */
export async function buildEventLog(store: DeskStore, table: SourceTable, mapping: ImportMapping, onProgress?: OnProgress): Promise<BuildResult> {
  const ctx = makeCtx(store, table, mapping);
  const issues: RowIssue[] = [];
  const d = mapping.defaults;
  const cases = new Map<string, Ev[]>();
  const badCases = new Set<string>();
  const statusCounts = new Map<string, { count: number; mapped: Status | null }>();

  // owner names: repair Mac Roman mojibake when the column shows it
  const repairs = new Map<string, { to: string; count: number }>();
  let fixOwner = false;
  if (mapping.fixMojibake && ctx.idx.owner !== undefined) {
    const k = ctx.idx.owner;
    const distinct = new Set<string>();
    for (const r of table.rows) distinct.add(r.cells[k] ?? '');
    fixOwner = detectMacRomanColumn(distinct);
  }
  const owner = (raw: string) => {
    if (!fixOwner) return raw;
    const hit = repairs.get(raw);
    if (hit) { hit.count++; return hit.to; }
    const to = unMacRoman(raw);
    if (to === null) return raw;
    repairs.set(raw, { to, count: 1 });
    return to;
  };

  const hasSub = ctx.idx.subStatus !== undefined;
  const hasTier = ctx.idx.tier !== undefined;
  const extra = attrColumns(table, mapping);
  for (let i = 0; i < table.rows.length; i++) {
    if (i % CHUNK === 0 && i > 0) { onProgress?.(i, table.rows.length * 2); await yieldToLoop(); }
    const row = table.rows[i];
    const c = new RowCheck(ctx, row);
    const number = c.text('number', 64, true);
    const ms = c.time('time', true);
    const st = cell(ctx, row, 'status');
    const sub = hasSub ? cell(ctx, row, 'subStatus') : '';
    let mapped: Status | null = null;
    if (!st) c.fail('status', 'required');
    else {
      const key = statusKey(st, sub);
      let entry = statusCounts.get(key);
      if (!entry) {
        const o = override(ctx, 'status', key) ?? override(ctx, 'status', st);
        const m = o !== undefined ? (isStatus(o) ? o : VOCAB.status.get(norm(o)) ?? null) : autoStatus(st, sub);
        entry = { count: 0, mapped: m };
        statusCounts.set(key, entry);
      }
      entry.count++;
      mapped = entry.mapped;
      if (!mapped) c.fail('status', `"${key}" is not mapped to a status of ours`);
    }
    const impact = c.impact('impact');
    const urgency = c.pick<Level>('urgency', 'level', undefined);
    const category = ctx.idx.category !== undefined ? c.category('category') : undefined;
    if (c.issues.length) { issues.push(...c.issues); if (number) badCases.add(number); continue; }
    let list = cases.get(number);
    if (!list) { list = []; cases.set(number, list); }
    const group = cell(ctx, row, 'group'), who = owner(cell(ctx, row, 'owner')), product = cell(ctx, row, 'product');
    const orgLine = cell(ctx, row, 'orgLine'), role = cell(ctx, row, 'role'), country = cell(ctx, row, 'country'), ownerCountry = cell(ctx, row, 'ownerCountry');
    list.push({
      tierRaw: hasTier ? cell(ctx, row, 'tier') : '', line: row.line, ms: ms!, status: mapped!, label: sub ? `${st}/${sub}` : st, sub, group,
      owner: who, impact: impact!, urgency, product, category, title: cell(ctx, row, 'title'), orgLine, role, country, ownerCountry,
      source: {
        status: st, subStatus: sub, group, owner: who, role, orgLine, country, ownerCountry, product,
        impact: cell(ctx, row, 'impact'), attrs: extra.length ? attrsOf(row, extra) : null,
      },
    });
  }

  const records: ImportRecord[] = [];
  let n = 0;
  for (const [number, evs] of cases) {
    if (++n % CHUNK === 0) { onProgress?.(table.rows.length + Math.round((n / cases.size) * table.rows.length), table.rows.length * 2); await yieldToLoop(); }
    if (badCases.has(number)) continue;
    evs.sort((a, b) => a.ms - b.ms);
    const first = evs[0];
    const last = evs[evs.length - 1];
    const history: ImportRecord['history'] = [];
    let status: Status | null = null;
    let firstResponse: number | null = null, resolvedAt: number | null = null, closedAt: number | null = null;
    let pendingSince: number | null = null, paused = 0;
    // finished pending spells (issue 13): the resolution clock leaves them out on business time
    const spells: Array<{ from: string; to: string }> = [];
    let tier: Tier | null = null;
    for (const ev of evs) {
      let to = ev.status;
      if ((status === 'resolved' || status === 'closed') && OPEN.has(to)) to = 'reopened';
      if (status === 'pending' && to !== 'pending' && pendingSince != null) {
        paused += ev.ms - pendingSince;
        if (ev.ms > pendingSince) spells.push({ from: iso(pendingSince), to: iso(ev.ms) });
        pendingSince = null;
      }
      if (to === 'pending' && pendingSince == null) pendingSince = ev.ms;
      if (firstResponse == null && (to === 'in_progress' || to === 'pending' || to === 'resolved' || to === 'closed')) firstResponse = ev.ms;
      if (to === 'resolved') resolvedAt = ev.ms;
      if (to === 'closed') { closedAt = ev.ms; resolvedAt ??= ev.ms; }
      if (to === 'reopened') { resolvedAt = null; closedAt = null; }
      const at = iso(ev.ms);
      const note = [ev.label, ev.group && `group ${ev.group}`, ev.owner && `owner ${ev.owner}`].filter(Boolean).join(' · ');
      history.push({ at, kind: 'transition', field: 'status', oldValue: status, newValue: to, note, source: ev.source });
      const evTier = (hasTier && ev.tierRaw ? VOCAB.tier.get(norm(ev.tierRaw)) : undefined) ?? tierOfGroup(ev.group);
      if (tier !== null && evTier !== tier) history.push({ at, kind: 'field', field: 'tier', oldValue: tier, newValue: evTier, note: ev.group ? `group ${ev.group}` : null });
      tier = evTier;
      status = to;
    }
    const final = status!;
    const details = [
      last.product && `Product: ${last.product}`, last.orgLine && `Org line: ${last.orgLine}`, last.role && `Function: ${last.role}`,
      last.country && `Country: ${last.country}`, last.ownerCountry && `Owner country: ${last.ownerCountry}`,
      `Imported from ${mapping.source}: ${evs.length} status changes, ${iso(first.ms)} – ${iso(last.ms)}`,
    ].filter(Boolean).join('\n');
    const title = (last.title || [last.product, number].filter(Boolean).join(' · ')).slice(0, LIMITS.title);
    const inc = incident({
      channel: d.channel ?? 'web', requesterName: d.requester ?? '—', serviceType: d.serviceType ?? 'fault',
      categoryId: last.category ?? d.categoryId ?? 'other', title, description: details, affectedName: last.product || null,
      impact: last.impact.impact, urgency: last.urgency ?? d.urgency ?? 'medium', majorReasons: last.impact.major ? ['declared'] : [],
      status: final, reportedAt: iso(first.ms), firstResponseAt: firstResponse != null ? iso(firstResponse) : null,
      resolvedAt: (final === 'resolved' || final === 'closed') && resolvedAt != null ? iso(resolvedAt) : null,
      closedAt: final === 'closed' && closedAt != null ? iso(closedAt) : null,
      pendingSince: final === 'pending' && pendingSince != null ? iso(pendingSince) : null, pausedMs: paused,
      pendingSpells: spells.length > MAX_PENDING_SPELLS ? spells.slice(spells.length - MAX_PENDING_SPELLS) : spells,
      tier: tier ?? 'L1', groupName: last.group || null, externalRef: number,
    });
    records.push({ importKey: `${mapping.source}:${number}`, incident: inc, history });
  }
  onProgress?.(table.rows.length * 2, table.rows.length * 2);
  return {
    records, issues, rows: table.rows.length, incidents: cases.size + [...badCases].filter((b) => !cases.has(b)).length, naiveTimes: ctx.naive,
    statusValues: [...statusCounts].map(([value, e]) => ({ value, count: e.count, mappedTo: e.mapped })).sort((a, b) => b.count - a.count),
    repaired: [...repairs].map(([from, r]) => ({ from, to: r.to, count: r.count })).sort((a, b) => b.count - a.count),
  };
}

export type { HistoryEntry, Incident };
