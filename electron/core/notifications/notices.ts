import type Database from 'better-sqlite3';
import type { Incident } from '../../../shared/schemas.js';
import { NOTICE_AUDIENCE, dueSlaNotices, noticeId, type NoticeClock, type NoticeData, type NoticeKind, type SweepIncident } from '../../../shared/notices.js';
import { nextSlaNoticeMs } from '../../../shared/sla-notices.js';
import type { DeskStore } from '../store/desk-store.js';

/**
 * Notices on the desk (issue 13). A desk raises a notice the moment it sees it fall due, online or
 * not (its sweep, with the store's clock), keeps it for the people it resolves locally, and sends
 * `notice.raise` to the server, which keeps one notice per id and sends each recipient's copy to
 * their desks. Reads travel as `notice.read`. Everything a user reads is worded by the renderer.
 */

const iso = (ms: number) => new Date(ms).toISOString();
/** Statements prepared once per connection (a sweep raising thousands would otherwise prepare each every time). */
const statements = new WeakMap<object, Map<string, Database.Statement>>();
function sql(store: DeskStore, text: string) {
  let m = statements.get(store.db);
  if (!m) statements.set(store.db, (m = new Map()));
  let st = m.get(text);
  if (!st) m.set(text, (st = store.db.prepare(text)));
  return st;
}
/** Sample incidents (DEMO-…) are never sent; their notices stay on this desk. */
const syncs = (number: string) => !number.startsWith('DEMO-');

export interface NoticeRow {
  id: string; kind: NoticeKind; incidentId: string; incidentNumber: string; incidentTitle: string;
  clock: NoticeClock; atMs: number; params: Record<string, string | number>; raisedAt: string; readAt: string | null;
}

/** The people on this desk a notice is for (the server resolves its own list; see server/notifications.ts). */
function localRecipients(store: DeskStore, kind: NoticeKind, inc: Pick<Incident, 'ownerId' | 'assigneeId' | 'groupName' | 'dispatchGroup'>): string[] {
  const ids = new Set<string>();
  switch (NOTICE_AUDIENCE[kind]) {
    case 'owner_assignee': if (inc.ownerId) ids.add(inc.ownerId); if (inc.assigneeId) ids.add(inc.assigneeId); break;
    case 'assignee': if (inc.assigneeId) ids.add(inc.assigneeId); break;
    case 'leads': case 'process_owner':
      for (const id of sql(store, "SELECT id FROM users WHERE role IN ('lead', 'admin') AND active = 1").pluck().all() as string[]) ids.add(id);
      break;
    case 'first_line': {
      // the first-line group that dispatched it (where a return sends it), not whatever group holds it
      // when this desk sweeps: a re-dispatch pulled in the same page must not move the notice
      const group = inc.dispatchGroup ?? inc.groupName;
      if (group) {
        for (const id of sql(store, `SELECT m.user_id FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name = ?
          UNION SELECT id FROM users WHERE group_name = ? AND active = 1`).pluck().all(group, group) as string[]) ids.add(id);
      }
      break;
    }
  }
  return [...ids];
}

/**
 * Records a notice unless this desk holds it already, and queues it for the server; inside the
 * caller's transaction (or its own). True when it was new here.
 */
export function raiseNotice(
  store: DeskStore,
  n: { kind: NoticeKind; incident: Pick<Incident, 'id' | 'number' | 'ownerId' | 'assigneeId' | 'groupName'>; clock: NoticeClock; atMs: number; params?: Record<string, string | number> },
  opts: { outbox?: boolean } = {},
): boolean {
  return store.db.transaction(() => {
    const id = noticeId(n.kind, n.incident.id, n.clock, n.atMs);
    const raisedAt = iso(store.now().getTime());
    const params = n.params ?? {};
    const added = sql(store, `INSERT OR IGNORE INTO notices (id, kind, incident_id, clock, at_ms, params, raised_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 'desk')`)
      .run(id, n.kind, n.incident.id, n.clock, n.atMs, JSON.stringify(params), raisedAt).changes > 0;
    if (!added) return false;
    const rec = sql(store, 'INSERT OR IGNORE INTO notice_recipients (notice_id, user_id, read_at) VALUES (?, ?, NULL)');
    for (const userId of localRecipients(store, n.kind, n.incident)) rec.run(id, userId);
    const actor = store.currentUser();
    // The server resolves the recipients itself (an empty list: "as you resolve them"), so a desk
    // whose copy of the people and roles is stale never has its notice refused for it.
    if (opts.outbox !== false && actor && syncs(n.incident.number)) {
      store.requeue('notice.raise', { id, kind: n.kind, incidentId: n.incident.id, clock: n.clock, atMs: n.atMs, recipients: [], params, raisedAt }, actor.id);
    }
    return true;
  })();
}

interface SweepRow {
  rid: number; id: string; number: string; priority: Incident['priority']; status: Incident['status']; service_level: Incident['serviceLevel'];
  reported_at: string; first_response_at: string | null; resolved_at: string | null; pending_since: string | null; pending_spells: string;
  owner_id: string; assignee_id: string | null; group_name: string | null;
}

/**
 * The desk's sweep: every SLA notice due at the store's `now` for the open incidents, raised once.
 * Returns the notices raised now.
 *
 * It reads only the incidents whose next notice is due (`next_notice_at`, desk migration 021, from
 * its partial index over open incidents): a row's instant is 0 when it is new or a column its clocks
 * depend on changed (a trigger), and after a look the sweep writes back when the next one falls due
 * (`nextSlaNoticeMs`), or NULL when nothing is left to tell. A poll with nothing due reads nothing.
 */
export function sweepNotices(store: DeskStore): number {
  const nowMs = store.now().getTime();
  const rows = sql(store, `SELECT i.rowid AS rid, i.id, i.number, i.priority, i.status, i.service_level, i.reported_at, i.first_response_at, i.resolved_at, i.pending_since,
      i.pending_spells, i.owner_id, i.assignee_id, i.group_name FROM incidents i INDEXED BY incidents_next_notice
    WHERE i.next_notice_at IS NOT NULL AND i.status NOT IN ('resolved', 'closed') AND i.next_notice_at <= ?`)
    .all(nowMs) as SweepRow[];
  if (rows.length === 0) return 0;
  const knownStmt = sql(store, 'SELECT 1 FROM notices WHERE id = ?').pluck();
  const known = (id: string) => !!knownStmt.get(id);
  const setNext = sql(store, 'UPDATE incidents SET next_notice_at = ? WHERE rowid = ?');
  const settings = store.slaSettings;
  let raised = 0;
  store.db.transaction(() => {
    for (const r of rows) {
      const inc: SweepIncident = {
        id: r.id, priority: r.priority, status: r.status, serviceLevel: r.service_level, reportedAt: r.reported_at, firstResponseAt: r.first_response_at,
        resolvedAt: r.resolved_at, pendingSince: r.pending_since, pendingSpells: JSON.parse(r.pending_spells || '[]'),
      };
      for (const d of dueSlaNotices(inc, settings, nowMs)) {
        if (known(d.id)) continue;
        if (raiseNotice(store, { kind: d.kind, clock: d.clock, atMs: d.atMs, incident: { id: r.id, number: r.number, ownerId: r.owner_id, assigneeId: r.assignee_id, groupName: r.group_name } })) raised++;
      }
      // What is left after this look (a notice due now was just raised; one still unraised is looked
      // at again at the next poll).
      const next = nextSlaNoticeMs(inc, settings, nowMs, known);
      setNext.run(next === null ? null : Math.max(next, nowMs + 1), r.rid);
    }
  })();
  return raised;
}

/** Events older than this when a desk first sees them (a first sync's history, an import) tell no one. */
export const EVENT_NOTICE_MAX_AGE_MS = 3 * 24 * 3600_000;

/**
 * Notices of events in the history, however the row got here (written on this desk or pulled): a
 * return to first line (to the first-line group's members) and an assignment to someone other than
 * the person who made it (to the assignee). The id comes from the event's incident, kind and time,
 * so every desk that sees the row raises the same notice. Reads the history after a cursor.
 */
export function sweepEventNotices(store: DeskStore): number {
  const db = store.db;
  const nowMs = store.now().getTime();
  const after = Number(store.meta('notice_history_rowid') ?? '0');
  const rows = db.prepare(`SELECT h.rowid AS rid, h.incident_id, h.at, h.actor_id, h.kind, h.field, h.new_value, i.number, i.owner_id, i.assignee_id, i.group_name, i.dispatch_group, i.origin
    FROM history h JOIN incidents i ON i.id = h.incident_id
    WHERE h.rowid > ? AND ((h.kind = 'transition' AND h.new_value = 'returned') OR (h.kind = 'field' AND h.field = 'assigneeId' AND h.new_value IS NOT NULL AND h.new_value <> ''))
    ORDER BY h.rowid LIMIT 5000`).all(after) as Array<{
      rid: number; incident_id: string; at: string; actor_id: string; kind: string; field: string | null; new_value: string; number: string;
      owner_id: string; assignee_id: string | null; group_name: string | null; dispatch_group: string | null; origin: string;
    }>;
  const last = rows.length ? rows[rows.length - 1].rid : (db.prepare('SELECT max(rowid) FROM history').pluck().get() as number | null) ?? 0;
  let raised = 0;
  db.transaction(() => {
    for (const r of rows) {
      const atMs = Date.parse(r.at);
      if (r.origin === 'import' || !(nowMs - atMs <= EVENT_NOTICE_MAX_AGE_MS)) continue;
      const incident = { id: r.incident_id, number: r.number, ownerId: r.owner_id, assigneeId: r.assignee_id, groupName: r.group_name, dispatchGroup: r.dispatch_group };
      if (r.kind === 'transition') {
        if (raiseNotice(store, { kind: 'returned_to_l1', incident, clock: 'none', atMs })) raised++;
      } else if (r.new_value !== r.actor_id && r.new_value === r.assignee_id) {
        if (raiseNotice(store, { kind: 'assigned_to_me', incident, clock: 'none', atMs })) raised++;
      }
    }
    store.setMeta('notice_history_rowid', String(Math.max(after, last)));
  })();
  return raised;
}

/**
 * The server decides who a notice is for; a desk's own list (raised offline, from what it knew then:
 * the assignee, the group's people) is a guess. When the server answers that a notice is not this
 * user's (`forbidden` on notice.raise or notice.read), the desk forgets its copy for that user instead
 * of showing a refusal: nothing of anyone's work was lost, and if the notice is theirs after all the
 * server's copy comes with the next pull.
 */
export function noticeNotMine(name: string | undefined, code: string | null | undefined): boolean {
  return (name === 'notice.read' || name === 'notice.raise') && code === 'forbidden';
}
export function forgetNoticeCopy(store: DeskStore, noticeId: string, userId: string): void {
  sql(store, 'DELETE FROM notice_recipients WHERE notice_id = ? AND user_id = ?').run(noticeId, userId);
  sql(store, 'DELETE FROM notices WHERE id = ? AND NOT EXISTS (SELECT 1 FROM notice_recipients r WHERE r.notice_id = notices.id)').run(noticeId);
}

/** A pulled notice (one recipient's copy): kept once; the earliest read time stands. */
export function applyPulledNotice(store: DeskStore, d: NoticeData): void {
  sql(store, `INSERT INTO notices (id, kind, incident_id, clock, at_ms, params, raised_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 'server')
    ON CONFLICT(id) DO NOTHING`).run(d.id, d.kind, d.incidentId, d.clock, d.atMs, JSON.stringify(d.params ?? {}), d.raisedAt);
  sql(store, `INSERT INTO notice_recipients (notice_id, user_id, read_at) VALUES (?, ?, ?)
    ON CONFLICT(notice_id, user_id) DO UPDATE SET read_at = CASE WHEN read_at IS NULL THEN excluded.read_at WHEN excluded.read_at IS NULL THEN read_at ELSE min(read_at, excluded.read_at) END`)
    .run(d.id, d.recipientId, d.readAt);
}

/** The signed-in user's notices, newest first, with their incident's number and title. */
export function listNotices(store: DeskStore, opts: { limit?: number } = {}): { items: NoticeRow[]; unread: number } {
  const user = store.currentUser();
  if (!user) return { items: [], unread: 0 };
  const rows = store.db.prepare(`SELECT n.id, n.kind, n.incident_id AS incidentId, i.number AS incidentNumber, i.title AS incidentTitle, n.clock, n.at_ms AS atMs,
      n.params, n.raised_at AS raisedAt, r.read_at AS readAt
    FROM notice_recipients r JOIN notices n ON n.id = r.notice_id JOIN incidents i ON i.id = n.incident_id
    WHERE r.user_id = ? ORDER BY n.raised_at DESC, n.id LIMIT ?`).all(user.id, opts.limit ?? 100) as Array<Omit<NoticeRow, 'params'> & { params: string }>;
  const unread = store.db.prepare(`SELECT count(*) FROM notice_recipients r JOIN notices n ON n.id = r.notice_id JOIN incidents i ON i.id = n.incident_id
    WHERE r.user_id = ? AND r.read_at IS NULL`).pluck().get(user.id) as number;
  return { items: rows.map((r) => ({ ...r, params: JSON.parse(r.params) })), unread };
}

/** Marks the signed-in user's notices read (these ids, or all unread), here and, through the outbox, on the server. */
export function markNoticesRead(store: DeskStore, ids: string[] | 'all'): number {
  const user = store.currentUser();
  if (!user) return 0;
  const at = store.now().toISOString();
  return store.db.transaction(() => {
    const unread = store.db.prepare(`SELECT r.notice_id AS id, i.number FROM notice_recipients r JOIN notices n ON n.id = r.notice_id LEFT JOIN incidents i ON i.id = n.incident_id
      WHERE r.user_id = ? AND r.read_at IS NULL`).all(user.id) as Array<{ id: string; number: string | null }>;
    const wanted = ids === 'all' ? null : new Set(ids);
    const mark = store.db.prepare('UPDATE notice_recipients SET read_at = ? WHERE notice_id = ? AND user_id = ?');
    let n = 0;
    for (const r of unread) {
      if (wanted && !wanted.has(r.id)) continue;
      mark.run(at, r.id, user.id);
      if (r.number && syncs(r.number)) store.requeue('notice.read', { id: r.id, readAt: at }, user.id);
      n++;
    }
    return n;
  })();
}
