import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DraftDb, deleteDraft, loadDraft, saveDraft, setDraftDb, NEW_INCIDENT_DRAFT } from '../../renderer/drafts/db.js';
import { emptyForm, isDirty, toCreateInput, validateForm } from '../../renderer/features/incident-form/formState.js';

let n = 0;
beforeEach(() => { setDraftDb(new DraftDb(`drafts-test-${++n}`)); });
afterEach(() => { setDraftDb(null); });

describe('drafts (Dexie)', () => {
  it('keeps a half-typed form and gives it back after the database is opened again (a reload)', async () => {
    const form = { ...emptyForm('服务台一组'), title: '打印机卡纸', requester: { ...emptyForm('x').requester, name: '孙丽' } };
    await saveDraft(NEW_INCIDENT_DRAFT, form, new Date('2026-11-22T08:00:00Z'));
    // A fresh connection to the same database, as after a renderer reload.
    setDraftDb(new DraftDb(`drafts-test-${n}`));
    const back = await loadDraft<typeof form>(NEW_INCIDENT_DRAFT);
    expect(back?.data.title).toBe('打印机卡纸');
    expect(back?.data.requester.name).toBe('孙丽');
    expect(back?.data.clientId).toBe(form.clientId);
    expect(back?.updatedAt).toBe('2026-11-22T08:00:00.000Z');
  });

  it('overwrites the draft as typing goes on and deletes it on save', async () => {
    const form = emptyForm('g');
    await saveDraft(NEW_INCIDENT_DRAFT, { ...form, title: 'a' });
    await saveDraft(NEW_INCIDENT_DRAFT, { ...form, title: 'ab' });
    expect((await loadDraft<typeof form>(NEW_INCIDENT_DRAFT))?.data.title).toBe('ab');
    await deleteDraft(NEW_INCIDENT_DRAFT);
    expect(await loadDraft(NEW_INCIDENT_DRAFT)).toBeUndefined();
  });
});

describe('new-incident form state', () => {
  it('an untouched form is not worth a draft; a typed title is', () => {
    const f = emptyForm('g');
    expect(isDirty(f)).toBe(false);
    expect(isDirty({ ...f, title: 'x' })).toBe(true);
  });

  it('names missing required fields with the shared schema, in the API issue shape', () => {
    const issues = validateForm(emptyForm('g'));
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['requester.name', 'categoryId', 'title']));
    for (const i of issues.filter((x) => ['requester.name', 'categoryId', 'title'].includes(x.path))) expect(i.message).toBe('required');
  });

  it('requires a reason when marked urgent, and refuses a bad phone number', () => {
    const f = { ...emptyForm('g'), title: 't', rootCategoryId: 'hardware', urgent: true, requester: { ...emptyForm('g').requester, name: 'n', phone: 'call me' } };
    const paths = validateForm(f).map((i) => i.path);
    expect(paths).toContain('urgentReason');
    expect(paths).toContain('requester.phone');
  });

  it('refuses a reported time in the future', () => {
    const f = { ...emptyForm('g'), title: 't', rootCategoryId: 'hardware', requester: { ...emptyForm('g').requester, name: 'n' }, reportedAt: '2099-01-01T10:00' };
    expect(validateForm(f).map((i) => i.path)).toContain('reportedAt');
  });

  it('builds the create input: subcategory wins, empty strings become null, times become instants', () => {
    const f = { ...emptyForm('服务台一组', new Date('2026-11-22T08:00:00Z')), title: 't', rootCategoryId: 'network', subCategoryId: 'network.vpn',
      requester: { ...emptyForm('g').requester, name: 'n', department: '  ' } };
    const input = toCreateInput(f);
    expect(input.categoryId).toBe('network.vpn');
    expect(input.requester.department).toBeNull();
    expect(input.urgentReason).toBeNull();
    expect(input.reportedAt).toBe('2026-11-22T08:00:00.000Z');
    expect(input.group).toBe('服务台一组');
    expect(input.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(validateForm(f, new Date('2026-11-22T08:00:30Z'))).toEqual([]);
  });
});
