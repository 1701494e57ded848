import { performance } from 'node:perf_hooks';
import {
  HlcClock, OPEN_STATUSES, classifyCell, formatHlc, formatMatrixCell, slaDueTimes, uuidv7,
  type HistoryEntry, type Incident, type Priority,
} from '../../../shared/index.js';
import type { Db } from '../db/connection.js';
import type { DeskStore } from '../store/desk-store.js';
import { DeskInputError, DeskNoUserError } from '../store/errors.js';
import { ftsText } from '../store/fts.js';
import { INCIDENT_COLUMNS, INCIDENT_FIELDS, minutesFromParams } from '../store/rows.js';
import { yieldToLoop } from './table.js';
import { historyFacts } from '../../../shared/reports.js';
import { deferFacts, refreshDeferredFacts } from '../reports/facts.js';

/** An incident as read from a file: everything but what the desk assigns when it writes it. */
export type ImportIncident = Omit<Incident, 'id' | 'number' | 'ownerId' | 'createdBy' | 'deviceId' | 'recordedAt' | 'updatedAt' | 'resolveDueAt' | 'responseDueAt' | 'priority' | 'origin'>
  & { priority?: Priority };
/**
 * The source event behind an imported history row (event logs): the columns the product knows by
 * name as typed text ('' when the file has none), and every other column of the event as one JSON
 * object keyed by the file's column names (`attrs`, null when none). Written to migration 010's
 * history columns on this desk; not part of the synced history entry.
 */
export interface SourceFacts {
  status: string; subStatus: string; group: string; owner: string; role: string; orgLine: string;
  country: string; ownerCountry: string; product: string; impact: string; attrs: string | null;
}
export type ImportHistory = Pick<HistoryEntry, 'at' | 'kind' | 'field' | 'oldValue' | 'newValue' | 'note'> & { source?: SourceFacts };
export interface ImportRecord { importKey: string; incident: ImportIncident; history: ImportHistory[] }

/** `live`: of those created, open incidents made live work (`liveOpen`). */
export interface WriteResult { created: number; skipped: number; live: number }

/**
 * The owner of an imported incident (issue 14, item 5). Imported incidents keep their source's
 * owners and groups as names (the group on the incident, each event's owner and group in its source
 * facts); the owner id says whether the incident is history (`import:history`, the default) or open
 * work the importing person chose to make live (`import:live`). It travels with the incident through
 * sync, so every desk tells them apart the same way (`incidents.imported_history`, migration 010).
 */
export const IMPORTED_OWNER = 'import:history';
export const IMPORTED_LIVE_OWNER = 'import:live';

/** The message a write from elsewhere gets while an import is being written. */
export const IMPORT_BUSY = 'an import is being written: try again when it has finished';

/** Work between two turns of the event loop (about: the slice's full-text entries follow). */
const SLICE_MS = 40;
/** At most this many records between two turns. */
const BATCH_MAX = 2_000;

/** The fields the report's two target minutes (migration 022) are computed from, in the order their `?` appear. */
const MINUTE_PARAMS: number[] = [];
const TARGETS = minutesFromParams((f) => `{${INCIDENT_FIELDS.indexOf(f)}}`, () => 'NULL').slice(0, 2)
  .map((e) => e.replace(/\{(\d+)\}/g, (_, k: string) => { MINUTE_PARAMS.push(Number(k)); return '?'; }));
const INSERT_INCIDENT = `INSERT INTO main.incidents (${INCIDENT_FIELDS.map((f) => INCIDENT_COLUMNS[f]).join(', ')}, client_id, import_key, fact_resp_target, fact_res_target)
  VALUES (${INCIDENT_FIELDS.map(() => '?').join(', ')}, NULL, ?, ${TARGETS.join(', ')})`;
const N_FIELDS = INCIDENT_FIELDS.length;
const MAJOR = INCIDENT_FIELDS.indexOf('majorReasons');
const SPELLS = INCIDENT_FIELDS.indexOf('pendingSpells');
const NO_SOURCE: null[] = new Array(11).fill(null);
/** Optional incident fields a file never gives, stored as their column's value for "none" where that is not NULL. */
const UNSET: Record<string, unknown> = { returnCount: 0, reopenCount: 0, pendingSpells: '[]' };
const OPEN = new Set<string>(OPEN_STATUSES);

/** Imports on one database run one after another (see `writeImport`). */
const queues = new WeakMap<Db, Promise<unknown>>();

export interface WriteOptions {
  /** Called between slices with the records handled so far. */
  onProgress?: (done: number, total: number) => void;
  /** Runs inside the import's transaction just before COMMIT (e.g. remembering the mapping): it commits with the import or not at all. */
  beforeCommit?: () => void;
  /** Open incidents become live work (owner `import:live`) instead of history; the default is history. */
  liveOpen?: boolean;
}

/**
 * Writes checked import records, all or nothing, in ONE SQLite transaction, while the event loop
 * keeps turning: progress polls (HTTP or IPC) are answered and the UI is not frozen.
 *
 * Design (the simplest we found that stays correct on the store's single connection):
 * - `BEGIN IMMEDIATE` … `COMMIT` by hand on the store's connection. Records are written in slices of
 *   about 40 ms; between slices the loop turns (`setImmediate`). Any error, or the desk closing,
 *   rolls the whole import back: nothing is left behind. Imports on one desk are queued.
 * - While the loop turns, anything else writing on this connection would join our open transaction
 *   (and be lost with it on a failure). So, for exactly that time, every write from elsewhere is
 *   refused with IMPORT_BUSY (see `guardSql`): the refused statement, or the `db.transaction`
 *   savepoint around it, is rolled back and changes nothing; the sync engine retries next round.
 * - Reads between slices see the incidents written so far (same connection), except the outbox:
 *   its reader acts outside the desk (the sync engine pushes what it reads), so while the loop turns
 *   `outbox` names a temporary view of the rows committed before the import. No uncommitted
 *   change can reach the server.
 * - Every incident, its history, its full-text entry and its outbox mutation commit in that one
 *   transaction (synchronous=FULL in WAL mode, like every other write of the store).
 * - HLC times continue the store's own clock (`receiveHlc` persists its current time first; at the
 *   end the store's clock is moved past the import's last time).
 *
 * Records whose import key is already in the store are skipped: the same file twice adds nothing.
 */
export async function writeImport(store: DeskStore, records: ImportRecord[], opts: WriteOptions = {}): Promise<WriteResult> {
  const db = store.db;
  const before = queues.get(db) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(() => write(store, records, opts));
  queues.set(db, run);
  try {
    return await run;
  } finally {
    if (queues.get(db) === run) queues.delete(db);
  }
}

async function write(store: DeskStore, records: ImportRecord[], opts: WriteOptions): Promise<WriteResult> {
  const db = store.db;
  const actor = store.currentUser();
  if (!actor) throw new DeskNoUserError();
  const categories = new Set(store.listCategories().map((c) => c.id));
  const total = records.length;
  let result: WriteResult;

  db.exec('BEGIN IMMEDIATE');
  try {
    const factsMark = deferFacts(db); // reports' fact columns: once per incident at the end, not per event
    const guard = guardSql(db, db.prepare('SELECT coalesce(max(seq), 0) FROM main.outbox').pluck().get() as number);
    const exists = db.prepare('SELECT 1 FROM main.incidents WHERE import_key = ?').pluck();
    const insIncident = db.prepare(INSERT_INCIDENT);
    const insFts = db.prepare('INSERT INTO main.incidents_fts (rowid, body) VALUES (?, ?)');
    const insHistory = db.prepare(`INSERT INTO main.history (id, incident_id, at, actor_id, device_id, online, kind, field, old_value, new_value, note,
        status_from, status_to, tier_from, tier_to, group_to, assignee_to, priority_to, auto_escalated,
        src_status, src_sub_status, src_group, src_owner, src_role, src_org_line, src_country, src_owner_country, src_product, src_impact, source_attrs)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insOutbox = db.prepare("INSERT INTO main.outbox (name, version, hlc, user_id, args, created_at) VALUES ('incident.create', 1, ?, ?, ?, ?)");

    // the store's clock, continued: receiveHlc ticks it and persists its current time
    store.receiveHlc(formatHlc({ wall: 0, counter: 0, node: store.deviceId }));
    const clock = new HlcClock(store.deviceId, () => store.now().getTime(), store.meta('hlc'));

    const now = store.now();
    const at = now.toISOString();
    const actorId = actor.id;
    const deviceId = store.deviceId;
    const deviceCode = store.deviceCode;
    const online = store.isOnline();
    const onlineInt = online ? 1 : 0;
    const sla = store.slaSettings;
    const liveOpen = opts.liveOpen === true;
    let seq = Number(store.meta('number_seq') ?? '0');
    let created = 0;
    let skipped = 0;
    let live = 0;
    const row: unknown[] = new Array(N_FIELDS + 1 + MINUTE_PARAMS.length);
    // Full-text entries are written at the end of each slice, all in one run: FTS5 flushes its
    // pending terms whenever another statement comes between two of its inserts, so one entry per
    // record made the full-text index cost about twice as much. (Everything else is written record
    // by record: holding a slice's history and mutations made them outlive young-generation GCs.)
    const ftsRowids: Array<number | bigint> = [];
    const ftsBodies: string[] = [];
    let k = 0;
    while (k < total) {
      const sliceStart = performance.now();
      for (let n = 0; k < total && n < BATCH_MAX && (n % 64 !== 0 || performance.now() - sliceStart < SLICE_MS); n++, k++) {
        const rec = records[k];
        if (exists.get(rec.importKey)) { skipped++; continue; }
        const src = rec.incident;
        if (!categories.has(src.categoryId)) throw new DeskInputError([{ path: `records.${k}.categoryId`, message: `unknown category ${src.categoryId}` }]);
        seq++;
        const id = uuidv7();
        const number = `${deviceCode}-${String(seq).padStart(5, '0')}`;
        // a new record: classified with the matrix in force (issue 13), its cell kept with it
        const matrixCell = formatMatrixCell(classifyCell(src, store.matrix, { reclassify: true }));
        const priority = src.priority ?? store.priorityOf({ ...src, matrixCell }).priority;
        const pendingSpells = src.pendingSpells ?? [];
        const due = slaDueTimes({ priority, serviceLevel: src.serviceLevel, reportedAt: src.reportedAt, pendingSpells }, sla); // business time (issue 13)
        // one literal with every field (a spread of 50 keys would make a slow dictionary-mode object)
        const isLive = liveOpen && OPEN.has(src.status);
        if (isLive) live++;
        const inc: Incident = {
          id, number, channel: src.channel, requesterId: src.requesterId, requesterName: src.requesterName,
          requesterDept: src.requesterDept, requesterPhone: src.requesterPhone, requesterEmail: src.requesterEmail,
          serviceLevel: src.serviceLevel, serviceType: src.serviceType, categoryId: src.categoryId, title: src.title,
          description: src.description, affectedName: src.affectedName, affectedIp: src.affectedIp, affectedLocation: src.affectedLocation,
          impactScope: src.impactScope, impact: src.impact, urgency: src.urgency, majorReasons: src.majorReasons, urgentReason: src.urgentReason,
          autoEscalated: src.autoEscalated, priority, matrixCell, status: src.status, occurredAt: src.occurredAt, reportedAt: src.reportedAt,
          recordedAt: at, firstResponseAt: src.firstResponseAt, resolvedAt: src.resolvedAt, closedAt: src.closedAt,
          pendingSince: src.pendingSince, pausedMs: src.pausedMs, pendingSpells,
          resolveDueAt: due.resolveDueAt, responseDueAt: due.responseDueAt,
          ownerId: isLive ? IMPORTED_LIVE_OWNER : IMPORTED_OWNER, tier: src.tier, groupName: src.groupName, assigneeId: src.assigneeId, resolution: src.resolution,
          rootCause: src.rootCause, problemRef: src.problemRef, changeRef: src.changeRef, kbArticleId: src.kbArticleId,
          satisfaction: src.satisfaction, satisfactionComment: src.satisfactionComment, backfilled: src.backfilled,
          backfillReason: src.backfillReason, origin: 'import', externalRef: src.externalRef, createdBy: actorId, deviceId, updatedAt: at,
        };
        // positional parameters, in the column order of INSERT_INCIDENT (as rows.ts's incidentParams)
        for (let f = 0; f < N_FIELDS; f++) {
          const v = inc[INCIDENT_FIELDS[f]];
          row[f] = typeof v === 'boolean' ? (v ? 1 : 0) : v ?? UNSET[INCIDENT_FIELDS[f]] ?? null;
        }
        row[MAJOR] = inc.majorReasons.length ? JSON.stringify(inc.majorReasons) : '[]';
        row[SPELLS] = pendingSpells.length ? JSON.stringify(pendingSpells) : '[]';
        row[N_FIELDS] = rec.importKey;
        for (let k = 0; k < MINUTE_PARAMS.length; k++) row[N_FIELDS + 1 + k] = row[MINUTE_PARAMS[k]];
        ftsRowids.push(insIncident.run(row).lastInsertRowid);
        ftsBodies.push(ftsText([number, inc.title, inc.description, inc.requesterName, inc.requesterDept, inc.resolution]));

        const history: HistoryEntry[] = new Array(rec.history.length + 1);
        history[0] = { id: uuidv7(), incidentId: id, at, actorId, actorName: null, deviceId, online, kind: 'import', field: null, oldValue: null, newValue: number, note: `imported as ${rec.importKey}` };
        for (let h = 0; h < rec.history.length; h++) {
          const e = rec.history[h];
          history[h + 1] = { id: uuidv7(), incidentId: id, at: e.at, actorId, actorName: null, deviceId, online, kind: e.kind, field: e.field, oldValue: e.oldValue, newValue: e.newValue, note: e.note };
        }
        for (let h = 0; h < history.length; h++) {
          const e = history[h];
          const x = historyFacts(e); // typed facts (migration 008)
          const f = h > 0 ? rec.history[h - 1].source : undefined; // the source event (migration 010)
          insHistory.run(e.id, id, e.at, actorId, deviceId, onlineInt, e.kind, e.field, e.oldValue, e.newValue, e.note,
            x.statusFrom, x.statusTo, x.tierFrom, x.tierTo, x.groupTo, x.assigneeTo, x.priorityTo, x.autoEscalated,
            ...(f ? [f.status || null, f.subStatus || null, f.group || null, f.owner || null, f.role || null, f.orgLine || null,
              f.country || null, f.ownerCountry || null, f.product || null, f.impact || null, f.attrs] : NO_SOURCE));
        }
        // the mutation the sync engine sends: the incident and its history, serialised once
        insOutbox.run(clock.tick(), actorId, JSON.stringify({ incident: inc, history }), at);
        created++;
      }
      for (let j = 0; j < ftsRowids.length; j++) insFts.run(ftsRowids[j], ftsBodies[j]);
      ftsRowids.length = 0; ftsBodies.length = 0;
      if (k < total) {
        opts.onProgress?.(k, total);
        db.exec(guard.on);
        try { await yieldToLoop(); } finally { db.exec(guard.off); }
      }
    }

    opts.onProgress?.(total, total);
    store.setMeta('number_seq', String(seq));
    store.receiveHlc(clock.current());
    refreshDeferredFacts(db, factsMark);
    opts.beforeCommit?.();
    // The COMMIT writes what is left of the import to the WAL and syncs it; the checkpoint that
    // copies the WAL into the database file follows after the loop has turned once (two stand-stills
    // of ~1 s for 50,000 incidents instead of one of ~2 s).
    const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma('wal_autocheckpoint = 0');
    try { db.exec('COMMIT'); } finally { try { db.pragma(`wal_autocheckpoint = ${autocheckpoint}`); } catch { /* closed */ } }
    result = { created, skipped, live };
  } catch (e) {
    try { if (db.open && db.inTransaction) db.exec('ROLLBACK'); } catch { /* the desk was closed: SQLite rolled back */ }
    throw e;
  }
  await yieldToLoop();
  // committed: a checkpoint that cannot run now is done by the next commit's automatic one
  try { if (db.open && !db.inTransaction) db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* see above */ }
  return result;
}

const quoteId = (s: string) => `"${s.replace(/"/g, '""')}"`;
const quoteText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * SQL run when the import yields (`on`) and when it resumes (`off`):
 * - a temporary BEFORE trigger on every INSERT, UPDATE and DELETE of every table of the store,
 *   raising IMPORT_BUSY. They exist only while the import is yielded: present during our own
 *   slices (with a WHEN condition that let our rows through) they made the import ~3× slower.
 * - `outbox` as a temporary view of the rows committed before the import (temp objects shadow
 *   main ones for unqualified names), with INSTEAD OF triggers raising IMPORT_BUSY.
 * DDL expires every prepared statement of the connection, so statements prepared elsewhere before
 * meet the triggers and the view too. FTS shadow tables cannot take triggers; the FTS tables are
 * written only along with their base tables, which do. (~1 ms per yield.)
 */
function guardSql(db: Db, committedSeq: number): { on: string; off: string } {
  const tables = db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    .pluck().all() as string[];
  const on: string[] = [`CREATE TEMP VIEW outbox AS SELECT * FROM main.outbox WHERE seq <= ${committedSeq}`];
  const off: string[] = ['DROP VIEW temp.outbox'];
  const refuse = `BEGIN SELECT RAISE(ABORT, ${quoteText(IMPORT_BUSY)}); END`;
  for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
    on.push(`CREATE TEMP TRIGGER relay_import_guard_outbox_view_${op.toLowerCase()} INSTEAD OF ${op} ON temp.outbox ${refuse}`);
  }
  for (const t of tables) {
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      const name = quoteId(`relay_import_guard_${t}_${op.toLowerCase()}`);
      on.push(`CREATE TEMP TRIGGER ${name} BEFORE ${op} ON main.${quoteId(t)} ${refuse}`);
      off.push(`DROP TRIGGER temp.${name}`);
    }
  }
  return { on: on.join(';\n'), off: off.join(';\n') };
}
