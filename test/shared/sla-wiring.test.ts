import { describe, expect, it } from 'vitest';
import { CALENDAR_CN_DEFAULT } from '../../shared/calendar.js';
import {
  DEFAULT_SLA_SETTINGS, closePendingSpell, incidentClocks, slaDueTimes, slaSettingsFromText, type SlaSettings,
} from '../../shared/sla-clocks.js';
import { deriveIncident } from '../../shared/sync-merge.js';
import { incidentSchema } from '../../shared/sync-mutations.js';
import type { Incident } from '../../shared/schemas.js';

/** Issue 13, part 2: the due times every replica stores come from business calendars and synced fields. */
const base: Incident = {
  id: '0190f000-0000-7000-8000-000000000001', number: 'K7Q2M9-00001', channel: 'phone', requesterId: null, requesterName: '李雷',
  requesterDept: null, requesterPhone: null, requesterEmail: null, serviceLevel: 'normal', serviceType: 'fault', categoryId: 'network',
  title: 'VPN', description: '', affectedName: null, affectedIp: null, affectedLocation: null, impactScope: 'individual',
  impact: 'medium', urgency: 'medium', majorReasons: [], urgentReason: null, autoEscalated: false, priority: 'P4', status: 'new',
  occurredAt: null, reportedAt: '2026-11-20T17:00:00+08:00', recordedAt: '2026-11-20T09:00:00.000Z', firstResponseAt: null,
  resolvedAt: null, closedAt: null, pendingSince: null, pausedMs: 0, resolveDueAt: '2000-01-01T00:00:00.000Z',
  responseDueAt: '2000-01-01T00:00:00.000Z', ownerId: 'u1', tier: 'L1', groupName: null, assigneeId: null, resolution: null,
  rootCause: null, problemRef: null, changeRef: null, kbArticleId: null, satisfaction: null, satisfactionComment: null,
  backfilled: false, backfillReason: null, origin: 'desk', externalRef: null, createdBy: 'u1', deviceId: 'd1', updatedAt: '2026-11-20T09:00:00.000Z',
};

describe('due times on business time, as every replica derives them', () => {
  it('a P3 reported Friday 17:00 (Shanghai) is due for response on Monday at 12:00 and for resolution on Thursday 09:30', () => {
    const inc = deriveIncident(base);
    expect(inc.priority).toBe('P3');
    expect(inc.responseDueAt).toBe('2026-11-23T04:00:00.000Z');
    expect(inc.resolveDueAt).toBe('2026-11-26T01:30:00.000Z');
  });

  it('P1 runs round the clock; a VIP requester raises P3 to P2, which stays on business hours', () => {
    const p1 = deriveIncident({ ...base, impact: 'high', urgency: 'high' });
    expect(p1).toMatchObject({ priority: 'P1', responseDueAt: '2026-11-20T10:00:00.000Z', resolveDueAt: '2026-11-20T13:00:00.000Z' });
    const vip = deriveIncident({ ...base, serviceLevel: 'vip' });
    expect(vip.priority).toBe('P2');
    // 2 business hours from Friday 17:00: 30 minutes on Friday, 90 on Monday from 08:30.
    expect(vip.responseDueAt).toBe('2026-11-23T02:00:00.000Z');
  });

  it('a back-filled incident computes from its reported time, so it can be in breach when it is entered', () => {
    const late = deriveIncident({ ...base, reportedAt: '2026-11-02T09:00:00+08:00', recordedAt: '2026-11-20T09:00:00.000Z', backfilled: true });
    expect(late.responseDueAt).toBe('2026-11-02T06:30:00.000Z'); // Monday 09:00 + 4 h: 3 h to noon, lunch skipped, 1 h from 13:30
    const clocks = incidentClocks(late, DEFAULT_SLA_SETTINGS, Date.parse('2026-11-20T09:00:00Z'));
    expect(clocks.response.state).toBe('breached');
    expect(clocks.resolution.state).toBe('breached');
  });

  it('a pending spell over a weekend moves the resolution due time by the business time inside it only; the response clock does not move', () => {
    const pending = { ...base, status: 'pending' as const, pendingSince: '2026-11-20T09:10:00.000Z', firstResponseAt: '2026-11-20T09:10:00.000Z' };
    const spells = closePendingSpell(pending, '2026-11-23T01:00:00.000Z');
    expect(spells).toEqual([{ from: '2026-11-20T09:10:00.000Z', to: '2026-11-23T01:00:00.000Z' }]);
    const after = deriveIncident({ ...pending, status: 'in_progress', pendingSince: null, pendingSpells: spells! });
    expect(after.responseDueAt).toBe('2026-11-23T04:00:00.000Z');
    expect(after.resolveDueAt).toBe('2026-11-26T02:20:00.000Z'); // 20 min Friday + 30 min Monday
    // Not pending (or no open spell): nothing to close.
    expect(closePendingSpell({ ...base, status: 'in_progress' }, '2026-11-23T01:00:00.000Z')).toBeNull();
    // A transition stamped before the spell began (a desk clock behind) closes it empty, never negative.
    expect(closePendingSpell(pending, '2026-11-20T09:00:00.000Z')).toEqual([{ from: pending.pendingSince, to: pending.pendingSince }]);
  });

  it('while pending, the view says the resolution clock is paused because of pending; over the weekend the response clock is paused outside hours', () => {
    const pending = { ...base, status: 'pending' as const, pendingSince: '2026-11-20T09:10:00.000Z', firstResponseAt: '2026-11-20T09:10:00.000Z' };
    const sat = Date.parse('2026-11-21T03:00:00Z');
    const c = incidentClocks(pending, DEFAULT_SLA_SETTINGS, sat);
    expect(c.resolution).toMatchObject({ state: 'paused', pausedBy: 'pending' });
    expect(c.response.state).toBe('met');
    const open = incidentClocks(deriveIncident(base), DEFAULT_SLA_SETTINGS, sat);
    expect(open.response).toMatchObject({ state: 'paused', pausedBy: 'outside_hours', remainingMin: 210 });
  });

  it('older desks stay in sync: an incident without pending spells parses with none', () => {
    const { pendingSpells: _none, ...older } = { ...base, pendingSpells: undefined };
    expect(incidentSchema.parse(older).pendingSpells).toEqual([]);
    const tooMany = Array.from({ length: 1001 }, () => ({ from: '2026-11-20T09:10:00.000Z', to: '2026-11-20T09:20:00.000Z' }));
    const bad = incidentSchema.safeParse({ ...base, pendingSpells: tooMany });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path).toEqual(['pendingSpells']);
  });

  it('settings change the derivation; stored settings text is parsed once and bad text gives the shipped settings', () => {
    const s = structuredClone(DEFAULT_SLA_SETTINGS) as SlaSettings;
    s.policy.calendars.normal = { ...s.policy.calendars.normal, P3: '24x7' };
    expect(slaDueTimes({ priority: 'P3', serviceLevel: 'normal', reportedAt: base.reportedAt }, s))
      .toEqual({ responseDueAt: '2026-11-20T13:00:00.000Z', resolveDueAt: '2026-11-21T09:00:00.000Z' });
    const text = JSON.stringify(s);
    expect(slaSettingsFromText(text)).toBe(slaSettingsFromText(text));
    expect(slaSettingsFromText('{"calendars": []}')).toBe(DEFAULT_SLA_SETTINGS);
    expect(slaSettingsFromText('not json')).toBe(DEFAULT_SLA_SETTINGS);
    expect(slaSettingsFromText(null)).toBe(DEFAULT_SLA_SETTINGS);
    expect(DEFAULT_SLA_SETTINGS.calendars[1]).toBe(CALENDAR_CN_DEFAULT);
  });
});
