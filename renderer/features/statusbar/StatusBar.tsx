import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../platform/api.js';
import { setUiLocale, type Locale } from '../../i18n/index.js';
import { useUi } from '../../state/ui.js';
import { formatDateTime, formatNumber } from '../../lib/format.js';
import { localiseSyncError } from '../sync/syncText.js';
import { RejectionsPopover } from '../sync/Rejections.js';
import type { SyncStatus } from '../sync/syncApi.js';

export type { SyncStatus };

const POLL_MS = 4000;
/** While a round is running (a long first sync) the bar follows it closely. */
const BUSY_POLL_MS = 700;

export function StatusBar() {
  const { t, i18n } = useTranslation();
  const desk = useUi((s) => s.desk);
  const setDesk = useUi((s) => s.setDesk);
  const revision = useUi((s) => s.revision);
  const bump = useUi((s) => s.bump);
  const toast = useUi((s) => s.toast);
  const openSignIn = useUi((s) => s.openSignIn);
  const openAttribute = useUi((s) => s.openAttribute);
  const [sync, setSync] = useState<SyncStatus | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [showRejections, setShowRejections] = useState(false);
  const lastSyncSeen = useRef<string | null>(null);

  const poll = useCallback(async () => {
    try {
      const s = await api.sync.status.query();
      setSync(s);
      // Pulled changes: lists and the open incident reload.
      if (s.lastSyncAt && lastSyncSeen.current && s.lastSyncAt !== lastSyncSeen.current) bump();
      lastSyncSeen.current = s.lastSyncAt;
    } catch {
      setSync(null);
    }
  }, [bump]);

  const busy = syncing || !!sync?.progress;
  useEffect(() => {
    void poll();
    const id = setInterval(() => void poll(), busy ? BUSY_POLL_MS : POLL_MS);
    return () => clearInterval(id);
  }, [poll, revision, busy]);

  const syncNow = async () => {
    if (syncing) return;
    if (!sync?.signedIn) { openSignIn(true); return; }
    setSyncing(true);
    try {
      const s = await api.sync.syncNow.mutate();
      setSync(s);
      lastSyncSeen.current = s.lastSyncAt;
      bump();
    } catch (err) {
      toast(t('sync.failed', { error: localiseSyncError(errorMessage(err), t) }), 'error');
      await poll();
    } finally {
      setSyncing(false);
    }
  };

  // F5 / Ctrl+S would be browser keys; Alt+S syncs from anywhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && (e.key === 's' || e.key === 'S' || e.code === 'KeyS')) { e.preventDefault(); void syncNow(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const changeLocale = async (locale: Locale) => {
    setUiLocale(locale);
    if (desk) setDesk({ ...desk, locale });
    try { await api.desk.setLocale.mutate({ locale }); } catch { /* the UI already switched; it is remembered next time it works */ }
  };

  const p = sync?.progress;
  const pct = p && p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : null;

  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={sync?.online ? 'conn online' : 'conn offline'} data-testid="sync-online" data-online={sync?.online ? 'true' : 'false'}
        title={sync?.serverUrl ?? undefined}>
        <span className="dot" aria-hidden="true" />{sync?.online ? t('status.online') : t('status.offline')}
      </span>
      {sync && !sync.signedIn && (
        <button type="button" className="linkish" data-testid="open-signin" onClick={() => openSignIn(true)}>{t('sync.signInCta')}</button>
      )}
      <span data-testid="sync-pending" data-count={sync?.pending ?? 0} className={sync?.pending ? 'pending has' : 'pending'}>
        {t('status.pending', { count: sync?.pending ?? 0 })}
        {!!sync?.waitingForOtherUser && (
          <span className="muted" data-testid="sync-other-user" title={t('sync.otherUserHint')}> {t('sync.otherUser', { count: sync.waitingForOtherUser })}</span>
        )}
      </span>
      <span className="muted" data-testid="sync-last">{sync?.lastSyncAt ? t('status.lastSync', { at: formatDateTime(sync.lastSyncAt, i18n.language) }) : t('status.never')}</span>
      {p && (
        <span className="sync-progress" data-testid="sync-progress" data-phase={p.phase} role="progressbar" aria-valuemin={0} aria-valuemax={p.total} aria-valuenow={p.done}
          aria-label={t(`sync.phase.${p.phase}`)}>
          <span className="muted">{t(`sync.phase.${p.phase}`)}</span>
          <span className="bar"><span style={{ width: `${pct ?? 0}%` }} /></span>
          <span className="mono">{formatNumber(p.done, i18n.language)}/{formatNumber(p.total, i18n.language)}</span>
        </span>
      )}
      {sync?.lastError && (
        <span className="field-error ellipsis sync-error" data-testid="sync-error" title={t('sync.lastError', { error: localiseSyncError(sync.lastError, t) })}>{t('sync.lastError', { error: localiseSyncError(sync.lastError, t) })}</span>
      )}
      {!!sync?.localWork && (
        <button type="button" className="linkish localwork" data-testid="sync-localwork" data-count={sync.localWork} title={t('status.localWorkHint')}
          onClick={() => openAttribute({ sample: 0 })}>
          {t('status.localWork', { count: sync.localWork })}
        </button>
      )}
      {!!sync?.setAside && (
        <span className="muted set-aside" data-testid="sync-set-aside" data-count={sync.setAside} title={t('status.setAsideHint')}>
          {t('status.setAside', { count: sync.setAside })}
        </span>
      )}
      {(!!sync?.rejections || showRejections) && (
        <span className="rej-anchor">
          <button type="button" className="rej-badge" data-testid="rejections-badge" data-count={sync?.rejections ?? 0} aria-expanded={showRejections}
            onClick={() => setShowRejections((x) => !x)}>
            {t('sync.rejectedBadge', { count: sync?.rejections ?? 0 })}
          </button>
          {showRejections && <RejectionsPopover onClose={() => setShowRejections(false)} />}
        </span>
      )}
      <button type="button" className="btn btn-sm btn-sync" data-testid="sync-now" disabled={syncing} aria-keyshortcuts="Alt+S" onClick={() => void syncNow()}>
        {syncing ? t('sync.syncing') : t('sync.syncNow')} <kbd>Alt+S</kbd>
      </button>
      <span className="spacer" />
      {desk?.user && (
        <button type="button" className="linkish muted" data-testid="switch-user" title={t('sync.switchUser')} onClick={() => openSignIn(true)}>
          {t('status.user', { name: desk.user.name, group: desk.user.groupName })}
        </button>
      )}
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
