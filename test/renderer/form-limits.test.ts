import { describe, expect, it } from 'vitest';
import { LIMITS, incidentCreateSchema, incidentPatchSchema } from '../../shared/index.js';
import { EDIT_MAX, editIssues, mergeIssues } from '../../renderer/features/incident-detail/editChecks.js';
import { CELL_MAX, cellIssueOnLeave, emptyRow, rowToInput, type GridRow } from '../../renderer/features/batch/gridModel.js';
import { formatCalendarDate } from '../../renderer/lib/format.js';

// Issue 14, item 6: the detail's edit form and the paper-log grid enforce the schema's limits as the
// user types, as the call form does (test/renderer/form-live.test.ts), with the API's codes.
const values = (patch: Partial<Record<keyof typeof EDIT_MAX, string>> = {}) => ({
  ...Object.fromEntries(Object.keys(EDIT_MAX).map((k) => [k, ''])) as Record<keyof typeof EDIT_MAX, string>, title: '打印机卡纸', ...patch,
});
const none = new Set<string>();

describe('the edit form as the user types', () => {
  it('each field stops at the limit the patch schema accepts', () => {
    for (const [k, max] of Object.entries(EDIT_MAX)) {
      const text = k === 'affectedIp' ? null : 'x'.repeat(max);
      if (text) expect(incidentPatchSchema.safeParse({ [k]: text }).success, k).toBe(true);
      expect(incidentPatchSchema.safeParse({ [k]: 'x'.repeat(max + 1) }).success, k).toBe(false);
    }
  });
  it('a text over its limit (pasted past the field) is named at once, with the API\'s code', () => {
    expect(editIssues(values({ title: 'x'.repeat(LIMITS.title + 1) }), none)).toEqual([
      { path: 'title', message: `at most ${LIMITS.title} characters`, code: 'too_long', params: { max: LIMITS.title } },
    ]);
  });
  it('a cleared title or a bad IP is named once the field is left, not while typing', () => {
    const v = values({ title: '', affectedIp: '10.0.' });
    expect(editIssues(v, none)).toEqual([]);
    expect(editIssues(v, new Set(['title', 'affectedIp'])).map((i) => `${i.path}:${i.code}`)).toEqual(['title:required', 'affectedIp:not_ip']);
  });
  it('what the desk answered stays for the fields the form does not check itself', () => {
    const desk = [{ path: 'categoryId', message: 'unknown category', code: 'unknown_category' as const }, { path: 'title', message: 'required', code: 'required' as const }];
    const live = editIssues(values({ title: 'x'.repeat(LIMITS.title + 1) }), none);
    expect(mergeIssues(live, desk).map((i) => `${i.path}:${i.code}`)).toEqual(['title:too_long', 'categoryId:unknown_category']);
  });
});

describe('the paper-log grid as the user types', () => {
  const row = (patch: Partial<GridRow>): GridRow => ({ ...emptyRow(), requesterName: '周敏', categoryId: 'hardware', categoryText: '硬件', title: '显示器黑屏', reportedAt: '2026-11-21 09:30', ...patch });
  const now = new Date(2026, 10, 22, 10, 0);
  it('each typed cell stops at the limit the create schema accepts', () => {
    for (const [col, patch] of [['title', 'title'], ['description', 'description'], ['requester', 'requesterName'], ['reason', 'reason']] as const) {
      const max = CELL_MAX[col]!;
      expect(incidentCreateSchema.safeParse(rowToInput(row({ [patch]: 'x'.repeat(max) }), '纸面', now)).success, col).toBe(true);
      expect(incidentCreateSchema.safeParse(rowToInput(row({ [patch]: 'x'.repeat(max + 1) }), '纸面', now)).success, col).toBe(false);
    }
  });
  it('a cell\'s problem is named when it is left: a time it cannot read, a future time; a missing value waits for the save', () => {
    expect(cellIssueOnLeave(row({ reportedAt: '昨天' }), 2, 'reportedAt', '纸面', now)).toMatchObject({ row: 2, column: 'reportedAt', code: 'not_datetime' });
    expect(cellIssueOnLeave(row({ reportedAt: '2026-11-23 09:00' }), 0, 'reportedAt', '纸面', now)).toMatchObject({ code: 'future' });
    expect(cellIssueOnLeave(row({ title: '' }), 0, 'title', '纸面', now)).toBeNull();
    expect(cellIssueOnLeave(emptyRow(), 0, 'reportedAt', '', now)).toBeNull();
  });
});

describe('report axis dates', () => {
  it('in the UI language\'s order, the day as it is (no zone shift)', () => {
    expect(formatCalendarDate('2026-11-03', 'en')).toBe('11/03/2026');
    expect(formatCalendarDate('2026-11-03', 'zh-CN')).toBe('2026/11/03');
    expect(formatCalendarDate('2026-11-01', 'en', 'month')).toBe('11/2026');
  });
});
