import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../electron/core/host/server';
import { incidentCreateSchema, type FieldIssue } from '../../shared/index.js';
import { i18n } from '../../renderer/i18n/index.js';
import { importColumn, issueText } from '../../renderer/lib/format.js';
import { fromZodIssues } from '../../renderer/lib/zodIssues.js';
import { openTestDesk } from '../helpers/desk.js';
import { DeskInputError } from '../../electron/core/store/errors.js';

// Issue 14, item 2: the desk API sends each field issue as a code and its parameters (the English
// message stays, for logs); the renderer words the code, never the English.
const dir = mkdtempSync(path.join(os.tmpdir(), 'rd-issues-'));
const staticDir = mkdtempSync(path.join(os.tmpdir(), 'rd-issues-static-'));
let host: Host;
const call = async (p: string, input: unknown): Promise<{ status: number; issues: FieldIssue[] }> => {
  const res = await fetch(`${host.url}trpc/${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const json = (await res.json()) as { error?: { data?: { issues?: FieldIssue[] } } };
  return { status: res.status, issues: json.error?.data?.issues ?? [] };
};
const incident = {
  channel: 'phone', requester: { name: '周敏', phone: '138 0013 8000' }, serviceType: 'fault', categoryId: 'hardware',
  title: '打印机卡纸', impact: 'low', urgency: 'low',
};

beforeAll(async () => {
  host = await startHost({ dataDir: dir, port: 0, staticDir, now: () => new Date('2026-11-22T02:00:00Z') });
  host.desk.store.setup({ name: '王芳', role: 'agent', group: '服务台', locale: 'zh-CN' });
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(staticDir, { recursive: true, force: true });
});

describe('field issues from the desk API', () => {
  it('a schema refusal carries a code and parameters per field, the English kept as the message', async () => {
    const res = await call('incident.create', { ...incident, title: '长'.repeat(201), requester: { name: ' ', phone: 'abc' }, channel: 'pigeon' });
    expect(res.status).toBe(400);
    const by = (p: string) => res.issues.find((i) => i.path === p);
    expect(by('title')).toEqual({ path: 'title', message: 'at most 200 characters', code: 'too_long', params: { max: 200 } });
    expect(by('requester.name')).toEqual({ path: 'requester.name', message: 'required', code: 'required' });
    expect(by('requester.phone')).toMatchObject({ code: 'not_phone' });
    expect(by('channel')).toMatchObject({ code: 'invalid_choice' });
  });

  it('a refusal of the store (a time in the future, an unknown category) carries its code too', async () => {
    const future = await call('incident.create', { ...incident, reportedAt: '2026-11-23T02:00:00Z' });
    expect(future.issues).toEqual([{ path: 'reportedAt', message: 'is in the future', code: 'future' }]);
    const cat = await call('incident.create', { ...incident, categoryId: 'gardening' });
    expect(cat.issues[0]).toMatchObject({ path: 'categoryId', code: 'unknown_category' });
  });

  it('the renderer\'s own check of the same input gives the same issues (one place makes them)', async () => {
    const input = { ...incident, title: 'x'.repeat(250), requester: { name: '周敏', phone: 'abc' } };
    const api = await call('incident.create', input);
    const local = fromZodIssues(incidentCreateSchema.safeParse(input).error!.issues);
    expect(local).toEqual(api.issues);
  });

  it('an import without a required column names the field by its key, in the UI language', async () => {
    const d = await openTestDesk();
    try {
      const csv = '\uFEFF标题 / Title,报告时间 / Reported\r\n打印机卡纸,2025-03-03 09:00\r\n';
      const input = { fileName: 'x.csv', contentBase64: Buffer.from(csv).toString('base64'), shape: 'list' as const };
      const p = await d.api.import.preview(input);
      const noColumn = p.errors.filter((e) => e.code === 'no_column');
      expect(noColumn.map((e) => e.params?.field).sort()).toEqual(expect.arrayContaining(['category', 'number', 'requester']));
      const err = await d.api.import.commit(input).catch((e: { cause?: unknown }) => e.cause);
      expect(err).toBeInstanceOf(DeskInputError);
      expect((err as DeskInputError).issues.find((i) => i.params?.field === 'category')).toMatchObject({ code: 'no_column' });
      const cat = noColumn.find((e) => e.params?.field === 'category')!;
      // The column cell names an unmapped field in the UI language (the core's label is `中文/English`).
      expect(importColumn(cat, p.fields, 'en')).toBe('Category');
      expect(importColumn(cat, p.fields, 'zh-CN')).toBe('分类');
      expect(importColumn({ column: '标题 / Title', field: 'title' }, p.fields, 'en')).toBe('标题 / Title');
      await i18n.changeLanguage('en');
      expect(issueText({ path: '', ...cat }, i18n.getFixedT('en'))).toBe('No column is mapped to “Category” (required)');
      await i18n.changeLanguage('zh-CN');
      expect(issueText({ path: '', ...cat }, i18n.getFixedT('zh-CN'))).toBe('没有列对应到“分类”（必填）');
    } finally { d.close(); }
  });
});

describe('the renderer words a field issue from its code', () => {
  const word = async (lang: 'zh-CN' | 'en', issue: FieldIssue) => { await i18n.changeLanguage(lang); return issueText(issue, i18n.getFixedT(lang)); };
  it('in both languages, whatever the English message says', async () => {
    const tooLong: FieldIssue = { path: 'title', message: '(English for the log)', code: 'too_long', params: { max: 200 } };
    expect(await word('zh-CN', tooLong)).not.toMatch(/[A-Za-z]{3,}/);
    expect(await word('zh-CN', tooLong)).toContain('200');
    expect(await word('en', tooLong)).toMatch(/^Title\W+at most 200 characters$/i);
    const moved: FieldIssue = { path: 'to', message: 'x', code: 'illegal_transition', params: { from: 'new', to: 'closed' } };
    expect(await word('en', moved)).toMatch(/New.*Closed/);
    expect(await word('zh-CN', moved)).toMatch(/新建.*已关闭/);
    expect(await word('en', { path: 'satisfaction', message: 'Too big: expected number to be <=5', code: 'too_big', params: { max: 5 } })).toMatch(/At most 5$/);
  });
  it('an issue without a code (an older desk) is still worded from its known English', async () => {
    expect(await word('zh-CN', { path: 'title', message: 'at most 200 characters' })).toBe(await word('zh-CN', { path: 'title', message: '', code: 'too_long', params: { max: 200 } }));
  });
});
