import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../shared/index.js';
import { PENDING_REASONS, type PendingReason } from '../../../shared/closure.js';
import { api } from '../../platform/api.js';
import { ReasonDialog } from '../../lib/ReasonDialog.js';
import { closureIssueText } from './words.js';
import './closure.css';

/** Pending names what it waits for (issue 12): the requester, a vendor, a change, or something else (then said in words). */
export function PendingDialog({ inc, onDone, onCancel }: { inc: Incident; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <ReasonDialog<PendingReason> codes={PENDING_REASONS} codeField="pendingReason" name="pending" onDone={onDone} onCancel={onCancel}
      words={{ title: t('pend.title'), hint: t('pend.hint'), legend: t('pend.code'), text: t('pend.text'),
        placeholder: t('pend.textPlaceholder'), confirm: t('pend.confirm'), code: (r) => t(`pend.reason.${r}`) }}
      textRequired={(code) => code === 'other'}
      issueText={(i, tt) => (i.path === 'reason' && /^required/.test(i.message) ? tt('pend.err.noText') : closureIssueText(i, tt))}
      submit={(code, text) => api.incident.transition.mutate({ id: inc.id, to: 'pending', pendingReason: code || null, reason: text || null })}
      testIds={{ dialog: 'transition-prompt', dialogKind: 'pending', confirm: 'confirm-transition', fieldsetClass: 'closure-fieldset', optionsClass: 'closure-options' }} />
  );
}
