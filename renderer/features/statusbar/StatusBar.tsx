import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../platform/api.js';
import { setUiLocale, type Locale } from '../../i18n/index.js';
import { useUi } from '../../state/ui.js';
import { formatDateTime } from '../../lib/format.js';

interface SyncStatus { online: boolean; pending: number; lastSyncAt: string | null; lastError: string | null }

const POLL_MS = 4000;

export function StatusBar() {
  const { t, i18n } = useTranslation();
  const desk = useUi((s) => s.desk);
  const setDesk = useUi((s) => s.setDesk);
  const revision = useUi((s) => s.revision);
  const [sync, setSync] = useState<SyncStatus | null>(null);

  useEffect(() => {
    let live = true;
    const poll = () => api.sync.status.query().then((s) => { if (live) setSync(s); }).catch(() => { if (live) setSync(null); });
    void poll();
    const id = setInterval(poll, POLL_MS);
    return () => { live = false; clearInterval(id); };
  }, [revision]);

  const changeLocale = async (locale: Locale) => {
    setUiLocale(locale);
    if (desk) setDesk({ ...desk, locale });
    try { await api.desk.setLocale.mutate({ locale }); } catch { /* the UI already switched; it is remembered next time it works */ }
  };

  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={sync?.online ? 'conn online' : 'conn offline'} data-testid="sync-online" data-online={sync?.online ? 'true' : 'false'}>
        <span className="dot" aria-hidden="true" />{sync?.online ? t('status.online') : t('status.offline')}
      </span>
      <span data-testid="sync-pending">{t('status.pending', { count: sync?.pending ?? 0 })}</span>
      <span className="muted">{sync?.lastSyncAt ? t('status.lastSync', { at: formatDateTime(sync.lastSyncAt, i18n.language) }) : t('status.never')}</span>
      {sync?.lastError && <span className="field-error" title={sync.lastError}>{sync.lastError}</span>}
      <span className="spacer" />
      {desk?.user && <span className="muted">{t('status.user', { name: desk.user.name, group: desk.user.groupName })}</span>}
      {desk && <span className="muted">{t('status.device', { code: desk.device.code })}</span>}
      <label className="lang">
        <span className="sr-only">{t('status.language')}</span>
        <select value={i18n.language} data-testid="language" aria-label={t('status.language')} onChange={(e) => void changeLocale(e.target.value as Locale)}>
          <option value="zh-CN">简体中文</option>
          <option value="en">English</option>
        </select>
      </label>
    </footer>
  );
}
