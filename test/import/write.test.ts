import { afterEach, describe, expect, it } from 'vitest';
import { createDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { httpCentralClient } from '../../electron/core/sync/central-client.js';
import { startWorld } from '../server/harness.js';
import { baseIncident, openTestDesk, tempDir } from '../helpers/desk.js';

/**
 * The write phase of a commit (issue #4): one transaction, but the desk stays responsive while it
 * runs; nothing of an import that did not commit is ever seen by the server or left behind.
 */

type TestDesk = Awaited<ReturnType<typeof openTestDesk>>;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => { while (cleanup.length) await cleanup.pop()!(); });
async function desk(opts: Parameters<typeof openTestDesk>[0] = {}): Promise<TestDesk> {
  const d = await openTestDesk(opts);
  let closed = false;
  const close = () => { if (!closed) { closed = true; d.close(); } };
  cleanup.push(close);
  return { ...d, close };
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const HEAD = '单号 / Number,请求者 / Requester,分类 / Category,标题 / Title,描述 / Description,影响度 / Impact,紧急度 / Urgency,状态 / Status,报告时间 / Reported,解决时间 / Resolved,关闭时间 / Closed';
/** An incident list of `n` rows: two of three closed, the others in progress; times with offsets. */
function list(n: number, prefix = 'OLD') {
  const rows = [HEAD];
  for (let i = 0; i < n; i++) {
    const reported = Date.UTC(2025, 0, 1) + i * 600_000;
    const closed = i % 3 !== 0;
    const t = (ms: number) => new Date(ms).toISOString();
    rows.push([`${prefix}-${100000 + i}`, `用户${i % 50}`, ['网络', 'software', '硬件'][i % 3], `打印机无法打印 #${i}`, `第三层打印机卡纸 ${i}`, '中', '中',
      closed ? '已关闭' : '处理中', t(reported), closed ? t(reported + 3_600_000) : '', closed ? t(reported + 7_200_000) : ''].join(','));
  }
  return { fileName: `${prefix}.csv`, contentBase64: b64(rows.join('\r\n') + '\r\n') };
}

/** Starts a commit and resolves once its write phase is under way (some rows written, not all). */
async function commitUntilWriting(d: TestDesk, input: ReturnType<typeof list>, jobId: string) {
  let settled = false;
  const commit = d.api.import.commit({ ...input, jobId });
  commit.then(() => { settled = true; }, () => { settled = true; });
  for (;;) {
    const p = await d.api.import.progress({ jobId });
    if (p?.phase === 'writing' && p.done > 0 && p.done < p.total) return { commit, progress: p };
    if (settled) throw new Error(`the commit finished before its write phase was seen (${JSON.stringify(p)})`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('import: the write phase', () => {
  it('progress moves while rows are written; a change made meanwhile is refused with a clear message and changes nothing', async () => {
    const d = await desk();
    const input = list(6_000);
    await d.api.import.preview(input); // the commit then goes straight to writing
    const { commit } = await commitUntilWriting(d, input, 'job-w');

    // the desk answers while the import writes: progress keeps moving
    const seen = new Set<number>();
    let refused: unknown = null;
    for (let p = await d.api.import.progress({ jobId: 'job-w' }); p?.phase === 'writing'; p = await d.api.import.progress({ jobId: 'job-w' })) {
      if (p.done < p.total) seen.add(p.done);
      // an agent records a call meanwhile: refused, with a message saying why
      refused ??= await d.api.incident.create(baseIncident).then(() => null, (e: Error) => e);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await commit).toMatchObject({ created: 6_000, skipped: 0 });
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect((refused as Error).message).toBe('an import is being written: try again when it has finished');
    expect(refused).toMatchObject({ code: 'CONFLICT' }); // a refusal to retry, not an internal error
    // the refused call left nothing behind; afterwards it goes through, numbered after the import
    expect(d.count('incidents')).toBe(6_000);
    expect(d.count('outbox')).toBe(6_000);
    const later = await d.api.incident.create(baseIncident);
    expect(later.number).toBe(`${d.desk.store.deviceCode}-06001`);
    expect(d.count('outbox')).toBeGreaterThan(6_000); // and it is queued for the server
    // the server orders changes by their clock: each queued change is later than the one before,
    // the call recorded after the import later than every imported incident
    const hlcs = d.desk.store.db.prepare('SELECT hlc FROM outbox ORDER BY seq').pluck().all() as string[];
    expect(hlcs.every((h, k) => k === 0 || h > hlcs[k - 1])).toBe(true);
    expect(await d.api.import.progress({ jobId: 'job-w' })).toEqual({ phase: 'done', done: 6_000, total: 6_000 });
  }, 60_000);

  it('a desk closed in the middle of the write has none of the import when it reopens; importing again creates every row', async () => {
    const dataDir = tempDir();
    const d = await desk({ dataDir });
    const input = list(6_000);
    await d.api.import.preview(input);
    const { commit } = await commitUntilWriting(d, input, 'job-q');
    expect(d.count('incidents')).toBeGreaterThan(0); // rows written so far, not committed
    d.close(); // the app quits
    await expect(commit).rejects.toThrow();

    const again = await desk({ dataDir });
    expect(again.count('incidents')).toBe(0);
    expect(again.count('history')).toBe(0);
    expect(again.count('outbox')).toBe(0);
    expect(await again.api.import.commit(input)).toMatchObject({ created: 6_000, skipped: 0 });
    const numbers = again.desk.store.db.prepare('SELECT min(number) AS first, max(number) AS last FROM incidents').get();
    expect(numbers).toEqual({ first: `${again.desk.store.deviceCode}-00001`, last: `${again.desk.store.deviceCode}-06000` });
    expect(await again.api.import.commit(input)).toMatchObject({ created: 0, skipped: 6_000 });
  }, 60_000);

  it('a sync round during the write sends nothing of it; an import that never commits never reaches another desk, one that does arrives whole', async () => {
    const w = await startWorld('sqlite');
    w.clock.ms = Date.now(); // the desks run on the real clock (see test/sync/desk-sync.test.ts)
    cleanup.push(() => w.close());
    const open = async (name: string, dataDir = tempDir()) => {
      const dk = await createDesk({ dataDir, backgroundSync: false, clientFor: (url) => httpCentralClient(url) });
      let closed = false;
      const close = () => { if (!closed) { closed = true; dk.close(); } };
      cleanup.push(close);
      const api = createCaller({ store: dk.store, sync: dk.sync });
      await w.user(name).catch(() => undefined);
      await api.sync.signIn({ serverUrl: w.url, name, password: `${name}-password` });
      const count = (t: string) => dk.store.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
      return { desk: dk, api, count, close, dataDir };
    };
    const a = await open('importer');
    const b = await open('colleague');
    const input = list(4_000, 'SYN');
    await a.api.import.preview(input);

    const { commit } = await commitUntilWriting(a as unknown as TestDesk, input, 'job-s');
    // the round cannot record anything while the import writes; it sends none of the import
    await expect(a.desk.sync.syncNow()).rejects.toThrow('an import is being written');
    a.close(); // the app quits before the import commits
    await expect(commit).rejects.toThrow();
    await b.desk.sync.syncNow();
    expect(b.count('incidents')).toBe(0);

    const a2 = await open('importer', a.dataDir);
    expect(a2.count('incidents')).toBe(0);
    expect(await a2.api.import.commit(input)).toMatchObject({ created: 4_000 });
    await a2.desk.sync.syncNow();
    expect((await a2.api.sync.status()).pending).toBe(0);
    await b.desk.sync.syncNow();
    expect(b.count('incidents')).toBe(4_000);
    const numbersOn = (x: { desk: { store: { db: { prepare(sql: string): { raw(): { all(): unknown[] } } } } } }) =>
      x.desk.store.db.prepare('SELECT number, external_ref, status FROM incidents ORDER BY number').raw().all();
    expect(numbersOn(b)).toEqual(numbersOn(a2));
  }, 120_000);

  it('stored SLA due times follow the policy from the reported time; an open pending spell is not counted in', async () => {
    const d = await desk();
    const log = [
      'Case,Timestamp,Status,Sub status',
      'C-1,2025-03-03T09:00:00Z,Accepted,In Progress',
      'C-1,2025-03-03T10:00:00Z,Accepted,Wait - User',
      'C-1,2025-03-03T10:30:00Z,Accepted,In Progress',
      'C-1,2025-03-03T11:00:00Z,Accepted,Wait - User',
      'C-2,2025-03-04T08:00:00Z,Accepted,In Progress',
      'C-2,2025-03-04T09:00:00Z,Completed,Resolved',
    ].join('\n');
    expect(await d.api.import.commit({ fileName: 'log.csv', contentBase64: b64(log), shape: 'eventlog' })).toMatchObject({ created: 2 });
    const row = (ref: string) => d.desk.store.db.prepare('SELECT status, priority, paused_ms AS paused, pending_since AS pendingSince, response_due_at AS responseDue, resolve_due_at AS resolveDue FROM incidents WHERE external_ref = ?').get(ref);
    // P3 (medium × medium) on the China business calendar (issue 13): response within 4 business hours,
    // resolution within 24. C-1 reported Monday 17:00 Shanghai: response Tuesday 12:00, resolution Friday
    // 09:30 (its 30 minutes waiting fell after hours). C-2 reported Tuesday 16:00: Wednesday 11:00, Friday 17:30.
    expect(row('C-1')).toEqual({ status: 'pending', priority: 'P3', paused: 1_800_000, pendingSince: '2025-03-03T11:00:00.000Z', responseDue: '2025-03-04T04:00:00.000Z', resolveDue: '2025-03-07T01:30:00.000Z' });
    expect(row('C-2')).toEqual({ status: 'resolved', priority: 'P3', paused: 0, pendingSince: null, responseDue: '2025-03-05T03:00:00.000Z', resolveDue: '2025-03-07T09:30:00.000Z' });
    // as the desk itself stores them: an edit of the incident leaves its due times where they are
    const c2 = d.desk.store.db.prepare("SELECT id FROM incidents WHERE external_ref = 'C-2'").pluck().get() as string;
    await d.api.incident.update({ id: c2, patch: { title: 'renamed' } });
    expect(row('C-2')).toMatchObject({ responseDue: '2025-03-05T03:00:00.000Z', resolveDue: '2025-03-07T09:30:00.000Z' });
  });
});
