import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../shared/index.js';
import { RETURN_REASONS, type ReturnReason } from '../../../shared/groups.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { ReasonDialog } from '../../lib/ReasonDialog.js';
import { dispatchIssueText } from './words.js';
import './dispatch.css';

/**
 * Second line sends a wrongly dispatched ticket back to first line (issue 12): a reason code and a
 * text, both required. The ticket goes to the first-line group that dispatched it.
 */
export function ReturnDialog({ inc, onDone, onCancel }: { inc: Incident; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <ReasonDialog<ReturnReason> codes={RETURN_REASONS} codeField="returnReason" name="return" onDone={onDone} onCancel={onCancel}
      words={{ title: t('ret.title'), hint: t('ret.where', { group: inc.dispatchGroup ?? t('ret.firstLine') }), legend: t('ret.code'), text: t('ret.text'),
        placeholder: t('ret.textPlaceholder'), confirm: t('ret.confirm'), code: (r) => t(`ret.reason.${r}`) }}
      textRequired={() => true} issueText={dispatchIssueText}
      submit={(code, text) => api.incident.transition.mutate({ id: inc.id, to: 'returned', reason: text, returnReason: code || null })}
      testIds={{ dialog: 'return-dialog', confirm: 'confirm-return', fieldsetClass: 'return-fieldset', optionsClass: 'return-reasons' }} />
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
