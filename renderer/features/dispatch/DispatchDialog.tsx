import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../shared/index.js';
import { defaultGroupFor, isMember, type Group } from '../../../shared/groups.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { useUi, type CatalogUser } from '../../state/ui.js';
import { dispatchTargets } from '../../lib/people.js';
import { dispatchIssueText } from './words.js';
import './dispatch.css';

/** Type-to-filter list driven from its input: arrows move, Enter takes the highlighted row. */
function usePick<T>(items: T[], text: (x: T) => string) {
  const [q, setQ] = useState('');
  const [hi, setHi] = useState(0);
  /** Whether the user moved the highlight or typed: else Enter keeps what is chosen. */
  const [moved, setMoved] = useState(false);
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return needle ? items.filter((x) => text(x).toLowerCase().includes(needle)) : items;
  }, [items, q, text]);
  useEffect(() => { setHi(0); setMoved(!!q.trim()); }, [q]);
  const onKey = (e: KeyboardEvent, take: (x: T | undefined, picked: boolean) => void) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); setMoved(true); setHi((h) => (moved ? Math.min(h + 1, shown.length - 1) : h)); }
    if (e.key === 'ArrowUp') { e.preventDefault(); setMoved(true); setHi((h) => Math.max(h - 1, 0)); }
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) { e.preventDefault(); take(shown[hi], moved); }
  };
  return { q, setQ, hi, setHi, shown, onKey, moved };
}

/**
 * Dispatch (issue 12): suggests the category's default group, lists only that group's members,
 * keeps person and group consistent (a person picked without a group brings their group), shows the
 * group's tier (the ticket takes it), and takes no person for a vendor. Keyboard first: type to
 * filter the groups, Enter, type to filter the people, Enter, Enter (or Ctrl+Enter from anywhere).
 */
export function DispatchDialog({ inc, onDone, onCancel }: { inc: Incident; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const users = useUi((s) => s.users);
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [groupId, setGroupId] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const personInput = useRef<HTMLInputElement>(null);
  const confirmBtn = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    void api.group.list.query().then(({ groups: gs }) => {
      if (!live) return;
      const active = gs.filter((g) => g.active);
      setGroups(active);
      // The category's default group; else where the ticket is, unless that is first line itself.
      const suggested = defaultGroupFor(inc.categoryId, active) ?? active.find((g) => g.name === inc.groupName && g.tier !== 'L1') ?? null;
      setGroupId(suggested?.id ?? '');
      const keep = inc.assigneeId && suggested && users.some((u) => u.id === inc.assigneeId && isMember(suggested, u)) ? inc.assigneeId : '';
      setAssigneeId(keep);
    }).catch((err) => setIssues(issuesOf(err)));
    return () => { live = false; };
  }, [inc.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const suggestedId = useMemo(() => (groups ? defaultGroupFor(inc.categoryId, groups)?.id ?? null : null), [groups, inc.categoryId]);
  const group = groups?.find((g) => g.id === groupId) ?? null;
  const vendor = group?.tier === 'vendor';
  const targets = useMemo(() => dispatchTargets(users, inc.number), [users, inc.number]);
  // Only the chosen group's members; with no group chosen, everyone (a pick then brings their group).
  const people = useMemo(() => (group ? targets.filter((u) => isMember(group, u)) : targets), [group, targets]);
  const groupPick = usePick(groups ?? [], (g) => g.name);
  const personPick = usePick(people, (u) => `${u.name} ${u.groupName}`);
  const person = users.find((u) => u.id === assigneeId) ?? null;

  const chooseGroup = (g: Group | undefined) => {
    if (!g) return;
    setGroupId(g.id);
    groupPick.setQ('');
    // A person outside the new group does not stay chosen.
    if (person && !isMember(g, person)) setAssigneeId('');
    if (g.tier === 'vendor') setAssigneeId('');
    setTimeout(() => (g.tier === 'vendor' ? confirmBtn.current : personInput.current)?.focus(), 0);
  };
  const choosePerson = (u: CatalogUser | undefined) => {
    if (u) {
      setAssigneeId(u.id);
      // Picking a person sets their group when none (or another) is chosen.
      if (!group || !isMember(group, u)) {
        const home = groups?.find((g) => g.name === u.groupName) ?? groups?.find((g) => isMember(g, u));
        if (home) setGroupId(home.id);
      }
    }
    personPick.setQ('');
    setTimeout(() => confirmBtn.current?.focus(), 0);
  };

  const submit = async () => {
    setBusy(true);
    try {
      await api.incident.transition.mutate({
        id: inc.id, to: 'assigned',
        tier: group?.tier ?? (inc.tier === 'L1' ? 'L2' : inc.tier),
        group: group?.name ?? null,
        assigneeId: vendor ? null : assigneeId || null,
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

  return (
    <div className="prompt" data-testid="dispatch-dialog" onKeyDown={onKey}>
      <strong>{t('dispatch.title')}</strong>
      {issues.length > 0 && (
        <div className="form-error" role="alert" data-testid="dispatch-error">{issues.map((i, n) => <div key={n}>{dispatchIssueText(i, t)}</div>)}</div>
      )}
      <label className="field">
        <span>{t('dispatch.group')}</span>
        <input autoFocus value={groupPick.q} placeholder={group ? group.name : t('dispatch.groupFilter')} data-testid="dispatch-group-filter"
          role="combobox" aria-expanded="true" aria-controls="dispatch-groups"
          onChange={(e) => groupPick.setQ(e.target.value)} onKeyDown={(e) => groupPick.onKey(e, (g, picked) => chooseGroup(picked ? g : group ?? g))} />
      </label>
      <ul className="dispatch-pick" id="dispatch-groups" role="listbox" data-testid="dispatch-groups">
        {groups === null ? <li className="muted">{t('dispatch.loading')}</li> : groupPick.shown.length === 0 ? <li className="muted">{t('dispatch.noGroups')}</li> : groupPick.shown.map((g, k) => (
          <li key={g.id} role="option" aria-selected={groupPick.moved ? k === groupPick.hi : g.id === groupId} className={g.id === groupId ? 'chosen' : undefined} data-testid="dispatch-group-option" data-name={g.name}
            onMouseDown={(e) => { e.preventDefault(); chooseGroup(g); }}>
            <span>{g.name}</span>
            <span className="badge badge-tier">{t(`enum.tier.${g.tier}`)}</span>
            {g.id === suggestedId && <span className="badge badge-suggested" data-testid="dispatch-suggested">{t('dispatch.suggested')}</span>}
          </li>
        ))}
      </ul>
      <div className="dispatch-chosen" data-testid="dispatch-chosen">
        {group ? t('dispatch.chosen', { group: group.name, tier: t(`enum.tier.${group.tier}`) }) : t('dispatch.noGroupChosen')}
      </div>
      {vendor ? (
        <p className="muted" data-testid="dispatch-vendor-note">{t('dispatch.vendorNote')}</p>
      ) : (<>
        <label className="field">
          <span>{t('dispatch.person')}</span>
          <input ref={personInput} value={personPick.q} placeholder={person ? person.name : t('dispatch.personFilter')} data-testid="dispatch-person-filter"
            role="combobox" aria-expanded="true" aria-controls="dispatch-people"
            onChange={(e) => personPick.setQ(e.target.value)} onKeyDown={(e) => personPick.onKey(e, (u, picked) => choosePerson(picked ? u : person ?? undefined))} />
        </label>
        <ul className="dispatch-pick" id="dispatch-people" role="listbox" data-testid="dispatch-people">
          {personPick.shown.length === 0 ? <li className="muted">{t('dispatch.noPeople')}</li> : personPick.shown.map((u, k) => (
            <li key={u.id} role="option" aria-selected={personPick.moved ? k === personPick.hi : u.id === assigneeId} className={u.id === assigneeId ? 'chosen' : undefined} data-testid="dispatch-person-option" data-name={u.name}
              onMouseDown={(e) => { e.preventDefault(); choosePerson(u); }}>
              <span>{u.name}</span><span className="muted">{u.groupName}</span>
            </li>
          ))}
        </ul>
        <div className="dispatch-chosen" data-testid="dispatch-person">{person ? t('dispatch.personChosen', { name: person.name }) : t('dispatch.nobody')}
          {person && <button type="button" className="btn btn-ghost btn-sm" onClick={() => setAssigneeId('')}>{t('dispatch.clearPerson')}</button>}</div>
      </>)}
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={onCancel}>{t('detail.cancel')}</button>
        <button ref={confirmBtn} type="button" className="btn btn-primary btn-sm" data-testid="confirm-dispatch" disabled={busy} onClick={() => void submit()}>
          {t('dispatch.confirm')} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </div>
  );
}
