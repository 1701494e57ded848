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
