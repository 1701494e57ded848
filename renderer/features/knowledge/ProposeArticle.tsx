import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Category, Incident } from '../../../shared/index.js';
import { api, issuesOf, type FieldIssue, type RouterOutputs } from '../../platform/api.js';
import { categoryPath } from '../../lib/format.js';
import { useUi } from '../../state/ui.js';
import { knowText } from './words.js';

/**
 * "Propose as article" on a resolved (or closed) incident (issue 12 item 8): a form pre-filled with
 * the incident's title, resolution and category; saved as a draft on this desk and sent to the server
 * with the next sync (offline too). A lead reviews and publishes it in Administration → Knowledge.
 */
export function ProposeArticle({ inc, onDone }: { inc: Incident; onDone?: () => void }) {
  const { t, i18n } = useTranslation();
  const toast = useUi((s) => s.toast);
  const bump = useUi((s) => s.bump);
  const categories = useUi((s) => s.categories);
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [tags, setTags] = useState('');
  const [categoryId, setCategoryId] = useState<string>('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const revision = useUi((s) => s.revision);
  const [proposed, setProposed] = useState<RouterOutputs['knowledge']['proposedFrom']>([]);
  useEffect(() => {
    let live = true;
    api.knowledge.proposedFrom.query({ incidentId: inc.id }).then((r) => { if (live) setProposed(r); }).catch(() => undefined);
    return () => { live = false; };
  }, [inc.id, revision]);
  if ((inc.status !== 'resolved' && inc.status !== 'closed') || inc.number.startsWith('DEMO-')) return null;
  const byId = new Map<string, Category>(categories.map((c) => [c.id, c]));
  const start = () => {
    setTitle(inc.title); setBody(inc.resolution ?? ''); setTags(''); setCategoryId(inc.categoryId); setIssues([]); setOpen(true);
  };
  const submit = async () => {
    setBusy(true);
    try {
      await api.knowledge.propose.mutate({
        title, body, tags: tags.split(/[,，;；\s]+/).map((x) => x.trim()).filter(Boolean), categoryId: categoryId || null, sourceIncidentId: inc.id,
      });
      setOpen(false); setIssues([]);
      toast(t('know.propose.done', { title }));
      bump();
      onDone?.();
    } catch (err) {
      setIssues(issuesOf(err));
    } finally { setBusy(false); }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void submit(); }
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); setOpen(false); }
  };
  const errorOf = (path: string) => issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`)).map((i, n) => <span key={n} className="field-error" role="alert">{knowText(i, t)}</span>);
  const openKb = useUi.getState().openKbArticle;
  const list = proposed.length > 0 && (
    <ul className="know-proposed" data-testid="kb-proposed">
      {proposed.map((a) => (
        <li key={a.id}><button type="button" className="linkish" onClick={() => openKb(a.id)}>{a.title}</button>
          {' '}<span className={`pill know-status know-${a.status}`} data-testid="kb-proposed-status">{t(`know.status.${a.status}`)}</span></li>
      ))}
    </ul>
  );
  if (!open) return <>{list}<button type="button" className="btn btn-sm" data-testid="kb-propose" onClick={start}>{t('know.propose.button')}</button></>;
  return (
    <div className="prompt know-propose" data-testid="kb-propose-form" role="group" aria-label={t('know.propose.title')} onKeyDown={onKey}>
      <strong>{t('know.propose.title')}</strong>
      <p className="muted">{t('know.propose.hint')}</p>
      <label className="field"><span>{t('know.field.title')} *</span>
        <input autoFocus value={title} data-testid="kb-propose-title" onChange={(e) => setTitle(e.target.value)} />{errorOf('title')}</label>
      <label className="field"><span>{t('know.field.body')} *</span>
        <textarea rows={5} value={body} data-testid="kb-propose-body" onChange={(e) => setBody(e.target.value)} />{errorOf('body')}</label>
      <label className="field"><span>{t('know.field.categoryId')}</span>
        <select value={categoryId} data-testid="kb-propose-category" onChange={(e) => setCategoryId(e.target.value)}>
          <option value="">{t('know.noCategory')}</option>
          {categories.map((c) => <option key={c.id} value={c.id}>{categoryPath(c.id, byId, i18n.language)}</option>)}
        </select>{errorOf('categoryId')}</label>
      <label className="field"><span>{t('know.field.tags')}</span>
        <input value={tags} placeholder={t('know.tagsHint')} data-testid="kb-propose-tags" onChange={(e) => setTags(e.target.value)} />{errorOf('tags')}</label>
      {issues.filter((i) => !['title', 'body', 'categoryId', 'tags'].includes(i.path.split('.')[0])).map((i, n) => <div key={n} className="form-error" role="alert">{knowText(i, t)}</div>)}
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={() => setOpen(false)}>{t('detail.cancel')}</button>
        <button type="button" className="btn btn-primary btn-sm" data-testid="kb-propose-submit" disabled={busy} onClick={() => void submit()}>{t('know.propose.submit')} <kbd>Ctrl+Enter</kbd></button>
      </div>
    </div>
  );
}
