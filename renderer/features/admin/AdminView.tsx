import { useCallback, useEffect, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, TIERS, type Role, type Tier } from '../../../shared/index.js';
import { api, type RouterOutputs } from '../../platform/api.js';
import { categoryName } from '../../lib/format.js';
import { useUi } from '../../state/ui.js';
import { adminErrorText, adminFailureOf } from './adminText.js';
import { SlaTab } from './SlaTab.js';
import { PriorityMatrixTab } from './PriorityMatrixTab.js';
import { KnowledgeTab } from '../knowledge/KnowledgeTab.js';
import { CmdbView } from '../cmdb/CmdbView.js';
import './admin.css';

export type Overview = RouterOutputs['admin']['overview'];
type Tab = 'people' | 'groups' | 'categories' | 'sla' | 'priority';
const TABS: Tab[] = ['people', 'groups', 'categories', 'sla', 'priority'];
/** Knowledge articles and configuration items (issue 12, items 8 and 9), after the tabs above. */
type ItemTab = 'knowledge' | 'cis';
const ALL_TABS: Array<Tab | ItemTab> = [...TABS, 'knowledge', 'cis'];

/** Leads and admins see the administration section; agents and technicians never do. */
export const canAdminister = (role: string | undefined | null): boolean => role === 'lead' || role === 'admin';

/** Errors of one save, worded; null when there is none. */
export function Problems({ lines }: { lines: string[] | null }) {
  if (!lines?.length) return null;
  return <ul className="admin-problems" role="alert" data-testid="admin-problems">{lines.map((l, i) => <li key={i}>{l}</li>)}</ul>;
}

/** A form that saves on Enter (submit) and cancels on Esc. */
export function AdminForm({ onSave, onCancel, children, testId, label }: { onSave: () => void; onCancel: () => void; children: ReactNode; testId: string; label: string }) {
  const submit = (e: FormEvent) => { e.preventDefault(); onSave(); };
  const key = (e: KeyboardEvent) => {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); onCancel(); return; }
    // A text field submits on Enter by itself; a list or a checkbox does not: Enter saves there too.
    const el = e.target as HTMLElement;
    if (e.key === 'Enter' && !e.altKey && !e.ctrlKey && !e.metaKey && (el.tagName === 'SELECT' || (el instanceof HTMLInputElement && el.type === 'checkbox'))) { e.preventDefault(); onSave(); }
  };
  return <form className="admin-form" noValidate aria-label={label} data-testid={testId} onSubmit={submit} onKeyDown={key}>{children}</form>;
}

/** Runs a save: its failure as worded lines, a toast and a reload on success. */
export function useSave(reload: () => Promise<void>, calendarNames: readonly string[] = []) {
  const { t } = useTranslation();
  const toast = useUi((s) => s.toast);
  const bump = useUi((s) => s.bump);
  const [problems, setProblems] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>, done: string): Promise<boolean> => {
    setBusy(true); setProblems(null);
    try {
      await fn();
      toast(done);
      await reload();
      bump();
      return true;
    } catch (err) {
      setProblems(adminErrorText(adminFailureOf(err), t, calendarNames));
      return false;
    } finally { setBusy(false); }
  };
  return { problems, setProblems, busy, run };
}

/**
 * The administration section (issue 12 item 9, issue 13 item 1): people, groups and assignment
 * rules, categories, SLA settings, written on the central server by a lead or admin signed in here.
 */
export function AdminView() {
  const { t } = useTranslation();
  const openSignIn = useUi((s) => s.openSignIn);
  const [tab, setTab] = useState<Tab | ItemTab>('groups');
  const [data, setData] = useState<Overview | null>(null);
  const [failure, setFailure] = useState<string[] | null>(null);
  const load = useCallback(async () => {
    try { setData(await api.admin.overview.query()); setFailure(null); } catch (err) { setFailure(adminErrorText(adminFailureOf(err), t)); }
  }, [t]);
  useEffect(() => { void load(); }, [load]);

  if (!data) return <section className="admin-view"><Problems lines={failure} />{!failure && <p>{t('common.loading')}</p>}</section>;
  if (!data.canAdminister) return <section className="admin-view" data-testid="admin-view"><p>{t('admin.leadsOnly')}</p></section>;
  const online = data.signedIn;
  const onTabKey = (e: KeyboardEvent) => {
    const i = ALL_TABS.indexOf(tab);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const next = ALL_TABS[(i + (e.key === 'ArrowRight' ? 1 : ALL_TABS.length - 1)) % ALL_TABS.length];
      setTab(next);
      document.getElementById(`admin-tab-${next}`)?.focus();
    }
  };
  return (
    <section className="admin-view" data-testid="admin-view">
      <h2>{t('admin.title')}</h2>
      {!online && (
        <div className="admin-note" data-testid="admin-needs-server" role="note">
          <p>{data.connected ? t('admin.signInAgain') : t('admin.needsServer')}</p>
          <button type="button" className="btn" onClick={() => openSignIn(true)}>{t('admin.signIn')}</button>
        </div>
      )}
      <Problems lines={failure} />
      <div className="admin-tabs" role="tablist" aria-label={t('admin.title')} onKeyDown={onTabKey}>
        {ALL_TABS.map((k) => (
          <button key={k} id={`admin-tab-${k}`} type="button" role="tab" aria-selected={tab === k} tabIndex={tab === k ? 0 : -1}
            aria-controls={`admin-panel-${k}`} className={tab === k ? 'admin-tab active' : 'admin-tab'} data-testid={`admin-tab-${k}`} onClick={() => setTab(k)}>
            {t(`admin.tab.${k}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`admin-panel-${tab}`} aria-labelledby={`admin-tab-${tab}`} className="admin-panel">
        {tab === 'people' && <PeopleTab data={data} reload={load} online={online} />}
        {tab === 'groups' && <GroupsTab data={data} reload={load} online={online} />}
        {tab === 'categories' && <CategoriesTab data={data} reload={load} online={online} />}
        {tab === 'sla' && <SlaTab data={data} reload={load} online={online} />}
        {tab === 'knowledge' && <KnowledgeTab online={online} />}
        {tab === 'cis' && <CmdbView />}
        {tab === 'priority' && <PriorityMatrixTab data={data} reload={load} online={online} />}
      </div>
    </section>
  );
}

interface TabProps { data: Overview; reload: () => Promise<void>; online: boolean }

// ---------------------------------------------------------------------------------------------
// People

interface PersonDraft { id?: string; name: string; role: Role; groupName: string; password: string; active: boolean }

function PeopleTab({ data, reload, online }: TabProps) {
  const { t } = useTranslation();
  const { problems, setProblems, busy, run } = useSave(reload);
  const editable = data.isAdmin && online;
  const groupNames = data.groups.filter((g) => g.active).map((g) => g.name);
  const blank = (): PersonDraft => ({ name: '', role: 'technician', groupName: groupNames[0] ?? '', password: '', active: true });
  const [draft, setDraft] = useState<PersonDraft | null>(null);
  const save = async () => {
    if (!draft) return;
    const input = { ...(draft.id ? { id: draft.id } : {}), name: draft.name, role: draft.role, groupName: draft.groupName, active: draft.active, ...(draft.password ? { password: draft.password } : {}) };
    if (await run(() => api.admin.saveUser.mutate(input), t(draft.id ? 'admin.people.saved' : 'admin.people.invited', { name: draft.name }))) setDraft(null);
  };
  const cancel = () => { setDraft(null); setProblems(null); };
  return (
    <div data-testid="admin-people">
      <table className="admin-table" data-testid="admin-people-table">
        <thead><tr><th>{t('admin.field.name')}</th><th>{t('admin.field.role')}</th><th>{t('admin.field.groupName')}</th><th>{t('admin.field.active')}</th>{editable && <th />}</tr></thead>
        <tbody>
          {data.people.map((p) => (
            <tr key={p.id} className={p.active ? undefined : 'inactive'} data-testid="admin-person">
              <td>{p.name}</td><td>{t(`admin.role.${p.role}`)}</td><td>{p.groupName}</td><td>{p.active ? t('admin.yes') : t('admin.deactivated')}</td>
              {editable && <td><button type="button" className="btn btn-sm" onClick={() => { setProblems(null); setDraft({ id: p.id, name: p.name, role: p.role, groupName: p.groupName, password: '', active: p.active }); }}>{t('admin.edit')}</button></td>}
            </tr>
          ))}
        </tbody>
      </table>
      {!data.isAdmin && <p className="admin-hint">{t('admin.people.adminsOnly')}</p>}
      {editable && !draft && <button type="button" className="btn" data-testid="admin-invite" onClick={() => { setProblems(null); setDraft(blank()); }}>{t('admin.people.invite')}</button>}
      {draft && (
        <AdminForm onSave={() => void save()} onCancel={cancel} testId="admin-person-form" label={t(draft.id ? 'admin.people.edit' : 'admin.people.invite')}>
          <h3>{draft.id ? t('admin.people.editing', { name: draft.name }) : t('admin.people.invite')}</h3>
          <label className="field"><span>{t('admin.field.name')}</span>
            <input value={draft.name} autoFocus data-testid="admin-person-name" onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></label>
          <label className="field"><span>{t('admin.field.role')}</span>
            <select value={draft.role} data-testid="admin-person-role" onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
              {ROLES.map((r) => <option key={r} value={r}>{t(`admin.role.${r}`)}</option>)}
            </select></label>
          <label className="field"><span>{t('admin.field.groupName')}</span>
            <select value={draft.groupName} data-testid="admin-person-group" onChange={(e) => setDraft({ ...draft, groupName: e.target.value })}>
              {groupNames.map((g) => <option key={g} value={g}>{g}</option>)}
            </select></label>
          <label className="field"><span>{draft.id ? t('admin.people.newPassword') : t('admin.people.initialPassword')}</span>
            <input type="password" autoComplete="new-password" value={draft.password} data-testid="admin-person-password" onChange={(e) => setDraft({ ...draft, password: e.target.value })} /></label>
          {draft.id && (
            <label className="check"><input type="checkbox" checked={draft.active} data-testid="admin-person-active" onChange={(e) => setDraft({ ...draft, active: e.target.checked })} /> {t('admin.field.active')}</label>
          )}
          <Problems lines={problems} />
          <div className="admin-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="admin-person-save">{t('admin.save')}</button>
            <button type="button" className="btn" onClick={cancel}>{t('admin.cancel')}</button>
          </div>
        </AdminForm>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Groups and assignment rules

interface GroupDraft { id?: string; name: string; tier: Tier; active: boolean; members: string[] }

function GroupsTab({ data, reload, online }: TabProps) {
  const { t, i18n } = useTranslation();
  const { problems, setProblems, busy, run } = useSave(reload);
  const [draft, setDraft] = useState<GroupDraft | null>(null);
  const [rule, setRule] = useState<{ categoryId: string; groupId: string } | null>(null);
  const names = new Map(data.people.map((p) => [p.id, p.name]));
  const cats = new Map(data.categories.map((c) => [c.id, c]));
  const catName = (id: string) => categoryName(cats.get(id), i18n.language) || id;
  const save = async () => {
    if (!draft) return;
    const d = draft;
    const ok = await run(async () => {
      const g = await api.admin.saveGroup.mutate({ ...(d.id ? { id: d.id } : {}), name: d.name, tier: d.tier, active: d.active });
      await api.admin.setGroupMembers.mutate({ groupId: g.id, members: d.members });
    }, t('admin.groups.saved', { name: d.name }));
    if (ok) setDraft(null);
  };
  const saveRule = async () => {
    if (!rule) return;
    const r = rule;
    if (await run(() => api.admin.setAssignmentRule.mutate({ categoryId: r.categoryId, groupId: r.groupId || null }), t('admin.rules.saved', { category: catName(r.categoryId) }))) setRule(null);
  };
  const cancel = () => { setDraft(null); setRule(null); setProblems(null); };
  const ruleOf = (categoryId: string) => data.groups.find((g) => g.categories.includes(categoryId));
  return (
    <div data-testid="admin-groups">
      <table className="admin-table" data-testid="admin-groups-table">
        <thead><tr><th>{t('admin.field.name')}</th><th>{t('admin.field.tier')}</th><th>{t('admin.field.members')}</th><th>{t('admin.groups.rules')}</th>{online && <th />}</tr></thead>
        <tbody>
          {data.groups.map((g) => (
            <tr key={g.id} className={g.active ? undefined : 'inactive'} data-testid="admin-group">
              <td>{g.name}</td><td>{t(`admin.tier.${g.tier}`)}</td>
              <td>{g.members.map((m) => names.get(m) ?? t('admin.unknownPerson')).join(t('admin.listSep'))}</td>
              <td>{g.categories.map(catName).join(t('admin.listSep'))}</td>
              {online && <td><button type="button" className="btn btn-sm" onClick={() => { setProblems(null); setRule(null); setDraft({ id: g.id, name: g.name, tier: g.tier, active: g.active, members: [...g.members] }); }}>{t('admin.edit')}</button></td>}
            </tr>
          ))}
        </tbody>
      </table>
      {online && !draft && !rule && (
        <div className="admin-actions">
          <button type="button" className="btn" data-testid="admin-group-new" onClick={() => { setProblems(null); setDraft({ name: '', tier: 'L2', active: true, members: [] }); }}>{t('admin.groups.new')}</button>
          <button type="button" className="btn" data-testid="admin-rule-new" onClick={() => { setProblems(null); const first = data.categories.find((c) => !c.parentId)?.id ?? ''; setRule({ categoryId: first, groupId: ruleOf(first)?.id ?? '' }); }}>{t('admin.rules.set')}</button>
        </div>
      )}
      {draft && (
        <AdminForm onSave={() => void save()} onCancel={cancel} testId="admin-group-form" label={t(draft.id ? 'admin.groups.edit' : 'admin.groups.new')}>
          <h3>{draft.id ? t('admin.groups.editing', { name: draft.name }) : t('admin.groups.new')}</h3>
          <label className="field"><span>{t('admin.field.name')}</span>
            <input value={draft.name} autoFocus data-testid="admin-group-name" onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></label>
          <label className="field"><span>{t('admin.field.tier')}</span>
            <select value={draft.tier} data-testid="admin-group-tier" onChange={(e) => setDraft({ ...draft, tier: e.target.value as Tier })}>
              {TIERS.map((x) => <option key={x} value={x}>{t(`admin.tier.${x}`)}</option>)}
            </select></label>
          <label className="check"><input type="checkbox" checked={draft.active} onChange={(e) => setDraft({ ...draft, active: e.target.checked })} /> {t('admin.field.active')}</label>
          <fieldset className="admin-members" data-testid="admin-group-members">
            <legend>{t('admin.field.members')}</legend>
            {data.people.filter((p) => p.active || draft.members.includes(p.id)).map((p) => (
              <label key={p.id} className="check">
                <input type="checkbox" checked={draft.members.includes(p.id)} onChange={(e) => setDraft({ ...draft, members: e.target.checked ? [...draft.members, p.id] : draft.members.filter((m) => m !== p.id) })} /> {p.name}
              </label>
            ))}
          </fieldset>
          <Problems lines={problems} />
          <div className="admin-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="admin-group-save">{t('admin.save')}</button>
            <button type="button" className="btn" onClick={cancel}>{t('admin.cancel')}</button>
          </div>
        </AdminForm>
      )}
      {rule && (
        <AdminForm onSave={() => void saveRule()} onCancel={cancel} testId="admin-rule-form" label={t('admin.rules.set')}>
          <h3>{t('admin.rules.set')}</h3>
          <label className="field"><span>{t('admin.field.categoryId')}</span>
            <select value={rule.categoryId} autoFocus data-testid="admin-rule-category" onChange={(e) => setRule({ ...rule, categoryId: e.target.value, groupId: ruleOf(e.target.value)?.id ?? '' })}>
              {data.categories.map((c) => <option key={c.id} value={c.id}>{c.parentId ? `${catName(c.parentId)} / ${catName(c.id)}` : catName(c.id)}</option>)}
            </select></label>
          <label className="field"><span>{t('admin.rules.defaultGroup')}</span>
            <select value={rule.groupId} data-testid="admin-rule-group" onChange={(e) => setRule({ ...rule, groupId: e.target.value })}>
              <option value="">{t('admin.rules.none')}</option>
              {data.groups.filter((g) => g.active).map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
            </select></label>
          <Problems lines={problems} />
          <div className="admin-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="admin-rule-save">{t('admin.save')}</button>
            <button type="button" className="btn" onClick={cancel}>{t('admin.cancel')}</button>
          </div>
        </AdminForm>
      )}
      {!draft && !rule && problems && <Problems lines={problems} />}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Categories and subcategories

interface CategoryDraft { existing: boolean; id: string; parentId: string; code: string; nameZh: string; nameEn: string }

function CategoriesTab({ data, reload, online }: TabProps) {
  const { t, i18n } = useTranslation();
  const { problems, setProblems, busy, run } = useSave(reload);
  const [draft, setDraft] = useState<CategoryDraft | null>(null);
  const editable = data.isAdmin && online;
  const roots = data.categories.filter((c) => !c.parentId);
  const save = async () => {
    if (!draft) return;
    const d = draft;
    if (await run(() => api.admin.saveCategory.mutate({ id: d.id, parentId: d.parentId || null, code: d.code || d.id, nameZh: d.nameZh, nameEn: d.nameEn }),
      t('admin.categories.saved', { name: i18n.language === 'en' ? d.nameEn : d.nameZh }))) setDraft(null);
  };
  const cancel = () => { setDraft(null); setProblems(null); };
  return (
    <div data-testid="admin-categories">
      <ul className="admin-tree">
        {roots.map((r) => (
          <li key={r.id}>
            <span>{categoryName(r, i18n.language)}</span>
            {editable && <button type="button" className="btn btn-sm" onClick={() => setDraft({ existing: true, id: r.id, parentId: '', code: r.code, nameZh: r.nameZh, nameEn: r.nameEn })}>{t('admin.edit')}</button>}
            <ul>
              {data.categories.filter((c) => c.parentId === r.id).map((c) => (
                <li key={c.id}>
                  <span>{categoryName(c, i18n.language)}</span>
                  {editable && <button type="button" className="btn btn-sm" onClick={() => setDraft({ existing: true, id: c.id, parentId: r.id, code: c.code, nameZh: c.nameZh, nameEn: c.nameEn })}>{t('admin.edit')}</button>}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {!data.isAdmin && <p className="admin-hint">{t('admin.categories.adminsOnly')}</p>}
      {editable && !draft && <button type="button" className="btn" data-testid="admin-category-new" onClick={() => { setProblems(null); setDraft({ existing: false, id: '', parentId: '', code: '', nameZh: '', nameEn: '' }); }}>{t('admin.categories.new')}</button>}
      {draft && (
        <AdminForm onSave={() => void save()} onCancel={cancel} testId="admin-category-form" label={t('admin.categories.new')}>
          <label className="field"><span>{t('admin.field.id')}</span>
            <input value={draft.id} disabled={draft.existing} autoFocus={!draft.existing} onChange={(e) => setDraft({ ...draft, id: e.target.value })} /></label>
          <label className="field"><span>{t('admin.field.parentId')}</span>
            <select value={draft.parentId} onChange={(e) => setDraft({ ...draft, parentId: e.target.value })}>
              <option value="">{t('admin.categories.root')}</option>
              {roots.filter((r) => r.id !== draft.id).map((r) => <option key={r.id} value={r.id}>{categoryName(r, i18n.language)}</option>)}
            </select></label>
          <label className="field"><span>{t('admin.field.nameZh')}</span><input value={draft.nameZh} autoFocus={draft.existing} onChange={(e) => setDraft({ ...draft, nameZh: e.target.value })} /></label>
          <label className="field"><span>{t('admin.field.nameEn')}</span><input value={draft.nameEn} onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })} /></label>
          <Problems lines={problems} />
          <div className="admin-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>{t('admin.save')}</button>
            <button type="button" className="btn" onClick={cancel}>{t('admin.cancel')}</button>
          </div>
        </AdminForm>
      )}
    </div>
  );
}
