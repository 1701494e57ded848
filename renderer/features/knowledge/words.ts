import type { TFunction } from 'i18next';
import type { FieldIssue } from '../../platform/api.js';
import { fieldLabel, issueMessage } from '../../lib/format.js';

/** Codes the knowledge calls refuse with (electron/core/knowledge, server/knowledge.ts), worded from `know.err`. */
const CODES = ['kb_not_resolved', 'kb_sample', 'kb_exists', 'kb_not_published', 'stale_version', 'not_set_up', 'admin_not_signed_in', 'admin_offline', 'admin_session_expired', 'admin_forbidden', 'not_found'] as const;
const FIELDS = ['title', 'body', 'tags', 'categoryId', 'kbArticleId', 'sourceIncidentId', 'baseVersion'];

/** A field of an article in the UI language. */
export function knowField(path: string, t: TFunction): string {
  const f = path.split('.')[0];
  if (FIELDS.includes(f)) return t(`know.field.${f}`);
  return path === '(desk)' || path === '(input)' ? '' : fieldLabel(path, t);
}

/** One refusal in the UI language: a knowledge code by its words, anything else as every field issue is worded. */
export function knowText(i: FieldIssue, t: TFunction): string {
  const code = /^([a-z_]+)\b/.exec(i.message)?.[1];
  const msg = code && (CODES as readonly string[]).includes(code) ? t(`know.err.${code}`) : issueMessage(i, t);
  const label = knowField(i.path, t);
  return label ? `${label}${t('common.sep')}${msg}` : msg;
}
