import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../shared/index.js';
import { CONFIRM_VIA, type ConfirmVia } from '../../../shared/closure.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { formatDateTime, fromLocalInput, toLocalInput } from '../../lib/format.js';
import { closureIssueText } from './words.js';
import './closure.css';

function useIssues() {
  const { t } = useTranslation();
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const errorOf = (path: string) => issues.filter((i) => i.path === path).map((i, n) => <span key={n} className="field-error" role="alert">{closureIssueText(i, t)}</span>);
  const rest = (...paths: string[]) => issues.filter((i) => !paths.includes(i.path)).map((i, n) => <div key={n} className="form-error" role="alert">{closureIssueText(i, t)}</div>);
  return { issues, setIssues, errorOf, rest };
}

function keys(submit: () => void, cancel: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); }
    if (e.key === 'Escape') { e.preventDefault(); cancel(); }
  };
}

/** Satisfaction 1–5 as a row of radio buttons (optional: "not asked" clears it). */
function Rating({ value, onChange, error }: { value: number | null; onChange: (v: number | null) => void; error: ReactNode }) {
  const { t } = useTranslation();
  return (
    <fieldset className="closure-fieldset" data-testid="closure-rating">
      <legend>{t('closure.rating')}</legend>
      <div className="closure-options closure-stars">
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} title={t(`closure.stars.${n}`)}>
            <input type="radio" name="closure-rating" checked={value === n} data-testid={`closure-rating-${n}`} onChange={() => onChange(n)} />
            <span aria-label={t(`closure.stars.${n}`)}>{'★'.repeat(n)}</span>
          </label>
        ))}
        <label><input type="radio" name="closure-rating" checked={value === null} data-testid="closure-rating-none" onChange={() => onChange(null)} /><span>{t('closure.notRated')}</span></label>
      </div>
      {error}
    </fieldset>
  );
}

/**
 * Resolved → first line confirms the resolution with the requester (who, how, when) and closes,
 * asking the satisfaction rating in the same dialog. "The fault persists" reopens it instead, with why.
 */
export function ConfirmCloseDialog({ inc, onDone, onCancel }: { inc: Incident; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [who, setWho] = useState(inc.requesterName);
  // Keyboard-first: who is the requester and how follows the channel they came by (a hotline call is called back); both can be changed.
  const [via, setVia] = useState<ConfirmVia | ''>(inc.channel === 'email' ? 'email' : inc.channel === 'walk_in' ? 'in_person' : 'phone');
  const [when, setWhen] = useState(toLocalInput(new Date().toISOString()));
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [persists, setPersists] = useState(false);
  const [why, setWhy] = useState('');
  const [busy, setBusy] = useState(false);
  const { setIssues, errorOf, rest } = useIssues();
  const call = async (f: () => Promise<unknown>) => {
    setBusy(true);
    try { await f(); setIssues([]); await onDone(); } catch (err) { setIssues(issuesOf(err)); } finally { setBusy(false); }
  };
  const close = () => call(() => api.closure.confirmClose.mutate({
    id: inc.id, confirmedWith: who, confirmedVia: (via || undefined) as ConfirmVia, confirmedAt: fromLocalInput(when), satisfaction: rating, satisfactionComment: comment || null,
  }));
  const reopen = () => call(() => api.closure.reopen.mutate({ id: inc.id, reason: why }));
  const submit = () => void (persists ? reopen() : close());
  return (
    <div className="prompt" data-testid="transition-prompt" data-dialog="confirm-close" onKeyDown={keys(submit, onCancel)}>
      <strong>{t('closure.title')}</strong>
      <p className="muted">{t('closure.hint', { requester: inc.requesterName, phone: inc.requesterPhone ?? inc.requesterEmail ?? '' })}</p>
      {!persists && (<>
        <div className="row3">
          <label className="field"><span>{t('closure.who')} *</span>
            <input autoFocus value={who} data-testid="confirm-who" onChange={(e) => setWho(e.target.value)} />{errorOf('confirmedWith')}</label>
          <label className="field"><span>{t('closure.when')}</span>
            <input type="datetime-local" value={when} data-testid="confirm-when" onChange={(e) => setWhen(e.target.value)} />{errorOf('confirmedAt')}</label>
        </div>
        <fieldset className="closure-fieldset" data-testid="confirm-via">
          <legend>{t('closure.via')} *</legend>
          <div className="closure-options">
            {CONFIRM_VIA.map((v) => (
              <label key={v}><input type="radio" name="confirm-via" checked={via === v} data-testid={`confirm-via-${v}`} onChange={() => setVia(v)} /><span>{t(`closure.viaCode.${v}`)}</span></label>
            ))}
          </div>
          {errorOf('confirmedVia')}
        </fieldset>
        <Rating value={rating} onChange={setRating} error={errorOf('satisfaction')} />
        <label className="field"><span>{t('closure.comment')}</span>
          <textarea rows={2} value={comment} placeholder={t('closure.commentPlaceholder')} data-testid="confirm-comment" onChange={(e) => setComment(e.target.value)} />{errorOf('satisfactionComment')}</label>
      </>)}
      {persists && (
        <div className="closure-persists">
          <label className="field"><span>{t('closure.whyPersists')} *</span>
            <textarea autoFocus rows={2} value={why} placeholder={t('closure.whyPlaceholder')} data-testid="reopen-reason" onChange={(e) => setWhy(e.target.value)} />{errorOf('reason')}</label>
          <p className="muted">{t('closure.reopenNote', { count: (inc.reopenCount ?? 0) + 1 })}</p>
        </div>
      )}
      {rest('confirmedWith', 'confirmedAt', 'confirmedVia', 'satisfaction', 'satisfactionComment', 'reason')}
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={onCancel}>{t('detail.cancel')}</button>
        <button type="button" className="btn btn-sm" data-testid="fault-persists" onClick={() => { setIssues([]); setPersists(!persists); }}>
          {persists ? t('closure.backToConfirm') : t('closure.persists')}</button>
        <button type="button" className="btn btn-primary btn-sm" data-testid="confirm-transition" data-action={persists ? 'reopen' : 'close'} disabled={busy} onClick={submit}>
          {persists ? t('closure.reopen') : t('closure.close')} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </div>
  );
}

/** The requester says the fault persists: reopened with why (also offered from the confirmation dialog). */
export function ReopenDialog({ inc, onDone, onCancel }: { inc: Incident; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [why, setWhy] = useState('');
  const [busy, setBusy] = useState(false);
  const { setIssues, errorOf, rest } = useIssues();
  const submit = async () => {
    setBusy(true);
    try { await api.closure.reopen.mutate({ id: inc.id, reason: why }); setIssues([]); await onDone(); } catch (err) { setIssues(issuesOf(err)); } finally { setBusy(false); }
  };
  return (
    <div className="prompt" data-testid="transition-prompt" data-dialog="reopen" onKeyDown={keys(() => void submit(), onCancel)}>
      <strong>{t('closure.reopenTitle')}</strong>
      <label className="field"><span>{t('closure.whyPersists')} *</span>
        <textarea autoFocus rows={2} value={why} placeholder={t('closure.whyPlaceholder')} data-testid="reopen-reason" onChange={(e) => setWhy(e.target.value)} />{errorOf('reason')}</label>
      <p className="muted">{t('closure.reopenNote', { count: (inc.reopenCount ?? 0) + 1 })}</p>
      {rest('reason')}
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={onCancel}>{t('detail.cancel')}</button>
        <button type="button" className="btn btn-primary btn-sm" data-testid="confirm-transition" disabled={busy} onClick={() => void submit()}>{t('closure.reopen')} <kbd>Ctrl+Enter</kbd></button>
      </div>
    </div>
  );
}

/** The follow-up call (回访) records the rating on a closed (or resolved) incident: the one edit a closed incident takes. */
export function FollowUpDialog({ inc, onDone, onCancel }: { inc: Incident; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [rating, setRating] = useState<number | null>(inc.satisfaction);
  const [comment, setComment] = useState(inc.satisfactionComment ?? '');
  const [busy, setBusy] = useState(false);
  const { setIssues, errorOf, rest } = useIssues();
  const submit = async () => {
    if (rating === null) { setIssues([{ path: 'satisfaction', message: 'required' }]); return; }
    setBusy(true);
    try { await api.closure.followUp.mutate({ id: inc.id, satisfaction: rating, satisfactionComment: comment || null }); setIssues([]); await onDone(); } catch (err) { setIssues(issuesOf(err)); } finally { setBusy(false); }
  };
  return (
    <div className="prompt" data-testid="follow-up-dialog" onKeyDown={keys(() => void submit(), onCancel)}>
      <strong>{t('closure.followUpTitle')}</strong>
      <Rating value={rating} onChange={setRating} error={errorOf('satisfaction')} />
      <label className="field"><span>{t('closure.comment')}</span>
        <textarea rows={2} value={comment} data-testid="follow-up-comment" onChange={(e) => setComment(e.target.value)} />{errorOf('satisfactionComment')}</label>
      {rest('satisfaction', 'satisfactionComment')}
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={onCancel}>{t('detail.cancel')}</button>
        <button type="button" className="btn btn-primary btn-sm" data-testid="confirm-follow-up" disabled={busy} onClick={() => void submit()}>{t('closure.saveRating')} <kbd>Ctrl+Enter</kbd></button>
      </div>
    </div>
  );
}

/** At the top of the incident: what a pending one waits for; how a closed one was closed; how often it was reopened. */
export function ClosureBanner({ inc }: { inc: Incident }) {
  const { t, i18n } = useTranslation();
  const reopens = inc.reopenCount ?? 0;
  if (inc.status === 'pending') {
    return (
      <div className="closure-banner pending" role="note" data-testid="pending-banner" data-reason={inc.pendingReason ?? ''}>
        <strong>{inc.pendingReason ? t('pend.banner', { reason: t(`pend.reason.${inc.pendingReason}`) }) : t('pend.bannerUnknown')}</strong>
        {inc.pendingNote && <div className="pre" data-testid="pending-note">{inc.pendingNote}</div>}
      </div>
    );
  }
  if (inc.status === 'closed') {
    return (
      <div className="closure-banner" role="note" data-testid="closed-banner" data-close-kind={inc.closeKind ?? ''}>
        <strong>{inc.closeKind === 'auto' ? t('closure.autoClosed') : inc.closeKind === 'confirmed'
          ? t('closure.confirmedLine', { who: inc.confirmedWith ?? '', via: t(`closure.viaCode.${inc.confirmedVia ?? 'other'}`), at: inc.confirmedAt ? formatDateTime(inc.confirmedAt, i18n.language) : '' })
          : t('closure.closedPlain')}</strong>
        <div className="muted">{t('closure.readOnly')}{reopens > 0 ? ` · ${t('closure.reopens', { count: reopens })}` : ''}</div>
      </div>
    );
  }
  if (reopens > 0 && inc.status !== 'resolved') {
    return <div className="closure-banner" role="note" data-testid="reopen-banner"><strong>{t('closure.reopens', { count: reopens })}</strong></div>;
  }
  return null;
}

/** The queue's mark on a pending incident (what it waits for) and on a reopened one. */
export function ClosureBadge({ row }: { row: { status: string; pendingReason?: string | null; reopenCount?: number } }) {
  const { t } = useTranslation();
  if (row.status === 'pending' && row.pendingReason) return <span className="badge badge-pending" data-testid="badge-pending">{t('pend.badge', { reason: t(`pend.reason.${row.pendingReason}`) })}</span>;
  if (row.status === 'reopened' && row.reopenCount) return <span className="badge badge-reopened" data-testid="badge-reopened">{t('closure.reopens', { count: row.reopenCount })}</span>;
  return null;
}
