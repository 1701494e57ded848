import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { incidentPatchSchema, type HistoryEntry, type Incident, type IncidentPatch, type Status, type Tier } from '../../../shared/index.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { categoryName, formatDateTime } from '../../lib/format.js';
import { dispatchTargets, usePersonName } from '../../lib/people.js';
import { useRefValue } from '../sync/Rejections.js';
import { leftOutReason } from '../sync/syncText.js';
import { historyNote } from '../../lib/historyText.js';

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
  const toast = useUi((s) => s.toast);
  const [busy, setBusy] = useState<string | null>(null);
  const person = usePersonName();
  const loc = i18n.language;
  const desk = useUi((st) => st.desk);
  // Shown where the losing change was made (this desk, or this user): other consoles see it in the
  // history only. A status conflict has its own row (from `conflicts`, with the transition to try again).
  const mine = (userId: string, deviceId?: string) => (!!desk?.device && deviceId === desk.device.id) || (!!desk?.user && userId === desk.user.id);
  const fieldRows = history.filter((h) => h.kind === 'conflict' && h.field && h.field !== 'status' && mine(h.actorId, h.deviceId) && !dismissed.includes(h.id));
  const transitionRows = conflicts.filter((c) => mine(c.userId));
  // Fields the server left out of a change that otherwise applied (`refused`): the user picks a valid value.
  const refusedRows = history.filter((h) => h.kind === 'refused' && h.field && mine(h.actorId, h.deviceId) && !dismissed.includes(h.id));
  if (fieldRows.length === 0 && transitionRows.length === 0 && refusedRows.length === 0) return null;
  const userName = (id: string) => person(id);

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

  const overwritten = fieldRows.length + transitionRows.length > 0;
  const title = overwritten ? t('conflict.title') : t('conflict.refusedTitle');
  return (
    <section className="conflicts" data-testid="conflicts" aria-label={title}>
      {overwritten && (
        <div className="conflicts-head">
          <span className="conflict-icon" aria-hidden="true">!</span>
          <strong>{title}</strong>
          <span className="muted">{t(fieldRows.length && transitionRows.length ? 'conflict.introBoth' : fieldRows.length ? 'conflict.intro' : 'conflict.introTransition')}</span>
        </div>
      )}
      {refusedRows.length > 0 && (
        <>
          <div className="conflicts-head" data-testid="refused-head">
            <span className="conflict-icon" aria-hidden="true">!</span>
            <strong>{t('conflict.refusedTitle')}</strong>
            <span className="muted">{t('conflict.refusedIntro')}</span>
          </div>
          <ul>
            {refusedRows.map((h) => (
              <RefusedRow key={h.id} h={h} inc={inc} allowed={allowed} busy={busy === h.id} setBusy={(b) => setBusy(b ? h.id : null)}
                onDone={onDone} onError={onError} dismissButton={dismissButton(h.id)} />
            ))}
          </ul>
        </>
      )}
      {overwritten && <ul>
        {fieldRows.map((h) => {
          const parsed = parseLostValue(h.field!, h.oldValue);
          const current = (inc as unknown as Record<string, unknown>)[h.field!];
          const restored = parsed.ok && same(current, parsed.value);
          return (
            <li key={h.id} className="conflict" data-testid="conflict-field" data-field={h.field} data-restored={restored ? 'true' : 'false'} title={historyNote(h, { t, locale: loc, person: (id) => userName(id), category: () => '' }) ?? undefined}>
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
      </ul>}
    </section>
  );
}

/**
 * One field the server left out of a change of this desk's: "<field> <value> was left out: <reason>",
 * what stands now, and the way to a valid value — a person to dispatch to, a category, or clearing a
 * knowledge article. A closed incident only offers "dismiss".
 */
function RefusedRow({ h, inc, allowed, busy, setBusy, onDone, onError, dismissButton }: {
  h: HistoryEntry; inc: Incident; allowed: Status[]; busy: boolean; setBusy: (b: boolean) => void;
  onDone: () => Promise<void>; onError: (i: FieldIssue[]) => void; dismissButton: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const users = useUi((s) => s.users);
  const categories = useUi((s) => s.categories);
  const toast = useUi((s) => s.toast);
  const refValue = useRefValue();
  const field = h.field!;
  const [pick, setPick] = useState('');
  const closed = inc.status === 'closed';
  const fieldName = t(`field.${field}`, { defaultValue: t('sync.fieldOther') });
  // A user id the list does not have: the name the desk recorded with the row when it is the actor's own.
  const value = refValue(field, h.oldValue, h.oldValue === h.actorId ? h.actorName : null);
  const text = t('conflict.leftOut', { field: fieldName, value, reason: leftOutReason({ code: h.note ?? '', kept: h.newValue }, t) });

  const act = async (run: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await run();
      await api.incident.dismissConflict.mutate({ id: h.id });
      toast(t('conflict.fixed'));
      await onDone();
    } catch (err) {
      onError(issuesOf(err));
    } finally { setBusy(false); }
  };

  const dispatch = () => {
    const u = users.find((x) => x.id === pick);
    if (!u) return;
    const tier: Tier = u.role === 'technician' && inc.tier === 'L1' ? 'L2' : inc.tier;
    void act(() => api.incident.transition.mutate({ id: inc.id, to: 'assigned', assigneeId: u.id, group: u.groupName || inc.groupName, tier }));
  };

  let action: ReactNode = null;
  if (closed) action = <span className="muted small" data-testid="refused-closed">{t('conflict.closedOnly')}</span>;
  else if (field === 'assigneeId') {
    action = allowed.includes('assigned') ? (
      <span className="refused-pick">
        <select aria-label={t('conflict.pickPerson')} data-testid="refused-person" value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">{t('conflict.pickPerson')}</option>
          {dispatchTargets(users, inc.number).map((u) => <option key={u.id} value={u.id}>{u.name} · {u.groupName}</option>)}
        </select>
        <button type="button" className="btn btn-sm btn-primary" data-testid="refused-dispatch" disabled={busy || !pick} onClick={dispatch}>{t('conflict.dispatch')}</button>
      </span>
    ) : <span className="muted small">{t('conflict.noDispatch', { current: t(`enum.status.${inc.status}`) })}</span>;
  } else if (field === 'categoryId') {
    const roots = categories.filter((c) => !c.parentId);
    action = (
      <span className="refused-pick">
        <select aria-label={t('conflict.pickCategory')} data-testid="refused-category" value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">{t('conflict.pickCategory')}</option>
          {roots.map((r) => (
            <optgroup key={r.id} label={categoryName(r, i18n.language)}>
              <option value={r.id}>{categoryName(r, i18n.language)}</option>
              {categories.filter((c) => c.parentId === r.id).map((c) => <option key={c.id} value={c.id}>{categoryName(r, i18n.language)} / {categoryName(c, i18n.language)}</option>)}
            </optgroup>
          ))}
        </select>
        <button type="button" className="btn btn-sm btn-primary" data-testid="refused-save-category" disabled={busy || !pick}
          onClick={() => void act(() => api.incident.update.mutate({ id: inc.id, patch: { categoryId: pick } }))}>{t('conflict.saveCategory')}</button>
      </span>
    );
  } else if (field === 'kbArticleId') {
    action = (
      <button type="button" className="btn btn-sm btn-primary" data-testid="refused-clear-kb" disabled={busy}
        onClick={() => void act(async () => { if (inc.kbArticleId) await api.incident.update.mutate({ id: inc.id, patch: { kbArticleId: null } }); })}>{t('conflict.clearKb')}</button>
    );
  }

  return (
    <li className="conflict conflict-refused" data-testid="conflict-refused" data-field={field} data-code={h.note ?? ''}>
      <div className="conflict-text">
        <div data-testid="refused-text">{text}<span className="muted"> · {formatDateTime(h.at, i18n.language)}</span></div>
        {h.newValue != null && h.newValue !== '' && (
          <div className="conflict-values"><span className="won" data-testid="refused-stands">{t('conflict.wonValue')}{t('common.sep')}{refValue(field, h.newValue)}</span></div>
        )}
      </div>
      {action}
      {dismissButton}
    </li>
  );
}
