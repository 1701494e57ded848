import { describe, expect, it } from 'vitest';
import { i18n } from '../../renderer/i18n/index.js';
import { formatDateTime, issueText, localiseMessage } from '../../renderer/lib/format.js';
import { fromZodIssues } from '../../renderer/lib/zodIssues.js';
import { historyWords, parsePriorityNote, type HistoryContext } from '../../renderer/lib/historyText.js';
import type { HistoryEntry } from '../../shared/index.js';

// Issue 14.2: history rows are stored as facts (kind, field, values, a note in the store's or the
// server's English); the console words every part of them in the UI language.

const ctx = (lang: 'zh-CN' | 'en'): HistoryContext => ({
  t: i18n.getFixedT(lang), locale: lang,
  person: (id) => ({ 'u-1': '王工', '0193a0b2-1c2d-7e3f-8a9b-0c1d2e3f4a5b': '林晓' } as Record<string, string>)[id] ?? (lang === 'en' ? 'Unknown person' : '未知人员'),
  category: (id) => (id === 'network' ? (lang === 'en' ? 'Network' : '网络') : ''),
  leftOut: (code) => `left:${code}`,
});
const row = (over: Partial<HistoryEntry>): HistoryEntry => ({
  id: 'h', incidentId: 'i', at: '2026-12-07T01:05:00.000Z', actorId: 'u-2', actorName: null, deviceId: 'd', online: true,
  kind: 'field', field: null, oldValue: null, newValue: null, note: null, ...over,
});
const all = (w: ReturnType<typeof historyWords>) => [w.kind, w.field, w.from, w.to, w.note].filter(Boolean).join(' | ');

describe('history rows in the UI language', () => {
  it('words a priority rule from its stored note (was "rule: vip (vip)")', () => {
    const h = row({ kind: 'priority', field: 'priority', oldValue: 'P3', newValue: 'P2', note: 'rule: vip (vip)' });
    expect(all(historyWords(h, ctx('zh-CN')))).toBe('优先级变更 | 优先级 | P3 普通 | P2 紧急 | VIP 请求者自动为紧急');
    expect(historyWords(h, ctx('en')).note).not.toMatch(/rule:|\(vip\)/);
    expect(historyWords(row({ kind: 'priority', field: 'priority', newValue: 'P3', note: 'rule: matrix (impact medium × urgency low)' }), ctx('zh-CN')).note).toBe('影响度 中 × 紧急度 低 → P3');
    expect(parsePriorityNote('rule: auto_escalated (unresolved past the promised time)', 'P2')).toEqual({ rule: 'auto_escalated' });
    expect(parsePriorityNote('rule: major (disaster, platform)', 'P1')).toEqual({ rule: 'major', reasons: ['disaster', 'platform'] });
  });
  it('names fields by label, people by name, categories by path and instants in the viewer’s zone', () => {
    const zh = ctx('zh-CN');
    expect(historyWords(row({ field: 'groupName', oldValue: '服务台一组', newValue: '二线网络组' }), zh).field).toBe('处理组');
    expect(historyWords(row({ field: 'assigneeId', oldValue: null, newValue: 'u-1' }), zh).to).toBe('王工');
    expect(historyWords(row({ field: 'categoryId', oldValue: 'hardware', newValue: 'network' }), zh).to).toBe('网络');
    const at = historyWords(row({ field: 'occurredAt', oldValue: null, newValue: '2026-12-07T01:05:00.000Z' }), zh).to!;
    expect(at).not.toMatch(/T\d\d:/);
    expect(at).toBe(formatDateTime('2026-12-07T01:05:00.000Z', 'zh-CN'));
    expect(historyWords(row({ field: 'majorReasons', oldValue: '[]', newValue: '["network_outage"]' }), zh).to).toBe('网络设备或线路故障导致大面积中断');
  });
  it('words notifications, import trails and the server’s conflict notes', () => {
    const zh = ctx('zh-CN');
    const n = historyWords(row({ kind: 'notification', newValue: 'process_owner', note: 'major incident: disaster' }), zh);
    expect(all(n)).toBe('通知 | 已通知事件流程负责人 | 重大事件：自然灾害导致IT系统损坏');
    expect(historyWords(row({ kind: 'transition', field: 'status', oldValue: null, newValue: 'resolved', note: 'from the imported resolved time' }), zh).note).toBe('依据导入的解决时间');
    expect(historyWords(row({ kind: 'transition', field: 'status', oldValue: 'new', newValue: 'assigned', note: '派单 · group 二线 · owner 张三' }), zh).note).toBe('派单 · 处理组：二线 · 责任人：张三');
    const c = historyWords(row({ kind: 'conflict', field: 'status', oldValue: 'in_progress', newValue: 'resolved', note: 'Transition in_progress → resolved not applied: the incident was already closed when it reached the server.' }), zh);
    expect(c.note).toBe('变更为“已解决”未执行：到达服务器时事件已是“已关闭”（不是“处理中”）');
    const f = historyWords(row({ kind: 'conflict', field: 'title', oldValue: 'a', newValue: 'b', note: 'Concurrent edits of title: this value (by 王工) lost to a later edit by 0193a0b2-1c2d-7e3f-8a9b-0c1d2e3f4a5b; re-apply it if it should stand.' }), ctx('en'));
    expect(f.note).toBe('王工’s value was overwritten by a later edit of 林晓; apply it again if it should stand');
  });
});

describe('dates and messages', () => {
  it('shows English dates month first, as the date pickers do; Chinese year first', () => {
    const iso = '2026-03-04T05:06:00Z';
    const en = formatDateTime(iso, 'en');
    const d = new Date(iso);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(en).toBe(`${pad(d.getMonth() + 1)}/${pad(d.getDate())}/${d.getFullYear()}, ${pad(d.getHours())}:${pad(d.getMinutes())}`);
    expect(formatDateTime(iso, 'zh-CN')).toMatch(/^2026\/03\/0\d \d\d:\d\d$/);
  });
  it('words the import’s and the back-fill’s messages with their values', () => {
    const t = i18n.getFixedT('zh-CN');
    expect(localiseMessage('is in the future: "2099-01-01 10:00"', t)).toBe('时间晚于当前时间：“2099-01-01 10:00”');
    expect(localiseMessage('unknown category "园艺" (map it in the mapping, or send unknown categories to other)', t)).toContain('未知分类“园艺”');
    expect(localiseMessage('not a date: "昨天上午"', t)).toBe('不是有效的日期：“昨天上午”');
    expect(localiseMessage("not a readable XLSX workbook: Can't find end of central directory", t)).toBe('无法读取此 XLSX 文件（文件损坏或格式不符）');
    expect(localiseMessage('at most 200 characters (has 400)', t)).toBe('最多 200 个字符');
    expect(localiseMessage('must be an http(s) URL', t)).toBe('请填写 http:// 或 https:// 开头的地址');
  });
  it('turns zod’s own English into the messages the renderer words', () => {
    const t = i18n.getFixedT('en');
    const issues = fromZodIssues([
      { path: ['title'], message: 'Too big: expected string to have <=200 characters', code: 'too_big', origin: 'string', maximum: 200 },
      { path: ['channel'], message: 'Invalid option: expected one of "phone"|"email"', code: 'invalid_value' },
      { path: ['requester', 'name'], message: 'Too small: expected string to have >=1 characters', code: 'too_small', minimum: 1 },
    ]);
    expect(issues.map((i) => issueText(i, t))).toEqual(['Title: at most 200 characters', 'Channel: Choose a value from the list', 'Requester name: required']);
  });
});
