import type { TFunction } from 'i18next';
import { issueText } from '../../lib/format.js';

/** A refusal of a pending, confirmation, reopen or closed-incident edit, worded from the desk's codes. */
export function closureIssueText(i: { path: string; message: string }, t: TFunction): string {
  const m = i.message.trim();
  if (m.startsWith('closed_readonly')) return t('closure.err.readOnly');
  if (i.path === 'pendingReason') return t('pend.err.noCode');
  if (i.path === 'reason' && /^required/.test(m)) return t('closure.err.noText');
  if (i.path === 'confirmedWith') return t('closure.err.noWho');
  if (i.path === 'confirmedVia') return t('closure.err.noVia');
  if (i.path === 'confirmedAt') return /future/.test(m) ? t('closure.err.future') : t('closure.err.beforeResolved');
  if (i.path === 'satisfaction') return t('closure.err.rating');
  return issueText(i, t);
}
