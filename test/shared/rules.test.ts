import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SLA, computePriority, computeSla, shouldAutoEscalate, canTransition, allowedTransitions, checkTimes,
  HlcClock, incidentCreateSchema, LEVELS, type Level, type Priority,
} from '../../shared/index.js';

describe('priority matrix', () => {
  const expected: Record<Level, Record<Level, Priority>> = {
    high: { high: 'P1', medium: 'P2', low: 'P3' },
    medium: { high: 'P2', medium: 'P3', low: 'P4' },
    low: { high: 'P3', medium: 'P4', low: 'P4' },
  };
  for (const impact of LEVELS) for (const urgency of LEVELS) {
    it(`impact ${impact} × urgency ${urgency} → ${expected[impact][urgency]}`, () => {
      expect(computePriority({ impact, urgency }).priority).toBe(expected[impact][urgency]);
    });
  }
  it('is configurable', () => {
    const matrix = { high: { high: 'P1', medium: 'P1', low: 'P1' }, medium: { high: 'P1', medium: 'P1', low: 'P1' }, low: { high: 'P1', medium: 'P1', low: 'P2' } } as const;
    expect(computePriority({ impact: 'low', urgency: 'low' }, matrix).priority).toBe('P2');
  });
});

describe('priority rules', () => {
  it('a ticked major-incident reason forces P1 whatever the matrix says, and says why', () => {
    const r = computePriority({ impact: 'low', urgency: 'low', majorReasons: ['network_outage'] });
    expect(r.priority).toBe('P1');
    expect(r.reasons[0]).toEqual({ rule: 'major', reasons: ['network_outage'] });
  });
  it('VIP and super-VIP requesters are at least P2, never lowered', () => {
    expect(computePriority({ impact: 'low', urgency: 'low', serviceLevel: 'vip' }).priority).toBe('P2');
    expect(computePriority({ impact: 'low', urgency: 'low', serviceLevel: 'svip' }).reasons[0].rule).toBe('vip');
    expect(computePriority({ impact: 'high', urgency: 'high', serviceLevel: 'vip' }).priority).toBe('P1');
    expect(computePriority({ impact: 'low', urgency: 'low', serviceLevel: 'normal' }).priority).toBe('P4');
  });
  it('manual urgent needs a reason: a blank reason changes nothing', () => {
    expect(computePriority({ impact: 'medium', urgency: 'medium', urgentReason: '   ' }).priority).toBe('P3');
    const r = computePriority({ impact: 'medium', urgency: 'medium', urgentReason: '全楼层 40 人受影响' });
    expect(r.priority).toBe('P2');
    expect(r.reasons[0]).toEqual({ rule: 'manual_urgent', reason: '全楼层 40 人受影响' });
  });
  it('an ordinary incident unresolved after 4 h escalates to urgent', () => {
    const reportedAt = '2026-11-22T01:00:00Z';
    const inc = { priority: 'P3' as const, reportedAt, status: 'in_progress' };
    expect(shouldAutoEscalate(inc, new Date('2026-11-22T04:59:59Z'))).toBe(false);
    expect(shouldAutoEscalate(inc, new Date('2026-11-22T05:00:00Z'))).toBe(true);
    expect(shouldAutoEscalate({ ...inc, status: 'resolved', resolvedAt: '2026-11-22T02:00:00Z' }, new Date('2026-11-22T09:00:00Z'))).toBe(false);
    expect(shouldAutoEscalate({ ...inc, priority: 'P4' }, new Date('2026-11-23T09:00:00Z'))).toBe(false);
    expect(computePriority({ impact: 'medium', urgency: 'medium', autoEscalated: true }).priority).toBe('P2');
  });
});

describe('status machine', () => {
  it('allows the process steps and refuses shortcuts', () => {
    expect(canTransition('new', 'resolved')).toBe(true); // first-contact resolution
    expect(canTransition('resolved', 'closed')).toBe(true);
    expect(canTransition('resolved', 'reopened')).toBe(true);
    expect(canTransition('assigned', 'returned')).toBe(true);
    expect(canTransition('new', 'closed')).toBe(false);
    expect(canTransition('closed', 'in_progress')).toBe(false);
    expect(allowedTransitions('closed')).toEqual([]);
  });
});

describe('SLA clocks', () => {
  const base = { priority: 'P2' as const, status: 'in_progress' as const, reportedAt: '2026-11-22T00:00:00Z' };
  it('run from the reported time with the targets of the priority', () => {
    const s = computeSla(base, new Date('2026-11-22T01:00:00Z'));
    expect(s.responseDueAt).toBe('2026-11-22T02:00:00.000Z');
    expect(s.resolveDueAt).toBe('2026-11-22T08:00:00.000Z');
    expect(s.resolution).toBe('ok');
  });
  it('warns near the deadline and shows a breach afterwards', () => {
    expect(computeSla(base, new Date('2026-11-22T07:00:00Z')).resolution).toBe('warning');
    expect(computeSla(base, new Date('2026-11-22T08:00:01Z')).resolution).toBe('breached');
  });
  it('pending time pauses the resolution clock, not the response clock', () => {
    const pending = { ...base, status: 'pending' as const, pendingSince: '2026-11-22T01:00:00Z', pausedMs: 3_600_000 };
    const s = computeSla(pending, new Date('2026-11-22T05:00:00Z'));
    expect(s.resolveDueAt).toBe('2026-11-22T13:00:00.000Z'); // 8 h + 1 h earlier pause + 4 h open pause
    expect(s.resolution).toBe('paused');
    expect(s.responseDueAt).toBe('2026-11-22T02:00:00.000Z');
  });
  it('a resolved incident is met or missed, frozen', () => {
    expect(computeSla({ ...base, status: 'resolved', resolvedAt: '2026-11-22T07:00:00Z' }, new Date('2026-11-30T00:00:00Z')).resolution).toBe('met');
    expect(computeSla({ ...base, status: 'resolved', resolvedAt: '2026-11-22T09:00:00Z' }, new Date('2026-11-30T00:00:00Z')).resolution).toBe('missed');
  });
  it('targets are configuration', () => {
    const policy = { ...DEFAULT_SLA, P2: { responseMin: 10, resolveMin: 20 } };
    expect(computeSla(base, new Date('2026-11-22T00:00:00Z'), policy).resolveDueAt).toBe('2026-11-22T00:20:00.000Z');
  });
});

describe('times and input', () => {
  it('refuses future times and reported before occurred, naming the field', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    expect(checkTimes({ reportedAt: '2026-11-22T11:00:00Z' }, now)).toEqual([{ path: 'reportedAt', message: 'is in the future', code: 'future' }]);
    expect(checkTimes({ occurredAt: '2026-11-22T09:00:00Z', reportedAt: '2026-11-22T08:00:00Z' }, now)[0].path).toBe('reportedAt');
    expect(checkTimes({ occurredAt: '2026-11-22T08:00:00+08:00', reportedAt: '2026-11-22T01:00:00Z' }, now)).toEqual([]);
  });
  it('the create schema names bad fields', () => {
    const r = incidentCreateSchema.safeParse({ channel: 'pigeon', requester: { name: 'x', phone: '12ab' }, serviceType: 'fault', categoryId: 'network', title: 'x'.repeat(201), impact: 'huge', urgency: 'low' });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['channel', 'requester.phone', 'title', 'impact']));
  });
});

describe('hybrid logical clock', () => {
  it('orders events after remote ones even when the local wall clock is behind', () => {
    let wall = 1_000_000;
    const a = new HlcClock('a', () => wall);
    const b = new HlcClock('b', () => wall - 7 * 86_400_000); // a week slow
    const t1 = a.tick();
    b.receive(t1);
    const t2 = b.tick();
    expect(t2 > t1).toBe(true);
    wall += 1;
    expect(a.tick() > t1).toBe(true);
  });
});
