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

/** Rows per chunk between two yields to the event loop. */
export const CHUNK_ROWS = 2000;

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
  /** `2026-11-03 09:15:00+08:00` */
  format(t: number): string {
    const off = this.offset(t);
    const s = new Date(t + off).toISOString();
    const a = Math.abs(off) / 60_000;
    const oh = String(Math.floor(a / 60)).padStart(2, '0');
    const om = String(a % 60).padStart(2, '0');
    return `${s.slice(0, 10)} ${s.slice(11, 19)}${off < 0 ? '-' : '+'}${oh}:${om}`;
  }
  /** A Date whose UTC fields are the local wall clock: what an Excel date cell (which has no zone) should show. */
  wallDate(t: number): Date { return new Date(Math.floor((t + this.offset(t)) / 1000) * 1000); }
}

/** A cell value before a format writes it: text, number, a time (ms since epoch), or nothing. */
export type Cell = string | number | { t: number } | null;

const COLS = INCIDENT_EXPORT_COLUMNS;
const SELECT = `SELECT i.rowid AS _rid, i.id, i.number, i.channel, i.requester_name AS requesterName, i.requester_dept AS requesterDept,
  i.requester_phone AS requesterPhone, i.requester_email AS requesterEmail, i.service_level AS serviceLevel, i.service_type AS serviceType,
  i.category_id AS categoryId, c.name_zh AS categoryNameZh, c.name_en AS categoryNameEn, i.title, i.description,
  i.affected_name AS affectedName, i.affected_ip AS affectedIp, i.affected_location AS affectedLocation, i.impact_scope AS impactScope,
  i.impact, i.urgency, i.major_reasons AS majorReasons, i.urgent_reason AS urgentReason, i.auto_escalated AS autoEscalated,
  i.priority, i.status, i.occurred_at AS occurredAt, i.reported_at AS reportedAt, i.recorded_at AS recordedAt,
  i.first_response_at AS firstResponseAt, i.resolved_at AS resolvedAt, i.closed_at AS closedAt, i.pending_since AS pendingSince,
  i.paused_ms AS pausedMs, i.resolve_due_at AS resolveDueAt, i.response_due_at AS responseDueAt, i.owner_id AS ownerId, uo.name AS ownerName,
  i.tier, i.group_name AS groupName, i.assignee_id AS assigneeId, ua.name AS assigneeName, i.resolution, i.root_cause AS rootCause,
  i.problem_ref AS problemRef, i.change_ref AS changeRef, i.kb_article_id AS kbArticleId, i.satisfaction,
  i.satisfaction_comment AS satisfactionComment, i.backfilled, i.backfill_reason AS backfillReason, i.origin, i.external_ref AS externalRef,
  i.created_by AS createdBy, i.device_id AS deviceId, i.updated_at AS updatedAt
  FROM incidents i LEFT JOIN categories c ON c.id = i.category_id LEFT JOIN users uo ON uo.id = i.owner_id LEFT JOIN users ua ON ua.id = i.assignee_id`;

type Row = Record<string, unknown>;

/** Turns a database row into the export's cells, in INCIDENT_EXPORT_COLUMNS order. */
export function rowToCells(lang: ExportLang): (r: Row) => Cell[] {
  const L = labelsFor(lang);
  const conv = COLS.map((col): ((r: Row) => Cell) => {
    const k = col.key;
    if (k === 'categoryName') return (r) => ((lang === 'zh-CN' ? r.categoryNameZh : r.categoryNameEn) as string | null) ?? null;
    if (k === 'pausedMin') return (r) => Math.round(((r.pausedMs as number) ?? 0) / 600) / 100;
    switch (col.kind) {
      case 'time': return (r) => { const v = r[k] as string | null; return v ? { t: Date.parse(v) } : null; };
      case 'number': return (r) => (r[k] == null ? null : Number(r[k]));
      case 'bool': return (r) => (r[k] ? L.yes : L.no);
      case 'enum': return (r) => (r[k] == null ? null : valueLabel(lang, k, r[k] as string));
      case 'list': return (r) => { try { const a = JSON.parse((r[k] as string) ?? '[]') as string[]; return a.length ? a.join('; ') : null; } catch { return r[k] as string; } };
      default: return (r) => (r[k] == null ? null : String(r[k]));
    }
  });
  return (r) => conv.map((f) => f(r));
}

/**
 * The incidents of a report, read in chunks over a second, read-only connection in one read
 * transaction: the export sees one consistent snapshot, and the desk's own connection stays free
 * for the console while the export yields between chunks (a statement iterating on the desk's
 * connection would make every other call on it fail as busy).
 */
export function openIncidents(store: DeskStore, query: ReportQueryParsed) {
  const scope = reportScope(store, query);
  const file = store.db.name;
  const db = file && file !== ':memory:' ? new Database(file, { readonly: true, fileMustExist: true }) : null;
  const conn = db ?? (store.db as unknown as Database.Database);
  if (db) db.exec('BEGIN');
  const total = conn.prepare(`SELECT count(*) FROM incidents i WHERE ${scope.where}`).pluck().get(...scope.params) as number;
  const page = conn.prepare(`${SELECT} WHERE ${scope.where} AND i.rowid > ? ORDER BY i.rowid LIMIT ?`);
  return {
    total,
    async *chunks(size = CHUNK_ROWS): AsyncGenerator<Row[]> {
      let last = 0;
      for (;;) {
        const rows = page.all(...scope.params, last, size) as Row[];
        if (!rows.length) return;
        last = rows[rows.length - 1]._rid as number;
        yield rows;
        if (rows.length < size) return;
      }
    },
    close() { if (db) { try { db.exec('COMMIT'); } catch { /* already ended */ } db.close(); } },
  };
}
