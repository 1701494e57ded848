import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDesk, tempDir } from '../helpers/desk.js';
import { openDatabase, type Db } from '../../electron/core/db/connection.js';
import { loadSampleData } from '../../electron/core/store/sample.js';
import { computeReport, finishReport, reportPart, sliceRange } from '../../electron/core/reports/compute.js';
import { reportScope } from '../../electron/core/reports/scope.js';
import type { DeskStore } from '../../electron/core/store/desk-store.js';
import { reportQuerySchema, type ReportQuery } from '../../shared/reports.js';
import { runSeed } from '../sync/simulation.js';
import { computeReport as previousReport } from './legacy-compute.js';

/**
 * Issue 11: the report is computed in one pass over the period's incidents (JavaScript adds every
 * breakdown up). The implementation before it — one SQL statement with a GROUP BY per breakdown and a
 * second read for the medians — is kept in `legacy-compute.ts`, in this folder only; both must give the
 * same report, figure for figure, over real data: the BPIC 2013 log imported, a desk's sample data, and
 * the desks of a seeded multi-desk simulation, across ranges, time zones, grains and every filter.
 */
const XES = new URL('../../../shared/data/incidents/BPI_Challenge_2013_incidents.xes.gz', import.meta.url).pathname;
const NOW = new Date('2026-12-01T03:00:00.000Z');

/** Queries over a store: whole span, its months, a week by day, each filter alone and some together, three time zones. */
function queriesOf(db: Db): ReportQuery[] {
  const day = (iso: string) => iso.slice(0, 10);
  const span = db.prepare('SELECT min(reported_at) AS a, max(reported_at) AS b FROM incidents').get() as { a: string | null; b: string | null };
  if (!span.a || !span.b) return [];
  // ranges of at most ten years: from the first reported day on, and up to the last
  const addD = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const first = day(span.a), last = day(span.b);
  const spans = [[first, addD(first, 3_600) < last ? addD(first, 3_600) : last], [addD(last, -3_600) > first ? addD(last, -3_600) : first, last]];
  const top = (sql: string) => db.prepare(sql).pluck().get() as string | null;
  const group = top("SELECT group_name FROM incidents WHERE group_name IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
  const agent = top('SELECT coalesce(assignee_id, owner_id) AS a FROM incidents WHERE a IN (SELECT id FROM users) GROUP BY 1 ORDER BY count(*) DESC LIMIT 1');
  const topCat = top("SELECT coalesce(c.parent_id, c.id) FROM incidents i JOIN categories c ON c.id = i.category_id GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
  const dept = top("SELECT requester_dept FROM incidents WHERE requester_dept IS NOT NULL AND requester_dept <> '' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
  const channel = top('SELECT channel FROM incidents GROUP BY 1 ORDER BY count(*) DESC LIMIT 1');
  const all = { origins: ['desk', 'backfill', 'import'] as Array<'desk' | 'backfill' | 'import'> };
  const qs: ReportQuery[] = [];
  for (const [from, to] of spans) for (const timeZone of ['Asia/Shanghai', 'UTC', 'America/New_York']) {
    qs.push({ from, to, timeZone, grain: 'month', filters: { ...all } });
    qs.push({ from, to, timeZone, grain: 'week' });
  }
  // each month of the span (up to six), by day, live work and all origins
  const months = db.prepare("SELECT DISTINCT substr(reported_at, 1, 7) FROM incidents ORDER BY 1 DESC LIMIT 6").pluck().all() as string[];
  for (const m of months) {
    const last = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).toISOString().slice(0, 10);
    qs.push({ from: `${m}-01`, to: last, timeZone: 'Asia/Shanghai' });
    qs.push({ from: `${m}-01`, to: last, timeZone: 'Europe/Berlin', filters: { ...all } });
  }
  const filters: Array<Record<string, unknown>> = [
    { origins: ['import'] }, { origins: ['backfill'] }, { origins: ['desk'] },
    { priorities: ['P2', 'P3'] }, { priorities: ['P1'], origins: ['desk', 'backfill', 'import'] },
    ...(group ? [{ groups: [group], origins: ['desk', 'backfill', 'import'] }] : []),
    ...(agent ? [{ agents: [agent] }, { agents: [agent], origins: ['desk', 'backfill', 'import'] }] : []),
    ...(topCat ? [{ categories: [topCat], origins: ['desk', 'backfill', 'import'] }] : []),
    ...(dept ? [{ departments: [dept], origins: ['desk', 'backfill', 'import'] }] : []),
    ...(channel ? [{ channels: [channel], priorities: ['P3', 'P4'], origins: ['desk', 'backfill', 'import'] }] : []),
  ];
  for (const [from, to] of spans) for (const f of filters) qs.push({ from, to, timeZone: 'Asia/Shanghai', grain: 'month', filters: f as ReportQuery['filters'] });
  return qs;
}

/** Both implementations over every query: the same report (the new one is what the API returns), whole and in slices. */
function compareAll(store: DeskStore): number {
  let n = 0;
  for (const q of queriesOf(store.db)) {
    const parsed = reportQuerySchema.parse(q);
    const now = computeReport(store, parsed);
    const before = previousReport(store, parsed);
    expect(now, JSON.stringify(q)).toEqual(before);
    // the same report from slices of the period added up apart (as on several threads: each part copied as a message is) and merged
    const scope = reportScope(store, parsed);
    const at = store.now().toISOString();
    const k = 2 + (n % 3);
    const parts = sliceRange(scope.fromUtc, scope.toUtc, k).map((slice) => structuredClone(reportPart(store, parsed, at, slice)));
    expect(finishReport(store, parsed, at, parts), `${k} slices: ${JSON.stringify(q)}`).toEqual(before);
    n++;
  }
  return n;
}

describe('the single-pass report equals the previous implementation', () => {
  let t: Awaited<ReturnType<typeof openTestDesk>>;
  beforeAll(async () => {
    t = await openTestDesk({ now: () => NOW });
    if (fs.existsSync(XES)) {
      const input = { fileName: 'BPI_Challenge_2013_incidents.xes.gz', contentBase64: fs.readFileSync(XES).toString('base64') };
      expect(await t.api.import.commit(input)).toMatchObject({ created: 7_554 });
    }
    loadSampleData(t.desk.store, { incidents: 1_500, seed: 11 });
    // some of them back-filled (recorded up to two days after they were reported), as a lead sees paper records typed in later
    t.desk.store.db.prepare(`UPDATE incidents SET backfilled = 1, origin = 'backfill', backfill_reason = '纸质登记',
      recorded_at = strftime('%Y-%m-%dT%H:%M:%fZ', reported_at, '+' || (rowid % 2880) || ' minutes') WHERE origin = 'desk' AND rowid % 13 = 0`).run();
  }, 180_000);
  afterAll(() => t?.close());

  it('over the BPIC 2013 log imported and a desk\'s sample data: every range, zone, grain and filter', () => {
    const db = t.desk.store.db;
    expect(db.prepare("SELECT count(*) FROM incidents WHERE origin = 'import'").pluck().get()).toBeGreaterThan(fs.existsSync(XES) ? 7_000 : -1);
    expect(db.prepare('SELECT count(*) FROM incidents WHERE backfilled = 1').pluck().get()).toBeGreaterThan(0);
    // the data exercise the figures compared: breached clocks, reopens, dispatches, comments
    const rep = (from: string, to: string) => computeReport(t.desk.store, reportQuerySchema.parse({ from, to, timeZone: 'UTC', filters: { origins: ['desk', 'backfill', 'import'] } }));
    const old = rep('2009-01-01', '2016-12-31'); // the BPIC log
    const r = rep('2017-01-01', '2026-12-01'); // the sample data
    expect(r.sla.breached.length + old.sla.breached.length).toBeGreaterThan(0);
    expect(r.quality.reopen.reopened + old.quality.reopen.reopened).toBeGreaterThan(0);
    expect(r.quality.returned.dispatched + old.quality.returned.dispatched).toBeGreaterThan(0);
    expect(r.backfill.byTechnician.length).toBeGreaterThan(0);
    expect(r.satisfaction.rated).toBeGreaterThan(0);
    expect(compareAll(t.desk.store)).toBeGreaterThan(25);
  }, 240_000);

  it('over the desks of a seeded multi-desk simulation', async () => {
    const root = path.dirname(tempDir('single-pass-probe-'));
    const before = new Set(fs.readdirSync(root));
    expect((await runSeed(5)).problems).toEqual([]);
    let compared = 0;
    for (const dir of fs.readdirSync(root).filter((d) => d.startsWith('relay-sim-') && !before.has(d))) {
      const db = openDatabase(path.join(root, dir, 'relay-desk.db'));
      try {
        compared += compareAll({ db, now: () => NOW } as unknown as DeskStore);
      } finally { db.close(); }
    }
    expect(compared).toBeGreaterThan(20);
  }, 300_000);
});
