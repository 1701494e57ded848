import type Database from 'better-sqlite3';
import {
  canWorkRecords, recordNumber, windowIssue,
  type ChangeFields, type ChangeRecord, type ProblemFields, type ProblemRecord, type RecordHistory, type RecordKind,
} from '../../../shared/problems.js';
import { OPEN_STATUSES, uuidv7, type DeskUser, type FieldIssue, type Incident, type MutationName, type Status } from '../../../shared/index.js';
import { DeskInputError, DeskNoUserError, DeskNotFoundError } from '../store/errors.js';
import type { DeskStore } from '../store/desk-store.js';

/**
 * Problem and change records on the desk (issue 12, item 6). Raised and worked here offline like
 * incidents: every write, its history rows and its outbox change (`problem.save`, `change.save`,
 * `change.link`) commit in one transaction; numbers carry this desk's code (`PRB-K7Q2M9-00001`).
 * Pulled snapshots (`problem`, `change_record`, `record_history`) are applied by
 * electron/core/sync/apply.ts through the functions at the end, with this desk's unsent edits
 * replayed on top, as for incidents. An incident links one problem and one change by id
 * (`problemId`, `changeId`, through the store's normal edit path); a link to a record this desk does
 * not hold is refused naming the field (`recordIssues`).
 */

const cache = new WeakMap<object, Map<string, Database.Statement>>();
function sql(store: DeskStore, text: string): Database.Statement {
  let m = cache.get(store.db);
  if (!m) cache.set(store.db, (m = new Map()));
  let s = m.get(text);
  if (!s) m.set(text, (s = store.db.prepare(text)));
  return s;
}
const iso = (d: Date) => d.toISOString();
const txt = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));
const blank = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v.trim());

export interface LinkedIncident { id: string; number: string; title: string; status: Status; priority: string; resolution: string | null }
export interface RecordRef { id: string; number: string; title: string; status: string }
export interface RecordHistoryRow extends RecordHistory { actorName: string | null }

const PROBLEM_SELECT = `SELECT id, number, status, title, root_cause AS rootCause, workaround, created_by AS createdBy, device_id AS deviceId,
  created_at AS createdAt, updated_at AS updatedAt, resolved_at AS resolvedAt FROM problems`;
const CHANGE_SELECT = `SELECT id, number, status, title, description, planned_start AS plannedStart, planned_end AS plannedEnd, created_by AS createdBy,
  device_id AS deviceId, created_at AS createdAt, updated_at AS updatedAt FROM change_records`;

// ---- reads -------------------------------------------------------------------------------------

export function problemRow(store: DeskStore, id: string): ProblemRecord | null {
  return (sql(store, `${PROBLEM_SELECT} WHERE id = ?`).get(id) as ProblemRecord | undefined) ?? null;
}
export function changeRow(store: DeskStore, id: string): ChangeRecord | null {
  const c = sql(store, `${CHANGE_SELECT} WHERE id = ?`).get(id) as Omit<ChangeRecord, 'problemIds'> | undefined;
  if (!c) return null;
  return { ...c, problemIds: sql(store, 'SELECT problem_id FROM change_problems WHERE change_id = ? ORDER BY problem_id').pluck().all(id) as string[] };
}

/** Why `problemId`/`changeId` of an incident edit cannot stand (a record this desk does not hold), naming the field. */
export function recordIssues(store: DeskStore, patch: { problemId?: string | null; changeId?: string | null }): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (patch.problemId && !problemRow(store, patch.problemId)) out.push({ path: 'problemId', message: 'unknown_problem: no such problem record on this desk' });
  if (patch.changeId && !changeRow(store, patch.changeId)) out.push({ path: 'changeId', message: 'unknown_change: no such change record on this desk' });
  return out;
}

const likeText = (q: string) => `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The pickers: records whose number or title contains what was typed, open ones and number matches first. */
export function suggestRecords(store: DeskStore, kind: RecordKind, q: string, limit = 8): RecordRef[] {
  const table = kind === 'problem' ? 'problems' : 'change_records';
  const done = kind === 'problem' ? "('closed')" : "('done', 'cancelled')";
  return sql(store, `SELECT id, number, title, status FROM ${table}
    WHERE (@q = '' OR number LIKE @like ESCAPE '\\' OR title LIKE @like ESCAPE '\\')
    ORDER BY status IN ${done}, (number LIKE @like ESCAPE '\\') DESC, updated_at DESC LIMIT @limit`)
    .all({ q: q.trim(), like: likeText(q), limit }) as RecordRef[];
}

export function listProblems(store: DeskStore, q = '', status?: string): Array<ProblemRecord & { incidents: number; open: number }> {
  return sql(store, `SELECT p.*, (SELECT count(*) FROM incidents i WHERE i.problem_id = p.id) AS incidents,
      (SELECT count(*) FROM incidents i WHERE i.problem_id = p.id AND i.status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})) AS open
    FROM (${PROBLEM_SELECT}) p WHERE (@q = '' OR p.number LIKE @like ESCAPE '\\' OR p.title LIKE @like ESCAPE '\\') AND (@status IS NULL OR p.status = @status)
    ORDER BY p.status IN ('resolved', 'closed'), p.updatedAt DESC LIMIT 500`)
    .all({ q: q.trim(), like: likeText(q), status: status ?? null }) as Array<ProblemRecord & { incidents: number; open: number }>;
}

export function listChanges(store: DeskStore, q = '', status?: string): ChangeRecord[] {
  const rows = sql(store, `SELECT c.* FROM (${CHANGE_SELECT}) c WHERE (@q = '' OR c.number LIKE @like ESCAPE '\\' OR c.title LIKE @like ESCAPE '\\') AND (@status IS NULL OR c.status = @status)
    ORDER BY c.status IN ('done', 'cancelled'), c.plannedStart DESC LIMIT 500`).all({ q: q.trim(), like: likeText(q), status: status ?? null }) as ChangeRecord[];
  return rows.map((c) => ({ ...c, problemIds: sql(store, 'SELECT problem_id FROM change_problems WHERE change_id = ?').pluck().all(c.id) as string[] }));
}

function history(store: DeskStore, recordId: string): RecordHistoryRow[] {
  return (sql(store, `SELECT h.id, h.record_id AS recordId, h.at, h.actor_id AS actorId, u.name AS actorName, h.device_id AS deviceId, h.online, h.kind,
      h.field, h.old_value AS oldValue, h.new_value AS newValue FROM record_history h LEFT JOIN users u ON u.id = h.actor_id WHERE h.record_id = ? ORDER BY h.at, h.rowid`)
    .all(recordId) as Array<Omit<RecordHistoryRow, 'online'> & { online: number }>).map((h) => ({ ...h, online: !!h.online }));
}
const linkedIncidents = (store: DeskStore, column: 'problem_id' | 'change_id', id: string) =>
  sql(store, `SELECT id, number, title, status, priority, resolution FROM incidents WHERE ${column} = ? ORDER BY reported_at`).all(id) as LinkedIncident[];

export function getProblem(store: DeskStore, id: string) {
  const problem = problemRow(store, id);
  if (!problem) throw new DeskNotFoundError('problem', id);
  const changes = sql(store, `SELECT c.id, c.number, c.title, c.status FROM change_problems l JOIN change_records c ON c.id = l.change_id WHERE l.problem_id = ?
    UNION SELECT c.id, c.number, c.title, c.status FROM incidents i JOIN change_records c ON c.id = i.change_id WHERE i.problem_id = ?`).all(id, id) as RecordRef[];
  return { problem, incidents: linkedIncidents(store, 'problem_id', id), changes, history: history(store, id) };
}

export function getChange(store: DeskStore, id: string) {
  const change = changeRow(store, id);
  if (!change) throw new DeskNotFoundError('change record', id);
  const problems = change.problemIds.map((pid) => {
    const p = problemRow(store, pid);
    return p ? { id: p.id, number: p.number, title: p.title, status: p.status } : { id: pid, number: null, title: null, status: null };
  });
  return { change, incidents: linkedIncidents(store, 'change_id', id), problems, history: history(store, id) };
}

// ---- writes ------------------------------------------------------------------------------------

function actor(store: DeskStore): DeskUser {
  const u = store.currentUser();
  if (!u) throw new DeskNoUserError();
  if (!canWorkRecords(u.role)) throw new DeskInputError([{ path: '', message: 'forbidden: only second line, team leads and admins raise and work problem and change records' }]);
  return u;
}

function addHistory(store: DeskStore, u: DeskUser, recordId: string, at: string, kind: RecordHistory['kind'], field: string | null, oldValue: unknown, newValue: unknown): RecordHistory {
  const h: RecordHistory = { id: uuidv7(), recordId, at, actorId: u.id, deviceId: store.deviceId, online: store.isOnline(), kind, field, oldValue: txt(oldValue), newValue: txt(newValue) };
  sql(store, `INSERT OR IGNORE INTO record_history (id, record_id, at, actor_id, device_id, online, kind, field, old_value, new_value)
    VALUES (@id, @recordId, @at, @actorId, @deviceId, @online, @kind, @field, @oldValue, @newValue)`).run({ ...h, online: h.online ? 1 : 0 });
  return h;
}

const send = (store: DeskStore, name: MutationName, args: unknown, userId: string) => store.requeue(name, args, userId);

function nextNumber(store: DeskStore, kind: RecordKind): string {
  const key = `${kind}_seq`;
  const seq = Number(store.meta(key) ?? '0') + 1;
  store.setMeta(key, String(seq));
  return recordNumber(kind, store.deviceCode, seq);
}

function writeProblem(store: DeskStore, p: ProblemRecord): void {
  sql(store, `INSERT INTO problems (id, number, status, title, root_cause, workaround, created_by, device_id, created_at, updated_at, resolved_at)
    VALUES (@id, @number, @status, @title, @rootCause, @workaround, @createdBy, @deviceId, @createdAt, @updatedAt, @resolvedAt)
    ON CONFLICT(id) DO UPDATE SET number = excluded.number, status = excluded.status, title = excluded.title, root_cause = excluded.root_cause,
      workaround = excluded.workaround, updated_at = excluded.updated_at, resolved_at = excluded.resolved_at`).run(p);
}
function writeChange(store: DeskStore, c: ChangeRecord): void {
  sql(store, `INSERT INTO change_records (id, number, status, title, description, planned_start, planned_end, created_by, device_id, created_at, updated_at)
    VALUES (@id, @number, @status, @title, @description, @plannedStart, @plannedEnd, @createdBy, @deviceId, @createdAt, @updatedAt)
    ON CONFLICT(id) DO UPDATE SET number = excluded.number, status = excluded.status, title = excluded.title, description = excluded.description,
      planned_start = excluded.planned_start, planned_end = excluded.planned_end, updated_at = excluded.updated_at`).run({ ...c });
  const del = sql(store, 'DELETE FROM change_problems WHERE change_id = ?');
  const ins = sql(store, 'INSERT OR IGNORE INTO change_problems (change_id, problem_id) VALUES (?, ?)');
  del.run(c.id);
  for (const pid of c.problemIds) ins.run(c.id, pid);
}

/** Second line raises a problem, from an incident it cannot solve (linked at once) or on its own. */
export function raiseProblem(store: DeskStore, input: { incidentId?: string; title: string; rootCause?: string | null; workaround?: string | null }): ProblemRecord {
  return store.db.transaction(() => {
    const u = actor(store);
    const now = store.now();
    const at = iso(now);
    if (input.incidentId) store.getIncidentRecord(input.incidentId); // not found → refused before anything is written
    const p: ProblemRecord = {
      id: uuidv7(), number: nextNumber(store, 'problem'), status: 'open', title: input.title.trim(), rootCause: blank(input.rootCause),
      workaround: blank(input.workaround), createdBy: u.id, deviceId: store.deviceId, createdAt: at, updatedAt: at, resolvedAt: null,
    };
    writeProblem(store, p);
    const hist = [addHistory(store, u, p.id, at, 'create', null, null, p.number)];
    send(store, 'problem.save', {
      id: p.id, create: { number: p.number, createdAt: at },
      fields: { title: p.title, status: p.status, rootCause: p.rootCause, workaround: p.workaround }, history: hist,
    }, u.id);
    // The incident names it through the store's own edit path (its history row and its change to the server).
    if (input.incidentId) store.updateIncident(input.incidentId, { problemId: p.id });
    return p;
  })();
}

export function saveProblem(store: DeskStore, id: string, fields: ProblemFields): ProblemRecord {
  return store.db.transaction(() => {
    const u = actor(store);
    const before = problemRow(store, id);
    if (!before) throw new DeskNotFoundError('problem', id);
    const at = iso(store.now());
    const changed: Record<string, unknown> = {};
    const base: Record<string, unknown> = {};
    for (const [k, raw] of Object.entries(fields)) {
      const v = k === 'title' || k === 'status' ? raw : blank(raw as string | null);
      if (v === undefined || JSON.stringify(v) === JSON.stringify((before as unknown as Record<string, unknown>)[k] ?? null)) continue;
      changed[k] = v;
      base[k] = (before as unknown as Record<string, unknown>)[k];
    }
    if (!Object.keys(changed).length) return before;
    const next: ProblemRecord = { ...before, ...(changed as Partial<ProblemRecord>), updatedAt: at };
    if ('status' in changed) next.resolvedAt = next.status === 'resolved' ? at : next.status === 'closed' ? before.resolvedAt : null;
    writeProblem(store, next);
    const hist = Object.keys(changed).map((k) => addHistory(store, u, id, at, 'field', k, base[k], changed[k]));
    send(store, 'problem.save', { id, fields: changed, base, history: hist }, u.id);
    return next;
  })();
}

export function createChange(store: DeskStore, input: { title: string; description?: string | null; plannedStart: string; plannedEnd: string; problemIds?: string[]; incidentIds?: string[] }): ChangeRecord {
  return store.db.transaction(() => {
    const u = actor(store);
    const issues: FieldIssue[] = [];
    const start = new Date(input.plannedStart).toISOString();
    const end = new Date(input.plannedEnd).toISOString();
    const w = windowIssue(start, end);
    if (w) issues.push(w);
    const problemIds = [...new Set(input.problemIds ?? [])];
    problemIds.forEach((pid, i) => { if (!problemRow(store, pid)) issues.push({ path: `problemIds.${i}`, message: 'unknown_problem: no such problem record on this desk' }); });
    if (issues.length) throw new DeskInputError(issues);
    const at = iso(store.now());
    const c: ChangeRecord = {
      id: uuidv7(), number: nextNumber(store, 'change'), status: 'planned', title: input.title.trim(), description: blank(input.description),
      plannedStart: start, plannedEnd: end, problemIds, createdBy: u.id, deviceId: store.deviceId, createdAt: at, updatedAt: at,
    };
    writeChange(store, c);
    const hist = [addHistory(store, u, c.id, at, 'create', null, null, c.number)];
    send(store, 'change.save', {
      id: c.id, create: { number: c.number, createdAt: at },
      fields: { title: c.title, status: c.status, description: c.description, plannedStart: start, plannedEnd: end }, history: hist,
    }, u.id);
    for (const pid of problemIds) send(store, 'change.link', { id: c.id, problemId: pid, linked: true, history: [addHistory(store, u, c.id, at, 'link', 'problemIds', null, pid)] }, u.id);
    for (const iid of input.incidentIds ?? []) store.updateIncident(iid, { changeId: c.id });
    return c;
  })();
}

export function saveChange(store: DeskStore, id: string, fields: ChangeFields): ChangeRecord {
  return store.db.transaction(() => {
    const u = actor(store);
    const before = changeRow(store, id);
    if (!before) throw new DeskNotFoundError('change record', id);
    const norm = { ...fields };
    if (norm.plannedStart) norm.plannedStart = new Date(norm.plannedStart).toISOString();
    if (norm.plannedEnd) norm.plannedEnd = new Date(norm.plannedEnd).toISOString();
    const w = windowIssue(norm.plannedStart ?? before.plannedStart, norm.plannedEnd ?? before.plannedEnd);
    if (w) throw new DeskInputError([w]);
    const at = iso(store.now());
    const changed: Record<string, unknown> = {};
    const base: Record<string, unknown> = {};
    for (const [k, raw] of Object.entries(norm)) {
      const v = k === 'description' ? blank(raw as string | null) : raw;
      if (v === undefined || JSON.stringify(v) === JSON.stringify((before as unknown as Record<string, unknown>)[k] ?? null)) continue;
      changed[k] = v;
      base[k] = (before as unknown as Record<string, unknown>)[k];
    }
    if (!Object.keys(changed).length) return before;
    const next: ChangeRecord = { ...before, ...(changed as Partial<ChangeRecord>), updatedAt: at };
    writeChange(store, next);
    const hist = Object.keys(changed).map((k) => addHistory(store, u, id, at, 'field', k, base[k], changed[k]));
    send(store, 'change.save', { id, fields: changed, base, history: hist }, u.id);
    return next;
  })();
}

export function linkChangeProblem(store: DeskStore, id: string, problemId: string, linked: boolean): ChangeRecord {
  return store.db.transaction(() => {
    const u = actor(store);
    const before = changeRow(store, id);
    if (!before) throw new DeskNotFoundError('change record', id);
    if (linked && !problemRow(store, problemId)) throw new DeskInputError([{ path: 'problemId', message: 'unknown_problem: no such problem record on this desk' }]);
    if (before.problemIds.includes(problemId) === linked) return before;
    const at = iso(store.now());
    const next: ChangeRecord = { ...before, problemIds: linked ? [...before.problemIds, problemId].sort() : before.problemIds.filter((p) => p !== problemId), updatedAt: at };
    writeChange(store, next);
    const h = addHistory(store, u, id, at, linked ? 'link' : 'unlink', 'problemIds', linked ? null : problemId, linked ? problemId : null);
    send(store, 'change.link', { id, problemId, linked, history: [h] }, u.id);
    return next;
  })();
}

/**
 * Resolving a problem offers its linked open incidents: the problem is resolved first (its own
 * change), then each checked incident through the normal transition path, each in its own
 * transaction with its own change to the server; one that cannot be resolved is reported with its
 * issues and the others go on.
 */
export function resolveProblem(store: DeskStore, input: { id: string; resolution: string; incidentIds: string[] }) {
  const before = problemRow(store, input.id);
  if (!before) throw new DeskNotFoundError('problem', input.id);
  const problem = before.status === 'resolved' || before.status === 'closed' ? before : saveProblem(store, input.id, { status: 'resolved' });
  const results: Array<{ incidentId: string; number: string | null; ok: boolean; issues: FieldIssue[] }> = [];
  for (const incidentId of [...new Set(input.incidentIds)]) {
    let number: string | null = null;
    try {
      const inc: Incident = store.getIncidentRecord(incidentId);
      number = inc.number;
      if (inc.problemId !== input.id) throw new DeskInputError([{ path: 'incidentIds', message: 'not_linked: this incident is not linked to the problem' }]);
      store.transition({ id: incidentId, to: 'resolved', resolution: input.resolution });
      results.push({ incidentId, number, ok: true, issues: [] });
    } catch (e) {
      if (e instanceof DeskInputError) results.push({ incidentId, number, ok: false, issues: e.issues });
      else if (e instanceof DeskNotFoundError) results.push({ incidentId, number, ok: false, issues: [{ path: 'incidentIds', message: 'not_found' }] });
      else throw e;
    }
  }
  return { problem, results };
}

// ---- pulled from the server --------------------------------------------------------------------

const pending = (store: DeskStore, names: MutationName[], id: string) =>
  (sql(store, `SELECT name, args FROM outbox WHERE sent_at IS NULL AND name IN (${names.map((n) => `'${n}'`).join(', ')}) AND json_extract(args, '$.id') = ? ORDER BY seq`)
    .all(id) as Array<{ name: MutationName; args: string }>).map((r) => ({ name: r.name, args: JSON.parse(r.args) as Record<string, any> })); // eslint-disable-line @typescript-eslint/no-explicit-any

/** The server's snapshot of a problem, with this desk's unsent edits of it on top. */
export function applyPulledProblem(store: DeskStore, d: ProblemRecord): void {
  let p: ProblemRecord = { ...d, rootCause: d.rootCause ?? null, workaround: d.workaround ?? null, resolvedAt: d.resolvedAt ?? null };
  for (const m of pending(store, ['problem.save'], d.id)) p = { ...p, ...m.args.fields };
  writeProblem(store, p);
}

/** The server's snapshot of a change record (its linked problems a set), with this desk's unsent edits and links on top. */
export function applyPulledChange(store: DeskStore, d: ChangeRecord): void {
  let c: ChangeRecord = { ...d, description: d.description ?? null, problemIds: [...(d.problemIds ?? [])] };
  for (const m of pending(store, ['change.save', 'change.link'], d.id)) {
    if (m.name === 'change.save') c = { ...c, ...m.args.fields };
    else c = { ...c, problemIds: m.args.linked ? [...new Set([...c.problemIds, m.args.problemId])] : c.problemIds.filter((x) => x !== m.args.problemId) };
  }
  writeChange(store, c);
}

export function applyPulledRecordHistory(store: DeskStore, d: RecordHistory): void {
  sql(store, `INSERT OR IGNORE INTO record_history (id, record_id, at, actor_id, device_id, online, kind, field, old_value, new_value)
    VALUES (@id, @recordId, @at, @actorId, @deviceId, @online, @kind, @field, @oldValue, @newValue)`)
    .run({ id: d.id, recordId: d.recordId, at: d.at, actorId: d.actorId, deviceId: d.deviceId, online: d.online ? 1 : 0, kind: d.kind, field: d.field ?? null, oldValue: d.oldValue ?? null, newValue: d.newValue ?? null });
}
