import type { TFunction } from 'i18next';
import { issueText } from '../../lib/format.js';
import { dispatchIssueText } from '../dispatch/words.js';

/** A refusal of an escalation or of asking management, worded from the desk's codes (shared/escalation.ts); a dispatch's own refusals as the dispatch words them. */
export function escalationIssueText(i: { path: string; message: string }, t: TFunction, tier?: string): string {
  const m = i.message.trim();
  if (m.startsWith('not_higher')) return t('esc.err.notHigher', { tier: tier ? t(`enum.tier.${tier}`) : '' });
  if (m.startsWith('not_from_first_line')) return t('esc.err.notFromFirstLine');
  if (m.startsWith('not_open')) return t('esc.err.notOpen');
  if (m.startsWith('too_long') || /^at most/.test(m)) return t('esc.err.tooLong');
  if (i.path === 'escalationReason' || i.path === 'reason') return t('esc.err.noReason');
  if (i.path === 'vendorName') return t('esc.err.noVendor');
  if (i.path === 'assigneeId' || i.path === 'group') return dispatchIssueText(i, t);
  return issueText(i, t);
}
