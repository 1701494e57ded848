import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { canWorkRecords } from '../../../shared/problems.js';
import type { Incident } from '../../../shared/index.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { useProblemsUi } from './state.js';
import { recordIssueText } from './words.js';
import './problems.css';

/** Opens the problem and change screen on one record. */
export function openRecord(kind: 'problem' | 'change', id: string) {
  if (kind === 'problem') useProblemsUi.getState().openProblem(id); else useProblemsUi.getState().openChange(id);
  useUi.getState().setView('problems');
}

/**
 * The incident's problem and change (issue 12, item 6), for the detail's fields: each a link to its
 * record; an older incident's free-text reference is kept readable beside it.
 */
export function IncidentRecordLinks({ inc }: { inc: Incident }) {
  const { t } = useTranslation();
  const revision = useUi((s) => s.revision);
  const [labels, setLabels] = useState<{ problem?: { number: string; title: string; status: string } | null; change?: { number: string; title: string; status: string } | null }>({});
  useEffect(() => {
    let live = true;
    void Promise.all([
      inc.problemId ? api.problem.get.query({ id: inc.problemId }).then((d) => d.problem).catch(() => null) : Promise.resolve(undefined),
      inc.changeId ? api.change.get.query({ id: inc.changeId }).then((d) => d.change).catch(() => null) : Promise.resolve(undefined),
    ]).then(([problem, change]) => { if (live) setLabels({ problem, change }); });
    return () => { live = false; };
  }, [inc.problemId, inc.changeId, revision]);
  const one = (kind: 'problem' | 'change', id: string | null | undefined, label: { number: string; title: string; status: string } | null | undefined, legacy: string | null) => (
    <>
      <dt>{t(kind === 'problem' ? 'field.problemId' : 'field.changeId')}</dt>
      <dd data-testid={`detail-${kind}`}>
        {id ? (label ? (
          <button type="button" className="record-link" data-testid={`detail-${kind}-open`} onClick={() => openRecord(kind, id)}>
            {label.number} {label.title}
          </button>
        ) : <span className="muted">{label === null ? t('problems.unknownHere') : ''}</span>) : t('detail.none')}
        {id && label && <span className="muted"> · {t(`problems.${kind === 'problem' ? 'status' : 'changeStatus'}.${label.status}`)}</span>}
        {legacy && <div className="muted" data-testid={`detail-${kind}-legacy`}>{t('problems.legacyRef', { ref: legacy })}</div>}
      </dd>
    </>
  );
  return (
    <>
      {one('problem', inc.problemId, labels.problem, inc.problemRef)}
      {one('change', inc.changeId, labels.change, inc.changeRef)}
    </>
  );
}

/**
 * "Raise problem" on the incident (second line, leads, admins; DOMAIN.md step 6): a problem with no
 * solution yet, numbered on this desk, linked to the incident at once; works offline.
 */
export function RaiseProblem({ inc, onDone }: { inc: Incident; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const role = useUi((s) => s.desk?.user?.role);
  const toast = useUi((s) => s.toast);
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [rootCause, setRootCause] = useState('');
  const [workaround, setWorkaround] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  if (!canWorkRecords(role) || inc.problemId || inc.status === 'closed') return null;
  const start = () => { setTitle(inc.title); setRootCause(inc.rootCause ?? ''); setWorkaround(''); setIssues([]); setOpen(true); };
  const submit = async () => {
    setBusy(true);
    try {
      const p = await api.problem.raise.mutate({ incidentId: inc.id, title, rootCause: rootCause || null, workaround: workaround || null });
      setOpen(false);
      toast(t('problems.raised', { number: p.number }));
      await onDone();
    } catch (err) { setIssues(issuesOf(err)); } finally { setBusy(false); }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void submit(); }
    if (e.key === 'Escape') { e.preventDefault(); setOpen(false); }
  };
  const err = (path: string) => issues.filter((i) => i.path === path).map((i, n) => <span key={n} className="field-error" role="alert">{recordIssueText(i, t)}</span>);
  if (!open) return <button type="button" className="btn btn-sm" data-testid="raise-problem" onClick={start}>{t('problems.raise')}</button>;
  return (
    <div className="prompt" data-testid="raise-problem-prompt" onKeyDown={onKey}>
      <strong>{t('problems.raiseTitle')}</strong>
      <p className="muted">{t('problems.raiseHint')}</p>
      <label className="field"><span>{t('problems.field.title')} *</span>
        <input autoFocus value={title} maxLength={200} data-testid="raise-problem-title" onChange={(e) => setTitle(e.target.value)} />{err('title')}</label>
      <label className="field"><span>{t('problems.field.rootCause')}</span>
        <textarea rows={2} value={rootCause} data-testid="raise-problem-root-cause" onChange={(e) => setRootCause(e.target.value)} />{err('rootCause')}</label>
      <label className="field"><span>{t('problems.field.workaround')}</span>
        <textarea rows={2} value={workaround} data-testid="raise-problem-workaround" onChange={(e) => setWorkaround(e.target.value)} />{err('workaround')}</label>
      {issues.filter((i) => !['title', 'rootCause', 'workaround'].includes(i.path)).map((i, n) => <div key={n} className="form-error" role="alert">{recordIssueText(i, t)}</div>)}
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={() => setOpen(false)}>{t('detail.cancel')}</button>
        <button type="button" className="btn btn-primary btn-sm" data-testid="raise-problem-confirm" disabled={busy} onClick={() => void submit()}>
          {t('problems.raiseConfirm')} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </div>
  );
}
