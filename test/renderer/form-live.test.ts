import { describe, expect, it } from 'vitest';
import { incidentCreateSchema, LIMITS } from '../../shared/index.js';
import { emptyForm, liveIssues, toCreateInput, type IncidentForm } from '../../renderer/features/incident-form/formState.js';
import { fromZodIssues } from '../../renderer/lib/zodIssues.js';

// Issue 14: the call form names what the desk would refuse as the agent types, in the desk's words.
const now = new Date('2026-11-22T02:00:00Z');
const form = (patch: Partial<IncidentForm> = {}): IncidentForm => ({ ...emptyForm('服务台', now), rootCategoryId: 'hardware', title: '打印机卡纸', ...patch,
  requester: { ...emptyForm('服务台', now).requester, name: '周敏', ...(patch.requester ?? {}) } });
const none = new Set<string>();

describe('live field checks in the call form', () => {
  it('refuses a phone "abc" at once, with the same issue (code, message) the API gives', () => {
    const f = form({ requester: { ...form().requester, phone: 'abc' } });
    const live = liveIssues(f, [], none, now);
    const api = fromZodIssues(incidentCreateSchema.safeParse(toCreateInput(f)).error!.issues);
    expect(live).toEqual([api.find((i) => i.path === 'requester.phone')]);
    expect(live[0].code).toBe('not_phone');
  });
  it('waits until a half-typed phone or e-mail is left before naming it', () => {
    const f = form({ requester: { ...form().requester, phone: '13', email: 'zhou@' } });
    expect(liveIssues(f, [], none, now)).toEqual([]);
    expect(liveIssues(f, [], new Set(['requester.email']), now).map((i) => i.path)).toEqual(['requester.email']);
  });
  it('names a missing value only after a save was tried, and drops it once filled', () => {
    const empty = form({ title: '' });
    expect(liveIssues(empty, [], none, now)).toEqual([]);
    const tried = [{ path: 'title', message: 'required', code: 'required' as const }];
    expect(liveIssues(empty, tried, none, now)).toEqual(tried);
    expect(liveIssues(form({ title: 'x' }), tried, none, now)).toEqual([]);
  });
  it('a title over the limit is named with the schema\'s message (the field also stops at the limit)', () => {
    const f = form({ title: 'x'.repeat(LIMITS.title + 1) });
    expect(liveIssues(f, [], new Set(['title']), now)).toEqual([{ path: 'title', message: `at most ${LIMITS.title} characters`, code: 'too_long', params: { max: LIMITS.title } }]);
    expect(liveIssues(form({ title: 'x'.repeat(LIMITS.title) }), [], new Set(['title']), now)).toEqual([]);
  });
  it('keeps what only the desk can know (an unknown category) until the next attempt', () => {
    const desk = [{ path: 'categoryId', message: 'unknown category' }];
    expect(liveIssues(form(), desk, none, now)).toEqual(desk);
  });
});
