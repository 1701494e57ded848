import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../shared/index.js';
import { RETURN_REASONS, type ReturnReason } from '../../../shared/groups.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { dispatchIssueText } from './words.js';
import './dispatch.css';

/**
 * Second line sends a wrongly dispatched ticket back to first line (issue 12): a reason code and a
 * text, both required. The ticket goes to the first-line group that dispatched it.
 */
export function ReturnDialog({ inc, onDone, onCancel }: { inc: Incident; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState<ReturnReason | ''>('');
  const [text, setText] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await api.incident.transition.mutate({ id: inc.id, to: 'returned', reason: text, returnReason: code || null });
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
  const errorOf = (path: string) => issues.filter((i) => i.path === path).map((i, n) => <span key={n} className="field-error" role="alert">{dispatchIssueText(i, t)}</span>);
  return (
    <div className="prompt" data-testid="return-dialog" onKeyDown={onKey}>
      <strong>{t('ret.title')}</strong>
      <p className="muted">{t('ret.where', { group: inc.dispatchGroup ?? t('ret.firstLine') })}</p>
      <fieldset className="return-fieldset" data-testid="return-reasons">
        <legend>{t('ret.code')} *</legend>
        <div className="return-reasons">
          {RETURN_REASONS.map((r, k) => (
            <label key={r}>
              <input type="radio" name="return-reason" value={r} autoFocus={k === 0} checked={code === r} data-testid={`return-reason-${r}`} onChange={() => setCode(r)} />
              <span>{t(`ret.reason.${r}`)}</span>
            </label>
          ))}
        </div>
        {errorOf('returnReason')}
      </fieldset>
      <label className="field"><span>{t('ret.text')} *</span>
        <textarea rows={2} value={text} placeholder={t('ret.textPlaceholder')} data-testid="return-text" onChange={(e) => setText(e.target.value)} />
        {errorOf('reason')}
      </label>
      {issues.filter((i) => i.path !== 'returnReason' && i.path !== 'reason').map((i, n) => <div key={n} className="form-error" role="alert">{dispatchIssueText(i, t)}</div>)}
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={onCancel}>{t('detail.cancel')}</button>
        <button type="button" className="btn btn-primary btn-sm" data-testid="confirm-return" disabled={busy} onClick={() => void submit()}>
          {t('ret.confirm')} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </div>
  );
}

/** At the top of a returned incident: why second line sent it back, and how often. */
export function ReturnBanner({ inc }: { inc: Incident }) {
  const { t } = useTranslation();
  if (inc.status !== 'returned' || !inc.returnReason) return null;
  return (
    <div className="return-banner" role="note" data-testid="return-banner" data-reason={inc.returnReason}>
      <strong>{t('ret.banner', { reason: t(`ret.reason.${inc.returnReason}`) })}</strong>
      {inc.returnNote && <div className="pre" data-testid="return-note">{inc.returnNote}</div>}
      {(inc.returnCount ?? 0) > 1 && <div className="muted">{t('ret.count', { count: inc.returnCount })}</div>}
    </div>
  );
}

/** The queue's mark on a returned incident, naming the reason. */
export function ReturnedBadge({ row }: { row: { status: string; returnReason?: string | null } }) {
  const { t } = useTranslation();
  if (row.status !== 'returned' || !row.returnReason) return null;
  return <span className="badge badge-returned" data-testid="badge-returned" title={t('ret.badgeTitle')}>{t('ret.badge', { reason: t(`ret.reason.${row.returnReason}`) })}</span>;
}

/** Second line takes a dispatched ticket (assigned → in progress), recorded as accepted. */
export function AcceptButton({ inc, onDone, onError }: { inc: Incident; onDone: () => Promise<void>; onError: (i: FieldIssue[]) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  if (inc.status !== 'assigned') return null;
  const accept = async () => {
    setBusy(true);
    try { await api.incident.accept.mutate({ id: inc.id }); onError([]); await onDone(); } catch (err) {
      onError(issuesOf(err).map((i) => ({ ...i, message: dispatchIssueText(i, t), path: '' })));
    } finally { setBusy(false); }
  };
  return (
    <button type="button" className="btn btn-sm btn-primary" data-testid="accept-incident" disabled={busy} onClick={() => void accept()}>{t('dispatch.accept')}</button>
  );
}
