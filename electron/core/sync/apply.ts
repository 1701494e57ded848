import { judgeTransition, stampDevice, type Change, type Incident, type SlaPolicy, type Status } from '../../../shared/index.js';
import { deriveIncident } from '../../../shared/sync-merge.js';
import type { DeskStore } from '../store/desk-store.js';
import { INCIDENT_COLUMNS, INCIDENT_FIELDS, SELECT_INCIDENT, UPDATE_INCIDENT, incidentFromRow, incidentParams, minutesFromParams, type Row } from '../store/rows.js';
import { historyFacts } from '../../../shared/reports.js';
import { applyGroup } from '../groups/groups.js';
import { closedEditRefused } from '../../../shared/closure.js';
import { applySlaSettings } from '../sla/settings.js';
import { applyPulledNotice, forgetNoticeCopy, noticeNotMine } from '../notifications/notices.js';
import { applyCi } from '../cmdb/cis.js';
import { applyKbArticle } from '../knowledge/articles.js';
import { applyPulledChange, applyPulledProblem, applyPulledRecordHistory } from '../problems/records.js';

// Reference rows first, so an incident finds its category and requester; then incidents, then the
// rows that hang off them.
const ORDER: Record<string, number> = { group: 0, ci: 1, user: 0, category: 0, sla_policy: 0, sla_settings: 0, requester: 1, kb_article: 1, problem: 1, change_record: 1, record_history: 1, incident: 2, history: 3, worklog: 3, conflict: 3, rejection: 3 };

/**
 * Applies one pulled page and advances the cursor in the same transaction: a desk killed halfway
 * through a page re-applies the whole page next time (every write here is idempotent), never half.
 * After the server's snapshot of an incident lands, this desk's own unsent edits of it are replayed
 * on top, so a change the agent made offline stays visible until the server has it.
 */
export function applyPage(store: DeskStore, changes: Change[], cursor: number, beforeApply?: (index: number) => void): { incidents: number; setAside: number } {
  const db = store.db;
  const st = statements(store);
  const sorted = [...changes].sort((a, b) => (ORDER[a.entity] ?? 9) - (ORDER[b.entity] ?? 9) || a.seq - b.seq);
  try {
    // The usual case: the whole page in one go.
    return db.transaction(() => ({ incidents: applyRows(store, st, sorted, cursor, beforeApply), setAside: 0 }))();
  } catch (err) {
    if (err instanceof Error && /^killed/.test(err.message)) throw err; // a test's simulated crash, not a bad row
    // One row the desk cannot apply (a category whose parent it does not have, a number it still uses
    // for another incident …) must not stop the page or the desk's sync: the page is applied again
    // row by row, each in a savepoint, and a row that fails is set aside with the error, reported in
    // the status, and retried after later pages.
    let setAside = 0;
    const incidents = db.transaction(() => applyRows(store, st, sorted, cursor, beforeApply, () => { setAside++; }))();
    return { incidents, setAside };
  }
}

/**
 * Writes a page's rows and its cursor; call inside a transaction. With `onAside`, each row goes in
 * its own savepoint and a row that fails is set aside instead of failing the page.
 */
function applyRows(store: DeskStore, st: Statements, rows: Change[], cursor: number, hook?: (index: number) => void, onAside?: () => void): number {
  let incidents = 0;
  const known = new Set<string>();
  // Full-text entries are written after the page's other writes: interleaved with the incident
  // writes they made those writes grow superlinearly slower (50,000 incidents: 5.4 s of incident
  // writes instead of 2.0 s, measured); written last, a page's terms go to the index together.
  const toIndex: Array<[Incident, boolean]> = [];
  for (const [i, c] of rows.entries()) {
    hook?.(i);
    if (!onAside) { if (applyChange(store, st, c, known, toIndex)) incidents++; continue; }
    // A row's index entries join the page's only once its savepoint has committed.
    const own: Array<[Incident, boolean]> = [];
    try {
      if (store.db.transaction(() => applyChange(store, st, c, known, own))()) incidents++;
      toIndex.push(...own);
      st.setAsideDelete.run(c.entity, c.id);
    } catch (e) {
      known.clear(); // a rolled-back savepoint may have taken a "known" row with it
      st.setAside.run({ entity: c.entity, id: c.id, seq: c.seq, data: JSON.stringify(c.data), meta: c.meta ? JSON.stringify(c.meta) : null, error: String((e as Error).message ?? e), at: new Date().toISOString() });
      onAside();
    }
  }
  for (const [inc, isNew] of toIndex) store.reindex(inc, isNew);
  store.setMeta('sync_cursor', String(cursor));
  return incidents;
}

/** Applies one pulled change; true when it was an incident. */
function applyChange(store: DeskStore, st: Statements, c: Change, known: Set<string>, toIndex: Array<[Incident, boolean]>): boolean {
  const d = c.data as Record<string, any>;
  switch (c.entity) {
    case 'group': applyGroup(store, c.id, d); break;
    case 'ci': applyCi(store, c.id, d); break;
    case 'problem': applyPulledProblem(store, d as never); break;
    case 'change_record': applyPulledChange(store, d as never); break;
    case 'record_history': applyPulledRecordHistory(store, d as never); break;
    case 'notice': applyPulledNotice(store, d as never); break;
    case 'user': st.user.run({ id: c.id, name: d.name, role: d.role, groupName: d.groupName, active: d.active === false ? 0 : 1, at: new Date().toISOString() }); break;
    case 'category': st.category.run({ id: c.id, parentId: d.parentId ?? null, code: d.code ?? c.id, nameZh: d.nameZh ?? c.id, nameEn: d.nameEn ?? c.id }); break;
    case 'sla_policy': {
      const policy = (d.policy ?? d) as SlaPolicy;
      store.setMeta('sla_policy', JSON.stringify(policy));
      store.sla = policy;
      break;
    }
    case 'sla_settings': applySlaSettings(store, d); break;
    case 'requester': st.requester.run({ id: c.id, name: d.name, department: d.department ?? null, phone: d.phone ?? null, phoneDigits: String(d.phone ?? '').replace(/\D/g, '') || null, email: d.email ?? null, serviceLevel: d.serviceLevel ?? 'normal', at: new Date().toISOString() }); break;
    case 'kb_article': applyKbArticle(store, c.id, d); break; // status, version, use count (issue 12): electron/core/knowledge
    case 'incident': applyIncident(store, st, d as Incident, statusByOf(c), known, toIndex); return true;
    case 'history': child(st, 'history', c.id, d.incidentId, d); break;
    case 'worklog': child(st, 'worklog', c.id, d.incidentId, d); break;
    case 'conflict': st.conflict.run(c.id, d.incidentId, JSON.stringify(d), d.at ?? new Date().toISOString()); break;
    case 'rejection':
      // the same answer as the push's (engine.ts): a notice that is not this user's is forgotten, not shown
      if (noticeNotMine(d.name, d.code)) {
        const user = store.currentUser();
        if (user) forgetNoticeCopy(store, String(d.args?.id ?? ''), user.id);
        break;
      }
      st.rejection.run({
      id: c.id, seq: d.seq ?? null, name: d.name, reason: d.reason, at: d.at ?? new Date().toISOString(), args: JSON.stringify(d.args ?? {}),
      code: d.code ?? null, params: d.params ? JSON.stringify(d.params) : null,
    }); break;
  }
  return false;
}

/** The device that set a pulled incident's status (its status stamp's node, else the creation stamp's). */
function statusByOf(c: Change): string | null {
  const f = c.meta?.fieldHlc;
  return stampDevice(f?.status ?? f?.['*']);
}

/**
 * Rows set aside by earlier pages, tried again (each in its own savepoint): a category whose parent
 * has arrived since, an incident whose number this desk no longer uses. Cheap when there are none.
 */
export function retrySetAside(store: DeskStore): number {
  const st = statements(store);
  const rows = st.setAsideAll.all() as Array<{ entity: Change['entity']; id: string; seq: number; data: string; meta: string | null }>;
  if (!rows.length) return 0;
  let applied = 0;
  const sorted = rows.sort((a, b) => (ORDER[a.entity] ?? 9) - (ORDER[b.entity] ?? 9) || a.seq - b.seq);
  store.db.transaction(() => {
    for (const r of sorted) {
      const c: Change = { seq: r.seq, entity: r.entity, id: r.id, data: JSON.parse(r.data), ...(r.meta ? { meta: JSON.parse(r.meta) } : {}) };
      const toIndex: Array<[Incident, boolean]> = [];
      try {
        store.db.transaction(() => {
          applyChange(store, st, c, new Set(), toIndex);
          for (const [inc, isNew] of toIndex) store.reindex(inc, isNew);
        })();
        st.setAsideDelete.run(r.entity, r.id);
        applied++;
      } catch (e) {
        st.setAsideError.run(String((e as Error).message ?? e), r.entity, r.id);
      }
    }
  })();
  return applied;
}

/** Kept with the server's snapshot of an incident: the device that set its status (for the replay rule). */
const STATUS_BY = '_statusBy';

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<DeskStore, Statements>();
function statements(store: DeskStore): Statements {
  let s = cache.get(store);
  if (!s) { s = prepare(store); cache.set(store, s); }
  return s;
}
function prepare(store: DeskStore) {
  const db = store.db;
  const cols = INCIDENT_FIELDS.map((f) => INCIDENT_COLUMNS[f]);
  return {
    user: db.prepare(`INSERT INTO users (id, name, role, group_name, active, source, updated_at) VALUES (@id, @name, @role, @groupName, @active, 'server', @at)
      ON CONFLICT(id) DO UPDATE SET name = excluded.name, role = excluded.role, group_name = excluded.group_name, active = excluded.active, source = 'server'`),
    category: db.prepare(`INSERT INTO categories (id, parent_id, code, name_zh, name_en) VALUES (@id, @parentId, @code, @nameZh, @nameEn)
      ON CONFLICT(id) DO UPDATE SET parent_id = excluded.parent_id, code = excluded.code, name_zh = excluded.name_zh, name_en = excluded.name_en`),
    categoryIfMissing: db.prepare(`INSERT OR IGNORE INTO categories (id, parent_id, code, name_zh, name_en) VALUES (?, NULL, ?, ?, ?)`),
    requester: db.prepare(`INSERT INTO requesters (id, name, department, phone, phone_digits, email, service_level, updated_at)
      VALUES (@id, @name, @department, @phone, @phoneDigits, @email, @serviceLevel, @at)
      ON CONFLICT(id) DO UPDATE SET name = excluded.name, department = excluded.department, phone = excluded.phone,
        phone_digits = excluded.phone_digits, email = excluded.email, service_level = excluded.service_level, updated_at = excluded.updated_at`),
    requesterIfMissing: db.prepare(`INSERT OR IGNORE INTO requesters (id, name, department, phone, phone_digits, email, service_level, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    incidentById: db.prepare(`${SELECT_INCIDENT} WHERE id = ?`),
    // Separate INSERT and UPDATE rather than one upsert: SQLite runs an upsert inside a statement
    // savepoint, which cost twice the time of a plain insert per incident in a first sync.
    insertIncident: db.prepare(`INSERT INTO incidents (${cols.join(', ')}, fact_resp_target, fact_res_target)
      VALUES (${INCIDENT_FIELDS.map((f) => '@' + f).join(', ')}, ${minutesFromParams((f) => '@' + f, () => 'NULL').slice(0, 2).join(', ')})`),
    updateIncident: db.prepare(UPDATE_INCIDENT),
    pendingForIncident: db.prepare(`SELECT name, args FROM outbox WHERE sent_at IS NULL AND name IN ('incident.update', 'incident.transition')
      AND json_extract(args, '$.id') = ? ORDER BY seq`),
    incidentExists: db.prepare('SELECT 1 FROM incidents WHERE id = ?').pluck(),
    history: db.prepare(`INSERT OR IGNORE INTO history (id, incident_id, at, actor_id, device_id, online, kind, field, old_value, new_value, note, recorded_as,
        status_from, status_to, tier_from, tier_to, group_to, assignee_to, priority_to, auto_escalated)
      VALUES (@id, @incidentId, @at, @actorId, @deviceId, @online, @kind, @field, @oldValue, @newValue, @note, @recordedAs,
        @statusFrom, @statusTo, @tierFrom, @tierTo, @groupTo, @assigneeTo, @priorityTo, @autoEscalated)`),
    worklog: db.prepare(`INSERT OR IGNORE INTO work_logs (id, incident_id, at, recorded_at, author_id, body, kind, recorded_as)
      VALUES (@id, @incidentId, @at, @recordedAt, @authorId, @body, @kind, @recordedAs)`),
    orphan: db.prepare('INSERT OR REPLACE INTO sync_orphans (entity, id, incident_id, data) VALUES (?, ?, ?, ?)'),
    orphansOf: db.prepare('SELECT entity, id, data FROM sync_orphans WHERE incident_id = ?'),
    orphansDelete: db.prepare('DELETE FROM sync_orphans WHERE incident_id = ?'),
    conflict: db.prepare('INSERT OR IGNORE INTO sync_conflicts (id, incident_id, data, at) VALUES (?, ?, ?, ?)'),
    rejection: db.prepare(`INSERT OR IGNORE INTO sync_rejections (id, seq, name, reason, at, args, code, params)
      VALUES (@id, @seq, @name, @reason, @at, @args, @code, @params)`),
    setAside: db.prepare(`INSERT INTO sync_setaside (entity, id, seq, data, meta, error, at) VALUES (@entity, @id, @seq, @data, @meta, @error, @at)
      ON CONFLICT(entity, id) DO UPDATE SET seq = excluded.seq, data = excluded.data, meta = excluded.meta, error = excluded.error, at = excluded.at
      WHERE excluded.seq >= sync_setaside.seq`),
    setAsideAll: db.prepare('SELECT entity, id, seq, data, meta FROM sync_setaside'),
    setAsideDelete: db.prepare('DELETE FROM sync_setaside WHERE entity = ? AND id = ?'),
    setAsideError: db.prepare('UPDATE sync_setaside SET error = ? WHERE entity = ? AND id = ?'),
    shadow: db.prepare('INSERT INTO incident_server (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data'),
    shadowOf: db.prepare('SELECT data FROM incident_server WHERE id = ?').pluck(),
    shadowDelete: db.prepare('DELETE FROM incident_server WHERE id = ?'),
  };
}

function child(st: Statements, entity: 'history' | 'worklog', id: string, incidentId: string, d: Record<string, any>) {
  // The server keeps only an incident's latest snapshot, so its history can arrive before it does.
  if (!st.incidentExists.get(incidentId)) { st.orphan.run(entity, id, incidentId, JSON.stringify(d)); return; }
  // A name sent with the row is the one it was recorded under locally (work done before sign-in).
  if (entity === 'history') {
    const h = { kind: d.kind, field: d.field ?? null, oldValue: d.oldValue ?? null, newValue: d.newValue ?? null, note: d.note ?? null };
    st.history.run({ id, incidentId, at: d.at, actorId: d.actorId, deviceId: d.deviceId, online: d.online ? 1 : 0, ...h, recordedAs: d.kind === 'conflict' ? null : d.actorName ?? null, ...historyFacts(h) });
  }
  else st.worklog.run({ id, incidentId, at: d.at, recordedAt: d.recordedAt ?? d.at, authorId: d.authorId, body: d.body, kind: d.kind ?? 'note', recordedAs: d.authorName ?? null });
}

function applyIncident(store: DeskStore, st: Statements, server: Incident, statusBy: string | null, known?: Set<string>, toIndex?: Array<[Incident, boolean]>) {
  let inc: Incident = { ...server };
  // Local edits not yet acknowledged by the server go back on top of its snapshot, and the snapshot
  // is kept to return to should the server refuse them. Without pending edits the row is the
  // server's version and needs no copy (the store keeps one when the next local edit starts).
  const pending = st.pendingForIncident.all(inc.id) as Array<{ name: string; args: string }>;
  if (pending.length) st.shadow.run(server.id, JSON.stringify({ ...server, [STATUS_BY]: statusBy }));
  else st.shadowDelete.run(server.id);
  // Unsent transitions are judged by the same rule the server will apply (shared/sync-rules.ts): one
  // that the server will refuse as a conflict with another desk is not shown as if it had happened.
  let by = statusBy;
  for (const m of pending) {
    const args = JSON.parse(m.args) as { fields?: Partial<Incident>; from?: Status; to?: Status };
    if (m.name === 'incident.transition' && args.to && args.from) {
      const verdict = judgeTransition({ current: inc.status, statusBy: by, from: args.from, to: args.to, device: store.deviceId });
      if (verdict.kind !== 'apply') continue;
      inc = { ...inc, ...args.fields, status: args.to };
      by = store.deviceId;
    } else if (args.fields && !closedEditRefused(inc.status, Object.keys(args.fields))) inc = { ...inc, ...args.fields }; // the server refuses an edit of a closed incident (issue 12)
  }
  inc = deriveIncident(inc, store.slaSettings);
  if (!known?.has(`c:${inc.categoryId}`)) { st.categoryIfMissing.run(inc.categoryId, inc.categoryId, inc.categoryId, inc.categoryId); known?.add(`c:${inc.categoryId}`); }
  if (inc.requesterId && !known?.has(`r:${inc.requesterId}`)) {
    st.requesterIfMissing.run(inc.requesterId, inc.requesterName, inc.requesterDept, inc.requesterPhone, String(inc.requesterPhone ?? '').replace(/\D/g, '') || null, inc.requesterEmail, inc.serviceLevel, inc.updatedAt);
    known?.add(`r:${inc.requesterId}`);
  }
  const existed = !!st.incidentExists.get(inc.id);
  (existed ? st.updateIncident : st.insertIncident).run(incidentParams(inc));
  if (toIndex) toIndex.push([inc, !existed]);
  else store.reindex(inc, !existed);
  const orphans = st.orphansOf.all(inc.id) as Array<{ entity: 'history' | 'worklog'; id: string; data: string }>;
  if (orphans.length) {
    st.orphansDelete.run(inc.id);
    for (const o of orphans) child(st, o.entity, o.id, inc.id, JSON.parse(o.data));
  }
}

/**
 * The server refused one of this desk's changes to an incident: the incident returns to the
 * server's last version with the desk's remaining unsent changes on top. Call inside a transaction.
 */
export function restoreIncident(store: DeskStore, id: string): boolean {
  const st = statements(store);
  const snap = st.shadowOf.get(id) as string | undefined;
  if (!snap) return false;
  const { [STATUS_BY]: statusBy, ...server } = JSON.parse(snap) as Incident & { [STATUS_BY]?: string | null };
  applyIncident(store, st, server as Incident, statusBy ?? null);
  return true;
}

export function readIncident(store: DeskStore, id: string): Incident | null {
  const r = statements(store).incidentById.get(id) as Row | undefined;
  return r ? incidentFromRow(r) : null;
}
