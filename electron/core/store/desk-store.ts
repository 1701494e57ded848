import { randomUUID, randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  DEFAULT_MATRIX, DEFAULT_SLA, HlcClock, OPEN_STATUSES, allowedTransitions, canTransition, checkTimes, missingForTransition,
  computePriority, classifyCell, formatMatrixCell, matrixOf, computeSla, shouldAutoEscalate, slaDueTimes, incidentClocks, closePendingSpell, type SlaSettings,
  type DeskUser, type HistoryEntry, type Incident, type IncidentCreate, type IncidentPatch, type MutationName,
  type PriorityMatrix, type PriorityReason, type QueueRow, type Requester, type SlaPolicy, type Status, type Tier, type WorkLog,
  type Category, type FieldIssue, type Role, type PriorityInput, uuidv7, MAX_MUTATION_BYTES,
} from '../../../shared/index.js';
import type { Db } from '../db/connection.js';
import { DeskInputError, DeskNoUserError, DeskNotFoundError } from './errors.js';
import { ftsQuery, ftsText, snippet } from './fts.js';
import {
  INCIDENT_COLUMNS, INSERT_INCIDENT, QUEUE_SELECT, SELECT_CATEGORY, SELECT_HISTORY, SELECT_INCIDENT, SELECT_REQUESTER,
  SELECT_USER, SELECT_WORKLOG, INCIDENT_FIELDS, categoryFromRow, historyFromRow, incidentFromRow, incidentParams,
  queueRowFromRow, requesterFromRow, userFromRow, workLogFromRow, MINUTE_COLUMNS, MINUTE_FIELDS, minutesFromParams, type IncidentField, type Row,
} from './rows.js';
import { DEFAULT_CATEGORIES } from './categories.js';
import { queuePage, type QueueSortKey, type SortDir } from './queue-order.js';
import { historyFacts } from '../../../shared/reports.js';
import { readSlaSettings, rederiveDueTimes } from '../sla/settings.js';
import { planGroupStep } from '../groups/groups.js';
import { CLOSURE_FIELDS, planClosureStep, type ClosureStepInput } from '../closure/closure.js';
import { closedEditRefused } from '../../../shared/closure.js';
import { raiseNotice } from '../notifications/notices.js';
import { ciIssue } from '../cmdb/cis.js';
import { kbIssue } from '../knowledge/articles.js';
import { recordIssues } from '../problems/records.js';
import { planEscalationStep, type EscalationStepInput } from '../escalation/escalation.js';
import { ESCALATION_FIELDS } from '../../../shared/escalation.js';

export interface StoreOptions {
  /** The desk's clock; tests set it. */
  now?: () => Date;
  /** Whether the central server is reachable right now (recorded in the history of each change). */
  isOnline?: () => boolean;
  matrix?: PriorityMatrix;
  sla?: SlaPolicy;
}

/** Internal options for writes made on someone's behalf at another time (sample data, back-fill). */
interface WriteOpts { at?: Date; outbox?: boolean }

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const iso = (d: Date) => d.toISOString();
const digitsOf = (s: string | null | undefined) => (s ?? '').replace(/\D/g, '');
const empty = (v: string | null | undefined) => (v == null || v === '' ? null : v);

/**
 * The desk's local store: every incident write, its history rows and its outbox mutation commit in
 * one SQLite transaction, so a crash can never leave an incident without its sync record or the
 * other way round.
 */
export class DeskStore {
  readonly now: () => Date;
  /** Set by the sync engine: whether the central server answered lately. */
  isOnline: () => boolean;
  /** A fixed priority matrix (tests); otherwise the SLA settings' (issue 13, `matrix`). */
  private readonly fixedMatrix: PriorityMatrix | null;
  /** Replaced when the central server sends its policy. */
  sla: SlaPolicy;
  /** SLA settings (business calendars and policy) the due times are derived with; replaced when the server sends new ones (electron/core/sla). */
  slaSettings: SlaSettings;
  readonly deviceId: string;
  /** Prefix of this desk's incident numbers; the central server may assign another at registration (numbers already shown keep theirs). */
  deviceCode: string;
  private readonly clock: HlcClock;
  private readonly stmt: ReturnType<DeskStore['prepare']>;

  constructor(readonly db: Db, opts: StoreOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.isOnline = opts.isOnline ?? (() => false);
    this.fixedMatrix = opts.matrix ?? null;
    this.sla = opts.sla ?? DEFAULT_SLA;
    const identity = db.transaction(() => {
      let id = this.meta('device_id');
      let code = this.meta('device_code');
      if (!id || !code) {
        id = randomUUID();
        // 6 Crockford characters: about 10^9 codes, so desktops that never met a server do not collide.
        code = Array.from({ length: 6 }, () => CROCKFORD[randomInt(32)]).join('');
        this.setMeta('device_id', id);
        this.setMeta('device_code', code);
      }
      if ((db.prepare('SELECT count(*) FROM categories').pluck().get() as number) === 0) this.seedCategories();
      return { id, code };
    })();
    this.deviceId = identity.id;
    this.deviceCode = identity.code;
    const lastOutbox = db.prepare('SELECT max(hlc) FROM outbox').pluck().get() as string | null;
    const lastMeta = this.meta('hlc');
    this.clock = new HlcClock(this.deviceId, () => this.now().getTime(), [lastOutbox, lastMeta].filter(Boolean).sort().pop() ?? null);
    const policy = this.meta('sla_policy');
    if (policy) this.sla = JSON.parse(policy) as SlaPolicy;
    this.stmt = this.prepare();
    this.slaSettings = readSlaSettings(db).settings;
    rederiveDueTimes(this);
  }

  private prepare() {
    const db = this.db;
    return {
      insertIncident: db.prepare(INSERT_INCIDENT),
      incidentById: db.prepare(`${SELECT_INCIDENT} WHERE id = ?`),
      incidentByClientId: db.prepare(`${SELECT_INCIDENT} WHERE client_id = ?`),
      rowidOf: db.prepare('SELECT rowid FROM incidents WHERE id = ?').pluck(),
      ftsInsert: db.prepare('INSERT INTO incidents_fts (rowid, body) VALUES (?, ?)'),
      ftsDelete: db.prepare('DELETE FROM incidents_fts WHERE rowid = ?'),
      history: db.prepare(`INSERT INTO history (id, incident_id, at, actor_id, device_id, online, kind, field, old_value, new_value, note)
        VALUES (@id, @incidentId, @at, @actorId, @deviceId, @online, @kind, @field, @oldValue, @newValue, @note)`),
      workLog: db.prepare(`INSERT INTO work_logs (id, incident_id, at, recorded_at, author_id, body, kind)
        VALUES (@id, @incidentId, @at, @recordedAt, @authorId, @body, @kind)`),
      outbox: db.prepare('INSERT INTO outbox (name, version, hlc, user_id, args, created_at) VALUES (?, 1, ?, ?, ?, ?)'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      categoryExists: db.prepare('SELECT 1 FROM categories WHERE id = ?').pluck(),
      requesterById: db.prepare(`${SELECT_REQUESTER} WHERE id = ?`),
      requesterByPhoneName: db.prepare(`${SELECT_REQUESTER} WHERE phone_digits = ? AND name = ? LIMIT 1`),
      requesterByName: db.prepare(`${SELECT_REQUESTER} WHERE phone_digits IS NULL AND name = ? AND coalesce(department, '') = ? LIMIT 1`),
      upsertRequester: db.prepare(`INSERT INTO requesters (id, name, department, phone, phone_digits, email, service_level, updated_at)
        VALUES (@id, @name, @department, @phone, @phoneDigits, @email, @serviceLevel, @updatedAt)
        ON CONFLICT(id) DO UPDATE SET name = excluded.name, department = excluded.department, phone = excluded.phone,
          phone_digits = excluded.phone_digits, email = excluded.email, service_level = excluded.service_level, updated_at = excluded.updated_at`),
      userById: db.prepare(`${SELECT_USER} WHERE id = ?`),
    };
  }

  // ---- meta, identity, clock ---------------------------------------------------------------------

  private metaStmt?: Database.Statement;
  meta(key: string): string | null {
    this.metaStmt ??= this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    return (this.metaStmt.get(key) as string | undefined) ?? null;
  }
  setMeta(key: string, value: string): void {
    (this.stmt?.setMeta ?? this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')).run(key, value);
  }

  currentUser(): DeskUser | null {
    const id = this.meta('current_user_id');
    const row = id ? (this.stmt.userById.get(id) as Row | undefined) : undefined;
    return row ? userFromRow(row) : null;
  }
  private actor(): DeskUser {
    const u = this.currentUser();
    if (!u) throw new DeskNoUserError();
    return u;
  }

  /** First start: who works at this desk (until accounts arrive from the central server). */
  setup(input: { name: string; role: Role; group: string; locale: 'zh-CN' | 'en' }): DeskUser {
    return this.db.transaction(() => {
      // Once only: run again, it would let anyone at a set-up or signed-in desk make a local admin.
      if (this.db.prepare('SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM secrets)').pluck().get() || this.meta('current_user_id') || this.meta('sync_server_url')) {
        throw new DeskInputError([{ path: 'name', message: 'already_set_up: this desk is already set up; sign in instead' }]);
      }
      const user: DeskUser = { id: randomUUID(), name: input.name, role: input.role, groupName: input.group };
      this.db.prepare('INSERT INTO users (id, name, role, group_name, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(user.id, user.name, user.role, user.groupName, iso(this.now()));
      this.setMeta('current_user_id', user.id);
      this.setMeta('locale', input.locale);
      return user;
    })();
  }

  /** Merges a timestamp seen from the server, so later local edits order after it. */
  receiveHlc(hlc: string): void {
    this.clock.receive(hlc);
    this.setMeta('hlc', this.clock.current());
  }

  /**
   * Work recorded under a local identity (before accounts existed) becomes an account's, as the user
   * chose at sign-in: the local id is replaced by the account's everywhere (records, history, unsent
   * changes), in one transaction, and every history row keeps the name it was recorded under
   * (`recorded_as`, sent as the history row's `actorName`), so the audit trail shows both.
   */
  adoptIdentity(localId: string, serverId: string, localName?: string): void {
    if (localId === serverId) return;
    const db = this.db;
    db.transaction(() => {
      if (localName) {
        db.prepare('UPDATE history SET recorded_as = coalesce(recorded_as, ?) WHERE actor_id = ?').run(localName, localId);
        db.prepare('UPDATE work_logs SET recorded_as = coalesce(recorded_as, ?) WHERE author_id = ?').run(localName, localId);
      }
      // A history row that names the local person as a value (an assignee) names the account instead.
      db.prepare('UPDATE history SET old_value = ? WHERE old_value = ?').run(serverId, localId);
      db.prepare('UPDATE history SET new_value = ? WHERE new_value = ?').run(serverId, localId);
      db.prepare('UPDATE history SET assignee_to = ? WHERE assignee_to = ?').run(serverId, localId); // its typed fact too (reports' first-contact resolution)
      for (const [table, cols] of [['incidents', ['owner_id', 'created_by', 'assignee_id']], ['history', ['actor_id']], ['work_logs', ['author_id']]] as const) {
        for (const c of cols) db.prepare(`UPDATE ${table} SET ${c} = ? WHERE ${c} = ?`).run(serverId, localId);
      }
      const rows = db.prepare('SELECT seq, user_id AS userId, args FROM outbox WHERE sent_at IS NULL AND (user_id = ? OR instr(args, ?) > 0)').all(localId, localId) as Array<{ seq: number; userId: string; args: string }>;
      const upd = db.prepare('UPDATE outbox SET user_id = ?, args = ? WHERE seq = ?');
      for (const r of rows) {
        const args = JSON.parse(r.args) as { history?: HistoryEntry[]; workLog?: WorkLog };
        if (localName) for (const h of args.history ?? []) if (h.actorId === localId) h.actorName ??= localName;
        if (localName && args.workLog?.authorId === localId) args.workLog.authorName ??= localName;
        upd.run(r.userId === localId ? serverId : r.userId, JSON.stringify(replaceId(args, localId, serverId)), r.seq);
      }
      db.prepare("DELETE FROM users WHERE id = ? AND source = 'local'").run(localId);
    })();
  }

  /** Queues a mutation again (e.g. a work log that rode on a transition the server refused). */
  requeue(name: MutationName, args: unknown, userId: string): void {
    this.enqueue(name, args, userId, this.now());
  }

  /** Re-indexes an incident's text after the sync engine replaced its row. */
  reindex(inc: Incident, isNew = false): void {
    this.indexText(inc, isNew ? (this.stmt.rowidOf.get(inc.id) as number) : undefined);
  }

  /**
   * Before the first unsent local change to an incident, its row is the server's version: keep a
   * copy, to return to if the server refuses the change. Inside the caller's transaction.
   */
  private keepServerCopy(inc: Incident): void {
    if (!this.meta('sync_server_url')) return;
    this.cached(`INSERT INTO incident_server (id, data) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM incident_server WHERE id = ?)
      AND NOT EXISTS (SELECT 1 FROM outbox WHERE sent_at IS NULL AND name IN ('incident.update', 'incident.transition') AND json_extract(args, '$.id') = ?)`)
      .run(inc.id, JSON.stringify(inc), inc.id, inc.id);
  }

  /** Appends a mutation to the outbox; must run inside the caller's transaction. */
  private enqueue(name: MutationName, args: unknown, userId: string, at: Date): void {
    const json = JSON.stringify(args);
    // Every change must fit in a push: one larger is refused here, with the write it belongs to.
    if (Buffer.byteLength(json) > MAX_MUTATION_BYTES) throw new DeskInputError([{ path: '', message: `too_large: this change is over ${MAX_MUTATION_BYTES / 1024 / 1024} MB; shorten its texts` }]);
    // The outbox itself records the clock's progress (read back at start), so no meta write per change.
    const hlc = this.clock.tick();
    this.stmt.outbox.run(name, hlc, userId, json, iso(at));
  }

  private history(e: Omit<HistoryEntry, 'id' | 'actorName' | 'deviceId' | 'online'> & { id?: string }): HistoryEntry {
    const entry: HistoryEntry = { id: uuidv7(), deviceId: this.deviceId, online: this.isOnline(), actorName: null, ...e };
    // with its typed facts (migration 008), which the reports aggregate
    this.cached(`INSERT INTO history (id, incident_id, at, actor_id, device_id, online, kind, field, old_value, new_value, note,
        status_from, status_to, tier_from, tier_to, group_to, assignee_to, priority_to, auto_escalated)
      VALUES (@id, @incidentId, @at, @actorId, @deviceId, @online, @kind, @field, @oldValue, @newValue, @note,
        @statusFrom, @statusTo, @tierFrom, @tierTo, @groupTo, @assigneeTo, @priorityTo, @autoEscalated)`)
      .run({ ...entry, online: entry.online ? 1 : 0, ...historyFacts(entry) });
    return entry;
  }

  private indexText(inc: Incident, rowid?: number): void {
    const id = rowid ?? (this.stmt.rowidOf.get(inc.id) as number);
    if (rowid === undefined) this.stmt.ftsDelete.run(id);
    this.stmt.ftsInsert.run(id, ftsText([inc.number, inc.title, inc.description, inc.requesterName, inc.requesterDept, inc.resolution]));
  }

  private withDueTimes(inc: Incident): Incident {
    // the matrix cell it is classified with (issue 13): kept while impact × urgency still match it
    return { ...inc, matrixCell: formatMatrixCell(classifyCell(inc, this.matrix, { legacy: this.matrix })), ...slaDueTimes(inc, this.slaSettings) };
  }

  /** The priority matrix in force: the pulled SLA settings' (issue 13). */
  get matrix(): PriorityMatrix { return this.fixedMatrix ?? matrixOf(this.slaSettings); }

  priorityOf(inc: PriorityInput) {
    return computePriority(inc, this.matrix);
  }

  /** Roles allowed to back-fill (补录); configuration, every role by default. */
  backfillRoles(): Role[] {
    const v = this.meta('backfill_roles');
    return v ? (JSON.parse(v) as Role[]) : ['agent', 'technician', 'lead', 'admin'];
  }
  setBackfillRoles(roles: Role[]): void {
    const actor = this.actor();
    if (actor.role !== 'lead' && actor.role !== 'admin') throw new DeskInputError([{ path: 'roles', message: 'only a team lead or admin may change who can back-fill' }]);
    this.setMeta('backfill_roles', JSON.stringify([...new Set(roles)]));
  }

  // ---- reference data ----------------------------------------------------------------------------

  private seedCategories(): void {
    const ins = this.db.prepare('INSERT INTO categories (id, parent_id, code, name_zh, name_en) VALUES (?, ?, ?, ?, ?)');
    for (const c of DEFAULT_CATEGORIES) ins.run(c.id, c.parentId, c.code, c.nameZh, c.nameEn);
  }
  listCategories(): Category[] {
    return (this.cached(`${SELECT_CATEGORY} ORDER BY parent_id IS NOT NULL, id`).all() as Row[]).map(categoryFromRow);
  }
  listUsers(): DeskUser[] {
    return (this.cached(`${SELECT_USER} ORDER BY name`).all() as Row[]).map(userFromRow);
  }

  /** Whether this desk has signed in to a central server (its people then come from the server). */
  connected(): boolean {
    return !!this.meta('sync_server_url');
  }

  /**
   * People a real incident may be dispatched to: once signed in, only accounts the server knows and
   * that are active; before, the people of this desk. Sample people are for sample incidents only.
   */
  dispatchableUsers(): DeskUser[] {
    const where = this.connected() ? "source = 'server' AND active = 1" : "source <> 'sample' AND active = 1";
    return (this.cached(`${SELECT_USER} WHERE ${where} ORDER BY name`).all() as Row[]).map(userFromRow);
  }

  /** Why `userId` cannot be the assignee of a real (synced) or sample incident, or null. */
  private assigneeProblem(userId: string, real: boolean): string | null {
    const u = this.cached('SELECT source, active FROM users WHERE id = ?').get(userId) as { source: string; active: number } | undefined;
    if (!u) return 'unknown_user';
    if (u.source === 'sample' && real) return 'sample_person: a sample person cannot be given real work';
    if (this.connected() && real && u.source !== 'server') return 'unknown_user: not an account the server knows';
    if (!u.active) return 'inactive_user';
    return null;
  }

  /** Finds the caller: by phone digits (prefix) when the query has 3+ digits, else by name or department. */
  lookupRequesters(q: string, limit = 10): Array<Requester & { recent: QueueRow[] }> {
    const digits = digitsOf(q);
    const rows = (digits.length >= 3
      ? this.cached(`${SELECT_REQUESTER} WHERE phone_digits LIKE ? ORDER BY name LIMIT ?`).all(digits + '%', limit)
      : q.trim() === ''
        ? []
        : this.cached(`${SELECT_REQUESTER} WHERE name LIKE ? ESCAPE '\\' OR department LIKE ? ESCAPE '\\' ORDER BY name LIMIT ?`)
          .all(likeArg(q), likeArg(q), limit)) as Row[];
    const recent = this.cached(`SELECT ${QUEUE_SELECT} FROM incidents i WHERE i.requester_id = ? ORDER BY i.reported_at DESC LIMIT 5`);
    return rows.map((r) => ({ ...requesterFromRow(r), recent: (recent.all(r.id) as Row[]).map(queueRowFromRow) }));
  }

  /**
   * Keeps the requester directory current from what the agent typed: an existing entry (by id, else
   * by phone + name) is updated when the call brought new details, otherwise a new one is created.
   */
  private upsertRequester(input: IncidentCreate['requester'], userId: string, at: Date, outbox: boolean): Requester {
    const phoneDigits = digitsOf(input.phone) || null;
    const existing = ((input.id && this.stmt.requesterById.get(input.id))
      || (phoneDigits ? this.stmt.requesterByPhoneName.get(phoneDigits, input.name) : this.stmt.requesterByName.get(input.name, input.department ?? ''))) as Row | undefined;
    if (input.id && !existing) throw new DeskInputError([{ path: 'requester.id', message: 'unknown requester' }]);
    const next: Requester = {
      id: (existing?.id as string) ?? uuidv7(),
      name: input.name,
      department: empty(input.department) ?? (existing?.department as string | null) ?? null,
      phone: empty(input.phone) ?? (existing?.phone as string | null) ?? null,
      email: empty(input.email) ?? (existing?.email as string | null) ?? null,
      serviceLevel: input.serviceLevel,
    };
    const prev = existing ? requesterFromRow(existing) : null;
    if (!prev || JSON.stringify(prev) !== JSON.stringify(next)) {
      this.stmt.upsertRequester.run({ ...next, phoneDigits: digitsOf(next.phone) || null, updatedAt: iso(at) });
      if (outbox) this.enqueue('requester.upsert', { requester: next }, userId, at);
    }
    return next;
  }

  // ---- incidents: writes -------------------------------------------------------------------------

  createIncident(input: IncidentCreate, opts: WriteOpts = {}): Incident {
    return this.db.transaction(() => {
      if (input.clientId) {
        const dup = this.stmt.incidentByClientId.get(input.clientId) as Row | undefined;
        if (dup) return incidentFromRow(dup);
      }
      const actor = this.actor();
      const now = opts.at ?? this.now();
      const issues: FieldIssue[] = checkTimes(input, this.now());
      if (!this.stmt.categoryExists.get(input.categoryId)) issues.push({ path: 'categoryId', message: 'unknown category' });
      const ciProblem = ciIssue(this, 'affected.ciId', input.affected.ciId);
      if (ciProblem) issues.push(ciProblem);
      const assigneeProblem = input.assigneeId ? this.assigneeProblem(input.assigneeId, opts.outbox !== false) : null;
      if (assigneeProblem) issues.push({ path: 'assigneeId', message: assigneeProblem });
      if (input.backfill) {
        if (!input.reportedAt) issues.push({ path: 'reportedAt', message: 'required for a back-fill: the time the incident was really reported' });
        if (!this.backfillRoles().includes(actor.role)) issues.push({ path: 'backfill', message: `your role (${actor.role}) may not back-fill incidents` });
      }
      if (issues.length) throw new DeskInputError(issues);

      const outbox = opts.outbox !== false;
      const requester = this.upsertRequester(input.requester, actor.id, now, outbox);
      const seq = Number(this.meta('number_seq') ?? '0') + 1;
      this.setMeta('number_seq', String(seq));
      const majorReasons = [...new Set(input.majorReasons)];
      const { priority, reasons } = this.priorityOf({ ...input, majorReasons, serviceLevel: requester.serviceLevel, autoEscalated: false });
      const reportedAt = input.reportedAt ? new Date(input.reportedAt).toISOString() : iso(now);
      const inc = this.withDueTimes({
        id: uuidv7(),
        number: `${opts.outbox === false ? 'DEMO' : this.deviceCode}-${String(seq).padStart(5, '0')}`,
        channel: input.channel,
        requesterId: requester.id,
        requesterName: requester.name,
        requesterDept: requester.department,
        requesterPhone: requester.phone,
        requesterEmail: requester.email,
        serviceLevel: requester.serviceLevel,
        serviceType: input.serviceType,
        categoryId: input.categoryId,
        title: input.title,
        description: input.description,
        affectedName: empty(input.affected.name),
        ciId: input.affected.ciId ?? null,
        affectedIp: empty(input.affected.ip),
        affectedLocation: empty(input.affected.location),
        impactScope: input.impactScope,
        impact: input.impact,
        urgency: input.urgency,
        majorReasons,
        urgentReason: empty(input.urgentReason),
        autoEscalated: false,
        priority,
        status: 'new',
        occurredAt: input.occurredAt ? new Date(input.occurredAt).toISOString() : null,
        reportedAt,
        recordedAt: iso(now),
        firstResponseAt: null,
        resolvedAt: null,
        closedAt: null,
        pendingSince: null,
        pausedMs: 0,
        resolveDueAt: '',
        responseDueAt: '',
        ownerId: actor.id,
        tier: input.tier,
        groupName: empty(input.group) ?? actor.groupName,
        assigneeId: input.assigneeId ?? null,
        resolution: null,
        rootCause: null,
        problemRef: null,
        changeRef: null,
        kbArticleId: null,
        satisfaction: null,
        satisfactionComment: null,
        backfilled: !!input.backfill,
        backfillReason: input.backfill?.reason ?? null,
        origin: input.backfill ? 'backfill' : 'desk',
        externalRef: null,
        createdBy: actor.id,
        deviceId: this.deviceId,
        updatedAt: iso(now),
      });
      const info = this.stmt.insertIncident.run({ ...incidentParams(inc), clientId: input.clientId ?? null, importKey: null });
      this.indexText(inc, Number(info.lastInsertRowid));
      const at = iso(now);
      const history = [
        this.history({ incidentId: inc.id, at, actorId: actor.id, kind: inc.backfilled ? 'backfill' : 'create', field: null, oldValue: null, newValue: inc.number,
          note: inc.backfilled ? `back-filled: ${inc.backfillReason} (reported ${inc.reportedAt}, recorded ${inc.recordedAt})` : null }),
        this.history({ incidentId: inc.id, at, actorId: actor.id, kind: 'priority', field: 'priority', oldValue: null, newValue: priority, note: describeReason(reasons[0]) }),
      ];
      if (majorReasons.length) history.push(this.notifyMajor(inc, actor.id, now));
      if (outbox) this.enqueue('incident.create', { incident: inc, history }, actor.id, now);
      if (majorReasons.length) raiseNotice(this, { kind: 'major_incident', incident: inc, clock: 'none', atMs: now.getTime(), params: { reasons: inc.majorReasons.join(',') } }, { outbox });
      return inc;
    })();
  }

  /**
   * Paper-log batch entry: many incidents typed from paper, saved all at once or not at all. A bad
   * row is named by its index (`rows.3.reportedAt`) and nothing is written.
   */
  createBatch(rows: IncidentCreate[]): Incident[] {
    return this.db.transaction(() => rows.map((row, k) => {
      try {
        return this.createIncident(row);
      } catch (e) {
        if (e instanceof DeskInputError) throw new DeskInputError(e.issues.map((i) => ({ ...i, path: `rows.${k}.${i.path}` })));
        throw e;
      }
    }))();
  }

  /** A major incident is reported to the incident process owner at once: the history says so; the notice itself is raised after the change is queued (electron/core/notifications). */
  private notifyMajor(inc: Incident, actorId: string, now: Date): HistoryEntry {
    return this.history({ incidentId: inc.id, at: iso(now), actorId, kind: 'notification', field: null, oldValue: null, newValue: 'process_owner', note: `major incident: ${inc.majorReasons.join(', ')}` });
  }

  getIncidentRecord(id: string): Incident {
    const r = this.stmt.incidentById.get(id) as Row | undefined;
    if (!r) throw new DeskNotFoundError('incident', id);
    return incidentFromRow(r);
  }

  updateIncident(id: string, patch: IncidentPatch, opts: WriteOpts = {}): Incident {
    return this.db.transaction(() => {
      const actor = this.actor();
      const now = opts.at ?? this.now();
      const before = this.getIncidentRecord(id);
      const issues: FieldIssue[] = [];
      if (patch.categoryId !== undefined && !this.stmt.categoryExists.get(patch.categoryId)) issues.push({ path: 'categoryId', message: 'unknown category' });
      const ciProblem = ciIssue(this, 'ciId', patch.ciId);
      if (ciProblem) issues.push(ciProblem);
      const kbProblem = kbIssue(this, 'kbArticleId', patch.kbArticleId, before.kbArticleId); // an article this desk does not hold (issue 12, item 8)
      if (kbProblem) issues.push(kbProblem);
      issues.push(...recordIssues(this, patch)); // a problem or change record this desk does not hold (issue 12, item 6)
      if (patch.occurredAt !== undefined) issues.push(...checkTimes({ occurredAt: patch.occurredAt, reportedAt: before.reportedAt }, this.now()).map((i) => i.path === 'reportedAt' ? { path: 'occurredAt', message: 'is after the reported time' } : i));
      if (patch.satisfaction !== undefined && patch.satisfaction !== null && before.status !== 'resolved' && before.status !== 'closed') {
        issues.push({ path: 'satisfaction', message: 'can be rated once the incident is resolved' });
      }
      if (issues.length) throw new DeskInputError(issues);

      const changed: Partial<Incident> = {};
      const base: Partial<Incident> = {};
      for (const [k, raw] of Object.entries(patch) as [IncidentField, unknown][]) {
        const v = k === 'occurredAt' && typeof raw === 'string' ? new Date(raw).toISOString() : typeof raw === 'string' && k !== 'title' && k !== 'description' ? empty(raw) : raw;
        if (JSON.stringify(before[k]) !== JSON.stringify(v ?? null)) {
          (changed as Row)[k] = v ?? null;
          (base as Row)[k] = before[k];
        }
      }
      if (Object.keys(changed).length === 0) return before;
      // A closed incident is read-only except for the follow-up rating (issue 12); notes go through addWorkLog.
      const readOnly = closedEditRefused(before.status, Object.keys(changed));
      if (readOnly) throw new DeskInputError([{ path: readOnly, message: 'closed_readonly: the incident is closed; only a note and the follow-up rating can be added' }]);
      this.keepServerCopy(before);
      let next: Incident = { ...before, ...changed, updatedAt: iso(now) };
      const { priority, reasons } = this.priorityOf(next);
      const history: HistoryEntry[] = [];
      const at = iso(now);
      for (const k of Object.keys(changed) as IncidentField[]) {
        history.push(this.history({ incidentId: id, at, actorId: actor.id, kind: 'field', field: k, oldValue: fmt(before[k]), newValue: fmt(next[k]), note: null }));
      }
      if (priority !== before.priority) {
        next.priority = priority;
        history.push(this.history({ incidentId: id, at, actorId: actor.id, kind: 'priority', field: 'priority', oldValue: before.priority, newValue: priority, note: describeReason(reasons[0]) }));
      }
      if (next.majorReasons.length && !before.majorReasons.length) history.push(this.notifyMajor(next, actor.id, now));
      next = this.withDueTimes(next);
      this.writeChanges(before, next);
      if (['title', 'description', 'resolution'].some((k) => k in changed)) this.indexText(next);
      if (opts.outbox !== false && syncs(before)) this.enqueue('incident.update', { id, fields: changed, base, history }, actor.id, now);
      if (next.majorReasons.length && !before.majorReasons.length) raiseNotice(this, { kind: 'major_incident', incident: next, clock: 'none', atMs: now.getTime(), params: { reasons: next.majorReasons.join(',') } }, { outbox: opts.outbox });
      return next;
    })();
  }

  transition(input: { id: string; to: Status; reason?: string | null; resolution?: string | null; tier?: Tier; group?: string | null; assigneeId?: string | null; returnReason?: string | null; accept?: boolean; escalation?: EscalationStepInput } & Partial<Omit<ClosureStepInput, 'to' | 'reason'>>, opts: WriteOpts = {}): Incident {
    return this.db.transaction(() => {
      const actor = this.actor();
      const now = opts.at ?? this.now();
      const at = iso(now);
      const before = this.getIncidentRecord(input.id);
      const from = before.status;
      const to = input.to;
      if (!canTransition(from, to)) {
        const allowed = allowedTransitions(from);
        throw new DeskInputError([{ path: 'to', message: `cannot go from ${from} to ${to}; allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'none'}` }]);
      }
      const reason = empty(input.reason?.trim());
      const resolution = empty(input.resolution?.trim()) ?? before.resolution;
      const issues: FieldIssue[] = [];
      const missing = missingForTransition(to, { resolution, reason, tier: input.tier, group: input.group, assigneeId: input.assigneeId, returnReason: input.returnReason, pendingReason: input.pendingReason });
      if (missing) issues.push({ path: missing.need === 'assignment' ? 'tier' : missing.need, message: missing.message });
      if (to === 'returned' && !input.returnReason && missing?.need === 'reason') issues.push({ path: 'returnReason', message: 'required: choose why the ticket goes back to first line' });
      // Dispatch, return and accept by groups (issue 12): electron/core/groups.
      const step = planGroupStep(this, before, { ...input, reason }, actor);
      issues.push(...step.issues);
      // Pending reason, reopen count, confirmation and closure (issue 12): electron/core/closure.
      const closure = planClosureStep(before, { ...input, reason }, now);
      issues.push(...closure.issues.filter((i) => !issues.some((x) => x.path === i.path)));
      // A functional escalation (issue 12, item 3): a dispatch to a higher tier: electron/core/escalation.
      const escalation = planEscalationStep(before, to, input.escalation, step.fields, input.tier, at);
      issues.push(...escalation.issues);
      const assigneeProblem = input.assigneeId ? this.assigneeProblem(input.assigneeId, syncs(before)) : null;
      if (assigneeProblem) issues.push({ path: 'assigneeId', message: assigneeProblem });
      if (issues.length) throw new DeskInputError(issues);

      this.keepServerCopy(before);
      const fields: Partial<Incident> = { status: to };
      if (!before.firstResponseAt) fields.firstResponseAt = at;
      if (from === 'pending' && before.pendingSince) {
        fields.pendingSpells = closePendingSpell(before, at) ?? before.pendingSpells;
        fields.pausedMs = before.pausedMs + Math.max(0, now.getTime() - Date.parse(before.pendingSince));
        fields.pendingSince = null;
      }
      if (to === 'pending') fields.pendingSince = at;
      if (to === 'resolved') { fields.resolvedAt = at; fields.resolution = resolution; }
      if (to === 'closed') fields.closedAt = at;
      if (to === 'reopened') { fields.resolvedAt = null; fields.closedAt = null; }
      Object.assign(fields, step.fields, closure.fields, escalation.fields);
      // (not on a vendor's ticket: the vendor works it in its own system, no second-line person stays on it)
      if (to === 'in_progress' && !before.assigneeId && (fields.tier ?? before.tier) !== 'vendor') fields.assigneeId = actor.id;

      let next: Incident = { ...before, ...fields, updatedAt: at };
      next = this.withDueTimes(next);
      this.writeChanges(before, next);
      if (fields.resolution !== undefined && fields.resolution !== before.resolution) this.indexText(next);

      const history: HistoryEntry[] = [
        this.history({ ...(closure.historyId ? { id: closure.historyId } : {}), incidentId: before.id, at, actorId: actor.id, kind: 'transition', field: 'status', oldValue: from, newValue: to, note: input.closeKind === 'auto' ? 'auto_closed' : reason }),
      ];
      if (step.accepted) history.push(this.history({ incidentId: before.id, at, actorId: actor.id, kind: 'accepted', field: null, oldValue: null, newValue: actor.id, note: null }));
      for (const k of ['tier', 'groupName', 'assigneeId', 'resolution', 'dispatchGroup', 'returnReason', 'returnCount', ...CLOSURE_FIELDS, ...ESCALATION_FIELDS] as const) {
        if (k in fields && fields[k] !== before[k]) {
          history.push(this.history({ incidentId: before.id, at, actorId: actor.id, kind: 'field', field: k, oldValue: fmt(before[k]), newValue: fmt(next[k]), note: null }));
        }
      }
      let workLog: WorkLog | undefined;
      const logBody = to === 'resolved' ? resolution : reason;
      if (logBody) workLog = this.insertWorkLog(before.id, logBody, at, at, actor.id, 'transition');
      if (opts.outbox !== false && syncs(before)) {
        const { status: _status, ...carried } = fields; // the status travels as from → to
        this.enqueue('incident.transition', { id: before.id, from, to, fields: carried, history, workLog }, actor.id, now);
      }
      return next;
    })();
  }

  /**
   * Writes only the columns that changed: an UPDATE naming every column would rewrite every index
   * of the incidents table on each status change.
   */
  private writeChanges(before: Incident, next: Incident): void {
    const a = incidentParams(before);
    const b = incidentParams(next);
    const cols = INCIDENT_FIELDS.filter((f) => f !== 'id' && a[f] !== b[f]);
    if (!cols.length) return;
    // the report's minutes (migration 022) in the same statement when a value they depend on changed
    const minutes = cols.some((f) => MINUTE_FIELDS.has(f))
      ? `, (${MINUTE_COLUMNS.join(', ')}) = (${minutesFromParams((f) => (cols.includes(f) ? `@${f}` : INCIDENT_COLUMNS[f]), (c) => c).join(', ')})` : '';
    this.cached(`UPDATE incidents SET ${cols.map((f) => `${INCIDENT_COLUMNS[f]} = @${f}`).join(', ')}${minutes} WHERE id = @id`).run(Object.fromEntries([['id', next.id], ...cols.map((f) => [f, b[f]])]));
  }
  private readonly statementCache = new Map<string, Database.Statement>();
  /** Statements built from a query's shape (filters present), prepared once per shape. */
  private cached(sql: string): Database.Statement {
    let st = this.statementCache.get(sql);
    if (!st) { st = this.db.prepare(sql); this.statementCache.set(sql, st); }
    return st;
  }

  private insertWorkLog(incidentId: string, body: string, at: string, recordedAt: string, authorId: string, kind: string): WorkLog {
    const w: WorkLog = { id: uuidv7(), incidentId, at, recordedAt, authorId, authorName: null, body, kind };
    this.stmt.workLog.run(w);
    return w;
  }

  addWorkLog(input: { incidentId: string; body: string; at?: string | null }, opts: WriteOpts = {}): WorkLog {
    return this.db.transaction(() => {
      const actor = this.actor();
      const now = opts.at ?? this.now();
      const inc = this.getIncidentRecord(input.incidentId);
      const issues = checkTimes({ occurredAt: input.at ?? null }, this.now()).map((i) => ({ ...i, path: 'at' }));
      if (issues.length) throw new DeskInputError(issues);
      const w = this.insertWorkLog(input.incidentId, input.body, input.at ? new Date(input.at).toISOString() : iso(now), iso(now), actor.id, 'note');
      if (opts.outbox !== false && syncs(inc)) this.enqueue('worklog.add', { workLog: w }, actor.id, now);
      return { ...w, authorName: actor.name };
    })();
  }

  /**
   * An ordinary incident not resolved within the promised time is escalated to urgent automatically;
   * the history names the rule. Returns how many were escalated.
   */
  sweepEscalations(afterMs = 4 * 3600_000): number {
    const now = this.now();
    const cutoff = new Date(now.getTime() - afterMs).toISOString();
    const open = OPEN_STATUSES.map((st) => `'${st}'`).join(',');
    const due = (this.cached(`${SELECT_INCIDENT} INDEXED BY incidents_open_queue WHERE imported_history = 0 AND status IN (${open}) AND priority = 'P3' AND auto_escalated = 0 AND reported_at <= ?`)
      .all(cutoff) as Row[]).map(incidentFromRow);
    const actor = this.currentUser();
    if (!actor) return 0;
    // One transaction for the whole sweep, each escalation still with its own history row and sync
    // record: after an import of old open incidents a sweep escalates thousands, and a commit each
    // (an fsync each) froze the desk for seconds.
    return this.db.transaction(() => {
      let n = 0;
      const at = iso(now);
      for (const inc of due) {
        if (!shouldAutoEscalate(inc, now, afterMs)) continue;
        this.keepServerCopy(inc);
        let next: Incident = { ...inc, autoEscalated: true, updatedAt: at };
        next.priority = this.priorityOf(next).priority;
        next = this.withDueTimes(next);
        this.writeChanges(inc, next);
        const history = [this.history({ incidentId: inc.id, at, actorId: actor.id, kind: 'priority', field: 'priority', oldValue: inc.priority, newValue: next.priority, note: 'rule: auto_escalated (unresolved past the promised time)' })];
        if (syncs(inc)) this.enqueue('incident.update', { id: inc.id, fields: { autoEscalated: true }, base: { autoEscalated: false }, history }, actor.id, now);
        n++;
      }
      return n;
    })();
  }

  // ---- incidents: reads --------------------------------------------------------------------------

  getIncident(id: string) {
    const incident = this.getIncidentRecord(id);
    return {
      incident,
      workLogs: (this.cached(`${SELECT_WORKLOG} WHERE w.incident_id = ? ORDER BY w.at, w.recorded_at`).all(id) as Row[]).map(workLogFromRow),
      history: (this.cached(`${SELECT_HISTORY} WHERE h.incident_id = ? ORDER BY h.at, h.rowid`).all(id) as Row[]).map(historyFromRow),
      allowed: [...allowedTransitions(incident.status)],
      priorityReasons: this.priorityOf(incident).reasons,
      sla: computeSla(incident, this.now(), this.sla),
      /** Both clocks on business time (issue 13). */
      clocks: incidentClocks(incident, this.slaSettings, this.now()),
      conflicts: this.conflictsOf(id),
      dismissedConflicts: this.cached(`SELECT d.id FROM conflict_dismissals d JOIN history h ON h.id = d.id WHERE h.incident_id = ?`).pluck().all(id) as string[],
    };
  }

  queue(q: { scope: 'mine' | 'group' | 'all' | 'unclassified'; statuses?: Status[]; priorities?: string[]; categoryId?: string | null; channel?: string | null; sort?: QueueSortKey; dir?: SortDir; offset: number; limit: number }): { rows: QueueRow[]; total: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    const statuses = q.statuses?.length ? [...new Set(q.statuses)] : OPEN_STATUSES;
    const openQueue = statuses.length === OPEN_STATUSES.length && OPEN_STATUSES.every((s) => statuses.includes(s));
    // Literal, not bound (values come from the status enum): the open-queue partial index matches only this exact term.
    where.push(`i.status IN (${(openQueue ? OPEN_STATUSES : statuses).map((s) => `'${s}'`).join(',')})`);
    // Some open statuses: the open-queue term too, so the sort indexes (partial, over open incidents) serve them.
    const openSubset = !openQueue && statuses.every((s) => OPEN_STATUSES.includes(s));
    if (openSubset) where.push(`i.status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(',')})`);
    const user = this.currentUser();
    // imported history (migration 010) is in "all" only, after the live work
    if (q.scope === 'mine') { where.push('i.imported_history = 0', '(i.owner_id = ? OR i.assignee_id = ?)'); args.push(user?.id ?? '', user?.id ?? ''); }
    if (q.scope === 'group') { where.push('i.imported_history = 0', 'i.group_name = ?'); args.push(user?.groupName ?? ''); }
    // Incidents nobody could classify go to the service-desk manager (issue 12, DOMAIN.md step 2).
    if (q.scope === 'unclassified') where.push('i.imported_history = 0', "(i.category_id = 'other' OR i.category_id IN (SELECT id FROM categories WHERE parent_id = 'other'))");
    if (q.priorities?.length) { where.push(`i.priority IN (${q.priorities.map(() => '?').join(', ')})`); args.push(...q.priorities); }
    if (q.categoryId) {
      where.push('(i.category_id = ? OR i.category_id IN (SELECT id FROM categories WHERE parent_id = ?))');
      args.push(q.categoryId, q.categoryId);
    }
    if (q.channel) { where.push('i.channel = ?'); args.push(q.channel); }
    const w = where.join(' AND ');
    const from = openQueue ? 'incidents i INDEXED BY incidents_open_queue' : 'incidents i';
    const total = this.cached(`SELECT count(*) FROM ${from} WHERE ${w}`).pluck().get(...args) as number;
    const rows = (queuePage((sql) => this.cached(sql), {
      select: QUEUE_SELECT, where: w, args, total, indexed: openQueue || openSubset, sort: q.sort ?? 'urgency', dir: q.dir ?? 'asc', offset: q.offset, limit: q.limit,
    }) as Row[]).map(queueRowFromRow);
    return { rows, total };
  }

  search(q: string, limit = 50): Array<QueueRow & { snippet: string }> {
    const match = ftsQuery(q);
    if (!match) return [];
    // Newest first: an agent looks for recent similar calls, and FTS5 returns rowid order lazily, where
    // ranking would score every match (tens of thousands for a common word at 100,000 incidents).
    const exact = this.cached(`SELECT ${QUEUE_SELECT}, i.description AS _description, i.resolution AS _resolution
      FROM incidents i WHERE i.number = ?`).all(q.trim().toUpperCase()) as Row[];
    const rows = exact.concat(this.cached(`SELECT ${QUEUE_SELECT}, i.description AS _description, i.resolution AS _resolution
      FROM incidents_fts f JOIN incidents i ON i.rowid = f.rowid WHERE incidents_fts MATCH ? ORDER BY f.rowid DESC LIMIT ?`)
      .all(match, limit) as Row[]).filter((r, k, all) => all.findIndex((x) => x.id === r.id) === k).slice(0, limit);
    return rows.map((r) => {
      const { _description, _resolution, ...rest } = r;
      const text = [rest.title, _description, _resolution].filter(Boolean).join(' — ') as string;
      return { ...queueRowFromRow(rest), snippet: snippet(text, q) };
    });
  }

  /** Knowledge-base articles (they arrive from the central server and are searchable offline). */
  searchKb(q: string, limit = 20): Array<{ id: string; title: string; snippet: string; tags: string[]; categoryId: string | null; updatedAt: string }> {
    const match = q.trim() ? ftsQuery(q) : null;
    const rows = (match
      ? this.cached(`SELECT k.id, k.title, k.body, k.tags, k.category_id AS categoryId, k.updated_at AS updatedAt FROM kb_fts f JOIN kb_articles k ON k.rowid = f.rowid WHERE kb_fts MATCH ? ORDER BY f.rank LIMIT ?`).all(match, limit)
      : this.cached('SELECT id, title, body, tags, category_id AS categoryId, updated_at AS updatedAt FROM kb_articles ORDER BY updated_at DESC LIMIT ?').all(limit)) as Row[];
    return rows.map((r) => ({ id: r.id as string, title: r.title as string, snippet: snippet(r.body as string, q, 120), tags: JSON.parse(r.tags as string), categoryId: r.categoryId as string | null, updatedAt: r.updatedAt as string }));
  }
  kbArticle(id: string): { id: string; title: string; body: string; tags: string[]; categoryId: string | null; updatedAt: string } {
    const r = this.cached('SELECT id, title, body, tags, category_id AS categoryId, updated_at AS updatedAt FROM kb_articles WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new DeskNotFoundError('knowledge-base article', id);
    return { ...(r as { id: string; title: string; body: string; categoryId: string | null; updatedAt: string }), tags: JSON.parse(r.tags as string) };
  }

  /** The user has read a conflict notice (a lost edit or a refused transition) and leaves it be. */
  dismissConflict(id: string): void {
    const actor = this.actor();
    const at = iso(this.now());
    this.db.transaction(() => {
      this.cached('UPDATE sync_conflicts SET dismissed_at = ? WHERE id = ? AND dismissed_at IS NULL').run(at, id);
      this.cached('INSERT OR IGNORE INTO conflict_dismissals (id, at, user_id) VALUES (?, ?, ?)').run(id, at, actor.id);
    })();
  }

  /** Transitions of this incident that met another status on the server (shown on the incident until dismissed). */
  conflictsOf(incidentId: string): Array<{ id: string; at: string; attemptedFrom: string; attemptedTo: string; currentStatus: string; userId: string }> {
    return (this.cached('SELECT id, data FROM sync_conflicts WHERE incident_id = ? AND dismissed_at IS NULL ORDER BY at').all(incidentId) as Array<{ id: string; data: string }>)
      .map((c) => ({ id: c.id, ...JSON.parse(c.data) }));
  }

  incidentCount(): number {
    return this.cached('SELECT count(*) FROM incidents').pluck().get() as number;
  }
}

/** Sample data (numbers DEMO-…) is for learning the desk: neither it nor work on it goes to the central server. */
const syncs = (inc: Pick<Incident, 'number'>) => !inc.number.startsWith('DEMO-');

/** `v` with every string equal to `from` replaced by `to` (ids inside a mutation's args). */
function replaceId<T>(v: T, from: string, to: string): T {
  if (v === from) return to as T;
  if (Array.isArray(v)) return v.map((x) => replaceId(x, from, to)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceId(x, from, to)])) as T;
  return v;
}

function likeArg(q: string): string {
  return '%' + q.trim().replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

function fmt(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function describeReason(r: PriorityReason | undefined): string | null {
  if (!r) return null;
  switch (r.rule) {
    case 'matrix': return `rule: matrix (impact ${r.impact} × urgency ${r.urgency})`;
    case 'major': return `rule: major (${r.reasons.join(', ')})`;
    case 'vip': return `rule: vip (${r.serviceLevel})`;
    case 'manual_urgent': return `rule: manual_urgent (${r.reason})`;
    case 'auto_escalated': return 'rule: auto_escalated';
  }
}

export type { Database };
