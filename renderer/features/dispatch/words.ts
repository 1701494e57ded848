import type { TFunction } from 'i18next';
import { issueText } from '../../lib/format.js';

/** A refusal of a dispatch, return or accept, worded from the desk's codes; anything else as the console words it. */
export function dispatchIssueText(i: { path: string; message: string }, t: TFunction): string {
  const m = i.message.trim();
  const notIn = /^not_in_group: not a member of (.*)$/s.exec(m);
  if (i.path === 'assigneeId' && notIn) return t('dispatch.err.notInGroup', { group: notIn[1] });
  if (i.path === 'assigneeId' && m.startsWith('not_assignee')) return t('dispatch.err.notAssignee');
  if (i.path === 'group' && m.startsWith('inactive_group')) return t('dispatch.err.inactiveGroup');
  if (i.path === 'returnReason') return /^required/.test(m) ? t('ret.err.noCode') : t('ret.err.badCode');
  if (i.path === 'reason' && /^required/.test(m)) return t('ret.err.noText');
  return issueText(i, t);
}
