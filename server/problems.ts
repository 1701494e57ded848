// Problem and change records on the server (issue 12, item 6). Desks make them offline, numbered
// with their own code like incidents; `problem.save`, `change.save` and `change.link` arrive in a
// push and are applied here: who may (second line, leads, admins), what shape (shared/problems.ts
// schemas), whose number (the pushing desk's code, else a stand-in), the planned window, and the
// merge — fields last-writer-wins by HLC as for incidents, a change's linked problems as a set
// (the later edit of each pair wins). Every desk pulls each record whole (`problem`,
// `change_record`) with its history (`record_history`). An incident's `problemId`/`changeId` is
// checked by server/sync.ts (`checkRefs`) with `problemKnown`/`changeKnown`: an id the server does
// not hold is left out of that one change.
import { parseHlc } from '../shared/hlc.js';
import {
  MAX_CHANGE_PROBLEMS, canWorkRecords, recordNumberCode, recordStandIn, windowIssue,
  type ChangeLinkArgs, type ChangeRecord, type ChangeSaveArgs, type ProblemRecord, type ProblemSaveArgs, type RecordHistory, type RecordKind,
} from '../shared/problems.js';
import type { Incident } from '../shared/schemas.js';
import { mergeFields, type FieldStamp, type FieldStamps } from '../shared/sync-merge.js';
import type { FieldRefusal, RefusalCode } from '../shared/sync-rules.js';
import type { ChangeMeta, Mutation } from '../shared/sync.js';
import type { ChangeBuffer } from './changes.js';
import type { Sql } from './storage/index.js';

/** A record change that can never apply; server/sync.ts turns it into a refusal with this code. */
export class RecordRefused extends Error {
  constructor(message: string, readonly code: RefusalCode, readonly params: Record<string, string | number> = {}) { super(message); }
}
const refuse = (message: string, code: RefusalCode = 'invalid_args', params: Record<string, string | number> = {}): never => { throw new RecordRefused(message, code, params); };

/** What a record mutation needs of the push it arrives in (a subset of server/sync.ts's Env). */
export interface RecordEnv {
  q: Sql; out: ChangeBuffer; m: Mutation; stamp: FieldStamp; nowMs: number; shiftMs: number; deviceCode: string;
  dropped: FieldRefusal[]; meta: ChangeMeta | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();
const shift = (env: RecordEnv, at: string) => (env.shiftMs ? iso(Date.parse(at) - env.shiftMs) : at);
const wallOf = (s: FieldStamp) => iso(parseHlc(s.hlc).wall);
const updatedAt = (stamps: FieldStamps) => iso(Math.max(...Object.values(stamps).map((s) => parseHlc(s.hlc).wall)));

export async function problemKnown(q: Sql, id: string): Promise<boolean> {
  return !!(await q.get('SELECT id FROM problems WHERE id = ?', [id]));
}
export async function changeKnown(q: Sql, id: string): Promise<boolean> {
  return !!(await q.get('SELECT id FROM change_records WHERE id = ?', [id]));
}

async function checkAuthor(env: RecordEnv, recordId: string, history: RecordHistory[]): Promise<void> {
  const u = await env.q.get<{ role: string; active: number }>('SELECT role, active FROM users WHERE id = ?', [env.m.userId]);
  if (!u || !canWorkRecords(u.role)) refuse('forbidden: only second line, team leads and admins raise and work problem and change records', 'forbidden');
  history.forEach((h, i) => {
    if (h.recordId !== recordId) refuse(`args.history.${i}.recordId: must be ${recordId}`);
    if (h.actorId !== env.m.userId) refuse(`forbidden: args.history.${i}.actorId must be the pushing user`, 'forbidden');
    if (h.deviceId !== env.m.deviceId) refuse(`forbidden: args.history.${i}.deviceId must be the pushing device`, 'forbidden');
    if (/^refused:/.test(h.id)) refuse(`forbidden: args.history.${i}.id: ids starting with refused: are the server's`, 'forbidden');
  });
}

/** History rows are a union by id; each new one goes to every desk. */
async function storeHistory(env: RecordEnv, rows: RecordHistory[]): Promise<void> {
  for (const h of rows) {
    const row = { ...h, at: shift(env, h.at) };
    const added = await env.q.run('INSERT INTO record_history (id, record_id, at, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [row.id, row.recordId, row.at, JSON.stringify(row)]);
    if (added) env.out.add('record_history', row.id, row, { meta: env.meta });
  }
}

function refusedRows(env: RecordEnv, recordId: string, from: number): RecordHistory[] {
  return env.dropped.slice(from).map((d) => ({
    id: `refused:${env.m.deviceId}:${env.m.seq}:${d.field}`, recordId, at: iso(env.nowMs), actorId: env.m.userId, deviceId: env.m.deviceId,
    online: false, kind: 'refused' as const, field: d.field, oldValue: d.value, newValue: d.kept,
  }));
}

/**
 * A new record's number belongs to the desk whose code it carries and is used once; one the server
 * cannot keep becomes a stand-in under the pushing desk's code (`PRB-CODE-R17`), the record itself is kept.
 */
async function keepNumber(env: RecordEnv, kind: RecordKind, table: 'problems' | 'change_records', sent: string): Promise<string> {
  const taken = async (n: string) => !!(await env.q.get(`SELECT id FROM ${table} WHERE number = ?`, [n]));
  const code: RefusalCode | null = recordNumberCode(kind, sent) !== env.deviceCode ? 'number_prefix' : (await taken(sent)) ? 'number_taken' : null;
  if (!code) return sent;
  const standIn = recordStandIn(kind, env.deviceCode, env.m.seq);
  if (await taken(standIn)) refuse(`args.create.number: ${sent} cannot be kept and its stand-in ${standIn} is used`, 'number_taken', { number: sent });
  env.dropped.push({ field: 'number', code, value: sent, kept: standIn });
  return standIn;
}

// ---- problems ----------------------------------------------------------------------------------

interface Held<T> { rec: T; stamps: FieldStamps }
async function heldProblem(q: Sql, id: string): Promise<Held<ProblemRecord> | null> {
  const r = await q.get<{ data: string; stamps: string }>('SELECT data, stamps FROM problems WHERE id = ?', [id]);
  return r ? { rec: JSON.parse(r.data), stamps: JSON.parse(r.stamps) } : null;
}
async function putProblem(env: RecordEnv, p: ProblemRecord, stamps: FieldStamps, fresh: boolean): Promise<void> {
  const cols = [p.number, p.status, p.title, p.resolvedAt, p.updatedAt, JSON.stringify(p), JSON.stringify(stamps)];
  if (fresh) {
    await env.q.run(`INSERT INTO problems (number, status, title, resolved_at, updated_at, data, stamps, id, created_by, device_id, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [...cols, p.id, p.createdBy, p.deviceId, p.createdAt]);
  } else {
    await env.q.run('UPDATE problems SET number = ?, status = ?, title = ?, resolved_at = ?, updated_at = ?, data = ?, stamps = ? WHERE id = ?', [...cols, p.id]);
  }
  env.out.add('problem', p.id, p, { meta: env.meta, fresh });
}

export async function saveProblem(env: RecordEnv, a: ProblemSaveArgs): Promise<{ status: 'applied' | 'duplicate'; reason?: string }> {
  await checkAuthor(env, a.id, a.history);
  const mark = env.dropped.length;
  const held = await heldProblem(env.q, a.id);
  if (!held) {
    if (!a.create) refuse(`args.id: no problem ${a.id}; a new problem is sent with create`, 'unknown_problem');
    const number = await keepNumber(env, 'problem', 'problems', a.create!.number);
    const status = a.fields.status ?? 'open';
    const p: ProblemRecord = {
      id: a.id, number, status, title: a.fields.title!, rootCause: a.fields.rootCause ?? null, workaround: a.fields.workaround ?? null,
      createdBy: env.m.userId, deviceId: env.m.deviceId, createdAt: shift(env, a.create!.createdAt), updatedAt: wallOf(env.stamp),
      resolvedAt: status === 'resolved' ? wallOf(env.stamp) : null,
    };
    await putProblem(env, p, { '*': env.stamp }, true);
    await storeHistory(env, [...a.history, ...refusedRows(env, a.id, mark)]);
    return { status: 'applied' };
  }
  // The same problem sent again as new (a replayed create): nothing to change, its history is unioned.
  if (a.create) { await storeHistory(env, a.history); return { status: 'duplicate', reason: `problem ${a.id} already exists` }; }
  const merged = mergeFields(held.rec as unknown as Incident, held.stamps, a.fields as Partial<Incident>, a.base, env.stamp);
  if (merged.changed.length) {
    const next = merged.next as unknown as ProblemRecord;
    if (merged.changed.includes('status')) next.resolvedAt = next.status === 'resolved' ? wallOf(env.stamp) : next.status === 'closed' ? held.rec.resolvedAt : null;
    next.updatedAt = updatedAt(merged.stamps);
    await putProblem(env, next, merged.stamps, false);
  } else if (Object.keys(merged.stamps).some((k) => merged.stamps[k] !== held.stamps[k])) {
    await env.q.run('UPDATE problems SET stamps = ? WHERE id = ?', [JSON.stringify(merged.stamps), a.id]);
  }
  await storeHistory(env, [...a.history, ...refusedRows(env, a.id, mark)]);
  return { status: 'applied' };
}

// ---- change records ----------------------------------------------------------------------------

async function heldChange(q: Sql, id: string): Promise<Held<ChangeRecord> | null> {
  const r = await q.get<{ data: string; stamps: string }>('SELECT data, stamps FROM change_records WHERE id = ?', [id]);
  return r ? { rec: JSON.parse(r.data), stamps: JSON.parse(r.stamps) } : null;
}
async function putChange(env: RecordEnv, c: ChangeRecord, stamps: FieldStamps, fresh: boolean): Promise<void> {
  const cols = [c.number, c.status, c.title, c.plannedStart, c.plannedEnd, c.updatedAt, JSON.stringify(c), JSON.stringify(stamps)];
  if (fresh) {
    await env.q.run(`INSERT INTO change_records (number, status, title, planned_start, planned_end, updated_at, data, stamps, id, created_by, device_id, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [...cols, c.id, c.createdBy, c.deviceId, c.createdAt]);
  } else {
    await env.q.run('UPDATE change_records SET number = ?, status = ?, title = ?, planned_start = ?, planned_end = ?, updated_at = ?, data = ?, stamps = ? WHERE id = ?', [...cols, c.id]);
  }
  env.out.add('change_record', c.id, c, { meta: env.meta, fresh });
}

export async function saveChange(env: RecordEnv, a: ChangeSaveArgs): Promise<{ status: 'applied' | 'duplicate'; reason?: string }> {
  await checkAuthor(env, a.id, a.history);
  const mark = env.dropped.length;
  const held = await heldChange(env.q, a.id);
  if (!held) {
    if (!a.create) refuse(`args.id: no change record ${a.id}; a new change record is sent with create`, 'unknown_change');
    const number = await keepNumber(env, 'change', 'change_records', a.create!.number);
    const c: ChangeRecord = {
      id: a.id, number, status: a.fields.status ?? 'planned', title: a.fields.title!, description: a.fields.description ?? null,
      plannedStart: a.fields.plannedStart!, plannedEnd: a.fields.plannedEnd!, problemIds: [],
      createdBy: env.m.userId, deviceId: env.m.deviceId, createdAt: shift(env, a.create!.createdAt), updatedAt: wallOf(env.stamp),
    };
    await putChange(env, c, { '*': env.stamp }, true);
    await storeHistory(env, [...a.history, ...refusedRows(env, a.id, mark)]);
    return { status: 'applied' };
  }
  if (a.create) { await storeHistory(env, a.history); return { status: 'duplicate', reason: `change record ${a.id} already exists` }; }
  const merged = mergeFields(held.rec as unknown as Incident, held.stamps, a.fields as Partial<Incident>, a.base, env.stamp);
  const next = merged.next as unknown as ChangeRecord;
  // The window that would stand after this edit: start before end, else the edit is refused naming the field.
  const w = windowIssue(next.plannedStart, next.plannedEnd);
  if (w && (merged.changed.includes('plannedStart') || merged.changed.includes('plannedEnd'))) refuse(`args.fields.${w.path}: ${w.message}`, 'invalid_args', { field: w.path });
  if (merged.changed.length) {
    next.updatedAt = updatedAt(merged.stamps);
    await putChange(env, next, merged.stamps, false);
  } else if (Object.keys(merged.stamps).some((k) => merged.stamps[k] !== held.stamps[k])) {
    await env.q.run('UPDATE change_records SET stamps = ? WHERE id = ?', [JSON.stringify(merged.stamps), a.id]);
  }
  await storeHistory(env, [...a.history, ...refusedRows(env, a.id, mark)]);
  return { status: 'applied' };
}

/**
 * Links or unlinks one problem. The pair's stamp decides: a later edit of the same pair wins, an
 * earlier one changes nothing; different pairs never interfere. A problem the server does not hold
 * is left out as one field (`problemIds`, `unknown_problem`); the change stays applied.
 */
export async function linkChangeProblem(env: RecordEnv, a: ChangeLinkArgs): Promise<{ status: 'applied'; reason?: string }> {
  await checkAuthor(env, a.id, a.history);
  const mark = env.dropped.length;
  const held = await heldChange(env.q, a.id);
  if (!held) refuse(`args.id: no change record ${a.id}`, 'unknown_change');
  const { rec, stamps } = held!;
  if (a.linked && !(await problemKnown(env.q, a.problemId))) {
    env.dropped.push({ field: 'problemIds', code: 'unknown_problem', value: a.problemId, kept: null });
    await storeHistory(env, [...a.history.filter((h) => h.kind !== 'link'), ...refusedRows(env, a.id, mark)]);
    return { status: 'applied' };
  }
  const key = `link:${a.problemId}`;
  const heldStamp = stamps[key];
  if (heldStamp && heldStamp.hlc >= env.stamp.hlc) {
    await storeHistory(env, a.history);
    return { status: 'applied', reason: 'a later edit of this link is held' };
  }
  const set = new Set(rec.problemIds);
  if (a.linked) set.add(a.problemId); else set.delete(a.problemId);
  if (set.size > MAX_CHANGE_PROBLEMS) refuse(`args.problemId: a change links at most ${MAX_CHANGE_PROBLEMS} problems`, 'invalid_args', { field: 'problemIds' });
  const nextStamps = { ...stamps, [key]: env.stamp };
  const next: ChangeRecord = { ...rec, problemIds: [...set].sort(), updatedAt: updatedAt(nextStamps) };
  await putChange(env, next, nextStamps, false);
  if (a.linked) await env.q.run('INSERT INTO change_problems (change_id, problem_id) VALUES (?, ?) ON CONFLICT (change_id, problem_id) DO NOTHING', [a.id, a.problemId]);
  else await env.q.run('DELETE FROM change_problems WHERE change_id = ? AND problem_id = ?', [a.id, a.problemId]);
  await storeHistory(env, a.history);
  return { status: 'applied' };
}

/** The dispatch for server/sync.ts: one entry per record mutation. */
export function applyRecordMutation(env: RecordEnv, name: 'problem.save' | 'change.save' | 'change.link', args: unknown) {
  switch (name) {
    case 'problem.save': return saveProblem(env, args as ProblemSaveArgs);
    case 'change.save': return saveChange(env, args as ChangeSaveArgs);
    case 'change.link': return linkChangeProblem(env, args as ChangeLinkArgs);
  }
}
