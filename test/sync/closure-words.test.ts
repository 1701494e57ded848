import { describe, expect, it } from 'vitest';
import { i18n } from '../../renderer/i18n/index.js';
import { rejectionReason, rejectionTodo } from '../../renderer/features/sync/syncText.js';
import { historyWords } from '../../renderer/lib/historyText.js';

/** Issue 12: what the server's refusal of an edit of a closed incident, and the closure history, read like in both languages. */
describe('closure refusals and history in the UI language', () => {
  const row = { id: 'r', seq: 3, name: 'incident.update', at: '2026-12-07T02:00:00Z', code: 'closed_readonly', params: { field: 'title' } };
  it('an edit refused because the incident was closed names the field, in zh-CN and English', () => {
    expect(rejectionReason(row, i18n.getFixedT('zh-CN'))).toBe('事件已关闭：只能添加记录和回访评价，对标题的修改未执行');
    expect(rejectionReason(row, i18n.getFixedT('en'))).toMatch(/^The incident was already closed: .* the edit of Title was not applied$/);
    expect(rejectionTodo(row, i18n.getFixedT('en'))).toMatch(/note/);
  });
  it('an auto-close and the closure facts are worded, never shown as codes', () => {
    for (const lng of ['zh-CN', 'en'] as const) {
      const t = i18n.getFixedT(lng);
      const c = { t, locale: lng, person: (id: string) => id, category: () => '' };
      const base = { id: 'h', incidentId: 'i', at: '2026-12-07T02:00:00Z', actorId: 'u', actorName: null, deviceId: 'd', online: true };
      const auto = historyWords({ ...base, kind: 'transition', field: 'status', oldValue: 'resolved', newValue: 'closed', note: 'auto_closed' }, c);
      const via = historyWords({ ...base, kind: 'field', field: 'confirmedVia', oldValue: null, newValue: 'in_person', note: null }, c);
      const pend = historyWords({ ...base, kind: 'field', field: 'pendingReason', oldValue: null, newValue: 'vendor', note: null }, c);
      for (const w of [auto, via, pend]) expect(JSON.stringify(w)).not.toMatch(/auto_closed|in_person|confirmedVia|pendingReason|"vendor"/);
      expect(auto.note).toBe(lng === 'en' ? 'Closed automatically: nobody confirmed the resolution within the set days' : '自动关闭：解决后在设定天数内无人确认');
      expect(via.to).toBe(lng === 'en' ? 'In person' : '当面');
      expect(pend.to).toBe(lng === 'en' ? 'A vendor' : '厂商');
    }
  });
});
