import { describe, expect, it } from 'vitest';
import { i18n } from '../../renderer/i18n/index.js';
import { formatDuration, issueText, localiseMessage, slaLabel } from '../../renderer/lib/format.js';
import { zhCN } from '../../renderer/i18n/zh-CN.js';
import { en } from '../../renderer/i18n/en.js';
import { CHANNELS, STATUSES, PRIORITIES, MAJOR_REASONS, ROOT_CATEGORIES, SERVICE_TYPES } from '../../shared/index.js';

const t = i18n.getFixedT('zh-CN');
const tEn = i18n.getFixedT('en');

const row = (over: Partial<Parameters<typeof slaLabel>[0]> = {}) => ({
  priority: 'P1' as const, status: 'in_progress' as const, reportedAt: '2026-11-22T08:00:00Z',
  firstResponseAt: null, resolvedAt: null, pausedMs: 0, pendingSince: null, serviceLevel: 'normal' as const, pendingSpells: [], ...over,
});

describe('SLA label', () => {
  it('shows the remaining time of the resolution clock (P1: 4 h)', () => {
    const l = slaLabel(row(), new Date('2026-11-22T09:45:00Z'), t);
    expect(l.text).toBe('剩余 2h 15m');
    expect(l.tone).toBe('ok');
  });
  it('shows overdue time in the breached tone', () => {
    const l = slaLabel(row(), new Date('2026-11-22T12:30:00Z'), t);
    expect(l.text).toBe('超时 30m');
    expect(l.tone).toBe('breached');
    expect(slaLabel(row(), new Date('2026-11-22T12:30:00Z'), tEn).text).toBe('Overdue 30m');
  });
  it('warns when little time is left, and pauses while pending', () => {
    expect(slaLabel(row(), new Date('2026-11-22T11:30:00Z'), t).tone).toBe('warning');
    const p = slaLabel(row({ status: 'pending', pendingSince: '2026-11-22T09:00:00Z' }), new Date('2026-11-22T11:00:00Z'), t);
    expect(p.tone).toBe('paused');
    expect(p.text).toBe('已暂停 · 剩余 3h 0m');
  });
  it('says whether a resolved incident met its target', () => {
    expect(slaLabel(row({ resolvedAt: '2026-11-22T09:00:00Z', status: 'resolved' }), new Date(), t).text).toBe('已按时解决');
    expect(slaLabel(row({ resolvedAt: '2026-11-22T13:00:00Z', status: 'resolved' }), new Date(), t).text).toBe('解决超时');
  });
  it('counts business time on the calendar of the priority (issue 13): a P3 reported Friday 17:00 in Shanghai is paused over the weekend, both clocks shown', () => {
    const p3 = row({ priority: 'P3', status: 'new', reportedAt: '2026-11-20T09:00:00Z' });
    const sat = slaLabel(p3, new Date('2026-11-21T04:00:00Z'), t);
    expect(sat.text).toBe('已暂停 · 剩余 23h 30m');
    expect(sat.tone).toBe('paused');
    expect(sat.response).toEqual({ text: '响应 3h 30m', tone: 'paused' });
    // Monday 11:00: the response is due at 12:00 and past its 75 % warning share.
    const mon = slaLabel(p3, new Date('2026-11-23T03:00:00Z'), tEn);
    expect(mon.response).toEqual({ text: 'Resp. 1h 0m', tone: 'warning' });
    expect(slaLabel(p3, new Date('2026-11-23T06:00:00Z'), tEn).response).toEqual({ text: 'Resp. overdue 30m', tone: 'breached' }); // 14:00: the lunch hour is not business time
    expect(slaLabel({ ...p3, firstResponseAt: '2026-11-23T01:00:00Z' }, new Date('2026-11-23T05:00:00Z'), tEn).response).toBeNull();
  });
  it('formats days, hours and minutes compactly', () => {
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 4h');
    expect(formatDuration(-45 * 60_000)).toBe('45m');
  });
});

describe('error messages', () => {
  it('puts the localised field label before the localised message', () => {
    expect(issueText({ path: 'requester.phone', message: 'not a phone number (digits, spaces, +, -, parentheses, optional extension)' }, t)).toBe('电话：不是有效的电话号码');
    expect(issueText({ path: 'title', message: 'required' }, tEn)).toBe('Title: required');
    expect(issueText({ path: 'resolution', message: 'required to resolve an incident' }, t)).toBe('解决方案：必填');
  });
  it('explains an illegal transition with status names', () => {
    expect(localiseMessage('cannot go from new to closed; allowed from new: assigned', t)).toBe('不允许从“新建”变更为“已关闭”');
    expect(issueText({ path: 'to', message: 'cannot go from new to closed; allowed' }, tEn)).toBe('Target status: cannot go from “New” to “Closed”');
  });
  it('passes unknown messages through unchanged', () => {
    expect(localiseMessage('something odd', t)).toBe('something odd');
  });
});

describe('translations', () => {
  it('name every enum key in both languages, under `enum.<vocabulary>.<key>`', () => {
    const vocab: Array<[keyof typeof zhCN.enum, readonly string[]]> = [
      ['channel', CHANNELS], ['status', STATUSES], ['priority', PRIORITIES], ['majorReason', MAJOR_REASONS], ['category', ROOT_CATEGORIES], ['serviceType', SERVICE_TYPES],
    ];
    for (const [name, keys] of vocab) {
      for (const k of keys) {
        expect((zhCN.enum[name] as Record<string, string>)[k], `zh ${name}.${k}`).toBeTruthy();
        expect((en.enum[name] as Record<string, string>)[k], `en ${name}.${k}`).toBeTruthy();
      }
    }
    expect(t('enum.status.in_progress')).toBe('处理中');
    expect(tEn('enum.status.in_progress')).toBe('In progress');
  });
});
