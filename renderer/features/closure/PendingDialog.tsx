import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../shared/index.js';
import { PENDING_REASONS, type PendingReason } from '../../../shared/closure.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { closureIssueText } from './words.js';
import './closure.css';

/** Pending names what it waits for (issue 12): the requester, a vendor, a change, or something else (then said in words). */
export function PendingDialog({ inc, onDone, onCancel }: { inc: Incident; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState<PendingReason | ''>('');
  const [text, setText] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await api.incident.transition.mutate({ id: inc.id, to: 'pending', pendingReason: code || null, reason: text || null });
      setIssues([]);
      await onDone();
    } catch (err) {
      setIssues(issuesOf(err));
    } finally { setBusy(false); }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void submit(); }
    if (e.key === 'Escape') { e.preventDefault(); onCancel(); }
  };
  const word = (i: FieldIssue) => (i.path === 'reason' && /^required/.test(i.message) ? t('pend.err.noText') : closureIssueText(i, t));
  const errorOf = (path: string) => issues.filter((i) => i.path === path).map((i, n) => <span key={n} className="field-error" role="alert">{word(i)}</span>);
  return (
    <div className="prompt" data-testid="transition-prompt" data-dialog="pending" onKeyDown={onKey}>
      <strong>{t('pend.title')}</strong>
      <p className="muted">{t('pend.hint')}</p>
      <fieldset className="closure-fieldset" data-testid="pending-reasons">
        <legend>{t('pend.code')} *</legend>
        <div className="closure-options">
          {PENDING_REASONS.map((r, k) => (
            <label key={r}>
              <input type="radio" name="pending-reason" value={r} autoFocus={k === 0} checked={code === r} data-testid={`pending-reason-${r}`} onChange={() => setCode(r)} />
              <span>{t(`pend.reason.${r}`)}</span>
            </label>
          ))}
        </div>
        {errorOf('pendingReason')}
      </fieldset>
      <label className="field"><span>{t('pend.text')}{code === 'other' ? ' *' : ''}</span>
        <textarea rows={2} value={text} placeholder={t('pend.textPlaceholder')} data-testid="pending-text" onChange={(e) => setText(e.target.value)} />
        {errorOf('reason')}
      </label>
      {issues.filter((i) => i.path !== 'pendingReason' && i.path !== 'reason').map((i, n) => <div key={n} className="form-error" role="alert">{word(i)}</div>)}
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={onCancel}>{t('detail.cancel')}</button>
        <button type="button" className="btn btn-primary btn-sm" data-testid="confirm-transition" disabled={busy} onClick={() => void submit()}>
          {t('pend.confirm')} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </div>
  );
}
