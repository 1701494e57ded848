import type Database from 'better-sqlite3';
import type { Ci, CiType } from '../../../shared/cmdb.js';
import type { FieldIssue } from '../../../shared/index.js';
import type { DeskStore } from '../store/desk-store.js';

/**
 * Configuration items on the desk (issue 12, item 7): the server's list, pulled like the groups
 * (sync entity `ci`, applied by electron/core/sync/apply.ts). Read here for the affected-system
 * picker, an item's recent incidents, and the list screen. A desk offline may not know an item
 * made since: the affected name stays free text, with no `ciId`.
 */

const cache = new WeakMap<DeskStore, Map<string, Database.Statement>>();
function stmt(store: DeskStore, sql: string): Database.Statement {
  let m = cache.get(store);
  if (!m) cache.set(store, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = store.db.prepare(sql)));
  return s;
}

interface CiRow { id: string; name: string; type: CiType; ip: string | null; location: string | null; group_id: string | null; critical: number; active: number; updated_at: string; group_name?: string | null }
/** An item as the renderer shows it: with its owning group's name where this desk knows the group. */
export interface CiView extends Ci { groupName: string | null }
const toView = (r: CiRow): CiView => ({
  id: r.id, name: r.name, type: r.type, ip: r.ip, location: r.location, groupId: r.group_id, critical: !!r.critical, active: !!r.active,
  updatedAt: r.updated_at, groupName: r.group_name ?? null,
});
const SELECT = 'SELECT c.*, g.name AS group_name FROM cis c LEFT JOIN groups g ON g.id = c.group_id';

/** Applies a pulled (or just saved) item snapshot; idempotent. */
export function applyCi(store: DeskStore, id: string, d: Partial<Ci>): void {
  stmt(store, `INSERT INTO cis (id, name, type, ip, location, group_id, critical, active, updated_at)
    VALUES (@id, @name, @type, @ip, @location, @groupId, @critical, @active, @updatedAt)
    ON CONFLICT(id) DO UPDATE SET name = excluded.name, type = excluded.type, ip = excluded.ip, location = excluded.location,
      group_id = excluded.group_id, critical = excluded.critical, active = excluded.active, updated_at = excluded.updated_at`).run({
    id, name: String(d.name ?? id), type: d.type ?? 'other', ip: d.ip ?? null, location: d.location ?? null, groupId: d.groupId ?? null,
    critical: d.critical ? 1 : 0, active: d.active === false ? 0 : 1, updatedAt: d.updatedAt ?? new Date().toISOString(),
  });
}

export function ciKnown(store: DeskStore, id: string): boolean {
  return !!stmt(store, 'SELECT 1 FROM cis WHERE id = ?').get(id);
}

/** The issue for a `ciId` this desk does not hold (null when it is fine or not given). */
export function ciIssue(store: DeskStore, path: string, id: string | null | undefined): FieldIssue | null {
  if (!id || ciKnown(store, id)) return null;
  return { path, message: 'unknown_ci: no such configuration item on this desk' };
}

export function getCi(store: DeskStore, id: string): CiView | null {
  const r = stmt(store, `${SELECT} WHERE c.id = ?`).get(id) as CiRow | undefined;
  return r ? toView(r) : null;
}

const likeText = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Items whose name, IP or location contains `q` (case-insensitive), names that start with it first.
 * Inactive items only when asked (the list screen), never in the picker.
 */
export function searchCis(store: DeskStore, q: string, opts: { limit?: number; includeInactive?: boolean } = {}): CiView[] {
  const text = q.trim();
  const limit = Math.min(Math.max(opts.limit ?? 10, 1), 5000);
  const active = opts.includeInactive ? '' : 'AND c.active = 1';
  if (!text) return (stmt(store, `${SELECT} WHERE 1 = 1 ${active} ORDER BY c.name COLLATE NOCASE LIMIT ?`).all(limit) as CiRow[]).map(toView);
  return (stmt(store, `${SELECT}
    WHERE (c.name LIKE @like ESCAPE '\\' OR c.ip LIKE @like ESCAPE '\\' OR c.location LIKE @like ESCAPE '\\') ${active}
    ORDER BY (c.name LIKE @prefix ESCAPE '\\') DESC, c.name COLLATE NOCASE LIMIT @limit`)
    .all({ like: likeText(text), prefix: `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, limit }) as CiRow[]).map(toView);
}

/** An item's recent incidents, newest reported first: those that picked it, and free-text ones of the same name. */
export interface CiIncident { id: string; number: string; title: string; status: string; priority: string; reportedAt: string }
export function recentIncidents(store: DeskStore, id: string, limit = 5): CiIncident[] {
  const ci = getCi(store, id);
  if (!ci) return [];
  return stmt(store, `SELECT id, number, title, status, priority, reported_at AS reportedAt FROM (
      SELECT * FROM incidents WHERE ci_id = @id
      UNION SELECT * FROM incidents WHERE ci_id IS NULL AND affected_name = @name COLLATE NOCASE)
    ORDER BY reported_at DESC LIMIT @limit`).all({ id, name: ci.name, limit }) as CiIncident[];
}
