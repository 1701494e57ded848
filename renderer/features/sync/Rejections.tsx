import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { formatDateTime } from '../../lib/format.js';
import { localiseRejection, mutationLabel } from './syncText.js';

interface Rejection { id: string; seq: number | null; name: string; reason: string; at: string; args: string }

/** What the incident a refused change was about is called, so the user can find it. */
function subjectOf(r: Rejection): { incidentId: string | null; label: string } {
  try {
    const a = JSON.parse(r.args) as Record<string, unknown>;
    const inc = a.incident as { id?: string; number?: string; title?: string } | undefined;
    if (inc?.number) return { incidentId: inc.id ?? null, label: `${inc.number} ${inc.title ?? ''}`.trim() };
    const id = (a.id ?? a.incidentId) as string | undefined;
    return { incidentId: id ?? null, label: '' };
  } catch {
    return { incidentId: null, label: '' };
  }
}

/** The changes the central server refused, newest first, each with its reason. Esc closes. */
export function RejectionsPopover({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const select = useUi((s) => s.select);
  const setView = useUi((s) => s.setView);
  const [rows, setRows] = useState<Rejection[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    api.sync.rejections.query().then((r) => { setRows(r); void api.sync.markRejectionsSeen.mutate().catch(() => undefined); }).catch((e) => setError(errorMessage(e)));
    ref.current?.focus();
  }, []);

  return (
    <div className="popover rejections" role="dialog" aria-label={t('sync.rejectedTitle')} data-testid="rejections" tabIndex={-1} ref={ref}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); onClose(); } }}>
      <div className="popover-head">
        <strong>{t('sync.rejectedTitle')}</strong>
        <span className="spacer" />
        <button type="button" className="btn btn-ghost btn-sm" aria-label={t('detail.close')} onClick={onClose}>✕</button>
      </div>
      <p className="muted small">{t('sync.rejectedIntro')}</p>
      {error && <p className="field-error">{error}</p>}
      {!rows ? <p className="muted">{t('common.loading')}</p> : rows.length === 0 ? <p className="muted">{t('sync.noRejections')}</p> : (
        <ol className="rej-list">
          {rows.map((r) => {
            const sub = subjectOf(r);
            return (
              <li key={r.id} data-testid="rejection">
                <div className="tl-meta">
                  <span>{formatDateTime(r.at, i18n.language)}</span>
                  <strong className="rej-name">{mutationLabel(r.name, t)}</strong>
                  {sub.label && <span className="mono">{sub.label}</span>}
                  {sub.incidentId && (
                    <button type="button" className="linkish" onClick={() => { setView('queue'); select(sub.incidentId); onClose(); }}>{t('sync.openIncident')}</button>
                  )}
                </div>
                <div className="rej-reason" data-testid="rejection-reason" title={r.reason}>{localiseRejection(r.reason, t)}</div>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
