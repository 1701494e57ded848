import { Fragment, useCallback, useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { KbStatus } from '../../../shared/knowledge.js';
import type { Category } from '../../../shared/index.js';
import { api, issuesOf, type FieldIssue, type RouterOutputs } from '../../platform/api.js';
import { categoryPath, formatDateTime } from '../../lib/format.js';
import { useUi } from '../../state/ui.js';
import { Versions } from './Versions.js';
import { knowText } from './words.js';
import './knowledge.css';

type Article = RouterOutputs['knowledge']['review']['articles'][number];
interface Draft { id?: string; title: string; body: string; tags: string; categoryId: string; baseVersion?: number }

/**
 * Administration → Knowledge (issue 12 item 8): the review list for leads and admins. Drafts proposed
 * from desks come first; each can be edited (the earlier version is kept), published or retired, and
 * its versions read. Writes go to the central server as the signed-in user; the server checks the role.
 */
export function KnowledgeTab({ online }: { online: boolean }) {
  const { t, i18n } = useTranslation();
  const toast = useUi((s) => s.toast);
  const bump = useUi((s) => s.bump);
  const categories = useUi((s) => s.categories);
  const byId = new Map<string, Category>(categories.map((c) => [c.id, c]));
  const [articles, setArticles] = useState<Article[] | null>(null);
  const [filter, setFilter] = useState<KbStatus | 'all'>('draft');
  const [openId, setOpenId] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problems, setProblems] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try { setArticles((await api.knowledge.review.query()).articles); } catch (err) { setProblems(issuesOf(err)); }
  }, []);
  useEffect(() => { void load(); }, [load]);

  const run = async (fn: () => Promise<unknown>, done: string): Promise<boolean> => {
    setBusy(true); setProblems([]);
    try { await fn(); toast(done); await load(); bump(); return true; } catch (err) { setProblems(issuesOf(err)); return false; } finally { setBusy(false); }
  };
  const save = async () => {
    if (!draft) return;
    const d = draft;
    const input = { ...(d.id ? { id: d.id, baseVersion: d.baseVersion } : {}), title: d.title, body: d.body, tags: d.tags.split(/[,，;；\s]+/).map((x) => x.trim()).filter(Boolean), categoryId: d.categoryId || null };
    if (await run(() => api.knowledge.save.mutate(input), t('know.review.saved', { title: d.title }))) setDraft(null);
  };
  const onFormKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); setDraft(null); setProblems([]); }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void save(); }
  };
  const shown = (articles ?? []).filter((a) => filter === 'all' || a.status === filter);
  const count = (s: KbStatus) => (articles ?? []).filter((a) => a.status === s).length;
  const errorOf = (path: string) => problems.filter((i) => i.path === path || i.path.startsWith(`${path}.`)).map((i, n) => <span key={n} className="field-error" role="alert">{knowText(i, t)}</span>);
  const general = problems.filter((i) => !['title', 'body', 'tags', 'categoryId'].includes(i.path.split('.')[0]));
  return (
    <div data-testid="admin-knowledge" className="know-review">
      <div className="know-filters" role="radiogroup" aria-label={t('know.review.filter')}>
        {(['draft', 'published', 'retired', 'all'] as const).map((s) => (
          <label key={s} className="check">
            <input type="radio" name="know-filter" checked={filter === s} data-testid={`kb-filter-${s}`} onChange={() => setFilter(s)} />
            {s === 'all' ? t('know.review.all') : `${t(`know.status.${s}`)} (${count(s)})`}
          </label>
        ))}
        <span className="spacer" />
        {online && !draft && <button type="button" className="btn btn-sm" data-testid="kb-new" onClick={() => { setProblems([]); setDraft({ title: '', body: '', tags: '', categoryId: '' }); }}>{t('know.review.new')}</button>}
      </div>
      {!online && <p className="admin-hint">{t('know.review.needsServer')}</p>}
      {general.length > 0 && <ul className="admin-problems" role="alert" data-testid="kb-problems">{general.map((i, n) => <li key={n}>{knowText(i, t)}</li>)}</ul>}
      {draft && (
        <form className="admin-form" noValidate data-testid="kb-edit-form" aria-label={t(draft.id ? 'know.review.edit' : 'know.review.new')} onKeyDown={onFormKey}
          onSubmit={(e: FormEvent) => { e.preventDefault(); void save(); }}>
          <h3>{draft.id ? t('know.review.editing', { title: draft.title, n: draft.baseVersion }) : t('know.review.new')}</h3>
          <label className="field"><span>{t('know.field.title')} *</span>
            <input autoFocus value={draft.title} data-testid="kb-edit-title" onChange={(e) => setDraft({ ...draft, title: e.target.value })} />{errorOf('title')}</label>
          <label className="field know-body-field"><span>{t('know.field.body')} *</span>
            <textarea rows={8} value={draft.body} data-testid="kb-edit-body" onChange={(e) => setDraft({ ...draft, body: e.target.value })} />{errorOf('body')}</label>
          <label className="field"><span>{t('know.field.categoryId')}</span>
            <select value={draft.categoryId} data-testid="kb-edit-category" onChange={(e) => setDraft({ ...draft, categoryId: e.target.value })}>
              <option value="">{t('know.noCategory')}</option>
              {categories.map((c) => <option key={c.id} value={c.id}>{categoryPath(c.id, byId, i18n.language)}</option>)}
            </select>{errorOf('categoryId')}</label>
          <label className="field"><span>{t('know.field.tags')}</span>
            <input value={draft.tags} placeholder={t('know.tagsHint')} onChange={(e) => setDraft({ ...draft, tags: e.target.value })} />{errorOf('tags')}</label>
          <div className="admin-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="kb-edit-save">{t('admin.save')} <kbd>Ctrl+Enter</kbd></button>
            <button type="button" className="btn" onClick={() => { setDraft(null); setProblems([]); }}>{t('admin.cancel')}</button>
          </div>
        </form>
      )}
      {articles && shown.length === 0 && <p className="muted" data-testid="kb-review-empty">{t(filter === 'draft' ? 'know.review.noDrafts' : 'know.review.none')}</p>}
      {shown.length > 0 && (
        <table className="admin-table" data-testid="kb-review-table">
          <thead><tr>
            <th>{t('know.field.title')}</th><th>{t('know.field.status')}</th><th>{t('know.field.version')}</th><th>{t('know.field.owner')}</th>
            <th>{t('know.field.useCount')}</th><th>{t('know.field.updatedAt')}</th>{online && <th />}
          </tr></thead>
          <tbody>
            {shown.map((a) => (
              <Fragment key={a.id}>
                <tr data-testid="kb-review-row" data-id={a.id} data-status={a.status} className={a.status === 'retired' ? 'inactive' : undefined}>
                  <td><button type="button" className="linkish" data-testid="kb-review-open" onClick={() => setOpenId(openId === a.id ? null : a.id)}>{a.title}</button>
                    {a.categoryId && <div className="muted small">{categoryPath(a.categoryId, byId, i18n.language)}</div>}</td>
                  <td><span className={`pill know-status know-${a.status}`} data-testid="kb-review-status">{t(`know.status.${a.status}`)}</span></td>
                  <td data-testid="kb-review-version">{a.version}</td>
                  <td>{a.ownerName ?? t('know.versions.system')}</td>
                  <td data-testid="kb-review-uses">{a.useCount}</td>
                  <td>{formatDateTime(a.updatedAt, i18n.language)}</td>
                  {online && (
                    <td><div className="know-actions">
                      {a.status !== 'published' && <button type="button" className="btn btn-sm btn-primary" disabled={busy} data-testid="kb-publish"
                        onClick={() => void run(() => api.knowledge.publish.mutate({ id: a.id, baseVersion: a.version }), t('know.review.published', { title: a.title }))}>{t('know.review.publish')}</button>}
                      <button type="button" className="btn btn-sm" disabled={busy} data-testid="kb-edit"
                        onClick={() => { setProblems([]); setDraft({ id: a.id, title: a.title, body: a.body, tags: a.tags.join(', '), categoryId: a.categoryId ?? '', baseVersion: a.version }); }}>{t('admin.edit')}</button>
                      {a.status !== 'retired' && <button type="button" className="btn btn-sm" disabled={busy} data-testid="kb-retire"
                        onClick={() => void run(() => api.knowledge.retire.mutate({ id: a.id }), t('know.review.retired', { title: a.title }))}>{t('know.review.retire')}</button>}
                    </div></td>
                  )}
                </tr>
                {openId === a.id && (
                  <tr className="know-open-row"><td colSpan={online ? 7 : 6}>
                    <div className="pre know-body" data-testid="kb-review-body">{a.body}</div>
                    <Versions id={a.id} current={a.version} />
                  </td></tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
