import type { TFunction } from 'i18next';

/** The desk core speaks English about the server; the known cases are shown in the UI language. */
export function localiseSyncError(message: string, t: TFunction): string {
  const m = message.trim();
  if (/unreachable|ECONNREFUSED|fetch failed|ENOTFOUND|EHOSTUNREACH|ECONNRESET/i.test(m)) return t('sync.err.unreachable');
  if (/did not answer in time|TimeoutError/i.test(m)) return t('sync.err.timeout');
  if (/^UNAUTHORIZED|central server: .*(password|sign in|token)/i.test(m)) return t('sync.err.unauthorized');
  if (/TOO_MANY_REQUESTS/.test(m)) return t('sync.err.tooMany');
  return m;
}

/** The name of a refused change (`incident.update`) in the UI language. */
export function mutationLabel(name: string, t: TFunction): string {
  return t(`sync.mutation.${name.replace('.', '_')}`, { defaultValue: name });
}

/** A refusal reason from the server in the UI language where it is a known one (else as sent). */
export function localiseRejection(reason: string, t: TFunction): string {
  const m = /^conflict: incident \S+ is (\w+), not (\w+); transition to (\w+) not applied/.exec(reason.trim());
  if (m) return t('sync.rej.transition', { current: t(`enum.status.${m[1]}`), from: t(`enum.status.${m[2]}`), to: t(`enum.status.${m[3]}`) });
  if (/^forbidden\b/i.test(reason)) return t('sync.rej.forbidden', { reason });
  return reason;
}
