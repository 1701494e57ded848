import { afterEach, describe, expect, it } from 'vitest';
import { baseIncident, openTestDesk } from '../helpers/desk.js';

const cleanup: Array<() => void> = [];
afterEach(() => { while (cleanup.length) cleanup.pop()!(); });

/** Issue 12, item 3 (part): incidents nobody could classify go to the service-desk manager's queue. */
describe('the unclassified queue (category other)', () => {
  it('holds the open live incidents of category other; classifying one moves it out', async () => {
    const t = await openTestDesk();
    cleanup.push(() => t.close());
    const other = await t.api.incident.create({ ...baseIncident, categoryId: 'other', title: '说不清楚的问题' });
    await t.api.incident.create({ ...baseIncident, categoryId: 'hardware', title: '打印机卡纸' });
    const closed = await t.api.incident.create({ ...baseIncident, categoryId: 'other', title: '已解决的杂项' });
    await t.api.incident.transition({ id: closed.id, to: 'resolved', resolution: '已处理' });
    const q = await t.api.incident.queue({ scope: 'unclassified' });
    expect(q.rows.map((r) => r.id)).toEqual([other.id]);
    expect(q.total).toBe(1);
    // an unknown scope is refused by the schema, naming it
    await expect(t.api.incident.queue({ scope: 'managers' as never })).rejects.toThrow(/scope/);
    await t.api.incident.update({ id: other.id, patch: { categoryId: 'software' } });
    expect((await t.api.incident.queue({ scope: 'unclassified' })).total).toBe(0);
  });
});
