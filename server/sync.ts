import { TRPCError } from '@trpc/server';
import { formatHlc, parseHlc, type HlcClock } from '../shared/hlc.js';
import type { HistoryEntry, Incident, WorkLog } from '../shared/schemas.js';
import { closePendingSpell, type SlaSettings } from '../shared/sla-clocks.js';
import { loadSlaSettings } from './sla-settings.js';
import { missingForTransition } from '../shared/status.js';
import { planDispatch, planReturn, type Group, type PersonRef } from '../shared/groups.js';
import { closedEditField, closureRefusal, planClosure } from './closure.js';
import { ciKnown } from './cmdb.js';
import { escalationEditRefusal, escalationRefusal, planServerEscalation, stepTime } from './escalation.js';
import { judgeTransition, numberPrefix, standInNumber, type FieldRefusal, type RefusalCode } from '../shared/sync-rules.js';
import { deriveIncident, mergeFields, type FieldLoss, type FieldStamp, type FieldStamps } from '../shared/sync-merge.js';
import {
  MUTATION_ARGS, type IncidentCreateArgs, type IncidentTransitionArgs, type IncidentUpdateArgs, type RequesterUpsertArgs,
  type WorklogAddArgs,
} from '../shared/sync-mutations.js';
import {
  MAX_CLOCK_SKEW_MS, type Change, type ChangeMeta, type ConflictData, type Mutation, type Outcome, type PullOutput, type PushInput,
  type PushOutput, type PushResult, type RejectionData,
} from '../shared/sync.js';
import { secretMatches } from './accounts.js';
import { ChangeBuffer, insertColumns } from './changes.js';
import { emptyKeys, Unit, type HeldIncident, type Keys } from './unit.js';
import type { Sql, Storage } from './storage/index.js';
import { NoticeRefused, raiseNotice, readNotice } from './notifications.js';
import { RecordRefused, applyRecordMutation, changeKnown, problemKnown } from './problems.js';
import { KbRefused, proposeArticle, recordKbUses } from './knowledge.js';

export interface SyncDeps { storage: Storage; now: () => Date; clock: HlcClock }
export interface AuthUser { id: string; name: string; role: string; groupName: string }

/** Thrown (and turned into a tRPC error) when a push skips a seq; carries where to resend from. */
export class SeqGapError extends Error {
  constructor(readonly deviceId: string, readonly ackedThrough: number, readonly got: number) {
    super(`sequence gap for device ${deviceId}: the server holds seqs through ${ackedThrough}, the push continues at ${got}; resend from ${ackedThrough + 1}`);
  }
}

/** A change that can never apply: an English reason for logs, and a code and parameters the desk words. */
class Rejected extends Error {
  constructor(reason: string, readonly code: RefusalCode, readonly params: Record<string, string | number> = {}) { super(reason); }
}
const reject = (reason: string, code: RefusalCode = 'invalid_args', params: Record<string, string | number> = {}): never => {
  throw new Rejected(reason, code, params);
};
const forbid = (reason: string): never => reject(`forbidden: ${reason}`, 'forbidden');

/** The device is unknown, or the caller cannot prove it is the desk that registered it. */
const notYourDevice = (deviceId: string) =>
  new TRPCError({ code: 'FORBIDDEN', message: `deviceSecret: device ${deviceId} is not registered to this desk; call device.register first` });

const iso = (ms: number) => new Date(ms).toISOString();
const asText = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

interface Env {
  q: Sql;
  unit: Unit;
  args: unknown;
  out: ChangeBuffer;
  m: Mutation;
  /** The HLC the server files this mutation under (the sent one, or corrected for clock skew). */
  hlc: string;
  stamp: FieldStamp;
  /** Skew to subtract from the device's system-stamped times (0 when its clock is within bounds). */
  shiftMs: number;
  meta: ChangeMeta | undefined;
  nowMs: number;
  /** SLA settings (calendars and policy) the due times are derived with. */
  policy: SlaSettings;
  names: Map<string, string | null>;
  refs: Refs;
  /** The pushing device's number prefix. */
  deviceCode: string;
  /** Fields of this mutation left out (an unknown reference, a number it cannot keep), with why. */
  dropped: FieldRefusal[];
}

/** Reference rows a push batch checks, read once per batch. */
interface Refs {
  users: Map<string, { name: string; active: boolean } | null>; categories: Set<string> | null; kb: Map<string, boolean>;
  groups?: Map<string, Group | null>; people?: Map<string, PersonRef | null>;
}

export async function push(deps: SyncDeps, user: AuthUser, input: PushInput): Promise<PushOutput> {
  // Checked before anything is applied: the whole push is refused, nothing of it is acknowledged.
  input.mutations.forEach((m, i) => {
    if (m.deviceId !== input.deviceId) throw new TRPCError({ code: 'BAD_REQUEST', message: `mutations.${i}.deviceId: must equal the push's deviceId` });
    if (m.userId !== user.id) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `mutations.${i}.userId: a device pushes only as its signed-in user (${user.id}); push seq ${m.seq} after signing in as ${m.userId}` });
    }
  });
  const nowMs = deps.now().getTime();
  const measuredSkew = input.clientTime ? Date.parse(input.clientTime) - nowMs : null;
  const shiftMs = measuredSkew !== null && Math.abs(measuredSkew) > MAX_CLOCK_SKEW_MS ? measuredSkew : 0;

  // Args are validated before taking the writer lock, so other writers wait on I/O only.
  const parsedArgs = input.mutations.map((m) => MUTATION_ARGS[m.name].safeParse(m.args));

  // Batches of one device take the writer lock in seq order, whichever arrived first (see takeTurn).
  const turn = await takeTurn(deps.storage, input.deviceId, input.mutations[0].seq);
  try {
    // A device is its desk's alone: checked before waiting for the writer lock, and again under it.
    // (After taking the turn, which is synchronous, so a device's batches keep their order.)
    const device = await deps.storage.read((q) => q.get<{ secret_hash: string | null }>('SELECT secret_hash FROM devices WHERE id = ?', [input.deviceId]));
    if (!device?.secret_hash || !secretMatches(input.deviceSecret, device.secret_hash)) throw notYourDevice(input.deviceId);
    for (;;) {
      const outcome = await pushOnce(deps, user, input, parsedArgs, { nowMs, measuredSkew, shiftMs, turn });
      // An earlier batch of this device arrived while this one waited for the lock: it goes first.
      if ('wait' in outcome) { await Promise.all(outcome.wait); continue; }
      // Mutations before a gap are committed (they were in order); the client resends from ackedThrough + 1.
      if (outcome.gap) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: outcome.gap.message, cause: outcome.gap });
      return { results: outcome.results, ackedThrough: outcome.acked, serverTime: iso(deps.now().getTime()), serverHlc: deps.clock.tick(), clockSkewMs: measuredSkew };
    }
  } finally {
    turn.leave();
  }
}

async function pushOnce(
  deps: SyncDeps, user: AuthUser, input: PushInput, parsedArgs: ReturnType<(typeof MUTATION_ARGS)[Mutation['name']]['safeParse']>[],
  { nowMs, measuredSkew, shiftMs, turn }: { nowMs: number; measuredSkew: number | null; shiftMs: number; turn: Turn },
): Promise<{ wait: Promise<void>[] } | { results: PushResult[]; acked: number; gap: SeqGapError | null }> {
  return deps.storage.write(async (q) => {
    const device = await q.get<{ acked_through: number; code: string; secret_hash: string | null }>('SELECT acked_through, code, secret_hash FROM devices WHERE id = ?', [input.deviceId]);
    if (!device?.secret_hash || !secretMatches(input.deviceSecret, device.secret_hash)) throw notYourDevice(input.deviceId);
    let acked = Number(device.acked_through);
    if (input.mutations[0].seq > acked + 1 && turn.earlier().length) return { wait: turn.earlier() };
    const policy = await loadSlaSettings(q);
    const out = new ChangeBuffer();
    const results: PushResult[] = [];
    const log: unknown[][] = [];
    const names = new Map<string, string | null>([[user.id, user.name]]);
    let gap: SeqGapError | null = null;
    // Which mutations apply (in seq order, up to a gap), their args parsed, and the rows they touch.
    const todo: { m: Mutation; args: unknown; invalid?: string; slot: number }[] = [];
    const keys = emptyKeys();
    for (const [index, m] of input.mutations.entries()) {
      if (m.seq <= acked) { results.push({ seq: m.seq, status: 'duplicate' }); continue; }
      if (m.seq > acked + 1) { gap = new SeqGapError(input.deviceId, acked, m.seq); break; }
      acked = m.seq;
      const parsed = parsedArgs[index];
      if (!parsed.success) {
        todo.push({ m, args: null, invalid: 'invalid args: ' + parsed.error.issues.map((i) => `args.${i.path.join('.')}: ${i.message}`).join('; '), slot: results.length });
      } else {
        todo.push({ m, args: parsed.data, slot: results.length });
        collectKeys(m.name, parsed.data, keys);
        if (m.name === 'incident.create') keys.numbers.add(standInNumber(device.code, m.seq));
      }
      results.push({ seq: m.seq, status: 'applied' }); // filled in below
    }
    // A duplicate carries what its first delivery came to: the desk may never have seen that answer.
    const dups = results.filter((r) => r.status === 'duplicate');
    if (dups.length) {
      const seqs = dups.map((r) => r.seq);
      const logged = await q.all<{ seq: number; status: PushResult['status']; reason: string | null; detail: string | null }>(
        'SELECT seq, status, reason, detail FROM mutation_log WHERE device_id = ? AND seq >= ? AND seq <= ?', [input.deviceId, Math.min(...seqs), Math.max(...seqs)]);
      const bySeq = new Map(logged.map((l) => [Number(l.seq), l]));
      for (const r of dups) {
        const l = bySeq.get(r.seq);
        if (l) r.first = { status: l.status, ...(l.reason ? { reason: l.reason } : {}), ...(l.detail ? JSON.parse(l.detail) as Omit<Outcome, 'status' | 'reason'> : {}) };
      }
    }
    const unit = new Unit();
    await unit.load(q, keys);
    const refs: Refs = { users: new Map(), categories: null, kb: new Map() };
    for (const { m, args, invalid, slot } of todo) {
      const { hlc, meta } = fileHlc(deps, m.hlc, shiftMs, nowMs);
      const env: Env = {
        q, unit, args, out, m, hlc, meta, shiftMs, nowMs, policy, names, refs, deviceCode: device.code, dropped: [],
        stamp: { hlc, userId: m.userId, deviceId: m.deviceId },
      };
      let result: PushResult;
      try {
        if (invalid) reject(invalid);
        const applied = await apply(env);
        result = { seq: m.seq, ...applied, ...(env.dropped.length ? { dropped: env.dropped } : {}) };
      } catch (e) {
        if (!(e instanceof Rejected)) throw e;
        // Nothing was written before a rejection (every check precedes the writes).
        result = { seq: m.seq, status: 'rejected', reason: e.message, code: e.code, params: e.params };
        const data: RejectionData = {
          deviceId: m.deviceId, seq: m.seq, name: m.name, userId: m.userId, reason: e.message, at: iso(nowMs), args: m.args, code: e.code, params: e.params,
        };
        out.add('rejection', `${m.deviceId}:${m.seq}`, data, { audience: m.userId });
      }
      results[slot] = result;
      const detail = result.code || result.dropped ? JSON.stringify({ code: result.code, params: result.params, dropped: result.dropped }) : null;
      log.push([m.deviceId, m.seq, m.name, m.userId, m.hlc, hlc, result.status, result.reason ?? null, iso(nowMs), detail]);
    }
    await unit.flush(q);
    // The use count of knowledge articles, from the incidents as they now stand (server/knowledge.ts).
    await recordKbUses(q, out, [...keys.incidents].map((id) => unit.incident(id)?.inc).filter((x): x is Incident => !!x));
    await insertColumns(q, 'mutation_log', [['device_id', 'text'], ['seq', 'bigint'], ['name', 'text'], ['user_id', 'text'], ['hlc', 'text'],
      ['applied_hlc', 'text'], ['status', 'text'], ['reason', 'text'], ['at', 'text'], ['detail', 'text']], log);
    await out.flush(q);
    await q.run('UPDATE devices SET acked_through = ?, clock_skew_ms = COALESCE(?, clock_skew_ms), last_seen_at = ?, user_id = ? WHERE id = ?',
      [acked, measuredSkew, iso(nowMs), user.id, input.deviceId]);
    return { results, acked, gap };
  });
}

/** Pushes of each device being handled in this process, by the first seq each carries. */
const inFlight = new WeakMap<Storage, Map<string, Array<{ first: number; done: Promise<void> }>>>();

interface Turn {
  /** Pushes of the same device in flight here with a lower first seq: they go first. */
  earlier(): Promise<void>[];
  leave(): void;
}

/**
 * A desk sends its next batch before the previous one is answered (two in flight), so batches of
 * one device can arrive out of order. Here they take the writer lock in seq order instead: a push
 * waits for every push of its device in flight in this process with a lower first seq, and one
 * that finds a gap under the lock while such a push is still in flight waits for it and tries
 * again. A batch whose predecessor has not arrived at all still finds the gap refused (the desk
 * resends), as does anything across server processes: the seq check under the writer lock stays
 * the rule; this only spares needless refusals.
 */
async function takeTurn(storage: Storage, deviceId: string, first: number): Promise<Turn> {
  let devices = inFlight.get(storage);
  if (!devices) inFlight.set(storage, (devices = new Map()));
  const list = devices.get(deviceId) ?? [];
  devices.set(deviceId, list);
  let end!: () => void;
  const entry = { first, done: new Promise<void>((ok) => { end = ok; }) };
  const earlier = () => list.filter((p) => p.first < first).map((p) => p.done);
  const waitFor = earlier();
  list.push(entry);
  await Promise.all(waitFor);
  return {
    earlier,
    leave() {
      list.splice(list.indexOf(entry), 1);
      if (list.length === 0 && devices.get(deviceId) === list) devices.delete(deviceId);
      end();
    },
  };
}

/**
 * Clock skew. A push that carries `clientTime` tells the server how far the desktop's clock is
 * off; beyond MAX_CLOCK_SKEW_MS the device's HLC walls (and its system-stamped times) are shifted
 * by that skew, which keeps the order of its own mutations. Whatever the shift, an HLC wall later
 * than server now + MAX_CLOCK_SKEW_MS is never accepted: it is re-stamped with the server's HLC
 * (keeping the device's node id), so a fast clock cannot win every future conflict. The original
 * HLC and the skew go into the mutation log, the device row and the emitted changes' meta.
 */
function fileHlc(deps: SyncDeps, sent: string, shiftMs: number, nowMs: number): { hlc: string; meta: ChangeMeta | undefined } {
  const h = parseHlc(sent);
  let hlc = shiftMs ? formatHlc({ ...h, wall: Math.max(0, h.wall - shiftMs) }) : sent;
  if (parseHlc(hlc).wall > nowMs + MAX_CLOCK_SKEW_MS) {
    const s = parseHlc(deps.clock.tick());
    hlc = formatHlc({ wall: s.wall, counter: s.counter, node: h.node });
  } else {
    deps.clock.receive(hlc);
  }
  return { hlc, meta: hlc === sent ? undefined : { clockSkewMs: shiftMs || parseHlc(sent).wall - nowMs, originalHlc: sent } };
}

function collectKeys(name: Mutation['name'], args: unknown, k: Keys) {
  const a = args as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const h of (a.history ?? []) as HistoryEntry[]) k.history.add(h.id);
  if (a.workLog) { k.worklogs.add(a.workLog.id); k.incidents.add(a.workLog.incidentId); }
  if (name === 'incident.create') { k.incidents.add(a.incident.id); k.numbers.add(a.incident.number); }
  if (name === 'incident.update' || name === 'incident.transition') k.incidents.add(a.id);
  if (name === 'requester.upsert') k.requesters.add(a.requester.id);
  if (name === 'notice.raise') k.incidents.add(a.incidentId);
}

async function apply(env: Env): Promise<Outcome> {
  const args = env.args as never;
  switch (env.m.name) {
    case 'incident.create': return createIncident(env, args);
    case 'incident.update': return updateIncident(env, args);
    case 'incident.transition': return transitionIncident(env, args);
    case 'worklog.add': return addWorkLog(env, args);
    case 'requester.upsert': return upsertRequester(env, args);
    // Notices (issue 13): server/notifications.ts; a refusal there is a refusal of this change.
    case 'notice.raise': case 'notice.read': {
      const a = env.args as never;
      return (env.m.name === 'notice.raise' ? raiseNotice(env.q, env.out, a, env.unit.incident((a as { incidentId: string }).incidentId)?.inc, env.m.userId, env.nowMs, env.shiftMs) : readNotice(env.q, env.out, a, env.m.userId))
        .catch((e: unknown) => (e instanceof NoticeRefused ? reject(e.message, e.code) : Promise.reject(e)));
    }
    // Problem and change records (issue 12, item 6): server/problems.ts.
    case 'problem.save': case 'change.save': case 'change.link':
      return applyRecordMutation(env, env.m.name, env.args).catch((e: unknown) => (e instanceof RecordRefused ? reject(e.message, e.code, e.params) : Promise.reject(e)));
    // Knowledge (issue 12 item 8): server/knowledge.ts.
    case 'kb.propose': {
      const r = await proposeArticle(env.q, env.out, env.args as never, env.m.userId, env.nowMs, async (id) => !!env.unit.incident(id) || !!(await env.q.get('SELECT id FROM incidents WHERE id = ?', [id])), env.refs.kb)
        .catch((e: unknown) => (e instanceof KbRefused ? reject(e.message, e.code) : Promise.reject(e)));
      if (r.dropped) env.dropped.push(...r.dropped);
      const { dropped: _d, ...outcome } = r;
      return outcome;
    }
  }
}

// ---- times -------------------------------------------------------------------------------------

/** Corrects a system-stamped instant (taken from the device clock) for the device's measured skew. */
const shift = (env: Env, at: string) => (env.shiftMs ? iso(Date.parse(at) - env.shiftMs) : at);
const shiftOpt = (env: Env, at: string | null | undefined) => (at ? shift(env, at) : at);
/** A user-entered time is shifted only if it was the device's "now" (within a minute of when it was recorded). */
const shiftIfNow = (env: Env, at: string, recordedAt: string) =>
  env.shiftMs && Math.abs(Date.parse(at) - Date.parse(recordedAt)) <= 60_000 ? shift(env, at) : at;

// ---- helpers -----------------------------------------------------------------------------------

const loadIncident = (env: Env, id: string): HeldIncident | undefined => env.unit.incident(id);

const fieldHlc = (stamps: FieldStamps) => Object.fromEntries(Object.entries(stamps).map(([k, v]) => [k, v.hlc]));

function emitIncident(env: Env, inc: Incident, stamps: FieldStamps, fresh = false) {
  env.out.add('incident', inc.id, inc, { meta: { ...env.meta, fieldHlc: fieldHlc(stamps) }, fresh });
}

function checkHistory(env: Env, incidentId: string, history: HistoryEntry[]) {
  history.forEach((h, i) => {
    if (h.incidentId !== incidentId) reject(`args.history.${i}.incidentId: must be ${incidentId}`);
    if (h.actorId !== env.m.userId) forbid(`args.history.${i}.actorId must be the pushing user`);
    if (h.deviceId !== env.m.deviceId) forbid(`args.history.${i}.deviceId must be the pushing device`);
    // The server's own rows (conflicts, left-out fields) have ids of these shapes: a desk cannot take one first.
    if (/^(conflict|refused):/.test(h.id)) forbid(`args.history.${i}.id: ids starting with conflict: or refused: are the server's`);
  });
}

function checkWorkLog(env: Env, incidentId: string, w: WorkLog, path: string) {
  if (w.incidentId !== incidentId) reject(`${path}.incidentId: must be ${incidentId}`);
  if (w.authorId !== env.m.userId) forbid(`${path}.authorId must be the pushing user`);
}

// ---- dispatch and return (issue 12) -------------------------------------------------------------

async function groupRef(env: Env, name: string): Promise<Group | null> {
  env.refs.groups ??= new Map();
  if (!env.refs.groups.has(name)) {
    const g = await env.q.get<{ id: string; name: string; tier: Group['tier']; active: number }>('SELECT id, name, tier, active FROM groups WHERE name = ?', [name]);
    const members = g ? (await env.q.all<{ user_id: string }>('SELECT user_id FROM group_members WHERE group_id = ?', [g.id])).map((r) => r.user_id) : [];
    env.refs.groups.set(name, g ? { id: g.id, name: g.name, tier: g.tier, active: !!Number(g.active), members, categories: [] } : null);
  }
  return env.refs.groups.get(name) ?? null;
}
async function personRef(env: Env, id: string): Promise<PersonRef | null> {
  env.refs.people ??= new Map();
  if (!env.refs.people.has(id)) {
    const u = await env.q.get<{ id: string; group_name: string }>('SELECT id, group_name FROM users WHERE id = ?', [id]);
    env.refs.people.set(id, u ? { id: u.id, groupName: u.group_name } : null);
  }
  return env.refs.people.get(id) ?? null;
}

/**
 * The fields a dispatch or a return sets, decided here from the incident the server holds (the same
 * shared rules the desk applied): a dispatch to a person outside the chosen group is refused naming
 * `assigneeId`; the tier follows a known group's; a return goes back to the first-line group that
 * dispatched it and counts. What the desk sent for the remembered group and the return count is not
 * taken on trust.
 */
async function planGroups(env: Env, held: Incident, to: Incident['status'], checked: Partial<Incident>, history: HistoryEntry[]): Promise<Partial<Incident>> {
  const out: Partial<Incident> = { ...checked };
  delete out.dispatchGroup; delete out.returnCount; delete out.returnReason; delete out.returnNote;
  if (to === 'assigned') {
    const group = checked.groupName ? await groupRef(env, checked.groupName) : null;
    const person = checked.assigneeId ? await personRef(env, checked.assigneeId) : null;
    const plan = planDispatch(held, { tier: checked.tier, groupName: checked.groupName, assigneeId: checked.assigneeId }, { group, person });
    if (plan.problem) {
      reject(`args.fields.assigneeId: ${checked.assigneeId} is not a member of group ${plan.problem.group}`, 'not_in_group', { field: 'assigneeId', group: plan.problem.group });
    }
    Object.assign(out, plan.fields);
  }
  if (to === 'returned' && checked.returnReason) {
    const note = history.find((h) => h.kind === 'transition')?.note ?? '';
    const owner = held.dispatchGroup ? null : await personRef(env, held.ownerId);
    Object.assign(out, planReturn(held, checked.returnReason, note.slice(0, 500), owner?.groupName));
  }
  return out;
}

// ---- references: one field left out, not the change ------------------------------------------

async function userRef(env: Env, id: string): Promise<{ name: string; active: boolean } | null> {
  if (!env.refs.users.has(id)) {
    const row = await env.q.get<{ name: string; active: number }>('SELECT name, active FROM users WHERE id = ?', [id]);
    env.refs.users.set(id, row ? { name: row.name, active: !!Number(row.active) } : null);
  }
  return env.refs.users.get(id) ?? null;
}
async function categoryKnown(env: Env, id: string): Promise<boolean> {
  env.refs.categories ??= new Set((await env.q.all<{ id: string }>('SELECT id FROM categories')).map((r) => r.id));
  return env.refs.categories.has(id);
}
async function kbKnown(env: Env, id: string): Promise<boolean> {
  if (!env.refs.kb.has(id)) env.refs.kb.set(id, !!(await env.q.get('SELECT id FROM kb_articles WHERE id = ?', [id])));
  return env.refs.kb.get(id)!;
}

/**
 * The references a change sets, checked against what the server knows. Each one it cannot keep is
 * left out of `fields` (or replaced by a stand-in: a category's root, else `other`) and noted in
 * `env.dropped`; the rest of the change applies (issue 9: a refusal is about one field).
 */
async function checkRefs(env: Env, fields: Partial<Incident>, held?: Incident): Promise<Partial<Incident>> {
  const out: Partial<Incident> = { ...fields };
  const drop = (field: keyof Incident, code: RefusalCode, kept: unknown) => {
    env.dropped.push({ field, code, value: asText(fields[field]), kept: asText(kept) });
  };
  if (out.assigneeId) {
    const u = await userRef(env, out.assigneeId);
    if (!u || !u.active) {
      const kept = held ? held.assigneeId : null;
      drop('assigneeId', u ? 'inactive_user' : 'unknown_user', kept);
      if (held) delete out.assigneeId; else out.assigneeId = null;
    }
  }
  if (out.categoryId && !(await categoryKnown(env, out.categoryId))) {
    if (held) { drop('categoryId', 'unknown_category', held.categoryId); delete out.categoryId; } else {
      const root = out.categoryId.split('.')[0];
      const standIn = root !== out.categoryId && (await categoryKnown(env, root)) ? root : 'other';
      drop('categoryId', 'unknown_category', standIn);
      out.categoryId = standIn;
    }
  }
  if (out.ciId && !(await ciKnown(env.q, out.ciId))) {
    drop('ciId', 'unknown_ci', held ? held.ciId ?? null : null);
    if (held) delete out.ciId; else out.ciId = null;
  }
  // Problem and change records (issue 12, item 6): one the server does not hold is left out.
  for (const [field, code, known] of [['problemId', 'unknown_problem', problemKnown], ['changeId', 'unknown_change', changeKnown]] as const) {
    const id = out[field];
    if (id && !(await known(env.q, id))) {
      drop(field, code, held ? held[field] ?? null : null);
      if (held) delete out[field]; else out[field] = null;
    }
  }
  if (out.kbArticleId && !(await kbKnown(env, out.kbArticleId))) {
    const kept = held ? held.kbArticleId : null;
    drop('kbArticleId', 'unknown_kb_article', kept);
    if (held) delete out.kbArticleId; else out.kbArticleId = null;
  }
  return out;
}

/** Each left-out field is written to the incident's history (kind `refused`), for everyone to see. */
function refusedRows(env: Env, incidentId: string, from = 0): HistoryEntry[] {
  return env.dropped.slice(from).map((d) => ({
    id: `refused:${env.m.deviceId}:${env.m.seq}:${d.field}`, incidentId, at: iso(env.nowMs), actorId: env.m.userId, actorName: null,
    deviceId: env.m.deviceId, online: false, kind: 'refused', field: d.field, oldValue: d.value, newValue: d.kept, note: d.code,
  }));
}

/** History rows are a union by id: a row already held is not written or sent again. */
async function storeHistory(env: Env, rows: HistoryEntry[]) {
  if (rows.length === 0) return;
  const fixed = rows.map((h) => ({ ...h, at: shift(env, h.at) }));
  for (const h of env.unit.addHistory(fixed)) env.out.add('history', h.id, h, { meta: env.meta });
}

async function storeWorkLog(env: Env, w: WorkLog): Promise<boolean> {
  const recordedAt = shift(env, w.recordedAt);
  const fixed: WorkLog = { ...w, recordedAt, at: shiftIfNow(env, w.at, w.recordedAt) };
  const added = env.unit.addWorkLog(fixed);
  if (added) env.out.add('worklog', fixed.id, fixed, { meta: env.meta });
  return added;
}

async function userName(env: Env, id: string): Promise<string | null> {
  if (!env.names.has(id)) {
    const row = await env.q.get<{ name: string }>('SELECT name FROM users WHERE id = ?', [id]);
    env.names.set(id, row?.name ?? null);
  }
  return env.names.get(id) ?? null;
}

async function lossRows(env: Env, incidentId: string, losses: FieldLoss[]): Promise<HistoryEntry[]> {
  const rows: HistoryEntry[] = [];
  for (const l of losses) {
    rows.push({
      id: `conflict:${env.m.deviceId}:${env.m.seq}:${l.field}`,
      incidentId,
      at: iso(env.nowMs),
      actorId: l.losing.userId,
      actorName: await userName(env, l.losing.userId),
      deviceId: l.losing.deviceId,
      online: false,
      kind: 'conflict',
      field: l.field,
      oldValue: asText(l.losingValue),
      newValue: asText(l.winningValue),
      note: `Concurrent edits of ${l.field}: this value (by ${await userName(env, l.losing.userId) ?? l.losing.userId}) lost to a later edit by ${await userName(env, l.winning.userId) ?? l.winning.userId}; re-apply it if it should stand.`,
    });
  }
  return rows;
}

/** The latest filed HLC wall among the field stamps: the same whatever order the edits arrived in. */
const updatedAt = (stamps: FieldStamps) => iso(Math.max(...Object.values(stamps).map((s) => parseHlc(s.hlc).wall)));

// ---- mutations ---------------------------------------------------------------------------------

async function createIncident(env: Env, { incident: sent, history }: IncidentCreateArgs) {
  const { m } = env;
  if (sent.createdBy !== m.userId) forbid('args.incident.createdBy must be the pushing user');
  if (sent.deviceId !== m.deviceId) forbid('args.incident.deviceId must be the pushing device');
  checkHistory(env, sent.id, history);
  if (env.unit.incident(sent.id)) {
    await storeHistory(env, history);
    return { status: 'duplicate' as const, reason: `incident ${sent.id} already exists` };
  }
  // A number belongs to the desk whose prefix it carries, and is used once. One the server cannot
  // keep is replaced by a stand-in under this device's own code; the incident itself is kept.
  let number = sent.number;
  const numberCode: RefusalCode | null = numberPrefix(number) !== env.deviceCode ? 'number_prefix' : env.unit.incidentWithNumber(number) ? 'number_taken' : null;
  if (numberCode) {
    number = standInNumber(env.deviceCode, m.seq);
    if (env.unit.incidentWithNumber(number)) reject(`args.incident.number: ${sent.number} cannot be kept and its stand-in ${number} is used`, 'number_taken', { number: sent.number });
    env.dropped.push({ field: 'number', code: numberCode, value: sent.number, kept: number });
  }
  const incident = { ...sent, ...(await checkRefs(env, sent)), number } as Incident;

  const recordedAt = shift(env, incident.recordedAt);
  let inc: Incident = {
    ...incident,
    recordedAt,
    reportedAt: shiftIfNow(env, incident.reportedAt, incident.recordedAt),
    firstResponseAt: shiftOpt(env, incident.firstResponseAt) ?? null,
    resolvedAt: shiftOpt(env, incident.resolvedAt) ?? null,
    closedAt: shiftOpt(env, incident.closedAt) ?? null,
    pendingSince: shiftOpt(env, incident.pendingSince) ?? null,
    updatedAt: updatedAt({ '*': env.stamp }),
  };
  inc = deriveIncident(inc, env.policy, { reclassify: true }); // priority from this server's matrix, whatever the desk's was (issue 13)
  const stamps: FieldStamps = { '*': env.stamp };
  env.unit.putIncident({ inc, stamps });
  emitIncident(env, inc, stamps, true);
  await storeHistory(env, [...history, ...refusedRows(env, inc.id)]);
  return { status: 'applied' as const };
}

async function updateIncident(env: Env, { id, fields: sent, base, history }: IncidentUpdateArgs) {
  const held = loadIncident(env, id);
  if (!held) return reject(`unknown incident ${id}`, 'unknown_incident');
  checkHistory(env, id, history);
  // A closed incident is read-only but for the follow-up rating (issue 12): nothing of this edit applies.
  const readOnly = closedEditField(held.inc, sent);
  if (readOnly) reject(`args.fields.${readOnly}: incident ${id} is closed; only a note and the follow-up rating can be added`, 'closed_readonly', { field: readOnly });
  // Asking management needs why; a vendor ticket keeps its vendor's name (issue 12, item 3: server/escalation.ts).
  const escEdit = escalationEditRefusal(held.inc, sent as Partial<Incident>);
  if (escEdit) reject(`${escEdit.path}: ${escEdit.message}`, escEdit.code, escEdit.params);
  const fields = await checkRefs(env, sent as Partial<Incident>, held.inc);
  if (fields.mgmtEscalatedAt) fields.mgmtEscalatedAt = shift(env, fields.mgmtEscalatedAt);
  const merged = mergeFields(held.inc, held.stamps, fields, base, env.stamp);
  const conflicts = await lossRows(env, id, merged.losses);
  const won = Object.keys(merged.stamps).some((k) => merged.stamps[k] !== held.stamps[k]);
  if (won) {
    const inc = deriveIncident({ ...merged.next, updatedAt: updatedAt(merged.stamps) }, env.policy, { reclassify: merged.changed.includes('impact') || merged.changed.includes('urgency') });
    env.unit.putIncident({ inc, stamps: merged.stamps });
    emitIncident(env, inc, merged.stamps);
  } else if (env.dropped.length) {
    // Only a left-out field (an unknown problem, say): nothing changed here, but the author's desk still
    // shows its value until it pulls the incident as it stands (found by the simulation, seeds 49 and 130).
    emitIncident(env, held.inc, held.stamps);
  }
  await storeHistory(env, [...history, ...conflicts, ...refusedRows(env, id)]);
  return { status: 'applied' as const, ...(merged.losses.length ? { reason: `lost fields: ${merged.losses.filter((l) => l.losing === env.stamp).map((l) => l.field).join(', ') || 'none'}` } : {}) };
}

async function transitionIncident(env: Env, { id, from, to, fields, history, workLog }: IncidentTransitionArgs): Promise<Outcome> {
  const held = loadIncident(env, id);
  if (!held) return reject(`unknown incident ${id}`, 'unknown_incident');
  checkHistory(env, id, history);
  if (workLog) checkWorkLog(env, id, workLog, 'args.workLog');
  const current = held.inc.status;
  // Who set the status the server holds decides whether a different `from` is a conflict (another
  // desk's change this one had not seen) or only this desk's own earlier step left out (shared rule).
  const verdict = judgeTransition({ current, statusBy: (held.stamps.status ?? held.stamps['*'])?.deviceId ?? null, from, to, device: env.m.deviceId });
  if (verdict.kind === 'noop') {
    // Someone got there first: nothing to change, but the author's work note is kept.
    if (workLog) await storeWorkLog(env, workLog);
    return { status: 'applied' as const, reason: `no-op: incident is already ${to}`, code: 'noop' as const };
  }
  if (verdict.kind === 'conflict') {
    const data: ConflictData = {
      incidentId: id, kind: 'transition', attemptedFrom: from, attemptedTo: to, currentStatus: current,
      userId: env.m.userId, deviceId: env.m.deviceId, seq: env.m.seq, hlc: env.hlc, at: iso(env.nowMs),
    };
    env.out.add('conflict', `${env.m.deviceId}:${env.m.seq}`, data, { meta: env.meta });
    await storeHistory(env, [{
      id: `conflict:${env.m.deviceId}:${env.m.seq}`, incidentId: id, at: iso(env.nowMs), actorId: env.m.userId,
      actorName: await userName(env, env.m.userId), deviceId: env.m.deviceId, online: false, kind: 'conflict', field: 'status',
      oldValue: from, newValue: to,
      note: `Transition ${from} → ${to} not applied: the incident was already ${current} when it reached the server.`,
    }]);
    if (workLog) await storeWorkLog(env, workLog);
    return {
      status: 'rejected' as const, reason: `conflict: incident ${id} is ${current}, not ${from}; transition to ${to} not applied`,
      code: 'transition_conflict' as const, params: { from, to, current },
    };
  }
  if (verdict.kind === 'not_allowed') return reject(`cannot move an incident from ${verdict.from} to ${to}`, 'not_allowed', { from: verdict.from, to });
  // What a step needs (a resolution, a reason, somewhere to dispatch to), checked as the desk checks it.
  const given = fields as Partial<Incident>;
  const missing = missingForTransition(to, {
    resolution: given.resolution ?? held.inc.resolution, reason: history.find((h) => h.kind === 'transition')?.note,
    tier: given.tier, group: given.groupName, assigneeId: given.assigneeId, returnReason: given.returnReason, pendingReason: given.pendingReason,
  });
  if (missing) {
    const where = {
      resolution: 'args.fields.resolution: ', reason: "args.history: the transition's note must give the reason, ", assignment: 'args.fields: ',
      returnReason: 'args.fields.returnReason: ', pendingReason: 'args.fields.pendingReason: ',
    }[missing.need];
    reject(where + missing.message, 'missing_need', { need: missing.need, to });
  }
  // A confirmation time taken from the desk's clock is corrected for its skew like the step's own times.
  const stepAt = history.find((h) => h.kind === 'transition')?.at;
  if (given.confirmedAt && stepAt) given.confirmedAt = shiftIfNow(env, given.confirmedAt, stepAt);
  // A confirmation dated before the resolution held here answered a resolution this desk knew, before
  // another desk's later one reached the server: the close stands, dated at the resolution held (one field left out).
  const heldResolved = held.inc.resolvedAt ? Date.parse(held.inc.resolvedAt) : null;
  if (to === 'closed' && given.closeKind === 'confirmed' && given.confirmedAt && heldResolved !== null && Date.parse(given.confirmedAt) < heldResolved - 60_000) {
    env.dropped.push({ field: 'confirmedAt', code: 'confirmed_before_resolution', value: given.confirmedAt, kept: held.inc.resolvedAt });
    given.confirmedAt = held.inc.resolvedAt;
  }
  // A person the server does not know (or no longer active) is left out; the step itself applies.
  const checked = await checkRefs(env, given, held.inc);
  const refused = closureRefusal(to, given, held.inc, history, env.nowMs);
  if (refused) reject(`${refused.path}: ${refused.message}`, 'missing_need', { need: refused.need, to });
  const grouped = await planGroups(env, held.inc, to, checked, history);
  // A functional escalation climbs from the tier held here (issue 12, item 3: server/escalation.ts).
  const escRefused = escalationRefusal(held.inc, to, given, grouped);
  if (escRefused) reject(`${escRefused.path}: ${escRefused.message}`, escRefused.code, escRefused.params);
  const timed = planClosure(held.inc, to, planServerEscalation(to, given, grouped, shift(env, stepTime(history, iso(env.nowMs)))), history);
  for (const k of ['firstResponseAt', 'resolvedAt', 'closedAt', 'pendingSince'] as const) {
    if (timed[k]) timed[k] = shift(env, timed[k] as string);
  }
  // Pending spells (issue 13) from the incident held here, not the desk's list: leaving pending closes
  // the held open spell at the transition's (skew-corrected) time, so every replica gets the same spells.
  delete timed.pendingSpells;
  const leftAt = history.find((h) => h.kind === 'transition')?.at;
  const spells = to !== 'pending' ? closePendingSpell(held.inc, leftAt ? shift(env, leftAt) : iso(env.nowMs)) : null;
  if (spells) timed.pendingSpells = spells;
  const merged = mergeFields(held.inc, held.stamps, timed, {}, env.stamp);
  const stamps = { ...merged.stamps, status: env.stamp };
  const next: Incident = { ...merged.next, status: to, updatedAt: updatedAt(stamps) };
  const conflicts = await lossRows(env, id, merged.losses);
  const inc = deriveIncident(next, env.policy);
  env.unit.putIncident({ inc, stamps });
  emitIncident(env, inc, stamps);
  await storeHistory(env, [...history, ...conflicts, ...refusedRows(env, id)]);
  if (workLog) await storeWorkLog(env, workLog);
  return verdict.from !== from ? { status: 'applied', params: { from: verdict.from } } : { status: 'applied' };
}

async function addWorkLog(env: Env, { workLog }: WorklogAddArgs) {
  checkWorkLog(env, workLog.incidentId, workLog, 'args.workLog');
  if (!env.unit.incident(workLog.incidentId)) reject(`unknown incident ${workLog.incidentId}`, 'unknown_incident');
  const added = await storeWorkLog(env, workLog);
  return added ? { status: 'applied' as const } : { status: 'duplicate' as const, reason: `work log ${workLog.id} already held` };
}

async function upsertRequester(env: Env, { requester }: RequesterUpsertArgs) {
  const held = env.unit.requesterVersion(requester.id);
  if (held && held >= env.hlc) return { status: 'applied' as const, reason: 'a later version is held' };
  env.unit.putRequester(requester.id, env.hlc, requester);
  env.out.add('requester', requester.id, requester, { meta: env.meta });
  return { status: 'applied' as const };
}

// ---- pull --------------------------------------------------------------------------------------

/** A pulled change with its snapshot still as the JSON text it is stored as. */
interface StoredChange { seq: number; entity: Change['entity']; id: string; json: string; meta: ChangeMeta | undefined }
type PageOf<C> = Omit<PullOutput, 'changes'> & { changes: C[] };

type PullArgs = { deviceId: string; deviceSecret: string; cursor: number; limit: number; count?: boolean };
async function readPage(deps: SyncDeps, user: AuthUser, input: PullArgs): Promise<PageOf<StoredChange>> {
  return deps.storage.read(async (q) => {
    const device = await q.get<{ secret_hash: string | null }>('SELECT secret_hash FROM devices WHERE id = ?', [input.deviceId]);
    if (!device?.secret_hash || !secretMatches(input.deviceSecret, device.secret_hash)) throw notYourDevice(input.deviceId);
    // Incident snapshots live in their own table (see JOINED_ENTITIES), read in the same snapshot. Per-row
    // index lookups, not a join: PostgreSQL would otherwise hash-join the whole incidents table for every page.
    const rows = await q.all<{ seq: number; entity: Change['entity']; entity_id: string; data: string | null; meta: string | null; idata: string | null; stamps: string | null }>(
      `SELECT c.seq, c.entity, c.entity_id, c.data, c.meta,
         CASE WHEN c.data IS NULL AND c.entity = 'incident' THEN (SELECT i.data FROM incidents i WHERE i.id = c.entity_id) END AS idata,
         CASE WHEN c.data IS NULL AND c.entity = 'incident' THEN (SELECT i.stamps FROM incidents i WHERE i.id = c.entity_id) END AS stamps
       FROM changes c
       WHERE c.seq > ? AND (c.audience IS NULL OR c.audience = ?) ORDER BY c.seq LIMIT ?`,
      [input.cursor, user.id, input.limit + 1]);
    // One row past the page says whether more follow, without counting them.
    const hasMore = rows.length > input.limit;
    if (hasMore) rows.pop();
    const count = input.count === false ? undefined
      : await q.get<{ n: number }>('SELECT COUNT(*) AS n FROM changes WHERE seq > ? AND (audience IS NULL OR audience = ?)', [input.cursor, user.id]);
    const changes: StoredChange[] = rows.map((r) => {
      const meta: ChangeMeta | undefined = r.meta ? JSON.parse(r.meta) : undefined;
      if (r.stamps) return { seq: Number(r.seq), entity: r.entity, id: r.entity_id, json: r.idata!, meta: { ...meta, fieldHlc: fieldHlc(JSON.parse(r.stamps)) } };
      return { seq: Number(r.seq), entity: r.entity, id: r.entity_id, json: r.data!, meta };
    });
    return {
      changes,
      cursor: changes.length ? changes[changes.length - 1].seq : input.cursor,
      hasMore,
      // A change committed between the page and the count can make the count the larger; never the smaller.
      ...(count ? { remaining: Math.max(Number(count.n), changes.length + (hasMore ? 1 : 0)) } : {}),
      serverTime: iso(deps.now().getTime()),
      serverHlc: deps.clock.current(),
    };
  });
}

export async function pull(deps: SyncDeps, user: AuthUser, input: PullArgs): Promise<PullOutput> {
  const page = await readPage(deps, user, input);
  return {
    ...page,
    changes: page.changes.map(({ seq, entity, id, json, meta }) => ({ seq, entity, id, data: JSON.parse(json), ...(meta ? { meta } : {}) })),
  };
}

/**
 * The same page as `pull`, already as its JSON text: the stored snapshots are spliced in as they
 * are, where `pull` parses each one only for the response to serialise it again (most of a
 * page's server CPU). The bulk route answers with it; the text parses to exactly what `pull` returns.
 */
export async function pullJson(deps: SyncDeps, user: AuthUser, input: PullArgs): Promise<string> {
  const { changes, ...rest } = await readPage(deps, user, input);
  const parts = changes.map(({ seq, entity, id, json, meta }) =>
    `{"seq":${seq},"entity":${JSON.stringify(entity)},"id":${JSON.stringify(id)},"data":${json}${meta ? `,"meta":${JSON.stringify(meta)}` : ''}}`);
  return `{"changes":[${parts.join(',')}],${JSON.stringify(rest).slice(1)}`;
}
