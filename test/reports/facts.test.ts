process.env.RELAY_DESK_SCRYPT_LOG2N ??= '10';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { applySlaSettings } from '../../electron/core/sla/settings.js';
import { SELECT_INCIDENT, UPDATE_INCIDENT, incidentFromRow, incidentParams, type Row } from '../../electron/core/store/rows.js';
import { DEFAULT_SLA_SETTINGS } from '../../shared/sla-clocks.js';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDesk, testClock, baseIncident, tempDir } from '../helpers/desk.js';
import { openDatabase, type Db } from '../../electron/core/db/connection.js';
import { runSeed } from '../sync/simulation.js';
import { applyPage, readIncident } from '../../electron/core/sync/apply.js';
import { loadSampleData, removeSampleData } from '../../electron/core/store/sample.js';
import type { Change } from '../../shared/sync.js';

/**
 * The per-incident fact columns the reports read (migration 009): whoever writes history — the
 * store, a pulled page (rows out of time order, replayed), an import, sample removal — they equal a
 * from-scratch reading of the incident's history, computed here in JavaScript, independently of the
 * triggers' SQL.
 */

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const closers: Array<() => void> = [];
afterEach(() => { while (closers.length) closers.pop()!(); });

interface H { incident_id: string; at: string; actor_id: string; status_from: string | null; status_to: string | null; tier_from: string | null; tier_to: string | null; assignee_to: string | null; auto_escalated: number }
const RANK: Record<string, number> = { L1: 1, L2: 2, L3: 3, vendor: 4 };

/** What an incident's history says, read row by row (REPORTS.md, "Per-incident facts"). */
function fromScratch(createdBy: string, all: H[]) {
  const rows = all.filter((h) => h.status_to !== null || h.tier_to !== null || h.assignee_to !== null || h.auto_escalated === 1);
  const isRes = (h: H) => h.status_to === 'resolved' || (h.status_to === 'closed' && h.status_from !== 'resolved');
  const res = rows.filter(isRes).sort((a, b) => (a.at + a.actor_id < b.at + b.actor_id ? -1 : 1));
  const firstRes = res[0] ?? null;
  const finalAt = res.length ? res.map((h) => h.at).sort().pop()! : null;
  const pending = (bound: string | null) => {
    if (!bound) return 0;
    let ms = 0;
    for (const h of rows) if (h.at <= bound) { if (h.status_from === 'pending') ms += Date.parse(h.at); if (h.status_to === 'pending') ms -= Date.parse(h.at); }
    return ms / MIN; // history times are whole milliseconds
  };
  // the open count's flow (the trend): steps out of open work and back in
  const OPEN = ['new', 'assigned', 'in_progress', 'pending', 'reopened', 'returned'];
  const out = rows.filter((h) => (h.status_to === 'resolved' || h.status_to === 'closed') && OPEN.includes(h.status_from ?? 'new'));
  const back = rows.filter((h) => h.status_to === 'reopened' && !OPEN.includes(h.status_from ?? 'new'));
  const flow = !out.length && !back.length ? 0 : !back.length && out.length === 1 && out[0].at === firstRes?.at ? 1 : 2;
  const statusAts = rows.filter((h) => h.status_to !== null).map((h) => h.at).sort();
  const tiers = rows.flatMap((h) => [h.tier_from, h.tier_to]).map((t) => RANK[t ?? ''] ?? 0);
  return {
    first_status_at: statusAts[0] ?? null,
    first_res_at: firstRes?.at ?? null,
    first_resolver: firstRes?.actor_id ?? null,
    final_res_at: finalAt,
    pending_first_min: pending(firstRes?.at ?? null),
    pending_final_min: pending(finalAt),
    reopens: rows.filter((h) => h.status_to === 'reopened').length,
    returns: rows.filter((h) => h.status_to === 'returned').length,
    tier_rows: rows.filter((h) => h.tier_to !== null).length,
    max_tier: tiers.length ? Math.max(...tiers) : 0,
    assignments: rows.filter((h) => h.assignee_to !== null).length,
    assigned_other: rows.filter((h) => h.assignee_to !== null && h.assignee_to !== createdBy).length,
    auto_esc: rows.some((h) => h.auto_escalated === 1) ? 1 : 0,
    to_l3: rows.some((h) => h.tier_to === 'L3') ? 1 : 0,
    to_vendor: rows.some((h) => h.tier_to === 'vendor') ? 1 : 0,
    flow,
  };
}

/** The stored fact columns of every incident (pending minutes to 1/1000 min), by id. */
function stored(db: Db): Map<string, ReturnType<typeof fromScratch>> {
  const rows = db.prepare(`SELECT id, fact_first_status_at AS first_status_at, fact_first_res_at AS first_res_at, fact_first_resolver AS first_resolver,
      fact_final_res_at AS final_res_at, fact_pending_first_min AS pending_first_min, fact_pending_final_min AS pending_final_min,
      fact_reopens AS reopens, fact_returns AS returns, fact_tier_rows AS tier_rows, fact_max_tier AS max_tier, fact_assignments AS assignments,
      fact_assigned_other AS assigned_other, fact_auto_esc AS auto_esc, fact_to_l3 AS to_l3, fact_to_vendor AS to_vendor, fact_flow AS flow FROM incidents ORDER BY id`).all() as Array<{ id: string } & ReturnType<typeof fromScratch>>;
  // SQLite sums julianday() differences: the same minutes to well under a millisecond, so compared at the
  // history's own precision, whole milliseconds (rounding both to 3 decimals split 0.2495 two ways, seed > 40)
  const ms = (v: number) => Math.round(v * MIN) / MIN + 0;
  return new Map(rows.map(({ id, ...f }) => [id, { ...f, pending_first_min: ms(f.pending_first_min), pending_final_min: ms(f.pending_final_min) }]));
}

/** A from-scratch reading of every incident's history. */
function recomputed(db: Db): Map<string, ReturnType<typeof fromScratch>> {
  const hist = db.prepare('SELECT incident_id, at, actor_id, status_from, status_to, tier_from, tier_to, assignee_to, auto_escalated FROM history').all() as H[];
  const by = new Map<string, H[]>();
  for (const h of hist) { let l = by.get(h.incident_id); if (!l) by.set(h.incident_id, l = []); l.push(h); }
  const incs = db.prepare('SELECT id, created_by FROM incidents ORDER BY id').all() as Array<{ id: string; created_by: string }>;
  return new Map(incs.map((i) => [i.id, fromScratch(i.created_by, by.get(i.id) ?? [])]));
}

const expectFactsRight = (db: Db) => {
  const s = stored(db);
  expect(s.size).toBeGreaterThan(0);
  expect(s).toEqual(recomputed(db));
  expectMinutesRight(db);
  expectGroupsRight(db);
};

/**
 * Returned to first line by group (migration 023), read here row by row from each incident's history:
 * its routing events (group changes, returns, tier changes to L2/L3/vendor; not a group change at the
 * instant of a return), the groups of a dispatched incident, and the group set last at or before each return.
 */
function groupsFromScratch(db: Db) {
  type R = { incident_id: string; at: string; rid: number; g: string | null; st: string | null; tier: string | null };
  const all = db.prepare('SELECT incident_id, at, rowid AS rid, group_to AS g, status_to AS st, tier_to AS tier FROM history').all() as R[];
  const returnsAt = new Set(all.filter((h) => h.st === 'returned').map((h) => `${h.incident_id} ${h.at}`));
  const by = new Map<string, R[]>();
  for (const h of all) {
    const routed = h.g !== null || h.st === 'returned' || ['L2', 'L3', 'vendor'].includes(h.tier!);
    if (!routed || (h.g !== null && returnsAt.has(`${h.incident_id} ${h.at}`))) continue;
    let l = by.get(h.incident_id); if (!l) by.set(h.incident_id, l = []); l.push(h);
  }
  const out = new Map<string, { dispatch: string | null; returned: string | null }>();
  for (const id of db.prepare('SELECT id FROM incidents').pluck().all() as string[]) {
    const e = (by.get(id) ?? []).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.rid - b.rid));
    const join = (xs: Array<string | null>) => { const u = [...new Set(xs.filter((x): x is string => x !== null))].sort(); return u.length ? u.join('\u001f') : null; };
    const dispatch = e.some((h) => h.tier !== null) ? join(e.map((h) => h.g)) : null;
    const returned = join(e.filter((h) => h.st === 'returned').map((r) => [...e].reverse().find((y) => y.g !== null && y.at <= r.at)?.g ?? null));
    out.set(id, { dispatch, returned });
  }
  return out;
}

function expectGroupsRight(db: Db) {
  const stored = new Map((db.prepare('SELECT id, fact_dispatch_groups, fact_returned_groups FROM incidents').raw(true).all() as Array<[string, string | null, string | null]>)
    .map(([id, d, r]) => [id, { dispatch: d === null ? null : d.split('\u001f').sort().join('\u001f'), returned: r === null ? null : r.split('\u001f').sort().join('\u001f') }]));
  expect(stored).toEqual(groupsFromScratch(db));
}

/**
 * The clocks' minute columns (migration 022) of every incident equal the same minutes worked out here
 * from its times (Date.parse, not the migration's SQL); a thousandth of a minute apart at most.
 */
function expectMinutesRight(db: Db) {
  const rows = db.prepare(`SELECT id, status, reported_at, response_due_at, resolve_due_at, paused_ms, fact_first_status_at, fact_first_res_at, fact_final_res_at,
    fact_pending_first_min, fact_pending_final_min, fact_resp_target, fact_res_target, fact_resp_min, fact_res_min, fact_final_min FROM incidents`).all() as Array<Record<string, string | number | null>>;
  const since = (r: Record<string, string | number | null>, c: string) => (r[c] === null ? null : (Date.parse(r[c] as string) - Date.parse(r.reported_at as string)) / MIN);
  const off: string[] = [];
  for (const r of rows) {
    const want = {
      fact_resp_target: since(r, 'response_due_at'),
      fact_res_target: since(r, 'resolve_due_at')! - (r.paused_ms as number) / MIN,
      fact_resp_min: since(r, 'fact_first_status_at'),
      fact_res_min: r.fact_first_res_at === null ? null : since(r, 'fact_first_res_at')! - (r.fact_pending_first_min as number),
      fact_final_min: ['resolved', 'closed'].includes(r.status as string) && r.fact_final_res_at !== null ? since(r, 'fact_final_res_at')! - (r.fact_pending_final_min as number) : null,
    };
    for (const [c, v] of Object.entries(want)) {
      const got = r[c] as number | null;
      if ((v === null) !== (got === null) || (v !== null && Math.abs(v - got!) > 1e-3)) off.push(`${r.id}.${c}: ${got} (want ${v})`);
    }
  }
  expect(off.slice(0, 5)).toEqual([]);
}

async function deskWithWork() {
  const clock = testClock('2026-11-02T01:00:00.000Z');
  const t = await openTestDesk({ now: clock.now });
  closers.push(t.close);
  const { api, desk } = t;
  const at = (ms: number) => clock.set(iso(ms));
  const move = async (id: string, when: number, to: string, extra: Record<string, unknown> = {}) => {
    at(when);
    const need = to === 'resolved' ? { resolution: '已解决' } : ['pending', 'returned', 'reopened'].includes(to) ? { reason: '原因', ...(to === 'returned' ? { returnReason: 'wrong_group' } : {}), ...(to === 'pending' ? { pendingReason: 'requester' } : {}) } : {};
    return api.incident.transition({ id, to, ...need, ...extra } as never);
  };
  return { clock, t, api, desk, db: desk.store.db, at, move };
}

const facts = (db: Db, id: string) => stored(db).get(id)!;

describe('per-incident facts (migration 009) stay right whoever writes the history', () => {
  it('a reopen after resolution: first resolution kept, final one moves, pending spells before each', async () => {
    const { api, db, move } = await deskWithWork();
    const r = Date.parse('2026-11-02T01:00:00.000Z');
    const inc = await api.incident.create({ ...baseIncident, reportedAt: iso(r) });
    expect(facts(db, inc.id)).toMatchObject({ first_status_at: null, first_res_at: null, reopens: 0, assignments: 0 });
    await move(inc.id, r + 10 * MIN, 'in_progress');
    await move(inc.id, r + 20 * MIN, 'pending');
    await move(inc.id, r + 80 * MIN, 'in_progress');
    await move(inc.id, r + 90 * MIN, 'resolved');
    const me = db.prepare('SELECT created_by FROM incidents WHERE id = ?').pluck().get(inc.id);
    expect(facts(db, inc.id)).toMatchObject({ first_status_at: iso(r + 10 * MIN), first_res_at: iso(r + 90 * MIN), first_resolver: me, final_res_at: iso(r + 90 * MIN),
      pending_first_min: 60, pending_final_min: 60, reopens: 0 });
    await move(inc.id, r + 2 * 1440 * MIN, 'reopened');
    expect(facts(db, inc.id)).toMatchObject({ first_res_at: iso(r + 90 * MIN), final_res_at: iso(r + 90 * MIN), reopens: 1 });
    await move(inc.id, r + 2 * 1440 * MIN + 30 * MIN, 'pending');
    await move(inc.id, r + 2 * 1440 * MIN + 60 * MIN, 'in_progress');
    await move(inc.id, r + 2 * 1440 * MIN + 70 * MIN, 'resolved');
    expect(facts(db, inc.id)).toMatchObject({ first_res_at: iso(r + 90 * MIN), final_res_at: iso(r + 2 * 1440 * MIN + 70 * MIN),
      pending_first_min: 60, pending_final_min: 90, reopens: 1 });
    expectFactsRight(db);
  });

  it('pulled rows out of time order, replayed, and a page applied twice give the same facts as the desk that made them', async () => {
    const a = await deskWithWork();
    const r = Date.parse('2026-11-02T01:00:00.000Z');
    const inc = await a.api.incident.create({ ...baseIncident, reportedAt: iso(r) });
    await a.move(inc.id, r + 5 * MIN, 'in_progress');
    await a.move(inc.id, r + 15 * MIN, 'pending');
    await a.move(inc.id, r + 45 * MIN, 'in_progress');
    await a.move(inc.id, r + 60 * MIN, 'resolved');
    await a.move(inc.id, r + 600 * MIN, 'reopened');
    await a.move(inc.id, r + 660 * MIN, 'resolved');
    await a.move(inc.id, r + 700 * MIN, 'closed');
    const want = facts(a.db, inc.id);
    expect(want).toMatchObject({ reopens: 1, pending_first_min: 30, first_res_at: iso(r + 60 * MIN), final_res_at: iso(r + 660 * MIN) });

    // the same incident and its history pulled by another desk: history newest first, some rows before the incident (orphans)
    const b = await deskWithWork();
    const hist = a.db.prepare(`SELECT id, incident_id AS incidentId, at, actor_id AS actorId, device_id AS deviceId, online, kind, field,
        old_value AS oldValue, new_value AS newValue, note FROM history WHERE incident_id = ? ORDER BY at DESC`).all(inc.id) as Array<Record<string, unknown> & { id: string }>;
    const snap = readIncident(a.desk.store, inc.id)!;
    let seq = 0;
    const hc = (h: Record<string, unknown> & { id: string }): Change => ({ seq: ++seq, entity: 'history', id: h.id, data: { ...h, online: h.online === 1 } });
    const incidentChange = (): Change => ({ seq: ++seq, entity: 'incident', id: inc.id, data: snap as never });
    // page 1: the latest three rows, before their incident exists (kept aside, attached when it lands)
    applyPage(b.desk.store, hist.slice(0, 3).map(hc), seq);
    // page 2: the incident, then the older rows, newest first
    applyPage(b.desk.store, [incidentChange(), ...hist.slice(3).map(hc)], seq);
    expect(facts(b.db, inc.id)).toEqual(want);
    // page 2 again (a page re-applied after a lost answer) and every row once more: nothing changes
    applyPage(b.desk.store, [incidentChange(), ...hist.map(hc)], seq);
    expect(facts(b.db, inc.id)).toEqual(want);
    // a row from another desk that happened earlier than everything pulled so far: an earlier resolution by someone else
    const early = { ...hist[hist.length - 1], id: 'early-resolution', at: iso(r + 2 * MIN), actorId: 'tech-x', kind: 'transition', field: 'status', oldValue: 'new', newValue: 'resolved', note: null };
    applyPage(b.desk.store, [hc(early)], seq);
    expect(facts(b.db, inc.id)).toMatchObject({ first_status_at: iso(r + 2 * MIN), first_res_at: iso(r + 2 * MIN), first_resolver: 'tech-x', pending_first_min: 0,
      final_res_at: iso(r + 660 * MIN), pending_final_min: 30 });
    expectFactsRight(b.db);
    // a refused change undone: its history rows go, and the facts with them
    b.db.prepare("DELETE FROM history WHERE id = 'early-resolution'").run();
    expect(facts(b.db, inc.id)).toEqual(want);
  });

  it('an import: every imported incident carries the facts of its imported trail', async () => {
    const csv = path.join(new URL('../../../shared/data/incidents/', import.meta.url).pathname, 'VINST-new.csv.gz');
    if (!fs.existsSync(csv)) return;
    const lines = zlib.gunzipSync(fs.readFileSync(csv)).toString('utf8').split(/\r?\n/);
    // the first 3,000 events (a case cut at the end is simply a shorter trail)
    const text = lines.slice(0, 3001).join('\r\n') + '\r\n';
    const { api, db, move } = await deskWithWork();
    const res = await api.import.commit({ fileName: 'VINST-part.csv', contentBase64: Buffer.from(text).toString('base64') });
    expect(res.created).toBeGreaterThan(100);
    const s = [...stored(db).values()];
    expect(s.filter((f) => f.first_res_at !== null).length).toBeGreaterThan(50);
    expect(s.some((f) => f.max_tier >= 2)).toBe(true);
    expectFactsRight(db);
    // the import deferred the triggers only inside its own transaction: the next write keeps the facts again
    expect(db.prepare('SELECT count(*) FROM incident_facts_deferred').pluck().get()).toBe(0);
    const open = db.prepare("SELECT id FROM incidents WHERE status = 'in_progress' LIMIT 1").pluck().get() as string;
    await move(open, Date.parse('2026-11-02T02:00:00.000Z'), 'resolved');
    expect(facts(db, open).first_res_at).toBe('2026-11-02T02:00:00.000Z');
    expectFactsRight(db);
  });

  it('sample data: loaded with its facts, removed with its history, the rest untouched', async () => {
    const { api, db, desk, move } = await deskWithWork();
    const r = Date.parse('2026-11-02T01:00:00.000Z');
    const mine = await api.incident.create({ ...baseIncident, reportedAt: iso(r) });
    await move(mine.id, r + 5 * MIN, 'resolved');
    loadSampleData(desk.store, { incidents: 60, seed: 7 });
    expect(db.prepare("SELECT count(*) FROM incidents WHERE number LIKE 'DEMO-%' AND fact_first_status_at IS NOT NULL").pluck().get()).toBeGreaterThan(10);
    expectFactsRight(db);
    const before = facts(db, mine.id);
    expect(removeSampleData(desk.store).removed).toBe(60);
    expect(db.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(1);
    expect(facts(db, mine.id)).toEqual(before);
    expectFactsRight(db);
  });

  it('work recorded before sign-in and adopted by an account stays first-contact resolution', async () => {
    const { api, db, desk, move } = await deskWithWork();
    const r = Date.parse('2026-11-02T01:00:00.000Z');
    const inc = await api.incident.create({ ...baseIncident, reportedAt: iso(r) });
    await move(inc.id, r + 5 * MIN, 'in_progress'); // taken by the recorder: assigned to themself
    await move(inc.id, r + 9 * MIN, 'resolved');
    const local = desk.store.currentUser()!.id;
    expect(facts(db, inc.id)).toMatchObject({ assignments: 1, assigned_other: 0, first_resolver: local });
    db.prepare("INSERT INTO users (id, name, role, group_name, source, updated_at) VALUES ('acct-1', '王芳', 'agent', '服务台', 'server', '2026-11-01T00:00:00Z')").run();
    desk.store.adoptIdentity(local, 'acct-1', '王芳');
    expect(facts(db, inc.id)).toMatchObject({ assignments: 1, assigned_other: 0, first_resolver: 'acct-1' });
    expectFactsRight(db);
    db.prepare("UPDATE meta SET value = 'acct-1' WHERE key = 'current_user_id'").run();
    const rep = await api.report.compute({ from: '2026-11-01', to: '2026-11-30', timeZone: 'Asia/Shanghai' });
    expect(rep.quality.fcr).toMatchObject({ count: 1, of: 1 });
  });

  it('older rows are filled by the migration exactly as the triggers keep them', async () => {
    const { db, desk } = await deskWithWork();
    loadSampleData(desk.store, { incidents: 80, seed: 3 });
    const kept = stored(db);
    const m009 = (await import('../../electron/core/db/migrations/009_incident_facts.js'));
    db.prepare(`UPDATE incidents SET ${m009.FACT_COLUMNS.map((c) => `${c} = ${/_at$|resolver$/.test(c) ? 'NULL' : '0'}`).join(', ')}`).run();
    expect(stored(db)).not.toEqual(kept);
    db.prepare(m009.refreshFactsSql('1')).run();
    expect(stored(db)).toEqual(kept);
  });

  it('the clocks\' minutes are filled by migration 022 for older rows and kept by every writer as incidents change', async () => {
    const { api, db, desk, move } = await deskWithWork();
    loadSampleData(desk.store, { incidents: 80, seed: 5 });
    const m022 = (await import('../../electron/core/db/migrations/022_report_minutes.js'));
    const minutes = () => db.prepare(`SELECT id, ${m022.MINUTE_COLUMNS.join(', ')} FROM incidents ORDER BY id`).raw(true).all() as unknown[][];
    const kept = minutes();
    expect(kept.filter((r) => r[4] !== null).length).toBeGreaterThan(10); // resolved ones among them
    // the migration's fill on rows written before it
    db.prepare(`UPDATE incidents SET ${m022.MINUTE_COLUMNS.map((c) => `${c} = NULL`).join(', ')}`).run();
    expect(minutes()).not.toEqual(kept);
    db.prepare(`UPDATE incidents SET (${m022.MINUTE_COLUMNS.join(', ')}) = (${m022.minuteValues('incidents')})`).run();
    expect(minutes()).toEqual(kept);
    // the triggers: a new incident, a response, a pending spell, a resolution, a reopen and a re-resolution, a changed reported time
    const r = Date.parse('2026-11-02T01:00:00.000Z');
    const inc = await api.incident.create({ ...baseIncident, reportedAt: iso(r) });
    const one = () => db.prepare(`SELECT ${m022.MINUTE_COLUMNS.join(', ')} FROM incidents WHERE id = ?`).get(inc.id) as Record<string, number | null>;
    expect(one()).toMatchObject({ fact_resp_min: null, fact_res_min: null, fact_final_min: null });
    expect(one().fact_resp_target).toBeGreaterThan(0);
    await move(inc.id, r + 5 * MIN, 'in_progress');
    expect(one().fact_resp_min).toBeCloseTo(5, 6);
    await move(inc.id, r + 10 * MIN, 'pending');
    await move(inc.id, r + 40 * MIN, 'in_progress');
    await move(inc.id, r + 50 * MIN, 'resolved');
    expect(one()).toMatchObject({ fact_resp_min: expect.closeTo(5, 6), fact_res_min: expect.closeTo(20, 6), fact_final_min: expect.closeTo(20, 6) });
    expectFactsRight(db);
    await move(inc.id, r + 60 * MIN, 'reopened');
    expect(one().fact_final_min).toBeNull(); // open again: no final resolution now
    await move(inc.id, r + 90 * MIN, 'resolved');
    expect(one()).toMatchObject({ fact_res_min: expect.closeTo(20, 6), fact_final_min: expect.closeTo(60, 6) });
    // a pulled version with another reported time (sync's whole-row update)
    const current = incidentFromRow(db.prepare(`${SELECT_INCIDENT} WHERE id = ?`).get(inc.id) as Row);
    db.prepare(UPDATE_INCIDENT).run(incidentParams({ ...current, reportedAt: iso(r - 10 * MIN) }));
    expect(one()).toMatchObject({ fact_resp_min: expect.closeTo(15, 6), fact_res_min: expect.closeTo(30, 6), fact_final_min: expect.closeTo(70, 6) });
    expectFactsRight(db);
    // a re-classification moves the due times, hence the targets; new SLA settings re-derive them on open incidents
    const open = await api.incident.create({ ...baseIncident, reportedAt: iso(r + 90 * MIN) });
    const target = () => (db.prepare('SELECT fact_res_target FROM incidents WHERE id = ?').pluck().get(open.id) as number);
    const before = target();
    await api.incident.update({ id: open.id, patch: { impact: 'high', urgency: 'high' } });
    expect(target()).toBeLessThan(before);
    expectFactsRight(db);
    const allDay = { P1: '24x7', P2: '24x7', P3: '24x7', P4: '24x7' };
    applySlaSettings(desk.store, { settings: { ...DEFAULT_SLA_SETTINGS, policy: { ...DEFAULT_SLA_SETTINGS.policy, calendars: { normal: allDay, vip: allDay, svip: allDay } } } });
    applySlaSettings(desk.store, { settings: DEFAULT_SLA_SETTINGS });
    expectFactsRight(db);
  });
  // Several desks and the server under faults (dropped and replayed pushes and pulls, desks killed
  // while applying a page, refused changes undone, rows pulled before their incident): every desk's
  // fact columns equal its history read from scratch.
  const SEEDS = Number(process.env.FACTS_SIM_SEEDS ?? 6);
  it(`${SEEDS} seeded simulations: every desk's fact columns equal its history read from scratch`, async () => {
    const root = path.dirname(tempDir('facts-sim-probe-'));
    let desks = 0; let incidents = 0; let withFacts = 0; let routed = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const before = new Set(fs.readdirSync(root));
      expect((await runSeed(seed)).problems).toEqual([]);
      // the simulation's desks are closed now; their files stay until the process exits
      for (const dir of fs.readdirSync(root).filter((d) => d.startsWith('relay-sim-') && !before.has(d))) {
        const db = openDatabase(path.join(root, dir, 'relay-desk.db'));
        try {
          const s = stored(db);
          expect(s).toEqual(recomputed(db));
          expectMinutesRight(db);
          expectGroupsRight(db);
          routed += (db.prepare('SELECT count(*) FROM incidents WHERE fact_returned_groups IS NOT NULL').pluck().get() as number);
          desks++; incidents += s.size;
          withFacts += [...s.values()].filter((f) => f.first_status_at !== null).length;
        } finally { db.close(); }
      }
    }
    expect(desks).toBeGreaterThanOrEqual(SEEDS * 3);
    expect(withFacts).toBeGreaterThan(incidents / 4);
    expect(routed).toBeGreaterThan(0); // returns to first line happened
  }, 300_000);
});
