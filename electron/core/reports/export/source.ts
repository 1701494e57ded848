import Database from 'better-sqlite3';
import type { DeskStore } from '../../store/desk-store.js';
import type { ReportQueryParsed } from '../../../../shared/reports.js';
import { reportScope } from '../scope.js';
import { INCIDENT_EXPORT_COLUMNS, labelsFor, valueLabel, type ExportLang } from './labels.js';

/** Thrown inside an export when its job was cancelled; the runner removes the temporary file. */
export class ExportCancelled extends Error {
  constructor() { super('export cancelled'); this.name = 'ExportCancelled'; }
}

export type ExportPhase = 'queued' | 'report' | 'rows' | 'pdf' | 'finishing' | 'done' | 'cancelled' | 'failed';

/** What an exporter is given by its runner: report progress, check for cancel, and let the event loop breathe. */
export interface ExportCtx {
  progress(phase: ExportPhase, done: number, total: number): void;
  /** Yields to the event loop (setImmediate); throws ExportCancelled when the job was cancelled meanwhile. */
  pause(): Promise<void>;
}
export const plainCtx: ExportCtx = { progress() {}, pause: () => new Promise((r) => setImmediate(r)) };

/**
 * Rows per chunk between two yields (and cancel checks). Small on purpose: a chunk's rows and text
 * are what survives each young-generation collection, and at 2,000 rows (~12 MB) the collector
 * copied and promoted so much that it cost as much as the rows; at 500 a million-row CSV spends ~1 s in GC, not ~8.
 */
export const CHUNK_ROWS = 500;

/** Local wall-clock time in a time zone with its UTC offset; the offset is cached per quarter hour (zones change on those). */
export class LocalTime {
  private cache = new Map<number, number>();
  private fmt: Intl.DateTimeFormat;
  constructor(readonly timeZone: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
  }
  /** local − UTC, in ms, at the instant `t` */
  offset(t: number): number {
    const key = Math.floor(t / 900_000);
    let off = this.cache.get(key);
    if (off === undefined) {
      const base = key * 900_000;
      const parts = this.fmt.formatToParts(new Date(base));
      const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
      off = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - base;
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(key, off);
    }
    return off;
  }
  private suffix = new Map<number, string>();
  /** `2026-11-03 09:15:00+08:00` (integer arithmetic: a million rows carry several million times) */
  format(t: number): string {
    const off = this.offset(t);
    let sfx = this.suffix.get(off);
    if (sfx === undefined) {
      const a = Math.abs(off) / 60_000;
      sfx = `${off < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
      this.suffix.set(off, sfx);
    }
    const secs = Math.floor((t + off) / 1000);
    const days = Math.floor(secs / 86_400);
    const sod = secs - days * 86_400;
    // civil date from days since 1970-01-01 (H. Hinnant's algorithm)
    const z = days + 719_468; const era = Math.floor(z / 146_097); const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1; const m = mp < 10 ? mp + 3 : mp - 9; const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    const h = Math.floor(sod / 3600); const mi = Math.floor((sod % 3600) / 60); const se = sod % 60;
    return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d} ${h < 10 ? '0' : ''}${h}:${mi < 10 ? '0' : ''}${mi}:${se < 10 ? '0' : ''}${se}${sfx}`;
  }
  private minutes = new Map<string, { head: string; sfx: string } | null>();
  /**
   * `format` of a stored ISO time (`2026-11-03T01:15:42.123Z`), the export's hot path: the local
   * date, hour and minute and the offset are cached per UTC minute (offsets change only on whole
   * minutes), the seconds copied from the text; no Date.parse per value. Other shapes go the long way.
   */
  formatIso(iso: string): string {
    if (iso.length !== 24 || iso.charCodeAt(23) !== 90 || iso.charCodeAt(10) !== 84 || iso.charCodeAt(16) !== 58) return this.format(Date.parse(iso));
    const key = iso.slice(0, 16);
    let m = this.minutes.get(key);
    if (m === undefined) {
      const t = Date.parse(`${key}:00.000Z`);
      const off = Number.isNaN(t) ? NaN : this.offset(t);
      if (Number.isNaN(t) || off % 60_000 !== 0) m = null;
      else { const f = this.format(t); m = { head: f.slice(0, 16), sfx: f.slice(19) }; }
      if (this.minutes.size > 200_000) this.minutes.clear();
      this.minutes.set(key, m);
    }
    return m ? m.head + iso.slice(16, 19) + m.sfx : this.format(Date.parse(iso));
  }
  /** A Date whose UTC fields are the local wall clock: what an Excel date cell (which has no zone) should show. */
  wallDate(t: number): Date { return new Date(Math.floor((t + this.offset(t)) / 1000) * 1000); }
}

/** A cell value before a format writes it: text, number, a time (ms since epoch), or nothing. */
export type Cell = string | number | { t: number } | null;

const COLS = INCIDENT_EXPORT_COLUMNS;
/** Incident columns read, in this order (rows come back as arrays: no per-row object, less garbage). */
const READ: Array<[string, string]> = [
  ['id', 'id'], ['number', 'number'], ['channel', 'channel'], ['requesterName', 'requester_name'], ['requesterDept', 'requester_dept'],
  ['requesterPhone', 'requester_phone'], ['requesterEmail', 'requester_email'], ['serviceLevel', 'service_level'], ['serviceType', 'service_type'],
  ['categoryId', 'category_id'], ['title', 'title'], ['description', 'description'], ['affectedName', 'affected_name'], ['affectedIp', 'affected_ip'],
  ['affectedLocation', 'affected_location'], ['impactScope', 'impact_scope'], ['impact', 'impact'], ['urgency', 'urgency'],
  ['majorReasons', 'major_reasons'], ['urgentReason', 'urgent_reason'], ['autoEscalated', 'auto_escalated'], ['priority', 'priority'],
  ['status', 'status'], ['occurredAt', 'occurred_at'], ['reportedAt', 'reported_at'], ['recordedAt', 'recorded_at'],
  ['firstResponseAt', 'first_response_at'], ['resolvedAt', 'resolved_at'], ['closedAt', 'closed_at'], ['pendingSince', 'pending_since'],
  ['pausedMs', 'paused_ms'], ['resolveDueAt', 'resolve_due_at'], ['responseDueAt', 'response_due_at'], ['ownerId', 'owner_id'], ['tier', 'tier'],
  ['groupName', 'group_name'], ['assigneeId', 'assignee_id'], ['resolution', 'resolution'], ['rootCause', 'root_cause'], ['problemRef', 'problem_ref'],
  ['changeRef', 'change_ref'], ['kbArticleId', 'kb_article_id'], ['satisfaction', 'satisfaction'], ['satisfactionComment', 'satisfaction_comment'],
  ['backfilled', 'backfilled'], ['backfillReason', 'backfill_reason'], ['origin', 'origin'], ['externalRef', 'external_ref'],
  ['createdBy', 'created_by'], ['deviceId', 'device_id'], ['updatedAt', 'updated_at'],
];
/** Position of a field in a read row. */
export const AT = new Map(READ.map(([k], i) => [k, i]));
const SELECT = `SELECT ${READ.map(([, c]) => `i.${c}`).join(', ')} FROM incidents i`;

/** One incident as read: values in READ order. */
export type Row = unknown[];
/** Names of people and categories, looked up in memory (small tables) rather than joined per row. */
export interface Names { users: Map<string, string>; categories: Map<string, { zh: string; en: string }> }

/** Turns a database row into the export's cells, in INCIDENT_EXPORT_COLUMNS order. */
export function rowToCells(lang: ExportLang, names: Names): (r: Row) => Cell[] {
  const L = labelsFor(lang);
  const conv = COLS.map((col): ((r: Row) => Cell) => {
    const k = col.key;
    if (k === 'categoryName') { const i = AT.get('categoryId')!; return (r) => { const c = names.categories.get(r[i] as string); return c ? (lang === 'zh-CN' ? c.zh : c.en) : null; }; }
    if (k === 'ownerName' || k === 'assigneeName') { const i = AT.get(k === 'ownerName' ? 'ownerId' : 'assigneeId')!; return (r) => names.users.get(r[i] as string) ?? null; }
    if (k === 'pausedMin') { const i = AT.get('pausedMs')!; return (r) => Math.round(((r[i] as number) ?? 0) / 600) / 100; }
    const i = AT.get(k);
    if (i === undefined) throw new Error(`export column ${k} is not read`);
    switch (col.kind) {
      case 'time': return (r) => { const v = r[i] as string | null; return v ? { t: Date.parse(v) } : null; };
      case 'number': return (r) => (r[i] == null ? null : Number(r[i]));
      case 'bool': return (r) => (r[i] ? L.yes : L.no);
      case 'enum': return (r) => (r[i] == null ? null : valueLabel(lang, k, r[i] as string));
      case 'list': return (r) => { try { const a = JSON.parse((r[i] as string) ?? '[]') as string[]; return a.length ? a.join('; ') : null; } catch { return r[i] as string; } };
      default: return (r) => (r[i] == null ? null : String(r[i]));
    }
  });
  return (r) => conv.map((f) => f(r));
}

/**
 * The incidents of a report in reported-time order, read in chunks inside one read transaction: the
 * export sees one consistent snapshot. In the report worker (worker.ts) the store's connection is
 * the worker's own read-only one and is read directly; on the desk's thread (an in-memory store) a
 * second, read-only connection is opened when there is a file, so the desk's own connection stays
 * free while the export yields between chunks (a statement left iterating on it would make every
 * other call on it fail as busy). One pass over the reported-time index, no sort.
 */
export function openIncidents(store: DeskStore, query: ReportQueryParsed) {
  const scope = reportScope(store, query);
  const file = store.db.name;
  const own = store.db.readonly;
  const db = !own && file && file !== ':memory:' ? new Database(file, { readonly: true, fileMustExist: true }) : null;
  const conn = db ?? (store.db as unknown as Database.Database);
  const began = (db != null || own) && !conn.inTransaction;
  if (began) conn.exec('BEGIN');
  const total = conn.prepare(`SELECT count(*) FROM incidents i WHERE ${scope.where}`).pluck().get(...scope.params) as number;
  const names: Names = {
    users: new Map((conn.prepare('SELECT id, name FROM users').raw().all() as Array<[string, string]>)),
    categories: new Map((conn.prepare('SELECT id, name_zh, name_en FROM categories').raw().all() as Array<[string, string, string]>).map(([id, zh, en]) => [id, { zh, en }])),
  };
  const sql = `${SELECT} WHERE ${scope.where} ORDER BY i.reported_at, i.rowid`;
  let iter: IterableIterator<unknown> | null = null;
  return {
    total,
    names,
    async *chunks(size = CHUNK_ROWS): AsyncGenerator<Row[]> {
      // the desk's own connection (an in-memory store): read everything at once, nothing left iterating on it
      if (!db && !own) { const all = conn.prepare(sql).raw().all(...scope.params) as Row[]; for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size); return; }
      iter = conn.prepare(sql).raw().iterate(...scope.params);
      for (;;) {
        const rows: Row[] = [];
        for (let i = 0; i < size; i++) { const r = iter.next(); if (r.done) break; rows.push(r.value as Row); }
        if (rows.length) yield rows;
        if (rows.length < size) return;
      }
    },
    close() {
      iter?.return?.();
      if (began) { try { conn.exec('COMMIT'); } catch { /* already ended */ } }
      db?.close();
    },
  };
}
