import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDesk, type Desk as RealDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { httpCentralClient } from '../../electron/core/sync/central-client.js';
import { DEFAULT_MATRIX, type PriorityMatrix } from '../../shared/priority.js';
import { DEFAULT_SLA_SETTINGS, type SlaSettings } from '../../shared/sla-clocks.js';
import type { Incident } from '../../shared/schemas.js';
import { REDERIVE_BATCH } from '../../server/sla-settings.js';
import { baseIncident, tempDir } from '../helpers/desk.js';
import { Desk, errorOf, startWorld, type World } from './harness.js';

/**
 * Issue 13, the priority matrix as data: leads and admins edit it (validated, a refusal names the
 * cell), every desk pulls it, and the desk and the server derive the same priority from it; a desk
 * that recorded with the old matrix offline gets the server's answer. A settings save re-derives the
 * server's due times of every open incident, in batches.
 */
describe.each(['sqlite', 'postgres'] as const)('priority matrix and settings re-derivation (%s)', (backend) => {
  let w: World;
  const cleanup: Array<() => Promise<void> | void> = [];
  beforeAll(async () => { w = await startWorld(backend); });
  afterEach(async () => { while (cleanup.length) await cleanup.pop()!(); });
  afterAll(async () => { await w?.close(); });

  const held = async (id: string): Promise<Incident> => w.server.storage.read(async (q) => {
    const row = await q.get<{ data: string }>('SELECT data FROM incidents WHERE id = ?', [id]);
    return JSON.parse(row!.data) as Incident;
  });

  async function openDesk(name: string) {
    const desk: RealDesk = await createDesk({ dataDir: tempDir(), backgroundSync: false, clientFor: (url) => httpCentralClient(url), now: () => new Date(w.clock.ms) });
    cleanup.push(() => desk.close());
    const api = createCaller({ store: desk.store, sync: desk.sync });
    await w.user(name, 'agent').catch(() => undefined);
    await api.sync.signIn({ serverUrl: w.url, name, password: `${name}-password` });
    await desk.sync.syncNow();
    return { desk, api };
  }

  it('an agent may not change the matrix; a lead may; a bad or missing cell is refused naming it, and nothing changes', async () => {
    const agent = await w.user('pm-agent', 'agent');
    const lead = await w.user('pm-lead', 'lead');
    const m: PriorityMatrix = structuredClone(DEFAULT_MATRIX);
    m.medium.medium = 'P2';
    expect((await errorOf(agent.client.admin.setPriorityMatrix.mutate({ matrix: m }))).code).toBe('FORBIDDEN');

    const bad = structuredClone(DEFAULT_MATRIX) as Record<string, Record<string, string>>;
    bad.high.medium = 'P5';
    const e1 = await errorOf(lead.client.admin.setPriorityMatrix.mutate({ matrix: bad as unknown as PriorityMatrix }));
    expect(e1.code).toBe('BAD_REQUEST');
    expect(e1.message).toMatch(/^matrix\.high\.medium: /);
    const missing = structuredClone(DEFAULT_MATRIX) as Record<string, Record<string, string>>;
    delete missing.low.low;
    expect((await errorOf(lead.client.admin.setPriorityMatrix.mutate({ matrix: missing as unknown as PriorityMatrix }))).message).toMatch(/^matrix\.low\.low: /);
    // the whole settings document is checked the same way
    const inSettings = { ...structuredClone(DEFAULT_SLA_SETTINGS), priorityMatrix: bad } as unknown as SlaSettings;
    expect((await errorOf(lead.client.admin.setSlaSettings.mutate({ settings: inSettings }))).message).toMatch(/^settings\.priorityMatrix\.high\.medium: /);
    expect((await agent.client.admin.slaSettings.query()).settings.priorityMatrix).toBeUndefined();

    const out = await lead.client.admin.setPriorityMatrix.mutate({ matrix: m });
    expect(out.matrix.medium.medium).toBe('P2');
    expect(await agent.client.admin.slaSettings.query()).toMatchObject({ updatedBy: lead.id, settings: { priorityMatrix: { medium: { medium: 'P2' } } } });
    await w.admin.admin.setSlaSettings.mutate({ settings: DEFAULT_SLA_SETTINGS });
  });

  it('after a matrix change desk and server agree: new records take the new cell, a desk offline with the old matrix gets the server\'s answer, older incidents keep theirs until re-classified', async () => {
    w.clock.ms = Date.parse('2026-12-01T02:00:00Z');
    const a = await openDesk('pm-desk-a');
    const b = await openDesk('pm-desk-b');
    const before = await a.api.incident.create({ ...baseIncident, title: 'recorded before the change' }); // medium × medium
    expect(before.priority).toBe('P3');
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();

    const m: PriorityMatrix = structuredClone(DEFAULT_MATRIX);
    m.medium.medium = 'P2';
    await w.admin.admin.setPriorityMatrix.mutate({ matrix: m });
    await a.desk.sync.syncNow(); // a pulls the new matrix; b stays offline with the old one

    w.clock.ms += 60_000;
    const onA = await a.api.incident.create({ ...baseIncident, title: 'recorded on a after the change' });
    expect(onA.priority).toBe('P2');
    const onB = await b.api.incident.create({ ...baseIncident, title: 'recorded on b offline' });
    expect(onB.priority).toBe('P3'); // b still has the shipped matrix
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();
    await a.desk.sync.syncNow();

    // the server classifies with its own matrix, and both desks take its answer
    for (const id of [onA.id, onB.id]) {
      expect((await held(id)).priority).toBe('P2');
      expect((await a.api.incident.get({ id })).incident.priority).toBe('P2');
      expect((await b.api.incident.get({ id })).incident.priority).toBe('P2');
    }
    // b now has the matrix too: its next record is P2 at once, and the response due time agrees with the server's
    const next = await b.api.incident.create({ ...baseIncident, title: 'recorded on b after its pull' });
    expect(next.priority).toBe('P2');
    await b.desk.sync.syncNow();
    expect(await held(next.id)).toMatchObject({ priority: 'P2', responseDueAt: next.responseDueAt, resolveDueAt: next.resolveDueAt });

    // the incident recorded before keeps P3 everywhere …
    expect((await held(before.id)).priority).toBe('P3');
    expect((await b.api.incident.get({ id: before.id })).incident.priority).toBe('P3');
    // … until it is re-classified: urgency low (P4) and back to medium takes the matrix in force
    await a.api.incident.update({ id: before.id, patch: { urgency: 'low' } });
    expect((await a.api.incident.get({ id: before.id })).incident.priority).toBe('P4');
    await a.api.incident.update({ id: before.id, patch: { urgency: 'medium' } });
    expect((await a.api.incident.get({ id: before.id })).incident.priority).toBe('P2');
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();
    expect((await held(before.id)).priority).toBe('P2');
    expect((await b.api.incident.get({ id: before.id })).incident.priority).toBe('P2');
    await w.admin.admin.setSlaSettings.mutate({ settings: DEFAULT_SLA_SETTINGS });
  });

  it(`a settings save re-derives the server's due times of every open incident, ${REDERIVE_BATCH} at a time, and leaves closed ones`, async () => {
    w.clock.ms = Date.parse('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai
    const who = await w.user('pm-bulk', 'agent');
    const d = await Desk.open(w, who);
    const n = REDERIVE_BATCH + 20;
    const ids = Array.from({ length: n }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < n; i += 200) {
      await d.push(ids.slice(i, i + 200).map((id) => d.create(id)));
    }
    const closedAt = new Date(w.clock.ms).toISOString();
    await d.push([d.create('bulk-closed', { status: 'closed', firstResponseAt: closedAt, resolvedAt: closedAt, closedAt, resolution: 'done' })]);
    const first = await held(ids[0]);
    const last = await held(ids[n - 1]);
    const closed = await held('bulk-closed');
    expect(last.resolveDueAt).toBe(first.resolveDueAt); // P4 on China's business calendar, same reported time
    // 72 business hours of 7.5 a day: Wednesday's 6, eight full days, then Tuesday 15th 08:30–16:00
    expect(last.resolveDueAt).toBe('2026-12-15T08:00:00.000Z');

    const s = structuredClone(DEFAULT_SLA_SETTINGS) as SlaSettings;
    for (const level of ['normal', 'vip', 'svip'] as const) s.policy.calendars[level].P4 = '24x7';
    const out = await w.admin.admin.setSlaSettings.mutate({ settings: s });
    expect(out.incidentsUpdated).toBe(n);
    for (const id of [ids[0], ids[REDERIVE_BATCH - 1], ids[REDERIVE_BATCH], ids[n - 1]]) {
      expect(await held(id)).toMatchObject({ priority: 'P4', responseDueAt: '2026-12-03T02:00:00.000Z', resolveDueAt: '2026-12-05T02:00:00.000Z' });
    }
    expect((await held('bulk-closed')).resolveDueAt).toBe(closed.resolveDueAt);
    // the re-derived incidents reach the desks with the settings
    const changes = await d.pullAll();
    expect(changes.filter((c) => c.entity === 'incident' && ids.includes(c.id)).map((c) => (c.data as unknown as Incident).resolveDueAt))
      .toEqual(ids.map(() => '2026-12-05T02:00:00.000Z'));
    await w.admin.admin.setSlaSettings.mutate({ settings: DEFAULT_SLA_SETTINGS });
  });
});
