import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANGE_STATUSES, PROBLEM_STATUSES, canWorkRecords, type ChangeStatus, type ProblemStatus } from '../../../shared/problems.js';
import { OPEN_STATUSES, type Status } from '../../../shared/index.js';
import { api, issuesOf, type FieldIssue, type RouterOutputs } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { formatDateTime, fromLocalInput, toLocalInput } from '../../lib/format.js';
import { errorText } from '../../lib/errorText.js';
import { RecordPicker } from './RecordPicker.js';
import { useProblemsUi } from './state.js';
import { recordIssueText, windowText } from './words.js';
import './problems.css';

type ProblemDetail = RouterOutputs['problem']['get'];
type ChangeDetail = RouterOutputs['change']['get'];
type History = ProblemDetail['history'];

/**
 * Problem and change records (issue 12, item 6; Alt+9): the lists this desk holds (made here or
 * pulled), a record's detail with its linked incidents and history, and, for a problem, resolving
 * it with the linked open incidents offered. Works offline: every save is a local write that syncs.
 */
export function ProblemsView() {
  const { t } = useTranslation();
  const tab = useProblemsUi((s) => s.tab);
  const setTab = useProblemsUi((s) => s.setTab);
  return (
    <section className="problems-view" data-testid="problems-view">
      <header>
        <h2>{t('problems.title')}</h2>
        <div className="tabs" role="tablist">
          {(['problems', 'changes'] as const).map((k) => (
            <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'view-tab active' : 'view-tab'} data-testid={`records-tab-${k}`} onClick={() => setTab(k)}>
              {t(`problems.${k}`)}
            </button>
          ))}
        </div>
      </header>
      {tab === 'problems' ? <Problems /> : <Changes />}
    </section>
  );
}

function useCanWork() {
  return canWorkRecords(useUi((s) => s.desk?.user?.role));
}

function Problems() {
  const { t } = useTranslation();
  const revision = useUi((s) => s.revision);
  const selected = useProblemsUi((s) => s.problemId);
  const open = useProblemsUi((s) => s.openProblem);
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<RouterOutputs['problem']['list']>([]);
  const [failure, setFailure] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    void api.problem.list.query({ q }).then((r) => { if (live) { setRows(r); setFailure(null); } }).catch((e) => { if (live) setFailure(e); });
    return () => { live = false; };
  }, [q, revision]);
  return (
    <>
      <div>
        <label className="field"><span>{t('problems.search')}</span>
          <input value={q} data-testid="problems-search" placeholder={t('problems.searchPlaceholder')} onChange={(e) => setQ(e.target.value)} /></label>
        {failure != null && <p className="field-error" role="alert">{errorText(failure, t)}</p>}
        {rows.length === 0 ? <p className="muted" data-testid="problems-empty">{t('problems.empty')}</p> : (
          <table data-testid="problems-table">
            <thead><tr><th>{t('problems.field.number')}</th><th>{t('problems.field.title')}</th><th>{t('problems.field.status')}</th><th>{t('problems.linkedCount')}</th></tr></thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.id} className={p.id === selected ? 'selected' : undefined} data-testid="problem-row" data-number={p.number} tabIndex={0}
                  onClick={() => open(p.id)} onKeyDown={(e) => { if (e.key === 'Enter') open(p.id); }}>
                  <td className="mono">{p.number}</td><td>{p.title}</td>
                  <td><span className={`record-status record-status-${p.status}`}>{t(`problems.status.${p.status}`)}</span></td>
                  <td>{t('problems.openOf', { open: p.open, all: p.incidents })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {selected ? <ProblemCard id={selected} /> : <p className="muted">{t('problems.pick')}</p>}
    </>
  );
}

function HistoryList({ rows, kind }: { rows: History; kind: 'problem' | 'change' }) {
  const { t, i18n } = useTranslation();
  const device = useUi((s) => s.desk?.device);
  const value = (field: string | null, v: string | null) => {
    if (v == null || v === '') return t('hist.empty');
    if (field === 'status') return t(`problems.${kind === 'problem' ? 'status' : 'changeStatus'}.${v}`);
    if (field === 'plannedStart' || field === 'plannedEnd') return formatDateTime(v, i18n.language);
    return v.length > 80 ? `${v.slice(0, 80)}…` : v;
  };
  return (
    <ol className="record-history" data-testid="record-history">
      {rows.map((h) => (
        <li key={h.id} data-kind={h.kind}>
          <span>{formatDateTime(h.at, i18n.language)}</span> · <span data-testid="record-history-actor">{h.actorName ?? t('problems.someone')}</span> ·{' '}
          <span className="muted">{device && h.deviceId === device.id ? `${t('detail.device')} ${device.code}` : t('hist.otherDevice')}</span> ·{' '}
          <span className={h.online ? 'pill pill-online' : 'pill pill-offline'}>{h.online ? t('detail.online') : t('detail.offline')}</span>
          <div>
            <strong>{t(`problems.hist.${h.kind}`)}</strong>
            {h.field && <span> · {i18n.exists(`problems.field.${h.field}`) ? t(`problems.field.${h.field}`) : t('hist.fieldOther')}</span>}
            {h.kind === 'create' && <span> {h.newValue}</span>}
            {(h.kind === 'field' || h.kind === 'refused') && <span> {value(h.field, h.oldValue)} → {value(h.field, h.newValue)}</span>}
          </div>
        </li>
      ))}
    </ol>
  );
}

function LinkedIncidents({ rows }: { rows: ProblemDetail['incidents'] }) {
  const { t } = useTranslation();
  const openIncident = (id: string) => { useUi.getState().setView('queue'); useUi.getState().select(id); };
  if (!rows.length) return <p className="muted">{t('problems.noIncidents')}</p>;
  return (
    <ul data-testid="linked-incidents">
      {rows.map((i) => (
        <li key={i.id} data-testid="linked-incident" data-number={i.number} data-status={i.status}>
          <button type="button" className="linklike" onClick={() => openIncident(i.id)}>{i.number}</button> {i.title}{' '}
          <span className="muted">{t(`enum.status.${i.status}`)}</span>
        </li>
      ))}
    </ul>
  );
}

function ProblemCard({ id }: { id: string }) {
  const { t } = useTranslation();
  const revision = useUi((s) => s.revision);
  const bump = useUi((s) => s.bump);
  const toast = useUi((s) => s.toast);
  const canWork = useCanWork();
  const [d, setD] = useState<ProblemDetail | null>(null);
  const [form, setForm] = useState<{ title: string; status: ProblemStatus; rootCause: string; workaround: string } | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [resolving, setResolving] = useState(false);
  const load = useCallback(async () => {
    const x = await api.problem.get.query({ id });
    setD(x);
    setForm({ title: x.problem.title, status: x.problem.status, rootCause: x.problem.rootCause ?? '', workaround: x.problem.workaround ?? '' });
  }, [id]);
  // The dialog stays open over reloads (its answer, per incident, is shown after the write); another problem closes it.
  useEffect(() => { setResolving(false); setIssues([]); }, [id]);
  useEffect(() => { void load().catch(() => setD(null)); }, [load, revision]);
  if (!d || !form) return <p className="muted">{t('common.loading')}</p>;
  const p = d.problem;
  const save = async () => {
    try {
      await api.problem.save.mutate({ id, fields: { title: form.title, status: form.status, rootCause: form.rootCause || null, workaround: form.workaround || null } });
      setIssues([]); toast(t('problems.saved', { number: p.number })); bump();
    } catch (err) { setIssues(issuesOf(err)); }
  };
  const onKey = (e: KeyboardEvent) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && canWork) { e.preventDefault(); void save(); } };
  const err = (path: string) => issues.filter((i) => i.path === path || i.path === `fields.${path}`).map((i, n) => <span key={n} className="field-error" role="alert">{recordIssueText(i, t)}</span>);
  const openOnes = d.incidents.filter((i) => (OPEN_STATUSES as readonly Status[]).includes(i.status));
  return (
    <div className="record-detail card" data-testid="problem-detail" data-number={p.number} data-status={p.status} onKeyDown={onKey}>
      <div className="card-head">
        <h3><span className="mono" data-testid="problem-number">{p.number}</span> {p.title}</h3>
        <span className={`record-status record-status-${p.status}`} data-testid="problem-status">{t(`problems.status.${p.status}`)}</span>
      </div>
      <label className="field"><span>{t('problems.field.title')} *</span>
        <input value={form.title} maxLength={200} disabled={!canWork} data-testid="problem-title" onChange={(e) => setForm({ ...form, title: e.target.value })} />{err('title')}</label>
      <label className="field"><span>{t('problems.field.status')}</span>
        <select value={form.status} disabled={!canWork} data-testid="problem-status-select" onChange={(e) => setForm({ ...form, status: e.target.value as ProblemStatus })}>
          {PROBLEM_STATUSES.map((s) => <option key={s} value={s}>{t(`problems.status.${s}`)}</option>)}
        </select></label>
      <label className="field"><span>{t('problems.field.rootCause')}</span>
        <textarea rows={2} value={form.rootCause} disabled={!canWork} data-testid="problem-root-cause" onChange={(e) => setForm({ ...form, rootCause: e.target.value })} />{err('rootCause')}</label>
      <label className="field"><span>{t('problems.field.workaround')}</span>
        <textarea rows={2} value={form.workaround} disabled={!canWork} data-testid="problem-workaround" onChange={(e) => setForm({ ...form, workaround: e.target.value })} />{err('workaround')}</label>
      {issues.filter((i) => !['title', 'rootCause', 'workaround', 'fields.title'].includes(i.path)).map((i, n) => <div key={n} className="form-error" role="alert">{recordIssueText(i, t)}</div>)}
      {canWork && (
        <div className="actions">
          <button type="button" className="btn btn-sm btn-primary" data-testid="problem-save" onClick={() => void save()}>{t('detail.save')} <kbd>Ctrl+Enter</kbd></button>
          {p.status !== 'resolved' && p.status !== 'closed' && (
            <button type="button" className="btn btn-sm" data-testid="problem-resolve" onClick={() => setResolving(true)}>{t('problems.resolve')}</button>
          )}
        </div>
      )}
      {resolving && <ResolveDialog detail={d} onClose={() => setResolving(false)} />}
      <h4>{t('problems.linkedIncidents', { open: openOnes.length, all: d.incidents.length })}</h4>
      <LinkedIncidents rows={d.incidents} />
      <h4>{t('problems.linkedChanges')}</h4>
      {d.changes.length === 0 ? <p className="muted">{t('problems.noChanges')}</p> : (
        <ul>{d.changes.map((c) => (
          <li key={c.id}><button type="button" className="linklike" onClick={() => useProblemsUi.getState().openChange(c.id)}>{c.number}</button> {c.title} <span className="muted">{t(`problems.changeStatus.${c.status}`)}</span></li>
        ))}</ul>
      )}
      <h4>{t('detail.history')}</h4>
      <HistoryList rows={d.history} kind="problem" />
    </div>
  );
}

/**
 * Resolving a problem offers its linked open incidents (all checked), with one resolution text
 * pre-filled from the workaround or the root cause; each checked incident is resolved on its own and
 * the dialog says, per incident, whether it was resolved or why not.
 */
function ResolveDialog({ detail, onClose }: { detail: ProblemDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const bump = useUi((s) => s.bump);
  const toast = useUi((s) => s.toast);
  // What was offered when the dialog opened stays listed with its outcome after the write (they are resolved by then).
  const [offered] = useState(() => detail.incidents.filter((i) => (OPEN_STATUSES as readonly Status[]).includes(i.status)));
  const [checked, setChecked] = useState<Set<string>>(new Set(offered.map((i) => i.id)));
  const [text, setText] = useState(detail.problem.workaround || detail.problem.rootCause || '');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [results, setResults] = useState<RouterOutputs['problem']['resolve']['results'] | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      const r = await api.problem.resolve.mutate({ id: detail.problem.id, resolution: text, incidentIds: [...checked] });
      setResults(r.results);
      setIssues([]);
      toast(t('problems.resolvedToast', { number: detail.problem.number, n: r.results.filter((x) => x.ok).length }));
      bump();
    } catch (err) { setIssues(issuesOf(err)); } finally { setBusy(false); }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !results) { e.preventDefault(); void submit(); }
    if (e.key === 'Escape') { e.preventDefault(); onClose(); }
  };
  return (
    <div className="prompt" data-testid="resolve-problem-dialog" role="dialog" aria-label={t('problems.resolveTitle')} onKeyDown={onKey}>
      <strong>{t('problems.resolveTitle')}</strong>
      <p className="muted">{offered.length ? t('problems.resolveHint') : t('problems.resolveNone')}</p>
      {offered.length > 0 && (
        <fieldset>
          <legend>{t('problems.resolveOffer', { n: offered.length })}</legend>
          <ul className="resolve-list">
            {offered.map((i, k) => {
              const res = results?.find((r) => r.incidentId === i.id);
              return (
                <li key={i.id}>
                  <label>
                    <input type="checkbox" autoFocus={k === 0} checked={checked.has(i.id)} disabled={!!results} data-testid="resolve-incident" data-number={i.number}
                      onChange={(e) => { const s = new Set(checked); if (e.target.checked) s.add(i.id); else s.delete(i.id); setChecked(s); }} />
                    <span className="mono"> {i.number}</span> {i.title} {!res && <span className="muted">{t(`enum.status.${i.status}`)}</span>}
                  </label>
                  {res && (res.ok
                    ? <span className="resolve-result-ok" data-testid="resolve-result-ok"> ✓ {t('problems.resolvedOne')}</span>
                    : <span className="resolve-result-refused" data-testid="resolve-result-refused" role="alert"> {res.issues.map((x) => recordIssueText(x, t)).join('; ')}</span>)}
                </li>
              );
            })}
          </ul>
        </fieldset>
      )}
      <label className="field"><span>{t('problems.resolution')} *</span>
        <textarea rows={3} value={text} disabled={!!results} data-testid="resolve-problem-text" onChange={(e) => setText(e.target.value)} />
        {issues.filter((i) => i.path === 'resolution').map((i, n) => <span key={n} className="field-error" role="alert">{recordIssueText(i, t)}</span>)}
      </label>
      {issues.filter((i) => i.path !== 'resolution').map((i, n) => <div key={n} className="form-error" role="alert">{recordIssueText(i, t)}</div>)}
      <div className="actions">
        <button type="button" className="btn btn-sm" data-testid="resolve-problem-close" onClick={onClose}>{results ? t('problems.done') : t('detail.cancel')}</button>
        {!results && (
          <button type="button" className="btn btn-primary btn-sm" data-testid="resolve-problem-confirm" disabled={busy} onClick={() => void submit()}>
            {t('problems.resolveConfirm', { n: checked.size })} <kbd>Ctrl+Enter</kbd>
          </button>
        )}
      </div>
    </div>
  );
}

function Changes() {
  const { t, i18n } = useTranslation();
  const revision = useUi((s) => s.revision);
  const selected = useProblemsUi((s) => s.changeId);
  const open = useProblemsUi((s) => s.openChange);
  const canWork = useCanWork();
  const [rows, setRows] = useState<RouterOutputs['change']['list']>([]);
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    let live = true;
    void api.change.list.query({ q }).then((r) => { if (live) setRows(r); }).catch(() => undefined);
    return () => { live = false; };
  }, [q, revision]);
  return (
    <>
      <div>
        <div className="actions" style={{ justifyContent: 'space-between' }}>
          <label className="field"><span>{t('problems.search')}</span>
            <input value={q} data-testid="changes-search" placeholder={t('problems.searchPlaceholder')} onChange={(e) => setQ(e.target.value)} /></label>
          {canWork && <button type="button" className="btn btn-sm" data-testid="change-new" onClick={() => setCreating(true)}>+ {t('problems.newChange')}</button>}
        </div>
        {rows.length === 0 ? <p className="muted" data-testid="changes-empty">{t('problems.noChangesYet')}</p> : (
          <table data-testid="changes-table">
            <thead><tr><th>{t('problems.field.number')}</th><th>{t('problems.field.title')}</th><th>{t('problems.field.status')}</th><th>{t('problems.field.window')}</th></tr></thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} className={c.id === selected ? 'selected' : undefined} data-testid="change-row" data-number={c.number} tabIndex={0}
                  onClick={() => { setCreating(false); open(c.id); }} onKeyDown={(e) => { if (e.key === 'Enter') open(c.id); }}>
                  <td className="mono">{c.number}</td><td>{c.title}</td>
                  <td><span className={`record-status record-status-${c.status}`}>{t(`problems.changeStatus.${c.status}`)}</span></td>
                  <td>{windowText(c.plannedStart, c.plannedEnd, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {creating ? <NewChange onDone={(id) => { setCreating(false); open(id); }} onCancel={() => setCreating(false)} />
        : selected ? <ChangeCard id={selected} /> : <p className="muted">{t('problems.pickChangeHint')}</p>}
    </>
  );
}

function NewChange({ onDone, onCancel }: { onDone: (id: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const bump = useUi((s) => s.bump);
  const toast = useUi((s) => s.toast);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [problemIds, setProblemIds] = useState<string[]>([]);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const submit = async () => {
    const s = fromLocalInput(start), e = fromLocalInput(end);
    const local: FieldIssue[] = [];
    if (!title.trim()) local.push({ path: 'title', message: 'required' });
    if (!s) local.push({ path: 'plannedStart', message: 'required' });
    if (!e) local.push({ path: 'plannedEnd', message: 'required' });
    if (local.length) { setIssues(local); return; }
    try {
      const c = await api.change.create.mutate({ title, description: description || null, plannedStart: s!, plannedEnd: e!, problemIds });
      toast(t('problems.changeCreated', { number: c.number }));
      bump();
      onDone(c.id);
    } catch (err) { setIssues(issuesOf(err)); }
  };
  const onKey = (ev: KeyboardEvent) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); void submit(); }
    if (ev.key === 'Escape') { ev.preventDefault(); onCancel(); }
  };
  const err = (path: string) => issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`)).map((i, n) => <span key={n} className="field-error" role="alert">{recordIssueText(i, t)}</span>);
  return (
    <div className="record-detail card" data-testid="change-form" onKeyDown={onKey}>
      <h3>{t('problems.newChange')}</h3>
      <label className="field"><span>{t('problems.field.title')} *</span>
        <input autoFocus value={title} maxLength={200} data-testid="change-title" onChange={(e) => setTitle(e.target.value)} />{err('title')}</label>
      <label className="field"><span>{t('problems.field.description')}</span>
        <textarea rows={2} value={description} data-testid="change-description" onChange={(e) => setDescription(e.target.value)} /></label>
      <div className="row2">
        <label className="field"><span>{t('problems.field.plannedStart')} *</span>
          <input type="datetime-local" value={start} data-testid="change-start" onChange={(e) => setStart(e.target.value)} />{err('plannedStart')}</label>
        <label className="field"><span>{t('problems.field.plannedEnd')} *</span>
          <input type="datetime-local" value={end} data-testid="change-end" onChange={(e) => setEnd(e.target.value)} />{err('plannedEnd')}</label>
      </div>
      <div className="field"><span>{t('problems.field.problemIds')}</span>
        <ProblemIdList ids={problemIds} onRemove={(id) => setProblemIds(problemIds.filter((x) => x !== id))} />
        <RecordPicker kind="problem" value={null} testId="change-problem-picker" exclude={problemIds} onChange={(id) => { if (id) setProblemIds([...problemIds, id]); }} />
        {err('problemIds')}
      </div>
      {issues.filter((i) => !/^(title|plannedStart|plannedEnd|problemIds)/.test(i.path)).map((i, n) => <div key={n} className="form-error" role="alert">{recordIssueText(i, t)}</div>)}
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={onCancel}>{t('detail.cancel')}</button>
        <button type="button" className="btn btn-primary btn-sm" data-testid="change-create" onClick={() => void submit()}>{t('problems.createChange')} <kbd>Ctrl+Enter</kbd></button>
      </div>
    </div>
  );
}

function ProblemIdList({ ids, onRemove }: { ids: string[]; onRemove?: (id: string) => void }) {
  const { t } = useTranslation();
  const [labels, setLabels] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    void Promise.all(ids.map((id) => api.problem.get.query({ id }).then((d) => [id, `${d.problem.number} ${d.problem.title}`] as const).catch(() => [id, t('problems.unknownHere')] as const)))
      .then((pairs) => { if (live) setLabels(Object.fromEntries(pairs)); });
    return () => { live = false; };
  }, [ids.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!ids.length) return <p className="muted">{t('problems.noProblems')}</p>;
  return (
    <ul data-testid="change-problems">
      {ids.map((id) => (
        <li key={id} data-testid="change-problem">
          <button type="button" className="linklike" onClick={() => useProblemsUi.getState().openProblem(id)}>{labels[id] ?? ''}</button>
          {onRemove && <button type="button" className="btn btn-ghost btn-sm" aria-label={t('problems.unlink')} onClick={() => onRemove(id)}>✕</button>}
        </li>
      ))}
    </ul>
  );
}

function ChangeCard({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const revision = useUi((s) => s.revision);
  const bump = useUi((s) => s.bump);
  const toast = useUi((s) => s.toast);
  const canWork = useCanWork();
  const [d, setD] = useState<ChangeDetail | null>(null);
  const [form, setForm] = useState<{ title: string; status: ChangeStatus; start: string; end: string; description: string } | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const load = useCallback(async () => {
    const x = await api.change.get.query({ id });
    setD(x);
    setForm({ title: x.change.title, status: x.change.status, start: toLocalInput(x.change.plannedStart), end: toLocalInput(x.change.plannedEnd), description: x.change.description ?? '' });
  }, [id]);
  useEffect(() => { setIssues([]); void load().catch(() => setD(null)); }, [load, revision]);
  if (!d || !form) return <p className="muted">{t('common.loading')}</p>;
  const c = d.change;
  const save = async () => {
    const s = fromLocalInput(form.start), e = fromLocalInput(form.end);
    try {
      await api.change.save.mutate({ id, fields: { title: form.title, status: form.status, description: form.description || null, ...(s ? { plannedStart: s } : {}), ...(e ? { plannedEnd: e } : {}) } });
      setIssues([]); toast(t('problems.saved', { number: c.number })); bump();
    } catch (err) { setIssues(issuesOf(err)); }
  };
  const link = async (problemId: string, linked: boolean) => {
    try { await api.change.link.mutate({ id, problemId, linked }); setIssues([]); bump(); } catch (err) { setIssues(issuesOf(err)); }
  };
  const onKey = (e: KeyboardEvent) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && canWork) { e.preventDefault(); void save(); } };
  const err = (path: string) => issues.filter((i) => i.path === path || i.path === `fields.${path}`).map((i, n) => <span key={n} className="field-error" role="alert">{recordIssueText(i, t)}</span>);
  return (
    <div className="record-detail card" data-testid="change-detail" data-number={c.number} data-status={c.status} onKeyDown={onKey}>
      <div className="card-head">
        <h3><span className="mono" data-testid="change-number">{c.number}</span> {c.title}</h3>
        <span className={`record-status record-status-${c.status}`}>{t(`problems.changeStatus.${c.status}`)}</span>
      </div>
      <p data-testid="change-window">{t('problems.field.window')}{t('common.sep')}{windowText(c.plannedStart, c.plannedEnd, i18n.language)}</p>
      <label className="field"><span>{t('problems.field.title')} *</span>
        <input value={form.title} maxLength={200} disabled={!canWork} onChange={(e) => setForm({ ...form, title: e.target.value })} />{err('title')}</label>
      <label className="field"><span>{t('problems.field.status')}</span>
        <select value={form.status} disabled={!canWork} data-testid="change-status-select" onChange={(e) => setForm({ ...form, status: e.target.value as ChangeStatus })}>
          {CHANGE_STATUSES.map((s) => <option key={s} value={s}>{t(`problems.changeStatus.${s}`)}</option>)}
        </select></label>
      <div className="row2">
        <label className="field"><span>{t('problems.field.plannedStart')} *</span>
          <input type="datetime-local" value={form.start} disabled={!canWork} data-testid="change-edit-start" onChange={(e) => setForm({ ...form, start: e.target.value })} />{err('plannedStart')}</label>
        <label className="field"><span>{t('problems.field.plannedEnd')} *</span>
          <input type="datetime-local" value={form.end} disabled={!canWork} data-testid="change-edit-end" onChange={(e) => setForm({ ...form, end: e.target.value })} />{err('plannedEnd')}</label>
      </div>
      <label className="field"><span>{t('problems.field.description')}</span>
        <textarea rows={2} value={form.description} disabled={!canWork} onChange={(e) => setForm({ ...form, description: e.target.value })} /></label>
      {issues.filter((i) => !/^(fields\.)?(title|plannedStart|plannedEnd)$/.test(i.path)).map((i, n) => <div key={n} className="form-error" role="alert">{recordIssueText(i, t)}</div>)}
      {canWork && <div className="actions"><button type="button" className="btn btn-sm btn-primary" data-testid="change-save" onClick={() => void save()}>{t('detail.save')} <kbd>Ctrl+Enter</kbd></button></div>}
      <h4>{t('problems.field.problemIds')}</h4>
      <ProblemIdList ids={c.problemIds} onRemove={canWork ? (pid) => void link(pid, false) : undefined} />
      {canWork && <RecordPicker kind="problem" value={null} testId="change-link-problem" exclude={c.problemIds} onChange={(pid) => { if (pid) void link(pid, true); }} />}
      <h4>{t('problems.linkedIncidentsOf', { n: d.incidents.length })}</h4>
      <LinkedIncidents rows={d.incidents} />
      <h4>{t('detail.history')}</h4>
      <HistoryList rows={d.history} kind="change" />
    </div>
  );
}
