// Sample data is a demo the user removes in one step, and its people never take real work (issue 9).
import { afterEach, describe, expect, it } from 'vitest';
import { baseIncident, openTestDesk } from '../helpers/desk.js';

const opened: Array<{ close(): void }> = [];
afterEach(() => { while (opened.length) opened.pop()!.close(); });

describe('sample data', () => {
  it('its people are never offered for real incidents; removing it leaves real work untouched', async () => {
    const d = await openTestDesk();
    opened.push(d);
    await d.api.desk.loadSample({ incidents: 120 });
    const real = await d.api.incident.create({ ...baseIncident, impact: 'high', urgency: 'high' });
    const users = await d.api.user.list();
    const zhao = users.find((u) => u.sample)!;
    expect(zhao.name).toMatch(/赵工/);
    expect(zhao.dispatchable).toBe(false);
    await expect(d.api.incident.transition({ id: real.id, to: 'assigned', tier: 'L2', assigneeId: zhao.id })).rejects.toThrow(/sample_person/);
    await d.api.incident.transition({ id: real.id, to: 'assigned', tier: 'L2', group: '二线支持' });
    expect(d.count('notices')).toBeGreaterThan(0); // sample P1 incidents notified the process owner

    const { removed } = await d.api.desk.removeSample();
    expect(removed).toBe(120);
    expect(d.count('incidents')).toBe(1);
    expect(d.count('notices')).toBe(0);
    expect((await d.api.incident.get({ id: real.id })).incident).toMatchObject({ status: 'assigned', tier: 'L2' });
    expect((await d.api.user.list()).some((u) => u.sample)).toBe(false);
    expect((await d.api.incident.search({ q: '打印机' })).rows.every((r) => !r.number.startsWith('DEMO-'))).toBe(true);
    // Only the real incident's changes are waiting for the server.
    expect(d.desk.store.db.prepare("SELECT count(*) FROM outbox WHERE args LIKE '%DEMO-%'").pluck().get()).toBe(0);
  });
});
