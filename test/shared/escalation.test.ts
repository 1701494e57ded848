import { describe, expect, it } from 'vitest';
import { TIERS, type Tier } from '../../shared/enums.js';
import { TIER_RANK, escalationProblem, isEscalation, mgmtProblem, planEscalation, vendorEditProblem } from '../../shared/escalation.js';
import { escalateSchema, vendorEditSchema } from '../../shared/escalation.js';
import { incidentSchema, transitionFieldsSchema } from '../../shared/sync-mutations.js';

/** The shared escalation rules (issue 12, item 3) that the desk and the server both apply. */
describe('escalation rules', () => {
  const ok = { escalationReason: '需要厂商', vendorName: '华为' };
  it('goes only upwards from second or third line: L2 → L3, L2 → vendor, L3 → vendor; anything else names the tier', () => {
    const allowed: Array<[Tier, Tier]> = [['L2', 'L3'], ['L2', 'vendor'], ['L3', 'vendor']];
    for (const from of TIERS) {
      for (const to of TIERS) {
        const p = escalationProblem({ to: 'assigned' }, from, to, ok);
        const expected = allowed.some(([f, t]) => f === from && t === to);
        expect(p === null, `${from} → ${to}`).toBe(expected);
        if (!expected) expect(p!.field).toBe('tier');
      }
    }
    expect(escalationProblem({ to: 'assigned' }, 'L1', 'L3', ok)?.code).toBe('not_from_first_line');
    expect(escalationProblem({ to: 'assigned' }, 'L3', 'L2', ok)?.code).toBe('not_higher');
    expect(escalationProblem({ to: 'assigned' }, 'L2', null, ok)?.code).toBe('not_higher');
    expect(TIER_RANK.vendor).toBeGreaterThan(TIER_RANK.L3);
  });
  it('needs why, and for a vendor its name; texts are bounded; only a dispatch escalates', () => {
    expect(escalationProblem({ to: 'assigned' }, 'L2', 'L3', { escalationReason: '  ' })).toMatchObject({ field: 'escalationReason', code: 'required' });
    expect(escalationProblem({ to: 'assigned' }, 'L2', 'L3', { escalationReason: '三线' })).toBeNull();
    expect(escalationProblem({ to: 'assigned' }, 'L2', 'vendor', { escalationReason: '厂商' })).toMatchObject({ field: 'vendorName', code: 'required' });
    expect(escalationProblem({ to: 'assigned' }, 'L2', 'vendor', { ...ok, vendorTicket: 'x'.repeat(101) })).toMatchObject({ field: 'vendorTicket', code: 'too_long' });
    expect(escalationProblem({ to: 'in_progress' }, 'L2', 'L3', ok)).toMatchObject({ field: 'to' });
    expect(isEscalation({ escalationReason: 'x' })).toBe(true);
    expect(isEscalation({ tier: 'L3' })).toBe(false);
  });
  it('records level, time and why; vendor details only for a vendor', () => {
    expect(planEscalation('L3', '2026-12-07T03:00:00.000Z', { escalationReason: ' 三线 ', vendorName: '华为' })).toEqual({ escalationLevel: 'L3', escalatedAt: '2026-12-07T03:00:00.000Z', escalationReason: '三线' });
    expect(planEscalation('vendor', 't', { escalationReason: 'r', vendorName: ' 华为 ', vendorContact: '', vendorTicket: 'HW-1' }))
      .toMatchObject({ vendorName: '华为', vendorContact: null, vendorTicket: 'HW-1' });
  });
  it('asking management needs why, until the incident is closed; a vendor ticket keeps its vendor', () => {
    expect(mgmtProblem('in_progress', { mgmtReason: ' ' })).toMatchObject({ code: 'required' });
    expect(mgmtProblem('resolved', { mgmtReason: '投诉' })).toBeNull();
    expect(mgmtProblem('closed', { mgmtReason: '投诉' })).not.toBeNull();
    expect(vendorEditProblem({ vendorName: '华为', escalationLevel: 'vendor' }, { vendorName: '' })).toMatchObject({ field: 'vendorName' });
    expect(vendorEditProblem({ vendorName: '华为', escalationLevel: 'vendor' }, { vendorTicket: 'HW-2' } as never)).toBeNull();
  });
  it('schemas: bounded inputs name the field; older desks stay in sync (defaults)', () => {
    const r = escalateSchema.safeParse({ id: 'i', group: 'g', reason: 'r', vendorContact: 'x'.repeat(201) });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['vendorContact']);
    expect(escalateSchema.safeParse({ id: 'i', group: 'g', reason: 'r', extra: 1 }).success).toBe(false);
    expect(vendorEditSchema.safeParse({ id: 'i', vendorName: '' }).success).toBe(false);
    expect(transitionFieldsSchema.safeParse({ escalationLevel: 'L2' }).success).toBe(false);
    const fields = incidentSchema.shape;
    for (const k of ['escalationLevel', 'escalatedAt', 'escalationReason', 'vendorName', 'vendorContact', 'vendorTicket', 'mgmtEscalatedAt', 'mgmtReason'] as const) {
      expect(fields[k].safeParse(undefined)).toEqual({ success: true, data: null });
    }
  });
});
