import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CHANNELS, LEVELS, SERVICE_TYPES, STATUSES, type Status } from '../../../shared/index.js';
import type { DeskStore } from '../store/desk-store.js';
import { detectColumns, FIELDS, type Shape } from './fields.js';
import { localZone } from './times.js';
import { norm, VOCAB } from './vocab.js';

/**
 * How a source file maps onto our incident: which column feeds which field, which source value
 * means which of ours, and how to read times. Detected from the header, editable in the preview,
 * remembered per header signature (meta `import.mapping.<signature>`) once an import is committed.
 */
export const importMappingSchema = z.object({
  shape: z.enum(['list', 'eventlog']),
  /** Names the source system in each incident's import key (`<source>:<number>`): same source + number = same incident. */
  source: z.string().trim().min(1).max(64).regex(/^[^:\s]+$/, { message: 'no spaces or colons' }),
  /** our field → the source column's header, as in the file */
  columns: z.record(z.string(), z.string().max(200)),
  /** our field → (source value → our value); for an event log's status the source value is `Status / Sub status` */
  values: z.record(z.string(), z.record(z.string().max(200), z.string().max(64))),
  /** IANA zone in which timestamps without an offset are read */
  timeZone: z.string().min(1).max(64),
  /** for dates like 05/04/2012 */
  dateOrder: z.enum(['ymd', 'dmy', 'mdy']),
  /** a category the desk does not know: the row is an error, or it goes to `other` */
  unknownCategory: z.enum(['error', 'other']),
  defaults: z.object({
    /** every incident's category when the file has none (event logs) */
    categoryId: z.string().max(64).optional(),
    channel: z.enum(CHANNELS).optional(),
    serviceType: z.enum(SERVICE_TYPES).optional(),
    urgency: z.enum(LEVELS).optional(),
    /** requester name when the file has none (event logs) */
    requester: z.string().trim().min(1).max(100).optional(),
  }),
  /** repair Latin-1-read-as-Mac-Roman names (`Bjˆrn` → `Björn`) when a column shows that damage */
  fixMojibake: z.boolean(),
});
export type ImportMapping = z.infer<typeof importMappingSchema>;
export const importMappingInputSchema = importMappingSchema.partial().extend({
  defaults: importMappingSchema.shape.defaults.optional(),
});
export type ImportMappingInput = z.infer<typeof importMappingInputSchema>;

/** The header's fingerprint: the same export from the same system has the same one. */
export function headerSignature(format: string, header: string[]): string {
  return createHash('sha256').update(`${format === 'xes' ? 'xes' : 'table'}\u0001${header.map(norm).join('\u0001')}`).digest('hex').slice(0, 16);
}
const metaKey = (sig: string) => `import.mapping.${sig}`;

/** BPIC 2013 VINST (Volvo IT) in IBM's CSV export or the 4TU XES: one source, so importing both adds nothing twice. */
export function isVinst(header: string[]): boolean {
  const h = new Set(header.map(norm));
  return (h.has(norm('SR Number')) && h.has(norm('Change Date+Time')) && h.has(norm('Sub Status')))
    || (h.has(norm('case:concept:name')) && h.has(norm('lifecycle:transition')) && h.has('impact') && h.has('product') && h.has(norm('organization involved')));
}

/**
 * Which shape a file has when the caller does not say: XES is always an event log; a table is an
 * event log when it has a per-event time column and none of an incident list's own times or title.
 */
export function detectShape(format: string, header: string[]): Shape {
  if (format === 'xes') return 'eventlog';
  const ev = detectColumns('eventlog', header);
  const list = detectColumns('list', header);
  if (ev.number && ev.time && ev.status && !list.reported && !list.title) return 'eventlog';
  return 'list';
}

/** VINST's status × sub-status pairs onto ours: Wait* pauses, Completed resolves or closes, Unmatched reopens. */
export function autoStatus(status: string, sub: string): Status | null {
  const s = norm(status), u = norm(sub);
  if (u.startsWith('wait') || s.startsWith('wait')) return 'pending';
  if (s === 'unmatched' || u === 'unmatched') return 'reopened';
  if (s === 'completed' || s === 'complete') return ['closed', 'cancelled', 'canceled'].includes(u) ? 'closed' : 'resolved';
  if (u === 'awaiting assignment' || u === 'assigned') return 'assigned';
  if (u === 'in progress' || u === 'in call') return 'in_progress';
  return (u && VOCAB.status.get(u)) || VOCAB.status.get(s) || null;
}

/** The key an event-log row's status is mapped by. */
export const statusKey = (status: string, sub: string | undefined) => (sub ? `${status.trim()} / ${sub.trim()}` : status.trim());

export interface ResolvedMapping { mapping: ImportMapping; from: 'given' | 'remembered' | 'detected'; signature: string }

/**
 * The mapping in use: what the caller gave, else what was remembered for this header, else what
 * the header suggests; fields the caller left out are filled from the next source down.
 */
export function resolveMapping(store: DeskStore, format: string, header: string[], opts: { shape?: Shape; given?: ImportMappingInput }): ResolvedMapping {
  const signature = headerSignature(format, header);
  const rememberedRaw = store.meta(metaKey(signature));
  let remembered: Partial<ImportMapping> | null = null;
  if (rememberedRaw) {
    const p = importMappingSchema.safeParse(JSON.parse(rememberedRaw));
    if (p.success) remembered = p.data;
  }
  const shape: Shape = opts.shape ?? opts.given?.shape ?? remembered?.shape ?? detectShape(format, header);
  const base = remembered && remembered.shape === shape ? remembered : null;
  const vinst = isVinst(header);
  const detected: ImportMapping = {
    shape,
    source: vinst ? 'bpic2013-vinst' : `${shape}-${signature.slice(0, 8)}`,
    columns: detectColumns(shape, header),
    values: {},
    timeZone: localZone(store.meta('time_zone')),
    dateOrder: 'ymd',
    unknownCategory: 'error',
    defaults: shape === 'eventlog' ? { categoryId: 'other', channel: 'web', serviceType: 'fault', requester: '—' } : {},
    fixMojibake: true,
  };
  const given = opts.given ?? {};
  const pick = <K extends keyof ImportMapping>(k: K): ImportMapping[K] => (given[k] as ImportMapping[K] | undefined) ?? (base?.[k] as ImportMapping[K] | undefined) ?? detected[k];
  const mapping: ImportMapping = {
    shape,
    source: pick('source'),
    columns: pick('columns'),
    values: pick('values'),
    timeZone: pick('timeZone'),
    dateOrder: pick('dateOrder'),
    unknownCategory: pick('unknownCategory'),
    defaults: pick('defaults'),
    fixMojibake: pick('fixMojibake'),
  };
  // only columns that exist in this file
  const present = new Set(header);
  mapping.columns = Object.fromEntries(Object.entries(mapping.columns).filter(([field, col]) => present.has(col) && FIELDS[shape].some((d) => d.key === field)));
  const from = opts.given && Object.keys(opts.given).length ? 'given' : base ? 'remembered' : 'detected';
  return { mapping, from, signature };
}

export function rememberMapping(store: DeskStore, signature: string, mapping: ImportMapping): void {
  store.setMeta(metaKey(signature), JSON.stringify(mapping));
}

export const isStatus = (v: string): v is Status => (STATUSES as readonly string[]).includes(v);
