import { afterEach, describe, expect, it } from 'vitest';
import { baseIncident, openTestDesk, testClock } from '../helpers/desk.js';
import { parseImportArgs } from '../../electron/core/cli/import.js';
import { createDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { httpCentralClient } from '../../electron/core/sync/central-client.js';
import { startWorld } from '../server/harness.js';
import { tempDir } from '../helpers/desk.js';

/**
 * Imported event logs keep every source column of every event (issue 11), and imported history is
 * history, not live work (issue 14, item 5): not in "mine" or "my group", after the live work in
 * "all", left alone by the escalation sweep — unless the person importing makes the open ones live.
 */

type TestDesk = Awaited<ReturnType<typeof openTestDesk>>;
const cleanup: TestDesk[] = [];
afterEach(() => { while (cleanup.length) cleanup.pop()!.close(); });
async function desk(): Promise<TestDesk & { clock: ReturnType<typeof testClock> }> {
  const clock = testClock('2026-11-22T02:00:00.000Z');
  const d = await openTestDesk({ now: clock.now }); // 王芳, agent, group 服务台
  cleanup.push(d);
  return { ...d, clock };
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const HEAD = 'Case ID,Timestamp,Status,Sub status,Group,Owner,Impact,Product,Org line,Role,Country,Owner country,Ticket channel';
/**
 * Three cases: C-1 still open (queued, then in progress in the desk's own group 服务台), C-2 closed,
 * C-3 open in another group. Each event has its own role and owner country; `Ticket channel` is a
 * column the product does not know.
 */
const EVENTS = [
  'C-1,2026-10-01T08:00:00+08:00,Queued,Awaiting Assignment,服务台,Ann,Medium,PROD1,Org line A,A2_1,cn,China,phone',
  'C-1,2026-10-01T09:00:00+08:00,Accepted,In Progress,服务台,Björn,Medium,PROD1,Org line A,A2_4,cn,Sweden,',
  'C-2,2026-10-02T08:00:00+08:00,Accepted,In Progress,V5 2nd,Chen,Low,PROD2,Org line B,B1,se,Sweden,mail',
  'C-2,2026-10-02T10:00:00+08:00,Completed,Resolved,V5 2nd,Chen,Low,PROD2,Org line B,B1,se,Sweden,mail',
  'C-2,2026-10-02T11:00:00+08:00,Completed,Closed,V5 2nd,Dora,Low,PROD2,Org line C,B2,se,Brazil,mail',
  'C-3,2026-10-03T08:00:00+08:00,Accepted,In Progress,V7,Eve,Medium,PROD3,Org line A,A1,fr,France,',
];
const file = (events = EVENTS) => ({ fileName: 'log.csv', contentBase64: b64([HEAD, ...events].join('\r\n') + '\r\n') });

const incident = (d: TestDesk, ref: string) =>
  d.desk.store.db.prepare('SELECT id, owner_id AS ownerId, group_name AS groupName, status, priority, imported_history AS hist FROM incidents WHERE external_ref = ?')
    .get(ref) as { id: string; ownerId: string; groupName: string; status: string; priority: string; hist: number };
const numbers = async (d: TestDesk, scope: 'mine' | 'group' | 'all') =>
  (await d.api.incident.queue({ scope, offset: 0, limit: 50 })).rows.map((r) => r.number);

describe('import: every source column of every event', () => {
  it('each event keeps its own status, group, owner, role, org line, countries, product and impact; other columns by name; shown through import.sourceFacts', async () => {
    const d = await desk();
    const p = await d.api.import.preview(file());
    expect(p).toMatchObject({ shape: 'eventlog', incidents: 3, toCreate: 3, open: 2, errorCount: 0 });
    expect(await d.api.import.commit(file())).toMatchObject({ created: 3, skipped: 0, live: 0 });

    const c1 = incident(d, 'C-1');
    const facts = await d.api.import.sourceFacts({ incidentId: c1.id });
    expect(facts.map(({ historyId: _, ...f }) => f)).toEqual([
      { status: 'Queued', subStatus: 'Awaiting Assignment', group: '服务台', owner: 'Ann', role: 'A2_1', orgLine: 'Org line A', country: 'cn', ownerCountry: 'China', product: 'PROD1', impact: 'Medium', attrs: { 'Ticket channel': 'phone' } },
      { status: 'Accepted', subStatus: 'In Progress', group: '服务台', owner: 'Björn', role: 'A2_4', orgLine: 'Org line A', country: 'cn', ownerCountry: 'Sweden', product: 'PROD1', impact: 'Medium', attrs: {} },
    ]);
    // the facts belong to the transition rows, in the history's order
    const hist = (await d.api.incident.get({ id: c1.id })).history;
    expect(facts.map((f) => hist.find((h) => h.id === f.historyId)?.newValue)).toEqual(['assigned', 'in_progress']);

    // the closed case: the last event's owner and org line differ from the first's, and both are kept
    const c2 = (await d.api.import.sourceFacts({ incidentId: incident(d, 'C-2').id }));
    expect(c2.map((f) => [f.owner, f.orgLine, f.role, f.ownerCountry])).toEqual([['Chen', 'Org line B', 'B1', 'Sweden'], ['Chen', 'Org line B', 'B1', 'Sweden'], ['Dora', 'Org line C', 'B2', 'Brazil']]);

    // an incident recorded at the desk has none; an unknown id is a clear error naming the field
    const own = await d.api.incident.create(baseIncident);
    expect(await d.api.import.sourceFacts({ incidentId: own.id })).toEqual([]);
    const err = await d.api.import.sourceFacts({ incidentId: '' }).catch((e) => e);
    expect(JSON.stringify(err.cause?.issues ?? err.message)).toMatch(/incidentId/);
  });

  it('the same file again adds nothing: no incident, no history row, no source fact; a bad row imports nothing', async () => {
    const d = await desk();
    await d.api.import.commit(file());
    const before = { inc: d.count('incidents'), hist: d.count('history'), out: d.count('outbox') };
    expect(await d.api.import.commit(file())).toMatchObject({ created: 0, skipped: 3 });
    expect({ inc: d.count('incidents'), hist: d.count('history'), out: d.count('outbox') }).toEqual(before);

    const e = await desk();
    const bad = file([...EVENTS, 'C-4,not a time,Accepted,In Progress,V7,Eve,Medium,PROD3,Org line A,A1,fr,France,']);
    await expect(e.api.import.commit(bad)).rejects.toThrow();
    expect(e.desk.store.db.prepare('SELECT count(*) FROM history WHERE src_status IS NOT NULL').pluck().get()).toBe(0);
    expect(e.count('incidents')).toBe(0);
  });
});

describe('import: imported history is history, not live work', () => {
  it('by default: owned by no one here, the source group kept by name; out of mine and my group; in all after live work; the sweep leaves it alone', async () => {
    const d = await desk();
    await d.api.import.commit(file());
    const me = d.desk.store.currentUser()!;
    const c1 = incident(d, 'C-1');
    // the source's owners and groups as names, not the importing person's id
    expect(c1).toMatchObject({ ownerId: 'import:history', groupName: '服务台', status: 'in_progress', hist: 1 });
    expect(d.desk.store.db.prepare('SELECT count(*) FROM incidents WHERE owner_id = ?').pluck().get(me.id)).toBe(0);

    // live work recorded at the desk, due much later than the imported ones
    const own = await d.api.incident.create(baseIncident);
    expect(await numbers(d, 'mine')).toEqual([own.number]);
    expect(await numbers(d, 'group')).toEqual([own.number]); // 服务台's open imported C-1 is not "my group"'s work
    const all = await d.api.incident.queue({ scope: 'all', offset: 0, limit: 50 });
    expect(all.total).toBe(3);
    expect(all.rows[0].number).toBe(own.number); // not led by "overdue 52 d"
    expect(all.rows.slice(1).map((r) => r.origin)).toEqual(['import', 'import']);

    // hours later the sweep escalates the live P3, never the imported open one
    d.clock.advance(10 * 3600_000);
    expect(incident(d, 'C-3').priority).toBe('P3');
    expect(d.desk.store.sweepEscalations()).toBe(1);
    expect(incident(d, 'C-3').priority).toBe('P3');
    expect(incident(d, 'C-1').priority).toBe('P3');
    expect(d.desk.store.db.prepare("SELECT i.origin FROM history h JOIN incidents i ON i.id = h.incident_id WHERE h.kind = 'priority' AND h.note LIKE 'rule: auto_escalated%'").pluck().all()).toEqual(['desk']);
  });

  it('chosen live (liveOpen): the open ones are live work — in my group, in due order, swept; closed ones stay history', async () => {
    const d = await desk();
    const own = await d.api.incident.create(baseIncident);
    expect(await d.api.import.commit({ ...file(), liveOpen: true })).toMatchObject({ created: 3, live: 2 });
    expect(incident(d, 'C-1')).toMatchObject({ ownerId: 'import:live', hist: 0 });
    expect(incident(d, 'C-3')).toMatchObject({ ownerId: 'import:live', hist: 0 });
    expect(incident(d, 'C-2')).toMatchObject({ ownerId: 'import:history', status: 'closed', hist: 1 });
    const num = (ref: string) => d.desk.store.db.prepare('SELECT number FROM incidents WHERE external_ref = ?').pluck().get(ref) as string;
    expect(await numbers(d, 'group')).toEqual([num('C-1'), own.number]); // 服务台: the desk user's group; C-1 overdue first
    expect(await numbers(d, 'mine')).toEqual([own.number]); // owned by the source's people, not by whoever imported
    // live and overdue: they lead the queue by their due time
    const all = await numbers(d, 'all');
    expect(all.slice(0, 2).sort()).toEqual([num('C-1'), num('C-3')].sort());
    expect(all[2]).toBe(own.number);
    d.clock.advance(10 * 3600_000);
    expect(d.desk.store.sweepEscalations()).toBe(3);
    expect(incident(d, 'C-1').priority).toBe('P2');
  });

  it('incidents imported before this rule (owned by the importing person) count as history too', async () => {
    const d = await desk();
    await d.api.import.commit(file());
    const me = d.desk.store.currentUser()!;
    d.desk.store.db.prepare("UPDATE incidents SET owner_id = ? WHERE origin = 'import'").run(me.id);
    expect(incident(d, 'C-1').hist).toBe(1);
    expect(await numbers(d, 'mine')).toEqual([]);
    d.clock.advance(10 * 3600_000);
    expect(d.desk.store.sweepEscalations()).toBe(0);
  });

  it('through sync another desk tells history from live work the same way (the owner travels with the incident)', async () => {
    const w = await startWorld('sqlite');
    w.clock.ms = Date.now(); // the desks run on the real clock (see test/sync/desk-sync.test.ts)
    const closers: Array<() => void | Promise<void>> = [() => w.close()];
    try {
      const open = async (name: string) => {
        const dk = await createDesk({ dataDir: tempDir(), backgroundSync: false, clientFor: (url) => httpCentralClient(url) });
        closers.unshift(() => dk.close());
        const api = createCaller({ store: dk.store, sync: dk.sync });
        await w.user(name).catch(() => undefined);
        await api.sync.signIn({ serverUrl: w.url, name, password: `${name}-password` });
        return { desk: dk, api };
      };
      const a = await open('importer');
      const b = await open('colleague');
      // the log's times are before the real clock's now
      expect(await a.api.import.commit({ ...file(), liveOpen: true })).toMatchObject({ created: 3, live: 2 });
      await a.desk.sync.syncNow();
      await b.desk.sync.syncNow();
      const on = (x: typeof a) => x.desk.store.db.prepare('SELECT external_ref, owner_id, imported_history FROM incidents ORDER BY external_ref').raw().all();
      expect(on(b)).toEqual([['C-1', 'import:live', 0], ['C-2', 'import:history', 1], ['C-3', 'import:live', 0]]);
      expect(on(b)).toEqual(on(a));
    } finally {
      for (const c of closers) await c();
    }
  }, 60_000);

  it('CLI: --live-open, default off', () => {
    expect(parseImportArgs(['log.csv'])).toMatchObject({ liveOpen: false });
    expect(parseImportArgs(['log.csv', '--live-open', '--data-dir', '/tmp/x'])).toMatchObject({ liveOpen: true, dataDir: '/tmp/x' });
  });
});
