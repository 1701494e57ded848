import type { TFunction } from 'i18next';
import type { FieldIssue } from '../../platform/api.js';
import { issueText } from '../../lib/format.js';
import { i18n } from '../../i18n/index.js';

/** Codes the desk's problem and change writes answer with (electron/core/problems/records.ts, shared/problems.ts). */
const CODES = ['forbidden', 'unknown_problem', 'unknown_change', 'window_order', 'window_length', 'not_linked', 'not_found'] as const;

/** A refusal of a problem or change write, in the UI language, naming the field. */
export function recordIssueText(i: FieldIssue, t: TFunction): string {
  const code = CODES.find((c) => i.message === c || i.message.startsWith(`${c}:`));
  if (!code) return issueText(i, t);
  const field = i.path.replace(/^fields\./, '').replace(/\.\d+$/, '');
  const label = field && i18n.exists(`problems.field.${field}`) ? t(`problems.field.${field}`) : '';
  const what = t(`problems.msg.${code}`);
  return label ? `${label}${t('common.sep')}${what}` : what;
}

/** Local date-time as the viewer's zone writes it, for the planned window. */
export function windowText(start: string, end: string, locale: string): string {
  const f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'medium', timeStyle: 'short' });
  return `${f.format(new Date(start))} – ${f.format(new Date(end))}`;
}
