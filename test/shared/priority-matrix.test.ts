import { describe, expect, it } from 'vitest';
import { DEFAULT_MATRIX, classifyCell, computePriority, matrixCells, parseMatrixCell, priorityMatrixSchema, type PriorityMatrix } from '../../shared/priority.js';
import { DEFAULT_SLA_SETTINGS, matrixOf, slaSettingsSchema, type SlaSettings } from '../../shared/sla-clocks.js';
import { deriveIncident } from '../../shared/sync-merge.js';
import { nextSlaNoticeMs } from '../../shared/sla-notices.js';
import { dueSlaNotices, noticeId } from '../../shared/notices.js';
import type { Incident } from '../../shared/schemas.js';

/** Issue 13: the priority matrix as validated data, and the one derivation desks and server share. */
const withCell = (impact: 'high' | 'medium' | 'low', urgency: 'high' | 'medium' | 'low', p: 'P1' | 'P2' | 'P3' | 'P4'): PriorityMatrix => {
  const m = structuredClone(DEFAULT_MATRIX);
  m[impact][urgency] = p;
  return m;
};
const settingsWith = (m: PriorityMatrix): SlaSettings => ({ ...DEFAULT_SLA_SETTINGS, priorityMatrix: m });

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 'i1', number: 'T-1', channel: 'phone', requesterId: null, requesterName: '张三', requesterDept: null, requesterPhone: null, requesterEmail: null,
  serviceLevel: 'normal', serviceType: 'fault', categoryId: 'network', title: 't', description: '', affectedName: null, affectedIp: null, affectedLocation: null,
  impactScope: 'individual', impact: 'medium', urgency: 'medium', majorReasons: [], urgentReason: null, autoEscalated: false, priority: 'P3',
  status: 'new', occurredAt: null, reportedAt: '2026-12-01T02:00:00.000Z', recordedAt: '2026-12-01T02:00:00.000Z', firstResponseAt: null, resolvedAt: null,
  closedAt: null, pendingSince: null, pausedMs: 0, pendingSpells: [], resolveDueAt: '', responseDueAt: '', ownerId: 'u1', tier: 'L1', groupName: null,
  assigneeId: null, resolution: null, rootCause: null, problemRef: null, changeRef: null, kbArticleId: null, satisfaction: null, satisfactionComment: null,
  backfilled: false, backfillReason: null, origin: 'desk', externalRef: null, createdBy: 'u1', deviceId: 'd1', updatedAt: '2026-12-01T02:00:00.000Z',
  ...over,
});

describe('priority matrix validation', () => {
  it('takes a full matrix of priority codes', () => {
    expect(priorityMatrixSchema.parse(DEFAULT_MATRIX)).toEqual(DEFAULT_MATRIX);
    expect(matrixCells(DEFAULT_MATRIX)).toHaveLength(9);
  });
  it('refuses a cell that is not a priority code, naming the cell', () => {
    const bad = structuredClone(DEFAULT_MATRIX) as unknown as Record<string, Record<string, unknown>>;
    bad.medium.low = 'P5';
    bad.low.high = 3;
    const r = priorityMatrixSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['low.high', 'medium.low']);
  });
  it('refuses a missing cell or row and a cell it does not know, naming them', () => {
    const bad = structuredClone(DEFAULT_MATRIX) as unknown as Record<string, Record<string, unknown>>;
    delete bad.high.low;
    const r1 = priorityMatrixSchema.safeParse(bad);
    expect(r1.error!.issues.map((i) => i.path.join('.'))).toEqual(['high.low']);
    const noRow = structuredClone(DEFAULT_MATRIX) as unknown as Record<string, unknown>;
    delete noRow.low;
    expect(priorityMatrixSchema.safeParse(noRow).error!.issues.map((i) => i.path.join('.'))).toEqual(['low']);
    const extra = structuredClone(DEFAULT_MATRIX) as unknown as Record<string, Record<string, unknown>>;
    extra.high.critical = 'P1';
    expect(priorityMatrixSchema.safeParse(extra).success).toBe(false);
  });
  it('is part of the SLA settings; settings without one read as the shipped matrix', () => {
    expect(matrixOf(slaSettingsSchema.parse(DEFAULT_SLA_SETTINGS))).toEqual(DEFAULT_MATRIX);
    const r = slaSettingsSchema.safeParse({ ...DEFAULT_SLA_SETTINGS, priorityMatrix: { ...DEFAULT_MATRIX, high: { ...DEFAULT_MATRIX.high, medium: 'urgent' } } });
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['priorityMatrix.high.medium']);
  });
});

describe('derivation with an edited matrix (desk and server run the same function)', () => {
  const m = withCell('medium', 'medium', 'P2');

  it('a new record takes the matrix in force', () => {
    const d = deriveIncident(incident(), settingsWith(m), { reclassify: true });
    expect(d.priority).toBe('P2');
    expect(d.matrixCell).toBe('medium/medium:P2');
    // and its due times are P2's: response 2 business hours on China's calendar from Tuesday 10:00
    expect(d.responseDueAt).toBe('2026-12-01T04:00:00.000Z');
  });

  it('an incident classified before the change keeps its priority; its due times still follow the settings', () => {
    const before = deriveIncident(incident(), DEFAULT_SLA_SETTINGS, { reclassify: true });
    expect(before).toMatchObject({ priority: 'P3', matrixCell: 'medium/medium:P3' });
    const after = deriveIncident(before, settingsWith(m));
    expect(after).toMatchObject({ priority: 'P3', matrixCell: 'medium/medium:P3', responseDueAt: before.responseDueAt });
  });

  it('one holding no cell was classified with the shipped matrix', () => {
    const legacy = incident({ matrixCell: undefined });
    expect(deriveIncident(legacy, settingsWith(m))).toMatchObject({ priority: 'P3', matrixCell: 'medium/medium:P3' });
  });

  it('a re-classification (impact or urgency changed) takes the matrix in force', () => {
    const held = deriveIncident(incident(), DEFAULT_SLA_SETTINGS, { reclassify: true });
    const lower = deriveIncident({ ...held, urgency: 'low' }, settingsWith(m));
    expect(lower).toMatchObject({ priority: 'P4', matrixCell: 'medium/low:P4' });
    const back = deriveIncident({ ...lower, urgency: 'medium' }, settingsWith(m));
    expect(back).toMatchObject({ priority: 'P2', matrixCell: 'medium/medium:P2' });
  });

  it('the override rules still apply on top of the cell', () => {
    const major = deriveIncident(incident({ impact: 'low', urgency: 'low', majorReasons: ['declared'] }), settingsWith(withCell('low', 'low', 'P3')), { reclassify: true });
    expect(major).toMatchObject({ priority: 'P1', matrixCell: 'low/low:P3' });
    const vip = deriveIncident(incident({ serviceLevel: 'vip', impact: 'low', urgency: 'low' }), settingsWith(m), { reclassify: true });
    expect(vip.priority).toBe('P2');
    // a cell is honoured only while impact and urgency match it
    expect(computePriority({ impact: 'high', urgency: 'high', matrixCell: 'low/low:P4' }).priority).toBe('P1');
    expect(computePriority({ impact: 'low', urgency: 'low', matrixCell: 'low/low:P2' }).priority).toBe('P2');
  });

  it('reads and writes cells strictly', () => {
    expect(parseMatrixCell('high/low:P3')).toEqual({ impact: 'high', urgency: 'low', priority: 'P3' });
    for (const bad of ['', 'high/low', 'high/low:P5', 'huge/low:P1', null, undefined]) expect(parseMatrixCell(bad)).toBeNull();
    expect(classifyCell({ impact: 'high', urgency: 'low', matrixCell: 'garbage' }, m)).toEqual({ impact: 'high', urgency: 'low', priority: 'P3' });
  });
});

describe('when the next SLA notice falls due (the desk sweep\'s column)', () => {
  const s = DEFAULT_SLA_SETTINGS;
  // P1 on 24×7: response 60 min (warning at 45), resolution 240 min (warning at 180)
  const p1 = deriveIncident(incident({ impact: 'high', urgency: 'high', reportedAt: '2026-12-01T02:00:00.000Z' }), s, { reclassify: true });
  const at = (min: number) => Date.parse('2026-12-01T02:00:00.000Z') + min * 60_000;
  const none = () => false;

  it('is the earliest warning or breach not raised yet, and null once all are told or the clocks stopped', () => {
    expect(nextSlaNoticeMs(p1, s, at(0), none)).toBe(at(45));
    // at 50 min the response warning is due now; once raised, the response breach at 60 is next
    expect(nextSlaNoticeMs(p1, s, at(50), none)).toBe(at(50));
    const raised = new Set(dueSlaNotices(p1, s, at(50)).map((d) => d.id));
    expect(nextSlaNoticeMs(p1, s, at(50), (id) => raised.has(id))).toBe(at(60));
    // responded at 55: only the resolution clock is left, its warning at 180
    const responded = { ...p1, status: 'in_progress' as const, firstResponseAt: new Date(at(55)).toISOString() };
    expect(nextSlaNoticeMs(responded, s, at(56), (id) => raised.has(id))).toBe(at(180));
    const breachTold = new Set([noticeId('sla_breach', p1.id, 'resolution', at(240))]);
    expect(nextSlaNoticeMs(responded, s, at(250), (id) => breachTold.has(id))).toBeNull();
    expect(nextSlaNoticeMs({ ...responded, status: 'resolved', resolvedAt: new Date(at(100)).toISOString() }, s, at(101), none)).toBeNull();
  });

  it('leaves a pending resolution clock alone (leaving pending changes the incident, which asks again)', () => {
    const pending = { ...p1, status: 'pending' as const, firstResponseAt: new Date(at(5)).toISOString(), pendingSince: new Date(at(10)).toISOString() };
    expect(nextSlaNoticeMs(pending, s, at(20), none)).toBeNull();
  });

  it('never misses what dueSlaNotices raises: at every minute, a notice due then was announced no later', () => {
    let next = nextSlaNoticeMs(p1, s, at(0), none);
    const told = new Set<string>();
    for (let min = 0; min <= 300; min++) {
      const now = at(min);
      const due = dueSlaNotices(p1, s, now).filter((d) => !told.has(d.id));
      if (due.length) expect(next).not.toBeNull();
      if (due.length) expect(next!).toBeLessThanOrEqual(now);
      if (next !== null && next <= now) {
        for (const d of due) told.add(d.id);
        next = nextSlaNoticeMs(p1, s, now, (id) => told.has(id));
        if (next !== null) next = Math.max(next, now + 1);
      }
    }
    expect([...told].map((id) => id.split(':').slice(1, 3).join(':')).sort()).toEqual(['sla_breach:resolution', 'sla_breach:response', 'sla_warning:resolution', 'sla_warning:response']);
  });
});
