import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDesk, type Desk as RealDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { httpCentralClient } from '../../electron/core/sync/central-client.js';
import { readSlaSettings } from '../../electron/core/sla/settings.js';
import { CALENDAR_CN_DEFAULT } from '../../shared/calendar.js';
import { DEFAULT_SLA_SETTINGS, type SlaSettings } from '../../shared/sla-clocks.js';
import type { Incident } from '../../shared/schemas.js';
import { baseIncident, tempDir } from '../helpers/desk.js';
import { errorOf, startWorld, type World } from './harness.js';

/**
 * Issue 13 on the server and across replicas: SLA settings as data (leads and admins, validated,
 * pulled by every desk) and due times on business time, derived identically by the desks and the
 * server from synced fields.
 */
describe.each(['sqlite', 'postgres'] as const)('SLA settings and business-time due times (%s)', (backend) => {
  let w: World;
  const cleanup: Array<() => Promise<void> | void> = [];
  beforeAll(async () => { w = await startWorld(backend); });
  afterEach(async () => { while (cleanup.length) await cleanup.pop()!(); });
  afterAll(async () => { await w?.close(); });

  /** What the server holds of an incident (its merged snapshot). */
  const held = async (id: string): Promise<Incident> => w.server.storage.read(async (q) => {
    const row = await q.get<{ data: string }>('SELECT data FROM incidents WHERE id = ?', [id]);
    return JSON.parse(row!.data) as Incident;
  });

  /** A real desk on its own SQLite file whose clock the test sets, as is the server's (no skew between them). */
  async function openDesk(name: string, role: 'agent' | 'lead' = 'agent') {
    let t = w.clock.ms;
    const desk: RealDesk = await createDesk({ dataDir: tempDir(), backgroundSync: false, clientFor: (url) => httpCentralClient(url), now: () => new Date(t) });
    cleanup.push(() => desk.close());
    const api = createCaller({ store: desk.store, sync: desk.sync });
    await w.user(name, role).catch(() => undefined);
    await api.sync.signIn({ serverUrl: w.url, name, password: `${name}-password` });
    const at = (iso: string) => { t = Date.parse(iso); w.clock.ms = t; };
    return { desk, api, at };
  }

  it('leads and admins edit the settings; others are refused; bad settings are refused naming the field and change nothing', async () => {
    const agent = await w.user('sla-agent', 'agent');
    const lead = await w.user('sla-lead', 'lead');
    expect((await agent.client.admin.slaSettings.query()).settings).toEqual(DEFAULT_SLA_SETTINGS);
    expect((await errorOf(agent.client.admin.setSlaSettings.mutate({ settings: DEFAULT_SLA_SETTINGS }))).code).toBe('FORBIDDEN');

    const badZone = structuredClone(DEFAULT_SLA_SETTINGS) as SlaSettings;
    badZone.calendars[1] = { ...badZone.calendars[1], timeZone: 'Mars/Olympus' };
    const e1 = await errorOf(lead.client.admin.setSlaSettings.mutate({ settings: badZone }));
    expect(e1.code).toBe('BAD_REQUEST');
    expect(e1.message).toMatch(/^settings\.calendars\.1\.timeZone: unknown time zone/);
    const zero = structuredClone(DEFAULT_SLA_SETTINGS) as SlaSettings;
    zero.policy.targets.P3.resolveMin = 0;
    expect((await errorOf(lead.client.admin.setSlaSettings.mutate({ settings: zero }))).message).toMatch(/^settings\.policy\.targets\.P3\.resolveMin: a target of zero/);
    const unknownCal = structuredClone(DEFAULT_SLA_SETTINGS) as SlaSettings;
    unknownCal.policy.calendars.vip = { ...unknownCal.policy.calendars.vip, P2: 'nope' }; // the shipped levels share one object
    expect((await errorOf(lead.client.admin.setSlaSettings.mutate({ settings: unknownCal }))).message).toMatch(/^settings\.policy\.calendars\.vip\.P2: no calendar with id nope/);
    expect((await lead.client.admin.slaSettings.query()).updatedAt).toBeNull();

    const warnAt80 = structuredClone(DEFAULT_SLA_SETTINGS) as SlaSettings;
    warnAt80.policy.warnShare = 0.8;
    const saved = await lead.client.admin.setSlaSettings.mutate({ settings: warnAt80 });
    expect(saved.settings.policy.warnShare).toBe(0.8);
    const now = await agent.client.admin.slaSettings.query();
    expect(now).toMatchObject({ updatedBy: lead.id, settings: { policy: { warnShare: 0.8 } } });
    await lead.client.admin.setSlaSettings.mutate({ settings: DEFAULT_SLA_SETTINGS });
  });

  it('a P3 reported Friday 17:00 is due Monday on business time, on the desk and on the server alike; a pending spell over the weekend moves the resolution due time by its business time only', async () => {
    w.clock.ms = Date.parse('2026-11-20T09:05:00Z'); // Friday 17:05 in Shanghai
    const a = await openDesk('sla-desk-a');
    await a.desk.sync.syncNow();

    const inc = await a.api.incident.create({ ...baseIncident, reportedAt: '2026-11-20T17:00:00+08:00' });
    expect(inc.priority).toBe('P3');
    // Response 4 business hours: Friday 17:00–17:30, then Monday 08:30–12:00.
    expect(inc.responseDueAt).toBe('2026-11-23T04:00:00.000Z');
    // Resolution 24 business hours: 0.5 h Friday, 7.5 h Monday–Wednesday, 1 h Thursday → Thursday 09:30.
    expect(inc.resolveDueAt).toBe('2026-11-26T01:30:00.000Z');

    a.at('2026-11-20T09:10:00Z'); // Friday 17:10: waiting for the requester over the weekend
    await a.api.incident.transition({ id: inc.id, to: 'pending', pendingReason: 'requester', reason: '等待用户周一回电' });
    await a.desk.sync.syncNow();
    a.at('2026-11-23T01:00:00Z'); // Monday 09:00
    await a.api.incident.transition({ id: inc.id, to: 'in_progress' });
    const onDesk = (await a.api.incident.get({ id: inc.id })).incident;
    // 20 minutes on Friday and 30 on Monday morning were pending: the resolution clock is 50 business minutes later.
    expect(onDesk.resolveDueAt).toBe('2026-11-26T02:20:00.000Z');
    expect(onDesk.responseDueAt).toBe('2026-11-23T04:00:00.000Z');
    expect(onDesk.pendingSpells).toEqual([{ from: '2026-11-20T09:10:00.000Z', to: '2026-11-23T01:00:00.000Z' }]);

    await a.desk.sync.syncNow();
    const onServer = await held(inc.id);
    expect(onServer).toMatchObject({ responseDueAt: onDesk.responseDueAt, resolveDueAt: onDesk.resolveDueAt, pendingSpells: onDesk.pendingSpells });

    const b = await openDesk('sla-desk-b');
    await b.desk.sync.syncNow();
    const onB = (await b.api.incident.get({ id: inc.id })).incident;
    expect(onB).toMatchObject({ responseDueAt: onDesk.responseDueAt, resolveDueAt: onDesk.resolveDueAt, pendingSpells: onDesk.pendingSpells });
    // Both clocks as the detail shows them: the response was met at the first step, the resolution runs on Monday morning.
    const clocks = (await b.api.incident.get({ id: inc.id })).clocks;
    expect(clocks.response).toMatchObject({ state: 'met', calendarId: 'cn-default' });
    expect(clocks.resolution).toMatchObject({ state: 'running', pausedBy: null, dueMs: Date.parse('2026-11-26T02:20:00Z') });
  });

  it('new settings reach every desk with the re-derived due times, and desk and server still agree', async () => {
    w.clock.ms = Date.parse('2026-11-24T02:00:00Z');
    const a = await openDesk('sla-desk-c');
    const inc = await a.api.incident.create({ ...baseIncident, reportedAt: '2026-11-20T17:00:00+08:00' });
    await a.desk.sync.syncNow();
    const b = await openDesk('sla-desk-d');
    await b.desk.sync.syncNow();

    // P3 round the clock for every service level.
    const s = structuredClone(DEFAULT_SLA_SETTINGS) as SlaSettings;
    for (const level of ['normal', 'vip', 'svip'] as const) s.policy.calendars[level].P3 = '24x7';
    const out = await w.admin.admin.setSlaSettings.mutate({ settings: s });
    expect(out.incidentsUpdated).toBeGreaterThan(0);
    await a.desk.sync.syncNow();
    await b.desk.sync.syncNow();
    const due = { responseDueAt: '2026-11-20T13:00:00.000Z', resolveDueAt: '2026-11-21T09:00:00.000Z' };
    expect(await held(inc.id)).toMatchObject(due);
    expect((await a.api.incident.get({ id: inc.id })).incident).toMatchObject(due);
    expect((await b.api.incident.get({ id: inc.id })).incident).toMatchObject(due);
    expect(readSlaSettings(b.desk.store.db).settings.policy.calendars.normal.P3).toBe('24x7');
    expect((await b.api.sla.settings()).settings.calendars.map((c) => c.id)).toEqual(['24x7', CALENDAR_CN_DEFAULT.id]);
    await w.admin.admin.setSlaSettings.mutate({ settings: DEFAULT_SLA_SETTINGS });
  });
});
