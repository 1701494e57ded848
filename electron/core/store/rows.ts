import type { HistoryEntry, Incident, QueueRow, Requester, WorkLog, DeskUser, Category } from '../../../shared/index.js';
import { MINUTE_COLUMNS, minuteExprs } from '../db/migrations/022_report_minutes.js';
export { MINUTE_COLUMNS };

/** Incident fields in API (camelCase) order with their SQLite column; one list drives reads and writes. */
export const INCIDENT_COLUMNS = {
  id: 'id', number: 'number', channel: 'channel', requesterId: 'requester_id', requesterName: 'requester_name',
  requesterDept: 'requester_dept', requesterPhone: 'requester_phone', requesterEmail: 'requester_email',
  serviceLevel: 'service_level', serviceType: 'service_type', categoryId: 'category_id', title: 'title',
  description: 'description', affectedName: 'affected_name', ciId: 'ci_id', affectedIp: 'affected_ip', affectedLocation: 'affected_location',
  impactScope: 'impact_scope', impact: 'impact', urgency: 'urgency', majorReasons: 'major_reasons', urgentReason: 'urgent_reason',
  autoEscalated: 'auto_escalated', priority: 'priority', matrixCell: 'matrix_cell', status: 'status', occurredAt: 'occurred_at', reportedAt: 'reported_at',
  recordedAt: 'recorded_at', firstResponseAt: 'first_response_at', resolvedAt: 'resolved_at', closedAt: 'closed_at',
  pendingSince: 'pending_since', pausedMs: 'paused_ms', pendingSpells: 'pending_spells', resolveDueAt: 'resolve_due_at', responseDueAt: 'response_due_at',
  ownerId: 'owner_id', tier: 'tier', groupName: 'group_name', assigneeId: 'assignee_id', resolution: 'resolution',
  rootCause: 'root_cause', problemRef: 'problem_ref', changeRef: 'change_ref', problemId: 'problem_id', changeId: 'change_id', kbArticleId: 'kb_article_id',
  satisfaction: 'satisfaction', satisfactionComment: 'satisfaction_comment', backfilled: 'backfilled',
  backfillReason: 'backfill_reason', origin: 'origin', externalRef: 'external_ref',
  dispatchGroup: 'dispatch_group', returnCount: 'return_count', returnReason: 'return_reason', returnNote: 'return_note',
  pendingReason: 'pending_reason', pendingNote: 'pending_note', reopenCount: 'reopen_count', closeKind: 'close_kind', confirmedWith: 'confirmed_with',
  confirmedVia: 'confirmed_via', confirmedAt: 'confirmed_at',
  escalationLevel: 'escalation_level', escalatedAt: 'escalated_at', escalationReason: 'escalation_reason', vendorName: 'vendor_name',
  vendorContact: 'vendor_contact', vendorTicket: 'vendor_ticket', mgmtEscalatedAt: 'mgmt_escalated_at', mgmtReason: 'mgmt_reason', createdBy: 'created_by', deviceId: 'device_id', updatedAt: 'updated_at',
} as const satisfies Record<keyof Incident, string>;
export type IncidentField = keyof typeof INCIDENT_COLUMNS;
export const INCIDENT_FIELDS = Object.keys(INCIDENT_COLUMNS) as IncidentField[];
const BOOL_FIELDS = new Set<IncidentField>(['autoEscalated', 'backfilled']);

export type Row = Record<string, unknown>;

export const SELECT_INCIDENT = `SELECT ${INCIDENT_FIELDS.map((f) => `${INCIDENT_COLUMNS[f]} AS "${f}"`).join(', ')} FROM incidents`;

export function incidentFromRow(r: Row): Incident {
  return {
    ...(r as unknown as Incident),
    majorReasons: JSON.parse(r.majorReasons as string),
    pendingSpells: JSON.parse((r.pendingSpells as string | undefined) ?? '[]'),
    autoEscalated: !!r.autoEscalated,
    backfilled: !!r.backfilled,
  };
}

/** Incident → named parameters for an INSERT/UPDATE statement (`@id`, `@number`, …). */
export function incidentParams(inc: Incident): Row {
  const out: Row = {};
  for (const f of INCIDENT_FIELDS) {
    const v = inc[f];
    out[f] = f === 'majorReasons' ? JSON.stringify(v) : f === 'pendingSpells' ? JSON.stringify(v ?? []) : BOOL_FIELDS.has(f) ? (v ? 1 : 0) : f === 'returnCount' || f === 'reopenCount' ? (v ?? 0) : (v ?? null);
  }
  return out;
}
const FIELD_OF_COLUMN = new Map(INCIDENT_FIELDS.map((f) => [INCIDENT_COLUMNS[f] as string, f]));
/**
 * The report's minute columns (migration 022) as a whole-row writer sets them, from its parameters
 * (`param(field)`) and, for the history's fact columns, `fact(column)`: on insert the facts are
 * still their defaults, so the insert sets the two targets only.
 */
export const minutesFromParams = (param: (f: IncidentField) => string, fact: (c: string) => string) =>
  minuteExprs((c) => { const f = FIELD_OF_COLUMN.get(c); return f ? param(f) : fact(c); });
/** The incident fields the minutes depend on (the rest are the history's fact columns). */
export const MINUTE_FIELDS = new Set<IncidentField>(['reportedAt', 'responseDueAt', 'resolveDueAt', 'pausedMs', 'status']);
const INSERT_MINUTES = minutesFromParams((f) => '@' + f, () => 'NULL').slice(0, 2);
export const INSERT_INCIDENT = `INSERT INTO incidents (${INCIDENT_FIELDS.map((f) => INCIDENT_COLUMNS[f]).join(', ')}, client_id, import_key, fact_resp_target, fact_res_target)
  VALUES (${INCIDENT_FIELDS.map((f) => '@' + f).join(', ')}, @clientId, @importKey, ${INSERT_MINUTES.join(', ')})`;
export const UPDATE_INCIDENT = `UPDATE incidents SET ${INCIDENT_FIELDS.filter((f) => f !== 'id').map((f) => `${INCIDENT_COLUMNS[f]} = @${f}`).join(', ')},
  (${MINUTE_COLUMNS.join(', ')}) = (${minutesFromParams((f) => '@' + f, (c) => c).join(', ')}) WHERE id = @id`;

const QUEUE_FIELDS: (keyof QueueRow)[] = ['id', 'number', 'title', 'status', 'priority', 'channel', 'categoryId', 'requesterName',
  'requesterDept', 'serviceLevel', 'reportedAt', 'resolveDueAt', 'responseDueAt', 'ownerId', 'assigneeId', 'groupName', 'tier',
  'backfilled', 'origin', 'recordedAt', 'pendingSince', 'pausedMs', 'resolvedAt', 'firstResponseAt', 'returnReason', 'returnCount', 'pendingSpells', 'pendingReason', 'reopenCount', 'escalationLevel', 'mgmtEscalatedAt'];
export const QUEUE_SELECT = QUEUE_FIELDS.map((f) => `i.${INCIDENT_COLUMNS[f]} AS "${f}"`).join(', ');
export const queueRowFromRow = (r: Row): QueueRow => ({ ...(r as unknown as QueueRow), backfilled: !!r.backfilled, pendingSpells: JSON.parse((r.pendingSpells as string | undefined) ?? '[]') });

export const SELECT_WORKLOG = `SELECT w.id, w.incident_id AS incidentId, w.at, w.recorded_at AS recordedAt, w.author_id AS authorId,
  coalesce(w.recorded_as, u.name) AS authorName, w.body, w.kind FROM work_logs w LEFT JOIN users u ON u.id = w.author_id`;
/** `actorName`: the name the row was recorded under where that differs from the account (work done before sign-in), else the account's. */
export const SELECT_HISTORY = `SELECT h.id, h.incident_id AS incidentId, h.at, h.actor_id AS actorId, coalesce(h.recorded_as, u.name) AS actorName,
  h.device_id AS deviceId, h.online, h.kind, h.field, h.old_value AS oldValue, h.new_value AS newValue, h.note
  FROM history h LEFT JOIN users u ON u.id = h.actor_id`;
export const historyFromRow = (r: Row): HistoryEntry => ({ ...(r as unknown as HistoryEntry), online: !!r.online });
export const workLogFromRow = (r: Row): WorkLog => r as unknown as WorkLog;

export const SELECT_REQUESTER = `SELECT id, name, department, phone, email, service_level AS serviceLevel FROM requesters`;
export const requesterFromRow = (r: Row): Requester => r as unknown as Requester;
export const SELECT_USER = `SELECT id, name, role, group_name AS groupName FROM users`;
export const userFromRow = (r: Row): DeskUser => r as unknown as DeskUser;
export const SELECT_CATEGORY = `SELECT id, parent_id AS parentId, code, name_zh AS nameZh, name_en AS nameEn FROM categories`;
export const categoryFromRow = (r: Row): Category => r as unknown as Category;
