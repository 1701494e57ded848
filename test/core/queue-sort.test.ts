import { afterEach, describe, expect, it } from 'vitest';
import { openTestDesk, testClock, baseIncident } from '../helpers/desk.js';
import { QUEUE_SORT_KEYS, queuePage } from '../../electron/core/store/queue-order.js';

// Issue 14: the queue's default order (new P1/P2 on top until taken, then the nearest SLA due time,
// breached first) and a sort by every column, each read from an index at any size.

const opened: Array<{ close(): void }> = [];
afterEach(() => { while (opened.length) opened.pop()!.close(); });
async function desk() {
  const clock = testClock();
  const d = await openTestDesk({ now: clock.now });
  opened.push(d);
  return { ...d, clock };
}
const H = 3_600_000;

describe('queue order', () => {
  it('puts new P1/P2 incidents on top until someone takes them, then the most urgent due time (breached first)', async () => {
    const { api, clock } = await desk();
    const oldP4 = await api.incident.create({ ...baseIncident, title: 'old P4', impact: 'low', urgency: 'low' });
    clock.advance(30 * 24 * H); // the P4's clocks have long run out
    const p3 = await api.incident.create({ ...baseIncident, title: 'P3' });
    const p2 = await api.incident.create({ ...baseIncident, title: 'P2', impact: 'high', urgency: 'medium' });
    const p1 = await api.incident.create({ ...baseIncident, title: 'P1', impact: 'high', urgency: 'high' });
    const order = async () => (await api.incident.queue({})).rows.map((r) => r.title);
    // The two waiting ones first (P1 has the nearer due time), then the breached P4, then the P3.
    expect(await order()).toEqual(['P1', 'P2', 'old P4', 'P3']);
    // Someone takes the P1: it joins the rest by its due time (before the P4? no: the P4 is breached).
    await api.incident.transition({ id: p1.id, to: 'in_progress' });
    expect(await order()).toEqual(['P2', 'old P4', 'P1', 'P3']);
    // Descending: the least urgent first.
    expect((await api.incident.queue({ sort: 'urgency', dir: 'desc' })).rows.map((r) => r.title)).toEqual(['P3', 'P1', 'old P4', 'P2']);
    expect([p2.id, p3.id, oldP4.id].every(Boolean)).toBe(true);
  });

  it('the response clock counts until the first response, then the resolution clock', async () => {
    const { api, clock } = await desk();
    // A P3's response is due long before its resolution; a P4 recorded an hour earlier.
    const p4 = await api.incident.create({ ...baseIncident, title: 'P4', impact: 'low', urgency: 'low' });
    clock.advance(H);
    const p3 = await api.incident.create({ ...baseIncident, title: 'P3' });
    const titles = async () => (await api.incident.queue({})).rows.map((r) => r.title);
    const before = await titles();
    await api.incident.transition({ id: p3.id, to: 'in_progress' }); // the first response
    const after = await titles();
    const due = (await api.incident.queue({})).rows.map((r) => ({ t: r.title, res: r.resolveDueAt, resp: r.responseDueAt }));
    // Sorted by the nearer due time: before the response, the P3's response due time; after it, its resolution due time.
    const key = (r: typeof due[number], responded: boolean) => (!responded && r.resp < r.res ? r.resp : r.res);
    expect(before).toEqual([...due].sort((a, b) => key(a, false).localeCompare(key(b, false))).map((r) => r.t));
    expect(after).toEqual([...due].sort((a, b) => key(a, a.t === 'P3').localeCompare(key(b, b.t === 'P3'))).map((r) => r.t));
    expect(p4.id).toBeTruthy();
  });

  it('sorts by every column both ways, pages never repeat or skip a row, and finished incidents sort too', async () => {
    const { api, clock } = await desk();
    const titles = ['Drucker', 'alpha VPN', '打印机卡纸', 'Zebra', 'mail quota', '蓝屏', 'Excel', 'wifi'];
    const levels = ['low', 'medium', 'high'] as const;
    for (let i = 0; i < titles.length; i++) {
      clock.advance(7 * 60_000);
      await api.incident.create({ ...baseIncident, title: titles[i], impact: levels[i % 3], urgency: levels[(i * 2) % 3],
        categoryId: i % 2 ? 'hardware.printer' : 'network.vpn', requester: { ...baseIncident.requester, name: `请求者${(i * 5) % 8}` } });
    }
    const all = (await api.incident.queue({ limit: 100 })).rows;
    const first = all.find((r) => r.priority === 'P3' || r.priority === 'P4') ?? all[all.length - 1];
    await api.incident.transition({ id: first.id, to: 'in_progress' });
    for (const sort of QUEUE_SORT_KEYS) {
      for (const dir of ['asc', 'desc'] as const) {
        const whole = (await api.incident.queue({ sort, dir, limit: 100 })).rows.map((r) => r.id);
        const paged: string[] = [];
        for (let offset = 0; offset < whole.length; offset += 3) paged.push(...(await api.incident.queue({ sort, dir, offset, limit: 3 })).rows.map((r) => r.id));
        expect(paged, `${sort} ${dir}`).toEqual(whole);
        expect(new Set(whole).size).toBe(titles.length);
      }
    }
    const byNumber = (await api.incident.queue({ sort: 'number', limit: 100 })).rows.map((r) => r.number);
    expect(byNumber).toEqual([...byNumber].sort());
    expect((await api.incident.queue({ sort: 'number', dir: 'desc', limit: 100 })).rows.map((r) => r.number)).toEqual([...byNumber].reverse());
    const byPriority = (await api.incident.queue({ sort: 'priority', limit: 100 })).rows.map((r) => r.priority);
    expect(byPriority).toEqual([...byPriority].sort());
    const byTitle = (await api.incident.queue({ sort: 'title', limit: 100 })).rows.map((r) => r.title);
    expect(byTitle).toEqual([...byTitle].sort());
    const byStatus = (await api.incident.queue({ sort: 'status', limit: 100 })).rows.map((r) => r.status);
    expect(byStatus.indexOf('in_progress')).toBe(byStatus.length - 1);
    // A status filter (open or not) sorts the same way.
    await api.incident.transition({ id: first.id, to: 'resolved', resolution: 'done' });
    expect((await api.incident.queue({ statuses: ['resolved'], sort: 'title' })).rows.map((r) => r.id)).toEqual([first.id]);
    const news = (await api.incident.queue({ statuses: ['new'], sort: 'title', dir: 'desc', limit: 100 })).rows.map((r) => r.title);
    expect(news).toEqual([...news].sort().reverse());
  });

  it('reads every order of the open queue from an index (no sort step), in every scope', async () => {
    const { desk: d, api } = await desk();
    await api.incident.create(baseIncident);
    const plans: string[] = [];
    const prepare = (sql: string) => {
      const args = (sql.match(/\?/g) ?? []).map(() => 'x');
      plans.push(...(d.store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((p) => `${p.detail}  <- ${sql.slice(sql.indexOf('FROM'), sql.indexOf('FROM') + 60)}`));
      return d.store.db.prepare(sql);
    };
    const open = `i.status IN ('new','assigned','in_progress','pending','reopened','returned')`;
    const wheres: Array<[string, unknown[]]> = [[open, []], [`${open} AND (i.owner_id = ? OR i.assignee_id = ?)`, ['u', 'u']], [`${open} AND i.group_name = ?`, ['g']],
      [`${open} AND i.priority IN (?, ?)`, ['P1', 'P2']]];
    for (const sort of QUEUE_SORT_KEYS) for (const dir of ['asc', 'desc'] as const) for (const [where, args] of wheres) {
      queuePage(prepare as never, { select: 'i.id', where, args, total: 1, indexed: true, sort, dir, offset: 0, limit: 10 });
    }
    expect(plans.filter((p) => /TEMP B-TREE/.test(p))).toEqual([]);
  });

  it('refuses an unknown order, naming the field', async () => {
    const { api } = await desk();
    await expect(api.incident.queue({ sort: 'colour' as never })).rejects.toThrow(/sort/);
  });
});
