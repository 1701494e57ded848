import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { incidentPatchSchema, type HistoryEntry, type Incident, type IncidentPatch, type Status } from '../../../shared/index.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { formatDateTime } from '../../lib/format.js';

export interface TransitionConflict { id: string; at: string; attemptedFrom: string; attemptedTo: string; currentStatus: string; userId: string }

const PATCHABLE = new Set(Object.keys(incidentPatchSchema.shape));

/** The losing value as the patch wants it: text as is, arrays and numbers from their JSON. */
export function parseLostValue(field: string, raw: string | null): { ok: true; value: unknown } | { ok: false } {
  if (!PATCHABLE.has(field)) return { ok: false };
  const schema = incidentPatchSchema.shape[field as keyof typeof incidentPatchSchema.shape];
  const candidates: unknown[] = [raw];
  if (raw != null) { try { candidates.push(JSON.parse(raw)); } catch { /* plain text */ } }
  if (raw === '') candidates.push(null);
  for (const c of candidates) {
    const r = schema.safeParse(c);
    if (r.success) return { ok: true, value: r.data };
  }
  return { ok: false };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * "Your change was overwritten by a newer one": field edits that lost a concurrent edit and
 * transitions that met another status on the server, each with one action to apply it again.
 */
export function Conflicts({ inc, history, conflicts, dismissed = [], allowed, showValue, onTransition, onDone, onError }: {
  inc: Incident;
  history: HistoryEntry[];
  conflicts: TransitionConflict[];
  /** Notices the user chose to leave be (the history keeps them). */
  dismissed?: string[];
  allowed: Status[];
  showValue: (field: string | null, v: string | null) => string;
  onTransition: (to: Status) => void;
  onDone: () => Promise<void>;
  onError: (i: FieldIssue[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const users = useUi((s) => s.users);
  const toast = useUi((s) => s.toast);
  const [busy, setBusy] = useState<string | null>(null);
  const loc = i18n.language;
  const desk = useUi((st) => st.desk);
  // Shown where the losing change was made (this desk, or this user): other consoles see it in the
  // history only. A status conflict has its own row (from `conflicts`, with the transition to try again).
  const mine = (userId: string, deviceId?: string) => (!!desk?.device && deviceId === desk.device.id) || (!!desk?.user && userId === desk.user.id);
  const fieldRows = history.filter((h) => h.kind === 'conflict' && h.field && h.field !== 'status' && mine(h.actorId, h.deviceId) && !dismissed.includes(h.id));
  const transitionRows = conflicts.filter((c) => mine(c.userId));
  if (fieldRows.length === 0 && transitionRows.length === 0) return null;
  const userName = (id: string) => users.find((u) => u.id === id)?.name ?? id.slice(0, 8);

  const dismiss = async (id: string) => {
    setBusy(id);
    try {
      await api.incident.dismissConflict.mutate({ id });
      await onDone();
    } catch (err) {
      onError(issuesOf(err));
    } finally { setBusy(null); }
  };
  const dismissButton = (id: string) => (
    <button type="button" className="btn btn-sm" data-testid="conflict-dismiss" disabled={busy === id} onClick={() => void dismiss(id)}>{t('conflict.dismiss')}</button>
  );

  const reapply = async (h: HistoryEntry) => {
    const parsed = parseLostValue(h.field!, h.oldValue);
    if (!parsed.ok) return;
    setBusy(h.id);
    try {
      await api.incident.update.mutate({ id: inc.id, patch: { [h.field!]: parsed.value } as IncidentPatch });
      toast(t('conflict.reapplied'));
      await onDone();
    } catch (err) {
      onError(issuesOf(err));
    } finally { setBusy(null); }
  };

  return (
    <section className="conflicts" data-testid="conflicts" aria-label={t('conflict.title')}>
      <div className="conflicts-head">
        <span className="conflict-icon" aria-hidden="true">!</span>
        <strong>{t('conflict.title')}</strong>
        <span className="muted">{t(fieldRows.length && transitionRows.length ? 'conflict.introBoth' : fieldRows.length ? 'conflict.intro' : 'conflict.introTransition')}</span>
      </div>
      <ul>
        {fieldRows.map((h) => {
          const parsed = parseLostValue(h.field!, h.oldValue);
          const current = (inc as unknown as Record<string, unknown>)[h.field!];
          const restored = parsed.ok && same(current, parsed.value);
          return (
            <li key={h.id} className="conflict" data-testid="conflict-field" data-field={h.field} data-restored={restored ? 'true' : 'false'} title={h.note ?? undefined}>
              <div className="conflict-text">
                <div>
                  {t('conflict.fieldLost', { field: t(`field.${h.field}`, { defaultValue: h.field! }), who: h.actorName ?? userName(h.actorId) })}
                  <span className="muted"> · {formatDateTime(h.at, loc)}</span>
                </div>
                <div className="conflict-values">
                  <span className="lost" data-testid="conflict-lost">{t('conflict.lostValue')}{t('common.sep')}<mark className="lost-value">{showValue(h.field, h.oldValue)}</mark></span>
                  <span className="won" data-testid="conflict-won">{t('conflict.wonValue')}{t('common.sep')}{showValue(h.field, h.newValue)}</span>
                </div>
              </div>
              {restored ? <span className="pill pill-online" data-testid="conflict-done">{t('conflict.restored')}</span>
                : parsed.ok ? (
                  <button type="button" className="btn btn-sm btn-primary" data-testid="conflict-reapply" disabled={busy === h.id} onClick={() => void reapply(h)}>
                    {t('conflict.reapply')}
                  </button>
                ) : <span className="muted small">{t('conflict.notPatchable')}</span>}
              {dismissButton(h.id)}
            </li>
          );
        })}
        {transitionRows.map((c) => {
          const to = c.attemptedTo as Status;
          const restored = inc.status === to;
          return (
            <li key={c.id} className="conflict" data-testid="conflict-transition" data-to={to}>
              <div className="conflict-text">
                <div>
                  {t('conflict.transitionLost', {
                    who: userName(c.userId), from: t(`enum.status.${c.attemptedFrom}`), to: t(`enum.status.${to}`), current: t(`enum.status.${c.currentStatus}`),
                  })}
                  <span className="muted"> · {formatDateTime(c.at, loc)}</span>
                </div>
              </div>
              {restored ? <span className="pill pill-online">{t('conflict.restored')}</span>
                : allowed.includes(to) ? (
                  <button type="button" className="btn btn-sm btn-primary" data-testid="conflict-retransition" onClick={() => onTransition(to)}>
                    {t('conflict.retransition', { to: t(`enum.status.${to}`) })}
                  </button>
                ) : <span className="muted small">{t('conflict.notAllowed', { current: t(`enum.status.${inc.status}`) })}</span>}
              {dismissButton(c.id)}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
