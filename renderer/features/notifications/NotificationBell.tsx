import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, type RouterOutputs } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { formatDateTime } from '../../lib/format.js';
import './notifications.css';

type Notice = RouterOutputs['notice']['list']['items'][number];

/** How often the bell asks the desk to sweep (raise the SLA notices due now) and reads the list. */
const POLL_MS = 30_000;

/** One notice in the viewer's words: its kind, and a line saying what it concerns. */
export function noticeText(n: Notice, t: TFunction, locale: string): { kind: string; line: string } {
  const clock = n.clock === 'response' || n.clock === 'resolution' ? t(`notif.clock.${n.clock}`) : '';
  return {
    kind: t(`notif.kind.${n.kind}`),
    line: n.kind === 'escalated_to_management' && typeof n.params?.reason === 'string' && n.params.reason
      ? t('notif.line.escalated_to_management_reason', { reason: n.params.reason })
      : t(`notif.line.${n.kind}`, { clock, due: formatDateTime(n.atMs, locale) }),
  };
}

interface OsBridge { notify?(n: { title: string; body: string }): Promise<unknown> }

/**
 * The notification centre (issue 13): a bell with the unread count in the top bar, the list of the
 * signed-in user's notices, mark read, open the incident. A notice that arrives while the console is
 * open shows as the page's own notice (a toast) and, in Electron, as an operating-system notification.
 */
export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const revision = useUi((s) => s.revision);
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<{ items: Notice[]; unread: number }>({ items: [], unread: 0 });
  const seen = useRef<Set<string> | null>(null);
  const root = useRef<HTMLDivElement>(null);

  const refresh = useCallback(async () => {
    try {
      await api.notice.sweep.mutate();
      const got = await api.notice.list.query({ limit: 100 });
      setData(got);
      const before = seen.current;
      // what has been seen only grows: an answer to an earlier poll, arriving late, must not make a notice new again (it was announced twice)
      seen.current = new Set([...(before ?? []), ...got.items.map((n) => n.id)]);
      // The first read only learns what is there; a notice new since then is announced.
      if (!before) return;
      const fresh = got.items.filter((n) => !before.has(n.id) && !n.readAt);
      const locale = i18n.language;
      for (const n of fresh.slice(0, 3)) {
        const { kind } = noticeText(n, t, locale);
        const text = t('notif.toast', { kind, number: n.incidentNumber, title: n.incidentTitle });
        useUi.getState().toast(text, n.kind === 'sla_breach' ? 'error' : 'ok');
        const bridge = (window as unknown as { relayDesk?: OsBridge }).relayDesk;
        void bridge?.notify?.({ title: kind, body: `${n.incidentNumber} ${n.incidentTitle}` }).catch(() => undefined);
      }
    } catch {
      // The desk answers again at the next poll; the bell keeps what it showed.
    }
  }, [t, i18n]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh, revision]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => { if (root.current && !root.current.contains(e.target as Node)) setOpen(false); };
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') { e.preventDefault(); setOpen(false); } };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => { document.removeEventListener('mousedown', onDown); document.removeEventListener('keydown', onKey); };
  }, [open]);

  const openNotice = async (n: Notice) => {
    setOpen(false);
    const ui = useUi.getState();
    ui.setView('queue');
    ui.select(n.incidentId);
    if (!n.readAt) {
      try { await api.notice.markRead.mutate({ ids: [n.id] }); } catch { /* stays unread; the next poll shows it */ }
      void refresh();
    }
  };
  const markAll = async () => {
    try { await api.notice.markAllRead.mutate(); } catch { /* the next poll shows what stands */ }
    void refresh();
  };

  const locale = i18n.language;
  return (
    <div className="notif" ref={root}>
      <button type="button" className="btn notif-bell" data-testid="notif-bell" aria-haspopup="dialog" aria-expanded={open}
        aria-label={data.unread ? t('notif.bellUnread', { count: data.unread }) : t('notif.bell')} title={t('notif.bell')} onClick={() => setOpen(!open)}>
        <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" /><path d="M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        {data.unread > 0 && <span className="notif-count" data-testid="notif-count">{data.unread > 99 ? '99+' : data.unread}</span>}
      </button>
      {open && (
        <div className="notif-panel" role="dialog" aria-label={t('notif.title')} data-testid="notif-panel">
          <div className="notif-head">
            <h2>{t('notif.title')}</h2>
            <button type="button" className="btn btn-sm" data-testid="notif-mark-all" disabled={!data.unread} onClick={() => void markAll()}>{t('notif.markAllRead')}</button>
          </div>
          {data.items.length === 0 ? <div className="notif-empty">{t('notif.empty')}</div> : (
            <ul className="notif-list">
              {data.items.map((n) => {
                const { kind, line } = noticeText(n, t, locale);
                const tone = n.kind === 'sla_breach' ? 'tone-breach' : n.kind === 'sla_warning' ? 'tone-warning' : '';
                return (
                  <li key={n.id} className={n.readAt ? 'notif-item' : 'notif-item unread'} data-testid="notif-item" data-kind={n.kind}>
                    <button type="button" className="notif-open" onClick={() => void openNotice(n)} title={t('notif.open')}>
                      <span className={`notif-kind ${tone}`}>{kind}{n.readAt ? '' : <span className="sr-only">{t('common.sep')}{t('notif.unread')}</span>}</span>
                      <span className="notif-when">{formatDateTime(n.raisedAt, locale)}</span>
                      <span className="notif-incident">{n.incidentNumber} · {n.incidentTitle}</span>
                      <span className="notif-line">{line}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
