import { afterEach, describe, expect, it } from 'vitest';
import { AUTO_CLOSE_BATCH, sweepAutoClose } from '../../electron/core/closure/closure.js';
import { baseIncident, openTestDesk } from '../helpers/desk.js';

const cleanup: Array<() => void> = [];
afterEach(() => { while (cleanup.length) cleanup.pop()!(); });

/** Issue 12: a desk that first meets the auto-close rule with many old resolved incidents closes them in bounded sweeps, oldest first. */
describe('auto-close sweep', () => {
  it('closes at most a batch per sweep, oldest resolution first, read from its partial index; the rest next time', async () => {
    let now = Date.parse('2026-12-01T02:00:00Z');
    const t = await openTestDesk({ now: () => new Date(now) });
    cleanup.push(() => t.close());
    const n = AUTO_CLOSE_BATCH + 5;
    const store = t.desk.store;
    const rows = Array.from({ length: n }, (_, k) => ({ ...baseIncident, title: `旧工单 ${k}` }));
    const made = [...await t.api.incident.createBatch({ rows: rows.slice(0, 500) }), ...await t.api.incident.createBatch({ rows: rows.slice(500) })];
    store.db.transaction(() => {
      for (const [k, inc] of made.entries()) { now += 1000; store.transition({ id: inc.id, to: 'resolved', resolution: `已处理 ${k}` }); }
    })();
    now += 3 * 86_400_000 - n * 1000 + 2000; // the first two resolutions are now 3 days old, the rest not yet
    expect(sweepAutoClose(store)).toBe(2);
    now += n * 1000;
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM incidents INDEXED BY incidents_resolved_unconfirmed WHERE status = 'resolved' AND imported_history = 0 AND resolved_at <= ? ORDER BY resolved_at LIMIT 1`).all('x') as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).not.toMatch(/TEMP B-TREE|SCAN incidents/);
    expect(sweepAutoClose(store)).toBe(AUTO_CLOSE_BATCH);
    const closedTitles = store.db.prepare("SELECT title FROM incidents WHERE status = 'closed' ORDER BY resolved_at DESC LIMIT 1").pluck().get();
    expect(closedTitles).toBe(`旧工单 ${AUTO_CLOSE_BATCH + 1}`);
    expect(sweepAutoClose(store)).toBe(n - 2 - AUTO_CLOSE_BATCH);
    expect(sweepAutoClose(store)).toBe(0);
    expect(t.count('incidents')).toBe(n);
    expect(store.db.prepare("SELECT count(*) FROM incidents WHERE status = 'closed' AND close_kind = 'auto'").pluck().get()).toBe(n);
  });
});
