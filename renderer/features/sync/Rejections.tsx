import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../../shared/index.js';
import { api, errorMessage } from '../../platform/api.js';
import { errorText } from '../../lib/errorText.js';
import { useUi } from '../../state/ui.js';
import { categoryPath, formatDateTime } from '../../lib/format.js';
import { usePersonName } from '../../lib/people.js';
import { leftOutReason, leftOutTodo, mutationLabel, rejectionReason, rejectionTodo } from './syncText.js';
import { rejections as loadRejections, type LeftOut, type RejectionRow } from './syncApi.js';

/** Old rows carry the incident only inside the change's arguments. */
function subjectOf(r: RejectionRow): { incidentId: string | null; number: string | null; title: string | null } {
  if (r.incidentId !== undefined || r.incidentNumber !== undefined) {
    return { incidentId: r.incidentId ?? null, number: r.incidentNumber ?? null, title: r.incidentTitle ?? null };
  }
  try {
    const a = JSON.parse(r.args ?? '{}') as Record<string, unknown>;
    const inc = a.incident as { id?: string; number?: string; title?: string } | undefined;
    if (inc?.number) return { incidentId: inc.id ?? null, number: inc.number, title: inc.title ?? null };
    const id = (a.id ?? a.incidentId) as string | undefined;
    return { incidentId: id ?? null, number: null, title: null };
  } catch {
    return { incidentId: null, number: null, title: null };
  }
}

/** A referenced value as a person reads it: people and categories by name. */
export function useRefValue() {
  const { t, i18n } = useTranslation();
  const categories = useUi((s) => s.categories);
  const person = usePersonName();
  const catById = useMemo(() => new Map<string, Category>(categories.map((c) => [c.id, c])), [categories]);
  return (field: string, v: string | null, recorded?: string | null): string => {
    if (v == null || v === '') return t('detail.none');
    if (field === 'assigneeId' || field === 'ownerId') return person(v, recorded);
    if (field === 'categoryId') return categoryPath(v, catById, i18n.language) || v;
    return v.length > 80 ? `${v.slice(0, 80)}…` : v;
  };
}

/**
 * The changes the central server refused or applied in part, newest first: which incident, what was
 * kept, what was left out and why, and what the user can do. Esc closes.
 */
export function RejectionsPopover({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const select = useUi((s) => s.select);
  const setView = useUi((s) => s.setView);
  const refValue = useRefValue();
  const [rows, setRows] = useState<RejectionRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    loadRejections().then((r) => { setRows(r); void api.sync.markRejectionsSeen.mutate().catch(() => undefined); }).catch((e) => setError(errorText(e, t)));
    ref.current?.focus();
  }, []);

  const fieldName = (f: string) => t(`field.${f}`, { defaultValue: t('sync.fieldOther') });
  const leftOutLine = (l: LeftOut) => t('sync.leftOutLine', { field: fieldName(l.field), value: refValue(l.field, l.value), reason: leftOutReason(l, t) });

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
            const partial = r.status === 'partial';
            const left = r.leftOut ?? [];
            return (
              <li key={r.id} data-testid="rejection" data-status={r.status ?? 'rejected'} data-code={r.code ?? ''}>
                <div className="tl-meta">
                  <span>{formatDateTime(r.at, i18n.language)}</span>
                  <strong className="rej-name">{mutationLabel(r.name, t)}</strong>
                  <span className={partial ? 'pill pill-partial' : 'pill pill-refused'}>{t(partial ? 'sync.statusPartial' : 'sync.statusRejected')}</span>
                </div>
                {(sub.number || sub.incidentId) && (
                  <div className="rej-subject" data-testid="rejection-incident">
                    {sub.number && <span className="mono" data-testid="rejection-number">{sub.number}</span>}
                    {sub.title && <span className="rej-title ellipsis" data-testid="rejection-title" title={sub.title}>{sub.title}</span>}
                    {sub.incidentId && (
                      <button type="button" className="linkish" data-testid="rejection-open" onClick={() => { setView('queue'); select(sub.incidentId); onClose(); }}>{t('sync.openIncident')}</button>
                    )}
                  </div>
                )}
                {partial ? (
                  <>
                    <div className="rej-kept" data-testid="rejection-kept">{t('sync.partialKept')}</div>
                    <ul className="rej-left">
                      {left.map((l, n) => (
                        <li key={n} data-testid="rejection-left-out" data-field={l.field} data-code={l.code}>
                          <div className="rej-reason">{leftOutLine(l)}</div>
                          {l.kept != null && l.kept !== '' && !l.code.startsWith('number_') && <div className="muted small">{t('sync.keptValue', { value: refValue(l.field, l.kept) })}</div>}
                          <div className="rej-todo" data-testid="rejection-todo">{leftOutTodo(l, t)}</div>
                        </li>
                      ))}
                    </ul>
                  </>
                ) : (
                  <>
                    <div className="rej-reason" data-testid="rejection-reason">{rejectionReason(r, t)}</div>
                    {left.length > 0 && (
                      <ul className="rej-left">
                        {left.map((l, n) => <li key={n} data-testid="rejection-left-out" data-field={l.field} data-code={l.code}><div className="rej-reason">{leftOutLine(l)}</div></li>)}
                      </ul>
                    )}
                    <div className="rej-todo" data-testid="rejection-todo">{rejectionTodo(r, t)}</div>
                  </>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
