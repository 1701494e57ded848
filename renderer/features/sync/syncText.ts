import type { TFunction } from 'i18next';
import { TRPCClientError } from '@trpc/client';
import { issuesOf, type FieldIssue } from '../../platform/api.js';
import { fieldLabel } from '../../lib/format.js';
import type { LeftOut, RejectionRow } from './syncApi.js';

/** Codes the desk API answers with in `data.reason` (electron/core/store/errors.ts), and their words. */
const REASON_KEYS: Record<string, string> = {
  wrong_password: 'err.wrongPassword', session_expired: 'err.sessionExpired', too_many_attempts: 'sync.err.tooMany',
  server_unreachable: 'sync.err.unreachable', not_found: 'err.notFound', no_user: 'err.noUser', import_busy: 'err.importBusy',
};

/** The issues of a failed call; an error that is about no field carries its code as the message. */
export function apiIssues(err: unknown): FieldIssue[] {
  const issues = issuesOf(err);
  const reason = err instanceof TRPCClientError ? (err.data as { reason?: unknown } | undefined)?.reason : undefined;
  if (typeof reason === 'string' && REASON_KEYS[reason] && !issues.some((i) => i.path)) return [{ path: '', message: reason }];
  return issues;
}

/** The desk core speaks English about the server; the known cases are shown in the UI language. */
export function localiseSyncError(message: string, t: TFunction): string {
  const m = message.trim();
  if (REASON_KEYS[m]) return t(REASON_KEYS[m]);
  if (/unreachable|ECONNREFUSED|fetch failed|ENOTFOUND|EHOSTUNREACH|ECONNRESET/i.test(m)) return t('sync.err.unreachable');
  if (/did not answer in time|TimeoutError/i.test(m)) return t('sync.err.timeout');
  if (/^UNAUTHORIZED|central server: .*(password|sign in|token)/i.test(m)) return t('sync.err.unauthorized');
  if (/TOO_MANY_REQUESTS/.test(m)) return t('sync.err.tooMany');
  // A device whose secret is missing or belongs to another desk (server: `deviceSecret: device … registered …`).
  if (/deviceSecret: |registered to another desk|not registered to this desk/.test(m)) return t('sync.err.deviceTaken');
  if (m === 'insecure_url') return t('msg.insecureUrl');
  return m;
}

/** The name of a refused change (`incident.update`) in the UI language. */
export function mutationLabel(name: string, t: TFunction): string {
  return t(`sync.mutation.${name.replace('.', '_')}`, { defaultValue: t('sync.mutation.other') });
}

/** Codes of whole refusals the console words (anything else gets the generic sentence). */
export const REJECTION_CODES = ['transition_conflict', 'not_allowed', 'missing_need', 'unknown_incident', 'invalid_args', 'forbidden', 'too_large', 'closed_readonly', 'escalation_refused'] as const;
/** Codes of fields left out of a change that otherwise applied. */
export const LEFT_OUT_CODES = ['unknown_user', 'inactive_user', 'unknown_category', 'unknown_kb_article', 'number_taken', 'number_prefix',
  // issue 12, item 6: a problem or change record the server does not hold
  'unknown_problem', 'unknown_change'] as const;

const known = (list: readonly string[], code: string | null | undefined): code is string => !!code && list.includes(code);

/** Parameters as the sentence wants them: statuses and needs in the UI language. */
function wordParams(params: Record<string, string | number> | undefined, t: TFunction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    const s = String(v);
    if (k === 'from' || k === 'to' || k === 'current') out[k] = t(`enum.status.${s}`, { defaultValue: s });
    else if (k === 'need') out[k] = t(`sync.need.${s}`, { defaultValue: t('sync.need.other') });
    else if (k === 'field') out[k] = fieldLabel(s, t); // closed_readonly (issue 12): the field the closed incident refused
    else out[k] = s;
  }
  return out;
}

/** Why a change was refused, in the UI language: from its code, or for old rows from the server's text. */
export function rejectionReason(r: RejectionRow, t: TFunction): string {
  if (r.code) {
    return known(REJECTION_CODES, r.code) ? t(`sync.code.${r.code}`, wordParams(r.params, t)) : t('sync.code.generic');
  }
  return localiseRejection(r.reason ?? '', t);
}

/** What the user can do about a refused change. */
export function rejectionTodo(r: RejectionRow, t: TFunction): string {
  const code = r.code ?? legacyCode(r.reason ?? '');
  return known(REJECTION_CODES, code) ? t(`sync.todo.${code}`, wordParams(r.params, t)) : t('sync.todo.generic');
}

/** Why one field was left out. */
export function leftOutReason(l: Pick<LeftOut, 'code' | 'kept'>, t: TFunction): string {
  return known(LEFT_OUT_CODES, l.code) ? t(`sync.left.${l.code}`, { kept: l.kept ?? '' }) : t('sync.left.generic');
}

/** What the user can do about a field left out. */
export function leftOutTodo(l: Pick<LeftOut, 'code' | 'kept'>, t: TFunction): string {
  return known(LEFT_OUT_CODES, l.code) ? t(`sync.leftTodo.${l.code}`, { kept: l.kept ?? '' }) : t('sync.leftTodo.generic');
}

function legacyCode(reason: string): string | null {
  if (/^conflict: incident \S+ is \w+, not \w+; transition/.test(reason.trim())) return 'transition_conflict';
  if (/^forbidden\b/i.test(reason)) return 'forbidden';
  return null;
}

/** Old rows (before codes): a refusal reason from the server in the UI language where it is a known one, else a generic sentence. */
export function localiseRejection(reason: string, t: TFunction): string {
  const m = /^conflict: incident \S+ is (\w+), not (\w+); transition to (\w+) not applied/.exec(reason.trim());
  if (m) return t('sync.code.transition_conflict', { current: t(`enum.status.${m[1]}`), from: t(`enum.status.${m[2]}`), to: t(`enum.status.${m[3]}`) });
  if (/^forbidden\b/i.test(reason)) return t('sync.code.forbidden');
  return t('sync.code.generic');
}
