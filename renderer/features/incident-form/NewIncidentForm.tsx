import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CHANNELS, IMPACT_SCOPES, LEVELS, LIMITS, MAJOR_REASONS, SERVICE_LEVELS, SERVICE_TYPES, TIERS, computePriority,
  type MajorReason, type QueueRow, type Requester,
} from '../../../shared/index.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { deleteDraft, loadDraft, saveDraft, NEW_INCIDENT_DRAFT } from '../../drafts/db.js';
import { FieldError, issueFor } from '../../lib/FieldError.js';
import { categoryName, issueText, formatDateTime } from '../../lib/format.js';
import { PriorityReasons } from '../../lib/PriorityReasons.js';
import { KbSuggestions } from '../kb/KbSuggestions.js';
import { CiPicker } from '../cmdb/CiPicker.js';
import { usePriorityMatrix } from '../sla/settings.js';
import { dispatchTargets } from '../../lib/people.js';
import { emptyForm, isDirty, liveIssues, toCreateInput, validateForm, type IncidentForm } from './formState.js';

type LookupHit = Requester & { recent: QueueRow[] };

export function NewIncidentForm() {
  const { t, i18n } = useTranslation();
  const desk = useUi((s) => s.desk);
  const categories = useUi((s) => s.categories);
  const users = useUi((s) => s.users);
  const openForm = useUi((s) => s.openForm);
  const select = useUi((s) => s.select);
  const setView = useUi((s) => s.setView);
  const bump = useUi((s) => s.bump);
  const toast = useUi((s) => s.toast);
  const group = desk?.user?.groupName ?? '';

  const [form, setForm] = useState<IncidentForm | null>(null);
  const [restored, setRestored] = useState(false);
  const [draftState, setDraftState] = useState<'none' | 'saving' | 'saved'>('none');
  /** What the last save attempt found (the shared schema's checks, or the desk's answer). */
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  /** Fields the agent has left at least once: their format problems show from then on. */
  const [left, setLeft] = useState<ReadonlySet<string>>(new Set());
  const [saving, setSaving] = useState(false);
  const [recent, setRecent] = useState<QueueRow[] | null>(null);
  const touched = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const firstFieldRef = useRef<HTMLInputElement>(null);

  // Restore a draft, if one was left behind (reload, crash, Esc).
  useEffect(() => {
    let live = true;
    void loadDraft<IncidentForm>(NEW_INCIDENT_DRAFT).then((d) => {
      if (!live) return;
      if (d && d.data && typeof d.data === 'object') {
        setForm({ ...emptyForm(group), ...d.data });
        setRestored(true);
        setDraftState('saved');
      } else {
        setForm(emptyForm(group));
      }
    }).catch(() => { if (live) setForm(emptyForm(group)); });
    return () => { live = false; };
  }, [group]);

  useEffect(() => { if (form) firstFieldRef.current?.focus(); }, [form === null]); // eslint-disable-line react-hooks/exhaustive-deps

  // Keep the draft as the agent types. A save in flight or done must not be followed by a late
  // draft write, or the saved incident's draft would come back.
  const latest = useRef<IncidentForm | null>(null);
  latest.current = form;
  const draftTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const submitting = useRef(false);
  useEffect(() => {
    if (!form || !touched.current || submitting.current) return;
    setDraftState('saving');
    draftTimer.current = setTimeout(() => {
      if (submitting.current) return;
      const save = isDirty(form) ? saveDraft(NEW_INCIDENT_DRAFT, form) : deleteDraft(NEW_INCIDENT_DRAFT);
      void save.then(() => setDraftState(isDirty(form) ? 'saved' : 'none'));
    }, 250);
    return () => clearTimeout(draftTimer.current);
  }, [form]);

  const update = useCallback((fn: (f: IncidentForm) => IncidentForm) => {
    touched.current = true;
    setForm((f) => (f ? fn(f) : f));
  }, []);

  const close = useCallback(() => {
    const f = latest.current;
    if (f && touched.current && !submitting.current && isDirty(f)) void saveDraft(NEW_INCIDENT_DRAFT, f);
    openForm(false);
  }, [openForm]);

  const discard = async () => {
    await deleteDraft(NEW_INCIDENT_DRAFT);
    touched.current = false;
    setForm(emptyForm(group));
    setRestored(false);
    setDraftState('none');
    setIssues([]);
    setLeft(new Set());
    setRecent(null);
    firstFieldRef.current?.focus();
  };

  const submit = async () => {
    if (!form || saving) return;
    const local = validateForm(form);
    if (local.length) {
      setIssues(local);
      focusFirstError(formRef.current, local);
      return;
    }
    setSaving(true);
    submitting.current = true;
    clearTimeout(draftTimer.current);
    try {
      const inc = await api.incident.create.mutate(toCreateInput(form));
      touched.current = false;
      await deleteDraft(NEW_INCIDENT_DRAFT);
      toast(t('form.createdAs', { number: inc.number }));
      bump();
      select(inc.id);
      openForm(false);
    } catch (err) {
      submitting.current = false;
      if (isDirty(form)) void saveDraft(NEW_INCIDENT_DRAFT, form);
      const server = issuesOf(err);
      setIssues(server);
      focusFirstError(formRef.current, server);
    } finally {
      setSaving(false);
    }
  };

  // Alt+T / Alt+I / Alt+U: straight to the title, impact and urgency (a P1 call without a dozen Tabs).
  const jump = (path: string) => formRef.current?.querySelector<HTMLElement>(`[data-path="${path}"]`)?.focus();
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    const alt = e.altKey && !e.ctrlKey && !e.metaKey;
    if (alt && (e.code === 'KeyT' || e.code === 'KeyI' || e.code === 'KeyU')) {
      e.preventDefault();
      jump(e.code === 'KeyT' ? 'title' : e.code === 'KeyI' ? 'impact' : 'urgency');
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape' && !e.defaultPrevented && !useUi.getState().kbArticleId) {
      e.preventDefault();
      close();
    }
  };

  const roots = useMemo(() => categories.filter((c) => !c.parentId), [categories]);
  const subs = useMemo(() => (form?.rootCategoryId ? categories.filter((c) => c.parentId === form.rootCategoryId) : []), [categories, form?.rootCategoryId]);
  const matrix = usePriorityMatrix(); // the pulled settings' matrix (issue 13), as the desk will classify it
  const prio = form ? computePriority({
    impact: form.impact, urgency: form.urgency, majorReasons: form.majorReasons,
    serviceLevel: form.requester.serviceLevel, urgentReason: form.urgent ? form.urgentReason : null,
  }, matrix) : null;

  // As the agent types: a value the desk would refuse (too long, not a phone number …) is named at once,
  // with the same words as the desk's answer; a missing value only after a save attempt.
  const shown = useMemo(() => (form ? liveIssues(form, issues, left) : issues), [form, issues, left]);
  const err = (path: string) => !!issueFor(shown, path);
  const openRecent = (id: string) => { close(); setView('queue'); select(id); };
  const loc = i18n.language;

  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) close(); }}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="nif-title" data-testid="incident-form">
        {!form ? <div className="modal-body">{t('common.loading')}</div> : (
          <form ref={formRef} noValidate onKeyDown={onKeyDown}
            onBlur={(e) => { const path = (e.target as HTMLElement).dataset?.path; if (path && !left.has(path)) setLeft(new Set(left).add(path)); }} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
            <div className="modal-head">
              <h2 id="nif-title">{t('form.title')}</h2>
              <span className={`draft-status ${draftState}`} data-testid="draft-status" data-state={draftState}>
                {draftState === 'saved' ? t('form.draftSaved') : draftState === 'saving' ? '…' : ''}
              </span>
              {restored && (
                <span className="restored" data-testid="draft-restored">{t('form.draftRestored')}
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => void discard()}>{t('form.discardDraft')}</button>
                </span>
              )}
              <span className="spacer" />
              <div className={`prio-live prio-${prio!.priority}`} data-testid="live-priority" aria-live="polite">
                <span className="prio-live-label">{t('form.computedPriority')}</span>
                <strong>{t(`enum.priority.${prio!.priority}`)}</strong>
              </div>
            </div>
            {issues.length > 0 && shown.length > 0 && (
              <div className="form-error" role="alert" data-testid="form-error">
                <strong>{t('msg.fixErrors')}</strong>
                <ul>{shown.map((i, n) => <li key={n}>{issueText(i, t)}</li>)}</ul>
              </div>
            )}
            <div className="modal-body form-grid">
              <section className="form-col">
                <h3>{t('form.requesterSection')}</h3>
                <CallerLookup inputRef={firstFieldRef} onPick={(hit) => {
                  update((f) => ({ ...f, requester: { id: hit.id, name: hit.name, department: hit.department ?? '', phone: hit.phone ?? '', email: hit.email ?? '', serviceLevel: hit.serviceLevel } }));
                  setRecent(hit.recent);
                  // The caller is known: on to what is wrong.
                  requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[data-path="categoryId"]')?.focus());
                }} />
                <Field label={t('field.channel')}>
                  <select value={form.channel} onChange={(e) => update((f) => ({ ...f, channel: e.target.value as IncidentForm['channel'] }))}>
                    {CHANNELS.map((c) => <option key={c} value={c}>{t(`enum.channel.${c}`)}</option>)}
                  </select>
                </Field>
                <Field label={`${t('field.requester.name')} *`} issues={shown} path="requester.name">
                  <input value={form.requester.name} aria-invalid={err('requester.name')} data-path="requester.name" maxLength={LIMITS.name}
                    onChange={(e) => update((f) => ({ ...f, requester: { ...f.requester, id: null, name: e.target.value } }))} />
                </Field>
                <Field label={t('field.requester.department')} issues={shown} path="requester.department">
                  <input value={form.requester.department} data-path="requester.department" maxLength={LIMITS.name}
                    onChange={(e) => update((f) => ({ ...f, requester: { ...f.requester, department: e.target.value } }))} />
                </Field>
                <div className="row2">
                  <Field label={t('field.requester.phone')} issues={shown} path="requester.phone">
                    <input type="tel" value={form.requester.phone} aria-invalid={err('requester.phone')} data-path="requester.phone" maxLength={40}
                      onChange={(e) => update((f) => ({ ...f, requester: { ...f.requester, phone: e.target.value } }))} />
                  </Field>
                  <Field label={t('field.requester.serviceLevel')}>
                    <select value={form.requester.serviceLevel}
                      onChange={(e) => update((f) => ({ ...f, requester: { ...f.requester, serviceLevel: e.target.value as IncidentForm['requester']['serviceLevel'] } }))}>
                      {SERVICE_LEVELS.map((s) => <option key={s} value={s}>{t(`enum.serviceLevel.${s}`)}</option>)}
                    </select>
                  </Field>
                </div>
                <Field label={t('field.requester.email')} issues={shown} path="requester.email">
                  <input type="email" value={form.requester.email} aria-invalid={err('requester.email')} data-path="requester.email" maxLength={LIMITS.short}
                    onChange={(e) => update((f) => ({ ...f, requester: { ...f.requester, email: e.target.value } }))} />
                </Field>
                {recent && (
                  <div className="recent" data-testid="recent-incidents">
                    <h4>{t('form.recent')}</h4>
                    {recent.length === 0 ? <p className="muted">{t('form.noRecent')}</p> : (
                      <ul>
                        {recent.slice(0, 5).map((r) => (
                          <li key={r.id}>
                            <button type="button" className="recent-open" data-testid="recent-incident" data-number={r.number} title={t('keys.openRecent')}
                              onClick={() => openRecent(r.id)}>
                              <span className="mono">{r.number}</span> <span className={`status status-${r.status}`}>{t(`enum.status.${r.status}`)}</span>
                              <span className="ellipsis"> {r.title}</span>
                              <span className="muted"> · {formatDateTime(r.reportedAt, loc)}</span>
                            </button>
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                )}
              </section>

              <section className="form-col">
                <h3>{t('form.incidentSection')}</h3>
                <div className="row2">
                  <Field label={t('field.serviceType')}>
                    <select value={form.serviceType} onChange={(e) => update((f) => ({ ...f, serviceType: e.target.value as IncidentForm['serviceType'] }))}>
                      {SERVICE_TYPES.map((s) => <option key={s} value={s}>{t(`enum.serviceType.${s}`)}</option>)}
                    </select>
                  </Field>
                  <Field label={t('field.impactScope')}>
                    <select value={form.impactScope} onChange={(e) => update((f) => ({ ...f, impactScope: e.target.value as IncidentForm['impactScope'] }))}>
                      {IMPACT_SCOPES.map((s) => <option key={s} value={s}>{t(`enum.impactScope.${s}`)}</option>)}
                    </select>
                  </Field>
                </div>
                <div className="row2">
                  <Field label={`${t('field.categoryId')} *`} issues={shown} path="categoryId">
                    <select value={form.rootCategoryId} aria-invalid={err('categoryId')} data-path="categoryId"
                      onChange={(e) => update((f) => ({ ...f, rootCategoryId: e.target.value, subCategoryId: '' }))}>
                      <option value="">{t('form.chooseCategory')}</option>
                      {roots.map((c) => <option key={c.id} value={c.id}>{categoryName(c, loc)}</option>)}
                    </select>
                  </Field>
                  <Field label={t('field.subcategory')}>
                    <select value={form.subCategoryId} disabled={subs.length === 0}
                      onChange={(e) => update((f) => ({ ...f, subCategoryId: e.target.value }))}>
                      <option value="">{t('form.chooseSub')}</option>
                      {subs.map((c) => <option key={c.id} value={c.id}>{categoryName(c, loc)}</option>)}
                    </select>
                  </Field>
                </div>
                <Field label={`${t('field.title')} *`} issues={shown} path="title">
                  <input value={form.title} aria-invalid={err('title')} data-path="title" maxLength={LIMITS.title} aria-describedby="title-count"
                    onChange={(e) => update((f) => ({ ...f, title: e.target.value }))} />
                </Field>
                <span id="title-count" className="field-count" data-testid="title-count">{form.title.length} / {LIMITS.title}</span>
                <KbSuggestions title={form.title} />
                <Field label={t('field.description')} issues={shown} path="description">
                  <textarea rows={4} value={form.description} data-path="description" maxLength={LIMITS.description}
                    onChange={(e) => update((f) => ({ ...f, description: e.target.value }))} />
                </Field>

                <h3>{t('form.affectedSection')}</h3>
                <Field label={t('field.affected.name')} issues={shown} path="affected.name">
                  <CiPicker name={form.affected.name} ciId={form.affected.ciId ?? null} maxLength={LIMITS.short} onOpenIncident={openRecent}
                    onChange={(v) => update((f) => ({ ...f, affected: { ...f.affected, name: v.name, ciId: v.ciId, ip: f.affected.ip || v.ci?.ip || '', location: f.affected.location || v.ci?.location || '' } }))} />
                </Field>
                <div className="row2">
                  <Field label={t('field.affected.ip')} issues={shown} path="affected.ip">
                    <input value={form.affected.ip} aria-invalid={err('affected.ip')} data-path="affected.ip" maxLength={64} onChange={(e) => update((f) => ({ ...f, affected: { ...f.affected, ip: e.target.value } }))} />
                  </Field>
                  <Field label={t('field.affected.location')} issues={shown} path="affected.location">
                    <input value={form.affected.location} data-path="affected.location" maxLength={LIMITS.short} onChange={(e) => update((f) => ({ ...f, affected: { ...f.affected, location: e.target.value } }))} />
                  </Field>
                </div>
                <h3>{t('form.prioritySection')}</h3>
                <div className="row2">
                  <Field label={t('field.impact')}>
                    <select value={form.impact} data-path="impact" onChange={(e) => update((f) => ({ ...f, impact: e.target.value as IncidentForm['impact'] }))}>
                      {LEVELS.map((l) => <option key={l} value={l}>{t(`enum.level.${l}`)}</option>)}
                    </select>
                  </Field>
                  <Field label={t('field.urgency')}>
                    <select value={form.urgency} data-path="urgency" onChange={(e) => update((f) => ({ ...f, urgency: e.target.value as IncidentForm['urgency'] }))}>
                      {LEVELS.map((l) => <option key={l} value={l}>{t(`enum.level.${l}`)}</option>)}
                    </select>
                  </Field>
                </div>
                <div className="why" data-testid="priority-reasons">
                  <span className="muted">{t('form.why')}：</span>
                  <PriorityReasons reasons={prio!.reasons} />
                </div>
                <fieldset className="checklist">
                  <legend>{t('field.majorReasons')} <span className="muted">{t('form.majorHint')}</span></legend>
                  {MAJOR_REASONS.map((r) => (
                    <label key={r} className="check">
                      <input type="checkbox" checked={form.majorReasons.includes(r)}
                        onChange={(e) => update((f) => ({ ...f, majorReasons: toggle(f.majorReasons, r, e.target.checked) }))} />
                      <span>{t(`enum.majorReason.${r}`)}</span>
                    </label>
                  ))}
                </fieldset>
                <label className="check">
                  <input type="checkbox" checked={form.urgent} onChange={(e) => update((f) => ({ ...f, urgent: e.target.checked }))} />
                  <span>{t('form.markUrgent')} <span className="muted">{t('form.urgentHint')}</span></span>
                </label>
                {form.urgent && (
                  <Field label={`${t('field.urgentReason')} *`} issues={shown} path="urgentReason">
                    <input value={form.urgentReason} aria-invalid={err('urgentReason')} data-path="urgentReason" maxLength={LIMITS.reason}
                      onChange={(e) => update((f) => ({ ...f, urgentReason: e.target.value }))} />
                  </Field>
                )}

                <h3>{t('form.dispatchSection')}</h3>
                <label className="check">
                  <input type="checkbox" checked={form.backfill} data-testid="backfill-toggle" onChange={(e) => update((f) => ({ ...f, backfill: e.target.checked }))} />
                  <span>{t('form.backfill')} <span className="muted">{t('form.backfillHint')}</span></span>
                </label>
                {form.backfill && (
                  <Field label={`${t('field.backfill.reason')} *`} issues={shown} path="backfill.reason">
                    <input value={form.backfillReason} aria-invalid={err('backfill.reason')} data-path="backfill.reason" maxLength={LIMITS.reason}
                      onChange={(e) => update((f) => ({ ...f, backfillReason: e.target.value }))} />
                  </Field>
                )}
                <div className="row2">
                  <Field label={t('field.occurredAt')} issues={shown} path="occurredAt">
                    <input type="datetime-local" value={form.occurredAt} data-path="occurredAt" onChange={(e) => update((f) => ({ ...f, occurredAt: e.target.value }))} />
                  </Field>
                  <Field label={t('field.reportedAt')} issues={shown} path="reportedAt">
                    <input type="datetime-local" value={form.reportedAt} data-path="reportedAt" onChange={(e) => update((f) => ({ ...f, reportedAt: e.target.value }))} />
                  </Field>
                </div>
                <div className="row3">
                  <Field label={t('field.tier')}>
                    <select value={form.tier} onChange={(e) => update((f) => ({ ...f, tier: e.target.value as IncidentForm['tier'] }))}>
                      {TIERS.map((x) => <option key={x} value={x}>{t(`enum.tier.${x}`)}</option>)}
                    </select>
                  </Field>
                  <Field label={t('field.group')} issues={shown} path="group">
                    <input value={form.group} data-path="group" maxLength={LIMITS.name} onChange={(e) => update((f) => ({ ...f, group: e.target.value }))} />
                  </Field>
                  <Field label={t('field.assigneeId')}>
                    <select value={form.assigneeId} onChange={(e) => update((f) => ({ ...f, assigneeId: e.target.value }))}>
                      <option value="">{t('detail.selectAssignee')}</option>
                      {dispatchTargets(users).map((u) => <option key={u.id} value={u.id}>{u.name} · {u.groupName}</option>)}
                    </select>
                  </Field>
                </div>
              </section>
            </div>
            <div className="modal-foot">
              <span className="muted">{t('form.saveHint')}</span>
              <span className="spacer" />
              <button type="button" className="btn" onClick={close}>{t('form.cancel')} <kbd>Esc</kbd></button>
              <button type="submit" className="btn btn-primary" data-testid="save-incident" disabled={saving}>
                {saving ? t('form.saving') : t('form.save')} <kbd>Ctrl+Enter</kbd>
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}

function toggle(list: MajorReason[], r: MajorReason, on: boolean): MajorReason[] {
  return on ? (list.includes(r) ? list : [...list, r]) : list.filter((x) => x !== r);
}

/** Focus the first field with a problem, in the order the agent sees them. */
function focusFirstError(form: HTMLFormElement | null, issues: FieldIssue[]) {
  if (!form) return;
  const paths = new Set(issues.map((i) => i.path));
  const el = [...form.querySelectorAll<HTMLElement>('[data-path]')].find((x) => paths.has(x.dataset.path ?? ''));
  el?.focus();
}

function Field({ label, issues, path, children }: { label: string; issues?: FieldIssue[]; path?: string; children: ReactNode }) {
  return (
    <label className={issues && path && issueFor(issues, path) ? 'field invalid' : 'field'}>
      <span>{label}</span>
      {children}
      {issues && path && <FieldError issues={issues} path={path} />}
    </label>
  );
}

/** Find the caller by phone prefix or name/department; Enter or a click fills the requester. */
function CallerLookup({ onPick, inputRef }: { onPick: (hit: LookupHit) => void; inputRef: React.RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<LookupHit[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const query = q.trim();
    if (!query) { setHits([]); return; }
    let live = true;
    const id = setTimeout(() => {
      api.requester.lookup.query({ q: query, limit: 8 }).then((r) => { if (live) { setHits(r); setActive(0); setOpen(true); } }).catch(() => {});
    }, 180);
    return () => { live = false; clearTimeout(id); };
  }, [q]);

  const pick = (hit: LookupHit) => { onPick(hit); setOpen(false); setQ(''); };

  return (
    <div className="lookup">
      <label className="field">
        <span>{t('form.lookup')} <span className="muted">{t('form.lookupHint')}</span></span>
        <input ref={inputRef} value={q} placeholder={t('form.lookupPlaceholder')} data-testid="caller-lookup" role="combobox"
          aria-expanded={open && hits.length > 0} aria-controls="lookup-list" aria-autocomplete="list"
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (!open || hits.length === 0) return;
            if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(hits.length - 1, a + 1)); }
            else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(0, a - 1)); }
            else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) { e.preventDefault(); pick(hits[active]); }
            else if (e.key === 'Escape') { e.preventDefault(); setOpen(false); }
          }} />
      </label>
      {open && hits.length > 0 && (
        <ul id="lookup-list" className="lookup-list" role="listbox">
          {hits.map((h, i) => (
            <li key={h.id} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
              onMouseDown={(e) => { e.preventDefault(); pick(h); }}>
              <strong>{h.name}</strong>
              {h.serviceLevel !== 'normal' && <span className="badge badge-vip">{t(`badge.${h.serviceLevel}`)}</span>}
              <span className="muted"> {h.department ?? ''} · {h.phone ?? h.email ?? ''}</span>
              <span className="muted right">{h.recent.length}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
