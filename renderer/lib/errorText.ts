import type { TFunction } from 'i18next';
import { apiIssues, localiseSyncError } from '../features/sync/syncText.js';
import { issueText } from './format.js';

/** A failed call in the UI language: its field issues, or the desk's code for what went wrong. */
export function errorText(err: unknown, t: TFunction): string {
  return apiIssues(err).map((i) => localiseSyncError(issueText(i, t), t)).join(t('hist.listSep'));
}
