import { describe, expect, it } from 'vitest';
import type { Category } from '../../shared/index.js';
import {
  cellOfServerIssue, emptyRow, formatGridTime, parseGridTime, resolveCategory, rowToInput, validateGrid, type GridRow,
} from '../../renderer/features/batch/gridModel.js';
import { parseLostValue } from '../../renderer/features/incident-detail/Conflicts.js';
import { suggestionQueries } from '../../renderer/features/kb/KbSuggestions.js';

const cats: Category[] = [
  { id: 'hardware', parentId: null, nameZh: '硬件', nameEn: 'Hardware' },
  { id: 'hardware.printer', parentId: 'hardware', nameZh: '打印机', nameEn: 'Printer' },
  { id: 'network', parentId: null, nameZh: '网络', nameEn: 'Network' },
] as Category[];

const NOW = new Date(2026, 10, 22, 10, 0);
const row = (patch: Partial<GridRow>): GridRow => ({ ...emptyRow(), requesterName: '周敏', categoryId: 'hardware', categoryText: '硬件', title: '显示器黑屏', reportedAt: '2026-11-21 09:30', ...patch });

describe('batch grid model', () => {
  it('reads paper times in the desktop zone: full, month-day, time only; refuses nonsense', () => {
    expect(formatGridTime(parseGridTime('2026-11-21 14:30', NOW)!)).toBe('2026-11-21 14:30');
    expect(formatGridTime(parseGridTime('2026/11/21 8:05', NOW)!)).toBe('2026-11-21 08:05');
    expect(formatGridTime(parseGridTime('11-21 14:30', NOW)!)).toBe('2026-11-21 14:30');
    expect(formatGridTime(parseGridTime('07:15', NOW)!)).toBe('2026-11-22 07:15');
    for (const bad of ['昨天', '2026-02-30 10:00', '2026-11-21 25:00', '14']) expect(parseGridTime(bad, NOW)).toBeNull();
  });

  it('finds categories by id, Chinese or English name, or parent/child', () => {
    expect(resolveCategory('硬件', cats)?.id).toBe('hardware');
    expect(resolveCategory('network', cats)?.id).toBe('network');
    expect(resolveCategory('Hardware / Printer', cats)?.id).toBe('hardware.printer');
    expect(resolveCategory('硬件/打印机', cats)?.id).toBe('hardware.printer');
    expect(resolveCategory('打印', cats)).toBeUndefined();
  });

  it('builds back-fill rows: the row reason overrides the batch reason', () => {
    expect(rowToInput(row({}), '纸面记录', NOW).backfill).toEqual({ reason: '纸面记录' });
    expect(rowToInput(row({ reason: '值班本' }), '纸面记录', NOW).backfill).toEqual({ reason: '值班本' });
  });

  it('names the row and cell of every problem, as the API would', () => {
    const issues = validateGrid([
      row({}),
      row({ reportedAt: '2026-11-23 09:00' }),
      row({ title: '', categoryText: '打印', categoryId: '' }),
      row({ reportedAt: '' }),
      row({ occurredAt: '2026-11-21 10:00', reportedAt: '2026-11-21 09:00' }),
    ], '纸面记录', NOW);
    const at = (r: number) => issues.filter((i) => i.row === r).map((i) => `${i.column}:${i.message}`).sort();
    expect(at(0)).toEqual([]);
    expect(at(1)).toEqual(['reportedAt:is in the future']);
    expect(at(2)).toEqual(['category:unknown category', 'title:required']);
    expect(at(3)).toEqual(['reportedAt:required']);
    expect(at(4)).toEqual(['reportedAt:is before the occurred time']);
    expect(validateGrid([row({})], '', NOW).map((i) => `${i.row}:${i.column}`)).toEqual(['0:reason']);
  });

  it('maps the server’s rows.N.path onto the cell', () => {
    expect(cellOfServerIssue({ path: 'rows.3.reportedAt', message: 'is in the future' })).toMatchObject({ row: 3, column: 'reportedAt' });
    expect(cellOfServerIssue({ path: 'rows.0.requester.name', message: 'required' })).toMatchObject({ row: 0, column: 'requester' });
    expect(cellOfServerIssue({ path: 'rows.12.categoryId', message: 'unknown category x' })).toMatchObject({ row: 12, column: 'category' });
    expect(cellOfServerIssue({ path: 'rows.2.backfill', message: 'your role (agent) may not back-fill incidents' })).toMatchObject({ row: 2, column: 'reason' });
    expect(cellOfServerIssue({ path: 'rows', message: 'at most 500 rows per batch' })).toMatchObject({ row: -1, column: null });
  });
});

describe('conflicts: the losing value as a patch wants it', () => {
  it('text as is, arrays and numbers from JSON, non-patchable fields refused', () => {
    expect(parseLostValue('title', '打印机卡纸')).toEqual({ ok: true, value: '打印机卡纸' });
    expect(parseLostValue('majorReasons', '["disaster","platform"]')).toEqual({ ok: true, value: ['disaster', 'platform'] });
    expect(parseLostValue('satisfaction', '4')).toEqual({ ok: true, value: 4 });
    expect(parseLostValue('impact', 'high')).toEqual({ ok: true, value: 'high' });
    expect(parseLostValue('resolution', null)).toEqual({ ok: true, value: null });
    expect(parseLostValue('status', 'resolved')).toEqual({ ok: false });
    expect(parseLostValue('impact', 'enormous')).toEqual({ ok: false });
  });
});

describe('knowledge-base suggestions', () => {
  it('asks for the whole title, then its words longest first, and a long Chinese run by its ends', () => {
    expect(suggestionQueries('VPN 连接失败 错误 809')).toEqual(['VPN 连接失败 错误 809', '连接失败', '连接', '失败', 'VPN']);
    expect(suggestionQueries('打印机卡纸')).toEqual(['打印机卡纸', '打印', '卡纸']);
    expect(suggestionQueries('a')).toEqual([]);
  });
});
