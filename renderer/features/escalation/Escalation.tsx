import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../shared/index.js';
import { isMember, type Group } from '../../../shared/groups.js';
import { ESCALATION_LIMITS, TIER_RANK } from '../../../shared/escalation.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { dispatchTargets } from '../../lib/people.js';
import { formatDateTime } from '../../lib/format.js';
import { escalationIssueText } from './words.js';
import './escalation.css';

/** Second or third line escalates an open ticket it holds (DOMAIN.md step 5); anyone working an open ticket may ask management. */
export const canEscalate = (inc: Incident) => (inc.tier === 'L2' || inc.tier === 'L3') && ['assigned', 'in_progress', 'pending', 'reopened'].includes(inc.status);
export const canAskManagement = (inc: Incident) => inc.status !== 'closed';

/**
 * The escalation actions of the detail (keys X and M, see the shortcut sheet): escalate to the next
 * tier, and ask management to step in. Each opens its dialog under the buttons.
 */
export function EscalationActions({ inc, onDone }: { inc: Incident; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'escalate' | 'mgmt' | null>(null);
  useEffect(() => { setOpen(null); }, [inc.id, inc.status]);
  if (inc.status === 'closed') return null;
  const done = async () => { setOpen(null); await onDone(); };
  return (
    <section className="escalation" aria-label={t('esc.section')}>
      <div className="escalation-actions">
        <button type="button" className={open === 'escalate' ? 'btn btn-sm active' : 'btn btn-sm'} data-testid="escalate" aria-keyshortcuts="X"
          disabled={!canEscalate(inc)} title={canEscalate(inc) ? undefined : t('esc.onlySecondLine')} onClick={() => setOpen('escalate')}>⇧ {t('esc.escalate')}</button>
        <button type="button" className={open === 'mgmt' ? 'btn btn-sm active' : 'btn btn-sm'} data-testid="ask-management" aria-keyshortcuts="M"
          disabled={!canAskManagement(inc)} onClick={() => setOpen('mgmt')}>⚑ {t('esc.askMgmt')}</button>
      </div>
      {open === 'escalate' && <EscalateDialog inc={inc} onDone={done} onCancel={() => setOpen(null)} />}
      {open === 'mgmt' && <AskManagementDialog inc={inc} onDone={done} onCancel={() => setOpen(null)} />}
    </section>
  );
}

const errs = (issues: FieldIssue[], paths: string[], t: ReturnType<typeof useTranslation>['t'], tier: string) =>
  issues.filter((i) => paths.includes(i.path)).map((i, n) => <span key={n} className="field-error" role="alert">{escalationIssueText(i, t, tier)}</span>);

/**
 * Escalate: the next tier's groups (L3 groups from second line; L3 and vendor groups from second
 * line, vendor groups from third line), a person of the chosen group (none for a vendor), why
 * (required), and for a vendor its name (required), contact and their ticket number (may come later).
 */
export function EscalateDialog({ inc, onDone, onCancel }: { inc: Incident; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const users = useUi((s) => s.users);
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [groupId, setGroupId] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const [reason, setReason] = useState('');
  const [vendor, setVendor] = useState({ vendorName: '', vendorContact: '', vendorTicket: '' });
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    let live = true;
    void api.group.list.query().then(({ groups: gs }) => {
      if (!live) return;
      const higher = gs.filter((g) => g.active && (g.tier === 'L3' || g.tier === 'vendor') && TIER_RANK[g.tier] > TIER_RANK[inc.tier])
        .sort((a, b) => TIER_RANK[a.tier] - TIER_RANK[b.tier] || a.name.localeCompare(b.name));
      setGroups(higher);
      setGroupId(higher[0]?.id ?? '');
      setTimeout(() => first.current?.focus(), 0);
    }).catch((err) => setIssues(issuesOf(err)));
    return () => { live = false; };
  }, [inc.id, inc.tier]);

  const group = groups?.find((g) => g.id === groupId) ?? null;
  const isVendor = group?.tier === 'vendor';
  const people = useMemo(() => (group ? dispatchTargets(users, inc.number).filter((u) => isMember(group, u)) : []), [group, users, inc.number]);

  const submit = async () => {
    setBusy(true);
    try {
      await api.escalation.escalate.mutate({
        id: inc.id, group: group?.name ?? '', assigneeId: isVendor ? null : assigneeId || null, reason,
        ...(isVendor ? { vendorName: vendor.vendorName, vendorContact: vendor.vendorContact || null, vendorTicket: vendor.vendorTicket || null } : {}),
      });
      setIssues([]);
      await onDone();
    } catch (err) {
      setIssues(issuesOf(err));
    } finally { setBusy(false); }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void submit(); }
    if (e.key === 'Escape') { e.preventDefault(); onCancel(); }
  };
  const shown = ['group', 'tier', 'assigneeId', 'escalationReason', 'reason', 'vendorName', 'vendorContact', 'vendorTicket'];
  /** A field's refusal goes once the user changes that field. */
  const clear = (...paths: string[]) => setIssues((is) => is.filter((i) => !paths.includes(i.path)));

  return (
    <div className="prompt" data-testid="escalate-dialog" onKeyDown={onKey}>
      <strong>{t('esc.title')}</strong>
      <p className="muted">{t('esc.from', { tier: t(`enum.tier.${inc.tier}`) })}</p>
      <label className="field"><span>{t('esc.group')} *</span>
        <select ref={first} value={groupId} data-testid="escalate-group" onChange={(e) => { setGroupId(e.target.value); setAssigneeId(''); }}>
          {groups === null ? <option value="">{t('dispatch.loading')}</option> : groups.length === 0 ? <option value="">{t('esc.noGroups')}</option> : groups.map((g) => (
            <option key={g.id} value={g.id}>{g.name} · {t(`enum.tier.${g.tier}`)}</option>
          ))}
        </select>
        {errs(issues, ['group', 'tier'], t, inc.tier)}
      </label>
      {isVendor ? <p className="muted" data-testid="escalate-vendor-note">{t('dispatch.vendorNote')}</p> : (
        <label className="field"><span>{t('esc.person')}</span>
          <select value={assigneeId} data-testid="escalate-person" onChange={(e) => setAssigneeId(e.target.value)}>
            <option value="">{t('esc.nobody')}</option>
            {people.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
          {errs(issues, ['assigneeId'], t, inc.tier)}
        </label>
      )}
      <label className="field"><span>{t('esc.reason')} *</span>
        <textarea rows={2} value={reason} maxLength={ESCALATION_LIMITS.reason} placeholder={t('esc.reasonPlaceholder')} data-testid="escalate-reason" onChange={(e) => { setReason(e.target.value); clear('escalationReason', 'reason'); }} />
        {errs(issues, ['escalationReason', 'reason'], t, inc.tier)}
      </label>
      {isVendor && (
        <div className="escalate-fields">
          <VendorInput field="vendorName" required value={vendor.vendorName} onChange={(v) => { setVendor({ ...vendor, vendorName: v }); clear('vendorName'); }} issues={issues} />
          <VendorInput field="vendorContact" value={vendor.vendorContact} onChange={(v) => { setVendor({ ...vendor, vendorContact: v }); clear('vendorContact'); }} issues={issues} />
          <VendorInput field="vendorTicket" value={vendor.vendorTicket} onChange={(v) => { setVendor({ ...vendor, vendorTicket: v }); clear('vendorTicket'); }} issues={issues} hint={t('esc.ticketLater')} />
        </div>
      )}
      {issues.filter((i) => !shown.includes(i.path)).map((i, n) => <div key={n} className="form-error" role="alert">{escalationIssueText(i, t, inc.tier)}</div>)}
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={onCancel}>{t('detail.cancel')}</button>
        <button type="button" className="btn btn-primary btn-sm" data-testid="confirm-escalate" disabled={busy || !group} onClick={() => void submit()}>
          {t('esc.confirm')} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </div>
  );
}

function VendorInput({ field, value, onChange, issues, required, hint }: { field: 'vendorName' | 'vendorContact' | 'vendorTicket'; value: string; onChange: (v: string) => void; issues: FieldIssue[]; required?: boolean; hint?: string }) {
  const { t } = useTranslation();
  return (
    <label className="field"><span>{t(`esc.field.${field}`)}{required ? ' *' : ''}</span>
      <input value={value} maxLength={ESCALATION_LIMITS[field]} placeholder={hint} data-testid={`escalate-${field}`} onChange={(e) => onChange(e.target.value)} />
      {errs(issues, [field], t, '')}
    </label>
  );
}

/** Ask management to step in: why (required); the incident is flagged and the team leads are told. */
export function AskManagementDialog({ inc, onDone, onCancel }: { inc: Incident; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await api.escalation.askManagement.mutate({ id: inc.id, reason });
      setIssues([]);
      await onDone();
    } catch (err) {
      setIssues(issuesOf(err));
    } finally { setBusy(false); }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void submit(); }
    if (e.key === 'Escape') { e.preventDefault(); onCancel(); }
  };
  return (
    <div className="prompt" data-testid="mgmt-dialog" onKeyDown={onKey}>
      <strong>{t('esc.mgmtTitle')}</strong>
      <p className="muted">{t('esc.mgmtHint')}</p>
      <label className="field"><span>{t('esc.mgmtReason')} *</span>
        <textarea autoFocus rows={2} value={reason} maxLength={ESCALATION_LIMITS.reason} placeholder={t('esc.mgmtPlaceholder')} data-testid="mgmt-reason" onChange={(e) => setReason(e.target.value)} />
        {errs(issues, ['reason', 'escalationReason'], t, '')}
      </label>
      {issues.filter((i) => i.path !== 'reason' && i.path !== 'escalationReason').map((i, n) => <div key={n} className="form-error" role="alert">{escalationIssueText(i, t)}</div>)}
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={onCancel}>{t('detail.cancel')}</button>
        <button type="button" className="btn btn-primary btn-sm" data-testid="confirm-mgmt" disabled={busy} onClick={() => void submit()}>
          {t('esc.mgmtConfirm')} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </div>
  );
}

/** At the top of the detail: management was asked to step in (when, why). */
export function MgmtFlag({ inc }: { inc: Incident }) {
  const { t, i18n } = useTranslation();
  if (!inc.mgmtEscalatedAt) return null;
  return (
    <div className="mgmt-flag" role="note" data-testid="mgmt-flag">
      <strong>⚑ {t('esc.flag', { at: formatDateTime(inc.mgmtEscalatedAt, i18n.language) })}</strong>
      {inc.mgmtReason && <div className="pre" data-testid="mgmt-flag-reason">{inc.mgmtReason}</div>}
    </div>
  );
}

/** The queue's marks: management asked to step in; escalated to third line or a vendor. */
export function EscalationBadges({ row }: { row: { mgmtEscalatedAt?: string | null; escalationLevel?: string | null; status: string } }) {
  const { t } = useTranslation();
  return (<>
    {row.mgmtEscalatedAt && row.status !== 'closed' && <span className="badge badge-mgmt" data-testid="badge-mgmt" title={t('esc.badgeMgmtTitle')}>⚑ {t('esc.badgeMgmt')}</span>}
    {row.escalationLevel && row.status !== 'closed' && <span className="badge badge-escalated" data-testid="badge-escalated">{t('esc.badgeLevel', { tier: t(`enum.tier.${row.escalationLevel}`) })}</span>}
  </>);
}

/**
 * The escalation block of the detail: to which tier, when, why; for a vendor its name, contact and
 * their ticket number, which can be edited afterwards (the vendor's number often comes later).
 */
export function EscalationBlock({ inc, onDone }: { inc: Incident; onDone: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [v, setV] = useState({ vendorName: '', vendorContact: '', vendorTicket: '' });
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => { setEditing(false); setIssues([]); }, [inc.id]);
  if (!inc.escalationLevel && !inc.vendorName) return null;
  const start = () => { setV({ vendorName: inc.vendorName ?? '', vendorContact: inc.vendorContact ?? '', vendorTicket: inc.vendorTicket ?? '' }); setIssues([]); setEditing(true); };
  const save = async () => {
    setBusy(true);
    try {
      await api.escalation.editVendor.mutate({ id: inc.id, vendorName: v.vendorName, vendorContact: v.vendorContact || null, vendorTicket: v.vendorTicket || null });
      setEditing(false); setIssues([]);
      await onDone();
    } catch (err) { setIssues(issuesOf(err)); } finally { setBusy(false); }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void save(); }
    if (e.key === 'Escape') { e.preventDefault(); setEditing(false); }
  };
  return (
    <section className="card vendor-block" data-testid="escalation-block">
      <div className="card-head">
        <h3>{t('esc.blockTitle')}</h3>
        {inc.vendorName && inc.status !== 'closed' && !editing && <button type="button" className="btn btn-sm" data-testid="vendor-edit" onClick={start}>{t('esc.vendorEdit')}</button>}
      </div>
      <dl>
        {inc.escalationLevel && (<>
          <dt>{t('esc.field.escalationLevel')}</dt><dd data-testid="escalation-level">{t(`enum.tier.${inc.escalationLevel}`)}{inc.escalatedAt ? ` · ${formatDateTime(inc.escalatedAt, i18n.language)}` : ''}</dd>
          <dt>{t('esc.field.escalationReason')}</dt><dd className="pre" data-testid="escalation-reason">{inc.escalationReason || t('detail.none')}</dd>
        </>)}
        {inc.vendorName && !editing && (<>
          <dt>{t('esc.field.vendorName')}</dt><dd data-testid="vendor-name">{inc.vendorName}</dd>
          <dt>{t('esc.field.vendorContact')}</dt><dd data-testid="vendor-contact">{inc.vendorContact || t('detail.none')}</dd>
          <dt>{t('esc.field.vendorTicket')}</dt><dd className="mono" data-testid="vendor-ticket">{inc.vendorTicket || t('esc.ticketNotYet')}</dd>
        </>)}
      </dl>
      {editing && (
        <div className="prompt" data-testid="vendor-form" onKeyDown={onKey}>
          <div className="escalate-fields">
            <VendorInput field="vendorName" required value={v.vendorName} onChange={(x) => setV({ ...v, vendorName: x })} issues={issues} />
            <VendorInput field="vendorContact" value={v.vendorContact} onChange={(x) => setV({ ...v, vendorContact: x })} issues={issues} />
            <VendorInput field="vendorTicket" value={v.vendorTicket} onChange={(x) => setV({ ...v, vendorTicket: x })} issues={issues} />
          </div>
          {issues.filter((i) => !['vendorName', 'vendorContact', 'vendorTicket'].includes(i.path)).map((i, n) => <div key={n} className="form-error" role="alert">{escalationIssueText(i, t)}</div>)}
          <div className="actions">
            <button type="button" className="btn btn-sm" onClick={() => setEditing(false)}>{t('detail.cancel')}</button>
            <button type="button" className="btn btn-primary btn-sm" data-testid="vendor-save" disabled={busy} onClick={() => void save()}>{t('esc.vendorSave')} <kbd>Ctrl+Enter</kbd></button>
          </div>
        </div>
      )}
    </section>
  );
}
