import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDesk } from '../helpers/desk.js';

/**
 * The real BPIC 2013 VINST incident log (shared/data/incidents/SOURCE.md): 7,554 incidents, 65,533
 * status changes, 8 never completed. The CSV (IBM's export) and the original XES must both import
 * completely, and agree with each other.
 */
const DATA = new URL('../../../shared/data/incidents/', import.meta.url).pathname;
const CSV = `${DATA}VINST-new.csv.gz`;
const XES = `${DATA}BPI_Challenge_2013_incidents.xes.gz`;
const have = fs.existsSync(CSV) && fs.existsSync(XES);

type TestDesk = Awaited<ReturnType<typeof openTestDesk>>;
const file = (p: string) => ({ fileName: p.split('/').pop()!, contentBase64: fs.readFileSync(p).toString('base64') });

describe.skipIf(!have)('import: the real VINST event log', () => {
  let a: TestDesk;
  let b: TestDesk;
  beforeAll(async () => { a = await openTestDesk(); b = await openTestDesk(); });
  afterAll(() => { a?.close(); b?.close(); });

  const counts = (t: TestDesk) => {
    const q = (sql: string) => t.desk.store.db.prepare(sql);
    return {
      incidents: q('SELECT count(*) FROM incidents').pluck().get(),
      transitions: q("SELECT count(*) FROM history WHERE kind = 'transition' AND field = 'status'").pluck().get(),
      open: q("SELECT count(*) FROM incidents WHERE status IN ('new','assigned','in_progress','pending','reopened','returned')").pluck().get(),
      tiers: Object.fromEntries((q('SELECT tier, count(*) AS n FROM incidents GROUP BY tier').all() as Array<{ tier: string; n: number }>).map((r) => [r.tier, r.n])),
      origin: q("SELECT DISTINCT origin FROM incidents").pluck().all(),
    };
  };

  it('CSV.gz: preview detects the event log and its mapping; commit creates 7,554 incidents with 65,533 status changes, 8 open', async () => {
    const input = file(CSV);
    const p = await a.api.import.preview(input);
    expect(p).toMatchObject({ format: 'csv', gzip: true, encoding: 'utf-8-bom', shape: 'eventlog', rows: 65_533, incidents: 7_554, toCreate: 7_554, errorCount: 0, naiveTimes: 0 });
    expect(p.mapping.columns).toMatchObject({ number: 'SR Number', time: 'Change Date+Time', status: 'Status', subStatus: 'Sub Status', group: 'Involved ST', owner: 'Owner First Name', impact: 'SR Latest Impact', product: 'Product' });
    expect(p.mapping.source).toBe('bpic2013-vinst');
    expect(p.statusValues.find((s) => s.value === 'Accepted / Wait - User')).toEqual({ value: 'Accepted / Wait - User', count: 4217, mappedTo: 'pending' });
    expect(p.statusValues.reduce((n, s) => n + s.count, 0)).toBe(65_533);
    // IBM's Mac Roman mojibake in owner names is repaired: 24 names, 771 events (SOURCE.md)
    expect(p.repairedNames).toHaveLength(24);
    expect(p.repairedNames.reduce((n, r) => n + r.count, 0)).toBe(771);
    expect(p.repairedNames.find((r) => r.from === 'Bjˆrn')?.to).toBe('Björn');

    const jobId = 'vinst-csv';
    expect(await a.api.import.commit({ ...input, jobId })).toEqual({ created: 7_554, skipped: 0, live: 0, source: 'bpic2013-vinst', shape: 'eventlog' });
    expect(await a.api.import.progress({ jobId })).toEqual({ phase: 'done', done: 7_554, total: 7_554 });
    const c = counts(a);
    expect(c).toMatchObject({ incidents: 7_554, transitions: 65_533, open: 8, origin: ['import'] });
    expect(Object.keys(c.tiers).sort()).toEqual(['L1', 'L2', 'L3']);

    const db = a.desk.store.db;
    // the first case, event by event (SOURCE.md's sample rows): instants kept, history in order
    const inc = db.prepare("SELECT * FROM incidents WHERE external_ref = '1-364285768'").get() as Record<string, unknown>;
    expect(inc).toMatchObject({ reported_at: '2010-03-31T14:59:42.000Z', first_response_at: '2010-03-31T14:59:42.000Z', status: 'closed', tier: 'L3', group_name: 'V5 3rd', origin: 'import', impact: 'medium', urgency: 'medium', priority: 'P3' });
    const hist = db.prepare("SELECT at, old_value AS o, new_value AS n, note FROM history WHERE incident_id = ? AND kind = 'transition' ORDER BY at").all(inc.id) as Array<Record<string, string>>;
    expect(hist).toHaveLength(17);
    expect(hist[0]).toEqual({ at: '2010-03-31T14:59:42.000Z', o: null, n: 'in_progress', note: 'Accepted/In Progress · group V30 · owner Frederic' });
    expect(hist[2]).toMatchObject({ o: 'in_progress', n: 'assigned', note: 'Queued/Awaiting Assignment · group V5 3rd · owner Frederic' });
    expect(db.prepare("SELECT count(*) FROM history WHERE incident_id = ? AND kind = 'field' AND field = 'tier'").pluck().get(inc.id)).toBeGreaterThan(0);
    expect(db.prepare("SELECT count(*) FROM history WHERE note LIKE '%Bjˆrn%'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM history WHERE note LIKE '%owner Björn%'").pluck().get()).toBe(157 + 4);
    // Major impact → P1 declared major; pending spells add up; resolved ones keep their resolved time
    expect(db.prepare("SELECT count(DISTINCT priority) FROM incidents WHERE major_reasons = '[\"declared\"]'").pluck().get()).toBe(1);
    expect(db.prepare("SELECT count(*) FROM incidents WHERE major_reasons = '[\"declared\"]' AND priority = 'P1'").pluck().get()).toBeGreaterThan(0);
    expect(db.prepare('SELECT count(*) FROM incidents WHERE paused_ms > 0').pluck().get()).toBeGreaterThan(1000);
    expect(db.prepare("SELECT count(*) FROM incidents WHERE status IN ('resolved','closed') AND resolved_at IS NULL").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM incidents WHERE status = 'pending' AND pending_since IS NULL").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM history WHERE kind = 'transition' AND new_value = 'reopened'").pluck().get()).toBeGreaterThan(0);

    // every event keeps every source column (issue 11): typed facts, and the other columns by name
    const facts = db.prepare(`SELECT src_status AS status, src_sub_status AS sub, src_group AS grp, src_owner AS owner, src_role AS role, src_org_line AS orgLine,
      src_country AS country, src_owner_country AS ownerCountry, src_product AS product, src_impact AS impact, source_attrs AS attrs
      FROM history WHERE incident_id = ? AND kind = 'transition' ORDER BY at, rowid`).all(inc.id) as Array<Record<string, string>>;
    expect(facts).toHaveLength(17);
    // SOURCE.md's first rows: 1-364285768,2010-03-31T15:59:42+01:00,Accepted,In Progress,Accepted-In Progress,Accepted-In Progress-L1,A2_4,Org line A2,V30,V30,L1,Medium,PROD582,fr,France,Frederic,fr-Frederic
    expect(facts[0]).toEqual({ status: 'Accepted', sub: 'In Progress', grp: 'V30', owner: 'Frederic', role: 'A2_4', orgLine: 'Org line A2', country: 'fr',
      ownerCountry: 'France', product: 'PROD582', impact: 'Medium',
      attrs: JSON.stringify({ Activity: 'Accepted-In Progress', 'Activity Level': 'Accepted-In Progress-L1', 'Involved ST 2': 'V30', 'ST Level': 'L1', Resource: 'fr-Frederic' }) });
    expect(facts[2]).toMatchObject({ status: 'Queued', sub: 'Awaiting Assignment', grp: 'V5 3rd', role: 'A2_5' });
    // not only the last event's: each event's own role, org line and countries
    expect(new Set(facts.map((f) => f.role)).size).toBeGreaterThan(1);
    // counted in the raw CSV (Python's csv module): every cell filled but 6,950 empty `Involved ST Function Div` (role)
    expect(db.prepare(`SELECT count(src_status), count(src_sub_status), count(src_group), count(src_owner), count(src_role), count(src_org_line),
      count(src_country), count(src_owner_country), count(src_product), count(src_impact), count(source_attrs) FROM history WHERE kind = 'transition'`).raw().get())
      .toEqual([65_533, 65_533, 65_533, 65_533, 65_533 - 6_950, 65_533, 65_533, 65_533, 65_533, 65_533, 65_533]);
    expect(db.prepare("SELECT count(*) FROM history WHERE src_owner LIKE 'Björn%'").pluck().get()).toBe(157 + 4); // as in the notes (Björn and a longer name)
    expect(db.prepare("SELECT count(*) FROM history WHERE kind <> 'transition' AND (src_status IS NOT NULL OR source_attrs IS NOT NULL)").pluck().get()).toBe(0);
    // history, not live work: owned by no one here, kept out of mine/group, left alone by the sweep
    expect(db.prepare("SELECT DISTINCT owner_id FROM incidents").pluck().all()).toEqual(['import:history']);
    expect(await a.api.incident.queue({ scope: 'mine', offset: 0, limit: 10 })).toMatchObject({ total: 0 });
    expect(a.desk.store.sweepEscalations()).toBe(0);

    // the same file again creates nothing new
    expect(await a.api.import.commit(input)).toMatchObject({ created: 0, skipped: 7_554 });
    expect(counts(a).incidents).toBe(7_554);
  }, 120_000);

  it('XES gives the same incidents, history and times; after the CSV it adds nothing (same source)', async () => {
    const input = file(XES);
    const p = await b.api.import.preview(input);
    expect(p).toMatchObject({ format: 'xes', gzip: true, shape: 'eventlog', rows: 65_533, incidents: 7_554, errorCount: 0, repairedNames: [] });
    expect(p.mapping.columns).toMatchObject({ number: 'case:concept:name', time: 'time:timestamp', status: 'concept:name', subStatus: 'lifecycle:transition', group: 'org:group', owner: 'org:resource' });
    expect(await b.api.import.commit(input)).toMatchObject({ created: 7_554, skipped: 0 });
    expect(counts(b)).toEqual(counts(a));

    const snapshot = (t: TestDesk) => t.desk.store.db.prepare(`SELECT external_ref, status, tier, group_name, reported_at, first_response_at, resolved_at, closed_at,
      pending_since, paused_ms, priority FROM incidents ORDER BY external_ref`).raw().all();
    expect(snapshot(b)).toEqual(snapshot(a));
    const notes = (t: TestDesk) => t.desk.store.db.prepare(`SELECT i.external_ref, h.at, h.new_value, h.note FROM history h JOIN incidents i ON i.id = h.incident_id
      WHERE h.kind = 'transition' ORDER BY i.external_ref, h.at`).raw().all();
    // owner names agree too: the CSV's repaired names are the XES's correct ones
    expect(notes(b)).toEqual(notes(a));
    // and so does every event's typed source facts; the XES has no column beyond the typed ones
    const facts = (t: TestDesk) => t.desk.store.db.prepare(`SELECT i.external_ref, h.at, h.src_status, h.src_sub_status, h.src_group, h.src_owner, h.src_role,
      h.src_org_line, h.src_country, h.src_owner_country, h.src_product, h.src_impact FROM history h JOIN incidents i ON i.id = h.incident_id
      WHERE h.kind = 'transition' ORDER BY i.external_ref, h.at, h.rowid`).raw().all();
    expect(facts(b)).toEqual(facts(a));
    expect(b.desk.store.db.prepare('SELECT count(*) FROM history WHERE source_attrs IS NOT NULL').pluck().get()).toBe(0);

    expect(await a.api.import.commit(input)).toMatchObject({ created: 0, skipped: 7_554 });
  }, 120_000);
});
