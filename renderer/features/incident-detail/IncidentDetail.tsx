import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CHANNELS, IMPACT_SCOPES, LEVELS, MAJOR_REASONS, SERVICE_TYPES, TIERS, TRANSITION_NEEDS,
  type Category, type HistoryEntry, type Incident, type IncidentPatch, type PriorityReason, type SlaView, type Status, type Tier, type WorkLog,
} from '../../../shared/index.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { categoryName, categoryPath, formatDateTime, issueText, slaLabel, toLocalInput, fromLocalInput } from '../../lib/format.js';
import { FieldError } from '../../lib/FieldError.js';
import { errorText } from '../../lib/errorText.js';
import { EDIT_MAX, editIssues, mergeIssues, type EditTextField } from './editChecks.js';
import { PriorityReasons } from '../../lib/PriorityReasons.js';
import { useNow } from '../../lib/useNow.js';
import { Conflicts, type TransitionConflict } from './Conflicts.js';
import { dispatchTargets, useActorLabel } from '../../lib/people.js';
import { useRefValue } from '../sync/Rejections.js';
import { DispatchDialog } from '../dispatch/DispatchDialog.js';
import { AcceptButton, ReturnBanner, ReturnDialog } from '../dispatch/Return.js';
import { PendingDialog } from '../closure/PendingDialog.js';
import { ClosureBanner, ConfirmCloseDialog, FollowUpDialog, ReopenDialog } from '../closure/ConfirmClose.js';
import { leftOutReason } from '../sync/syncText.js';
import { TRANSITION_KEY } from '../shortcuts/keymap.js';
import { SourceFactsLine, isImportedOwner, sourceOwnerOf, useSourceFacts } from '../import/SourceFacts.js';
import { historyWords, type HistoryContext, type HistoryWords } from '../../lib/historyText.js';
import { SlaClocks } from '../sla/SlaClocks.js';
import { CiPicker } from '../cmdb/CiPicker.js';
import { LinkedArticle, ResolveKb } from '../knowledge/ResolveKb.js';
import { ProposeArticle } from '../knowledge/ProposeArticle.js';
import { ArticlePicker } from '../knowledge/ArticlePicker.js';
import { IncidentRecordLinks, RaiseProblem } from '../problems/IncidentRecords.js';
import { RecordPicker } from '../problems/RecordPicker.js';
import { EscalationActions, EscalationBlock, MgmtFlag } from '../escalation/Escalation.js';

interface Detail {
  incident: Incident;
  workLogs: WorkLog[];
  history: HistoryEntry[];
  allowed: Status[];
  priorityReasons: PriorityReason[];
  sla: SlaView;
  conflicts: TransitionConflict[];
  dismissedConflicts: string[];
}

export function IncidentDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const select = useUi((s) => s.select);
  const revision = useUi((s) => s.revision);
  const bump = useUi((s) => s.bump);
  const categories = useUi((s) => s.categories);
  const users = useUi((s) => s.users);
  const catById = useMemo(() => new Map<string, Category>(categories.map((c) => [c.id, c])), [categories]);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [editing, setEditing] = useState(false);
  const [requested, setRequested] = useState<{ to: Status; n: number } | null>(null);
  const now = useNow(30_000);
  const loc = i18n.language;
  const actorLabel = useActorLabel();
  const refValue = useRefValue();
  const srcFacts = useSourceFacts(detail?.incident.id, detail?.incident.origin, revision); // imported events' source columns
  // People and categories by name, other values as the shared vocabularies word them.
  const show = (field: string | null, v: string | null, recorded?: string | null) =>
    (field === 'assigneeId' || field === 'ownerId' || field === 'categoryId') && v ? refValue(field, v, recorded) : showValue(field, v, t);

  const load = useCallback(async () => {
    try {
      const d = await api.incident.get.query({ id });
      setDetail(d as Detail);
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    }
  }, [id]);

  useEffect(() => { setDetail(null); setIssues([]); setEditing(false); }, [id]);
  useEffect(() => { void load(); }, [load, revision]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !editing && !e.defaultPrevented) { e.preventDefault(); select(null); }
  };

  const after = async () => { setIssues([]); bump(); };

  if (!detail) {
    return (
      <aside className="detail" aria-label={t('detail.fields')}>
        <div className="detail-loading">{loadError != null ? <span role="alert">{errorText(loadError, t)}</span> : t('detail.loading')}</div>
      </aside>
    );
  }
  const inc = detail.incident;
  const sla = slaLabel(inc, now, t);
  const deskDevice = useUi.getState().desk?.device;
  const deviceLabel = (id: string) => (deskDevice && id === deskDevice.id ? deskDevice.code : null);
  const histCtx: HistoryContext = { t, locale: loc, person: (pid, recorded) => refValue('assigneeId', pid, recorded), category: (cid) => categoryPath(cid, catById, loc), leftOut: (code, kept) => leftOutReason({ code, kept }, t) };
  const userName = (uid: string | null) => (uid ? refValue('assigneeId', uid) : t('detail.none'));

  return (
    <aside className="detail" aria-label={`${inc.number} ${inc.title}`} data-testid="incident-detail" data-number={inc.number} data-status={inc.status} onKeyDown={onKeyDown}>
      <div className="detail-head">
        <div className="detail-title-row">
          <span className={`prio prio-${inc.priority}`}>{inc.priority}</span>
          <span className="mono" data-testid="detail-number">{inc.number}</span>
          <span className={`status status-${inc.status}`} data-testid="detail-status">{t(`enum.status.${inc.status}`)}</span>
          {inc.backfilled && <span className="badge badge-backfill" data-testid="detail-backfilled">{t('badge.backfilled')}</span>}
          {inc.autoEscalated && <span className="badge badge-vip">{t('badge.autoEscalated')}</span>}
          <span className="spacer" />
          <button type="button" className="btn btn-ghost btn-sm" aria-label={t('detail.close')} onClick={() => select(null)}>✕</button>
        </div>
        <h2 className="detail-title" data-testid="detail-title">{inc.title}</h2>
        <SlaClocks incident={inc} />
      </div>

      {issues.length > 0 && (
        <div className="form-error" role="alert" data-testid="detail-error">
          {issues.map((i, n) => <div key={n}>{issueText(i, t)}</div>)}
        </div>
      )}

      <MgmtFlag inc={inc} />
      <ReturnBanner inc={inc} />
      <ClosureBanner inc={inc} />

      <Conflicts inc={inc} history={detail.history} conflicts={detail.conflicts ?? []} dismissed={detail.dismissedConflicts ?? []} allowed={detail.allowed}
        showValue={(f, v) => show(f, v)} onDone={after} onError={setIssues}
        onTransition={(to) => setRequested((r) => ({ to, n: (r?.n ?? 0) + 1 }))} />

      <Transitions detail={detail} onDone={after} onError={setIssues} requested={requested} />
      <div className="record-links"><RaiseProblem inc={inc} onDone={after} /></div>
      <EscalationActions inc={inc} onDone={after} />

      <div className="detail-body">
        {editing ? (
          <EditForm inc={inc} onCancel={() => { setEditing(false); setIssues([]); }} onSaved={async () => { setEditing(false); await after(); }} onError={setIssues} issues={issues} />
        ) : (
          <section className="card">
            <div className="card-head">
              <h3>{t('detail.fields')}</h3>
              {/* A closed incident is read-only but for a note and the follow-up rating (issue 12). */}
              <button type="button" className="btn btn-sm" data-testid="edit-incident" disabled={inc.status === 'closed'} title={inc.status === 'closed' ? t('closure.editDisabled') : undefined} onClick={() => setEditing(true)}>{t('detail.edit')}</button>
            </div>
            <dl className="kv">
              <dt>{t('detail.requester')}</dt>
              <dd>{inc.requesterName}{inc.serviceLevel !== 'normal' && <span className="badge badge-vip">{t(`badge.${inc.serviceLevel}`)}</span>}
                <div className="muted">{[inc.requesterDept, inc.requesterPhone, inc.requesterEmail].filter(Boolean).join(' · ')}</div></dd>
              <dt>{t('field.channel')}</dt><dd>{t(`enum.channel.${inc.channel}`)}</dd>
              <dt>{t('field.serviceType')}</dt><dd>{t(`enum.serviceType.${inc.serviceType}`)}</dd>
              <dt>{t('field.categoryId')}</dt><dd>{categoryPath(inc.categoryId, catById, loc)}</dd>
              <dt>{t('field.description')}</dt><dd className="pre">{inc.description || t('detail.none')}</dd>
              <dt>{t('field.affectedName')}</dt><dd>{[inc.affectedName, inc.affectedIp, inc.affectedLocation].filter(Boolean).join(' · ') || t('detail.none')}</dd>
              <dt>{t('field.impactScope')}</dt><dd>{t(`enum.impactScope.${inc.impactScope}`)}</dd>
              <dt>{t('field.priority')}</dt>
              <dd>{t('field.impact')} {t(`enum.level.${inc.impact}`)} · {t('field.urgency')} {t(`enum.level.${inc.urgency}`)} → <strong>{t(`enum.priority.${inc.priority}`)}</strong>
                <PriorityReasons reasons={detail.priorityReasons} /></dd>
              <dt>{t('field.tier')}</dt><dd>{t(`enum.tier.${inc.tier}`)} · {inc.groupName ?? t('detail.none')} · {userName(inc.assigneeId)}</dd>
              <dt>{t('field.owner')}</dt><dd data-testid="detail-owner">{isImportedOwner(inc.ownerId) ? (sourceOwnerOf(srcFacts) ? t('impHist.owner', { name: sourceOwnerOf(srcFacts) }) : t('impHist.noOwner')) : userName(inc.ownerId)}</dd>
              <dt>{t('detail.times')}</dt>
              <dd className="times">
                <span>{t('field.occurredAt')} {formatDateTime(inc.occurredAt, loc)}</span>
                <span>{t('field.reportedAt')} {formatDateTime(inc.reportedAt, loc)}</span>
                <span>{t('field.recordedAt')} {formatDateTime(inc.recordedAt, loc)}</span>
                {inc.firstResponseAt && <span>{t('field.firstResponseAt')} {formatDateTime(inc.firstResponseAt, loc)}</span>}
                {inc.resolvedAt && <span>{t('field.resolvedAt')} {formatDateTime(inc.resolvedAt, loc)}</span>}
                {inc.closedAt && <span>{t('field.closedAt')} {formatDateTime(inc.closedAt, loc)}</span>}
              </dd>
              {inc.backfilled && (<><dt>{t('field.backfill.reason')}</dt><dd className="pre" data-testid="detail-backfill">{inc.backfillReason}</dd></>)}
              <dt>{t('field.resolution')}</dt><dd className="pre" data-testid="detail-resolution">{inc.resolution || t('detail.none')}</dd>
              {/* Knowledge (issue 12, item 8): the article it was resolved with, and its resolution proposed as a new one. */}
              {(inc.kbArticleId || inc.status === 'resolved' || inc.status === 'closed') && (<><dt>{t('know.detail.label')}</dt>
                <dd className="know-detail">{inc.kbArticleId && <LinkedArticle id={inc.kbArticleId} />} <ProposeArticle inc={inc} onDone={after} /></dd></>)}
              {(inc.rootCause || inc.kbArticleId) && (<>
                <dt>{t('field.rootCause')}</dt><dd className="pre">{inc.rootCause || t('detail.none')}</dd>
                <dt>{t('field.kbArticleId')}</dt><dd>{inc.kbArticleId || t('detail.none')}</dd>
              </>)}
              {/* Problem and change records (issue 12, item 6): picked records, the old free-text refs kept readable. */}
              <IncidentRecordLinks inc={inc} />
              <dt>{t('field.satisfaction')}</dt>
              <dd data-testid="detail-satisfaction">{inc.satisfaction ? '★'.repeat(inc.satisfaction) + '☆'.repeat(5 - inc.satisfaction) : t('detail.none')}
                {inc.satisfactionComment && <div className="muted">{inc.satisfactionComment}</div>}</dd>
            </dl>
          </section>
        )}

        <EscalationBlock inc={inc} onDone={after} />
        <WorkLogs incidentId={inc.id} logs={detail.workLogs} onDone={after} />

        <section className="card">
          <h3>{t('detail.history')}</h3>
          {detail.history.length === 0 ? <p className="muted">{t('detail.noHistory')}</p> : (
            <ol className="timeline" data-testid="history">
              {detail.history.map((h) => (
                <li key={h.id} className={h.kind === 'conflict' || h.kind === 'refused' ? 'tl-conflict' : undefined} data-kind={h.kind}>
                  <HistoryRow h={h} words={historyWords(h, histCtx)} actor={actorLabel(h.actorId, h.actorName)} device={deviceLabel(h.deviceId)} loc={loc} />
                  {srcFacts.has(h.id) && <SourceFactsLine facts={srcFacts.get(h.id)!} />}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </aside>
  );
}

/** One row of the history: when (viewer's zone), who, from which device, on- or offline, and what, all worded. */
function HistoryRow({ h, words, actor, device, loc }: { h: HistoryEntry; words: HistoryWords; actor: string; device: string | null; loc: string }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="tl-meta">
        <span>{formatDateTime(h.at, loc)}</span>
        <span data-testid="history-actor">{actor}</span>
        <span className="muted">{device ? `${t('detail.device')} ${device}` : t('hist.otherDevice')}</span>
        <span className={h.online ? 'pill pill-online' : 'pill pill-offline'}>{h.online ? t('detail.online') : t('detail.offline')}</span>
      </div>
      <div className="tl-body" data-testid="history-body">
        <strong>{words.kind}</strong>
        {words.field && <span> · {words.field}</span>}
        {words.to != null && <span className="change"> {words.from != null ? `${words.from} → ` : ''}{words.to}</span>}
        {words.note && <div className="muted pre">{words.note}</div>}
      </div>
    </>
  );
}

function showValue(field: string | null, v: string | null, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (v == null || v === '') return '∅';
  const vocab: Record<string, string> = { status: 'status', channel: 'channel', impact: 'level', urgency: 'level', impactScope: 'impactScope', serviceType: 'serviceType', tier: 'tier' };
  if (field && vocab[field]) return t(`enum.${vocab[field]}.${v}`, { defaultValue: v });
  return v.length > 80 ? `${v.slice(0, 80)}…` : v;
}

function Transitions({ detail, onDone, onError, requested }: { detail: Detail; onDone: () => Promise<void>; onError: (i: FieldIssue[]) => void; requested?: { to: Status; n: number } | null }) {
  const { t } = useTranslation();
  const users = useUi((s) => s.users);
  const [target, setTarget] = useState<Status | null>(null);
  const [reason, setReason] = useState('');
  const [resolution, setResolution] = useState('');
  const [kbChoice, setKbChoice] = useState<string | null>(null); // the article resolved with (issue 12, item 8)
  const [tier, setTier] = useState<Tier>('L2');
  const [group, setGroup] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const [busy, setBusy] = useState(false);
  const inc = detail.incident;

  useEffect(() => { setTarget(null); }, [inc.id, inc.status]);
  // Signed in, dispatch goes through the server's groups (issue 12); a desk that never signed in keeps its free-text prompt.
  const [serverGroups, setServerGroups] = useState(false);
  useEffect(() => { void api.group.list.query().then((r) => setServerGroups(r.connected && r.groups.length > 0)).catch(() => undefined); }, [inc.id]);

  const run = async (to: Status) => {
    setBusy(true);
    try {
      const need = TRANSITION_NEEDS[to];
      if (to === 'resolved' && kbChoice) await api.knowledge.resolveWith.mutate({ id: inc.id, resolution, kbArticleId: kbChoice });
      else await api.incident.transition.mutate({
        id: inc.id, to,
        reason: need === 'reason' ? reason : undefined,
        resolution: need === 'resolution' ? resolution : undefined,
        ...(need === 'assignment' ? { tier, group: group || null, assigneeId: assigneeId || null } : {}),
      });
      setTarget(null); setReason(''); setResolution(''); setKbChoice(null);
      await onDone();
    } catch (err) {
      onError(issuesOf(err));
    } finally {
      setBusy(false);
    }
  };

  const start = (to: Status) => {
    onError([]);
    if (!TRANSITION_NEEDS[to] && to !== 'closed') { void run(to); return; }
    setTarget(to);
    if (TRANSITION_NEEDS[to] === 'resolution') setResolution(inc.resolution ?? '');
    if (TRANSITION_NEEDS[to] === 'assignment') { setTier(inc.tier === 'L1' ? 'L2' : inc.tier); setGroup(inc.groupName ?? ''); setAssigneeId(inc.assigneeId ?? ''); }
  };

  // "Apply again" on a transition conflict starts the same transition, with its prompt.
  useEffect(() => { if (requested) start(requested.to); }, [requested?.n]); // eslint-disable-line react-hooks/exhaustive-deps

  const need = target ? TRANSITION_NEEDS[target] : undefined;
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && target) { e.preventDefault(); void run(target); }
    if (e.key === 'Escape' && target) { e.preventDefault(); setTarget(null); }
  };

  return (
    <section className="transitions" aria-label={t('detail.transitions')}>
      {detail.allowed.length === 0 ? (
        <><p className="muted" data-testid="no-transitions">{t('detail.noTransitions')}</p>
          {inc.status === 'closed' && <button type="button" className="btn btn-sm" data-testid="follow-up" onClick={() => setTarget('followUp' as Status)}>{t('closure.followUp')}</button>}</>
      ) : (
        <div className="transition-buttons" data-testid="transitions">
          {detail.allowed.map((s) => (
            <button key={s} type="button" className={target === s ? 'btn btn-sm active' : 'btn btn-sm'} data-testid={`transition-${s}`} disabled={busy}
              aria-keyshortcuts={TRANSITION_KEY[s]} onClick={() => start(s)}>
              → {t(`enum.status.${s}`)}
            </button>
          ))}
          <AcceptButton inc={inc} onDone={onDone} onError={onError} />
        </div>
      )}
      {target === 'assigned' && serverGroups && <DispatchDialog inc={inc} onDone={async () => { setTarget(null); await onDone(); }} onCancel={() => setTarget(null)} />}
      {target === 'returned' && <ReturnDialog inc={inc} onDone={async () => { setTarget(null); await onDone(); }} onCancel={() => setTarget(null)} />}
      {target === 'pending' && <PendingDialog inc={inc} onDone={async () => { setTarget(null); await onDone(); }} onCancel={() => setTarget(null)} />}
      {target === 'closed' && <ConfirmCloseDialog inc={inc} onDone={async () => { setTarget(null); await onDone(); }} onCancel={() => setTarget(null)} />}
      {target === 'reopened' && <ReopenDialog inc={inc} onDone={async () => { setTarget(null); await onDone(); }} onCancel={() => setTarget(null)} />}
      {(target as string) === 'followUp' && <FollowUpDialog inc={inc} onDone={async () => { setTarget(null); await onDone(); }} onCancel={() => setTarget(null)} />}
      {target && !(target === 'assigned' && serverGroups) && !['returned', 'pending', 'closed', 'reopened', 'followUp'].includes(target) && (
        <div className="prompt" data-testid="transition-prompt" onKeyDown={onKey}>
          <strong>{t('detail.to', { status: t(`enum.status.${target}`) })}</strong>
          {need === 'reason' && (
            <label className="field"><span>{t('field.reason')} *</span>
              <textarea autoFocus rows={2} value={reason} placeholder={t('detail.reasonPlaceholder')} onChange={(e) => setReason(e.target.value)} /></label>
          )}
          {need === 'resolution' && (
            <label className="field"><span>{t('field.resolution')} *</span>
              <textarea autoFocus rows={3} value={resolution} placeholder={t('detail.resolutionPlaceholder')} onChange={(e) => setResolution(e.target.value)} /></label>
          )}
          {need === 'resolution' && target === 'resolved' && <ResolveKb inc={inc} value={kbChoice} onChange={setKbChoice} />}
          {need === 'assignment' && (
            <div className="row3">
              <label className="field"><span>{t('field.tier')}</span>
                <select autoFocus value={tier} onChange={(e) => setTier(e.target.value as Tier)}>
                  {TIERS.map((x) => <option key={x} value={x}>{t(`enum.tier.${x}`)}</option>)}
                </select></label>
              <label className="field"><span>{t('field.group')}</span>
                <input value={group} onChange={(e) => setGroup(e.target.value)} /></label>
              <label className="field"><span>{t('field.assigneeId')}</span>
                <select value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)}>
                  <option value="">{t('detail.selectAssignee')}</option>
                  {dispatchTargets(users, inc.number).map((u) => <option key={u.id} value={u.id}>{u.name} · {u.groupName}</option>)}
                </select></label>
            </div>
          )}
          <div className="actions">
            <button type="button" className="btn btn-sm" onClick={() => setTarget(null)}>{t('detail.cancel')}</button>
            <button type="button" className="btn btn-primary btn-sm" data-testid="confirm-transition" disabled={busy} onClick={() => void run(target)}>
              {t('detail.confirm')} <kbd>Ctrl+Enter</kbd>
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function WorkLogs({ incidentId, logs, onDone }: { incidentId: string; logs: WorkLog[]; onDone: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const actorLabel = useActorLabel();
  const [body, setBody] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const add = async () => {
    setBusy(true);
    try {
      await api.incident.addWorkLog.mutate({ incidentId, body });
      setBody(''); setIssues([]);
      await onDone();
    } catch (err) {
      setIssues(issuesOf(err));
    } finally { setBusy(false); }
  };
  return (
    <section className="card">
      <h3>{t('detail.worklog')}</h3>
      <ol className="worklogs" data-testid="worklogs">
        {logs.map((w) => (
          <li key={w.id}>
            <div className="tl-meta"><span>{formatDateTime(w.at, i18n.language)}</span><span>{actorLabel(w.authorId, w.authorName)}</span>
              {w.kind !== 'note' && <span className="muted">{t(`detail.kind.${w.kind}`, { defaultValue: w.kind })}</span>}</div>
            <div className="pre">{w.body}</div>
          </li>
        ))}
      </ol>
      <label className="field">
        <span className="sr-only">{t('detail.addWorklog')}</span>
        <textarea rows={2} value={body} placeholder={t('detail.worklogPlaceholder')} data-testid="worklog-input"
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void add(); } }} />
        <FieldError issues={issues} path="body" />
        {issues.filter((i) => i.path !== 'body').map((i, n) => <span key={n} className="field-error" role="alert">{issueText(i, t)}</span>)}
      </label>
      <div className="actions">
        <button type="button" className="btn btn-sm" data-testid="add-worklog" disabled={busy} onClick={() => void add()}>{t('detail.addWorklog')}</button>
      </div>
    </section>
  );
}

type EditState = {
  channel: Incident['channel']; serviceType: Incident['serviceType']; rootCategoryId: string; subCategoryId: string;
  title: string; description: string; affectedName: string; ciId: string | null; affectedIp: string; affectedLocation: string;
  impactScope: Incident['impactScope']; impact: Incident['impact']; urgency: Incident['urgency']; majorReasons: Incident['majorReasons'];
  urgentReason: string; occurredAt: string; resolution: string; rootCause: string; problemRef: string; changeRef: string; kbArticleId: string;
  satisfaction: string; satisfactionComment: string;
  /** Picked records (issue 12, item 6), never free text. */
  problemId: string | null; changeId: string | null;
};

function EditForm({ inc, onCancel, onSaved, onError, issues }: { inc: Incident; onCancel: () => void; onSaved: () => Promise<void>; onError: (i: FieldIssue[]) => void; issues: FieldIssue[] }) {
  const { t, i18n } = useTranslation();
  const categories = useUi((s) => s.categories);
  const loc = i18n.language;
  const cat = categories.find((c) => c.id === inc.categoryId);
  const initial: EditState = {
    channel: inc.channel, serviceType: inc.serviceType,
    rootCategoryId: cat?.parentId ?? inc.categoryId, subCategoryId: cat?.parentId ? inc.categoryId : '',
    title: inc.title, description: inc.description, affectedName: inc.affectedName ?? '', ciId: inc.ciId ?? null, affectedIp: inc.affectedIp ?? '', affectedLocation: inc.affectedLocation ?? '',
    impactScope: inc.impactScope, impact: inc.impact, urgency: inc.urgency, majorReasons: inc.majorReasons, urgentReason: inc.urgentReason ?? '',
    occurredAt: toLocalInput(inc.occurredAt), resolution: inc.resolution ?? '', rootCause: inc.rootCause ?? '', problemRef: inc.problemRef ?? '',
    changeRef: inc.changeRef ?? '', kbArticleId: inc.kbArticleId ?? '', satisfaction: inc.satisfaction ? String(inc.satisfaction) : '', satisfactionComment: inc.satisfactionComment ?? '',
    problemId: inc.problemId ?? null, changeId: inc.changeId ?? null,
  };
  const [s, setS] = useState<EditState>(initial);
  const [busy, setBusy] = useState(false);
  // Fields left at least once: their problems show from then on, as in the call form (editChecks.ts).
  const [left, setLeft] = useState<ReadonlySet<string>>(new Set());
  const shown = useMemo(() => mergeIssues(editIssues(s, left), issues), [s, left, issues]);
  const leave = (k: string) => { if (!left.has(k)) setLeft(new Set(left).add(k)); };
  const set = <K extends keyof EditState>(k: K, v: EditState[K]) => setS((x) => ({ ...x, [k]: v }));
  const roots = categories.filter((c) => !c.parentId);
  const subs = categories.filter((c) => c.parentId === s.rootCategoryId);

  const save = async () => {
    const patch: IncidentPatch = {};
    const str = (v: string) => (v.trim() ? v.trim() : null);
    const categoryId = s.subCategoryId || s.rootCategoryId;
    if (s.channel !== inc.channel) patch.channel = s.channel;
    if (s.serviceType !== inc.serviceType) patch.serviceType = s.serviceType;
    if (categoryId !== inc.categoryId) patch.categoryId = categoryId;
    if (s.title !== inc.title) patch.title = s.title;
    if (s.description !== inc.description) patch.description = s.description;
    if (str(s.affectedName) !== inc.affectedName) patch.affectedName = str(s.affectedName);
    if (s.ciId !== (inc.ciId ?? null)) patch.ciId = s.ciId;
    if (str(s.affectedIp) !== inc.affectedIp) patch.affectedIp = str(s.affectedIp);
    if (str(s.affectedLocation) !== inc.affectedLocation) patch.affectedLocation = str(s.affectedLocation);
    if (s.impactScope !== inc.impactScope) patch.impactScope = s.impactScope;
    if (s.impact !== inc.impact) patch.impact = s.impact;
    if (s.urgency !== inc.urgency) patch.urgency = s.urgency;
    if ([...s.majorReasons].sort().join() !== [...inc.majorReasons].sort().join()) patch.majorReasons = s.majorReasons;
    if (str(s.urgentReason) !== inc.urgentReason) patch.urgentReason = str(s.urgentReason);
    const occ = fromLocalInput(s.occurredAt);
    if (s.occurredAt !== initial.occurredAt) patch.occurredAt = occ;
    for (const k of ['resolution', 'rootCause', 'problemRef', 'changeRef', 'kbArticleId', 'satisfactionComment'] as const) {
      if (str(s[k]) !== inc[k]) patch[k] = str(s[k]);
    }
    if (s.problemId !== (inc.problemId ?? null)) patch.problemId = s.problemId;
    if (s.changeId !== (inc.changeId ?? null)) patch.changeId = s.changeId;
    const sat = s.satisfaction ? Number(s.satisfaction) : null;
    if (sat !== inc.satisfaction) patch.satisfaction = sat;
    if (Object.keys(patch).length === 0) { onCancel(); return; }
    const local = editIssues(s, new Set(Object.keys(EDIT_MAX)));
    if (local.length) { setLeft(new Set(Object.keys(EDIT_MAX))); return; }
    setBusy(true);
    try {
      await api.incident.update.mutate({ id: inc.id, patch });
      await onSaved();
    } catch (err) {
      onError(issuesOf(err));
    } finally { setBusy(false); }
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void save(); }
    if (e.key === 'Escape') { e.preventDefault(); onCancel(); }
  };

  const text = (k: EditTextField, label: string, multi = false) => (
    <label className="field">
      <span>{label}</span>
      {multi
        ? <textarea rows={3} value={s[k]} maxLength={EDIT_MAX[k]} data-path={k} aria-invalid={shown.some((i) => i.path === k)} onBlur={() => leave(k)} onChange={(e) => set(k, e.target.value)} />
        : <input value={s[k]} maxLength={EDIT_MAX[k]} data-path={k} aria-invalid={shown.some((i) => i.path === k)} onBlur={() => leave(k)} onChange={(e) => set(k, e.target.value)} />}
      <FieldError issues={shown} path={k} />
    </label>
  );

  return (
    <section className="card edit" onKeyDown={onKey} data-testid="edit-form">
      <div className="card-head"><h3>{t('detail.edit')}</h3></div>
      {text('title', `${t('field.title')} *`)}
      {text('description', t('field.description'), true)}
      <div className="row2">
        <label className="field"><span>{t('field.channel')}</span>
          <select value={s.channel} onChange={(e) => set('channel', e.target.value as EditState['channel'])}>
            {CHANNELS.map((c) => <option key={c} value={c}>{t(`enum.channel.${c}`)}</option>)}</select></label>
        <label className="field"><span>{t('field.serviceType')}</span>
          <select value={s.serviceType} onChange={(e) => set('serviceType', e.target.value as EditState['serviceType'])}>
            {SERVICE_TYPES.map((c) => <option key={c} value={c}>{t(`enum.serviceType.${c}`)}</option>)}</select></label>
      </div>
      <div className="row2">
        <label className="field"><span>{t('field.categoryId')}</span>
          <select value={s.rootCategoryId} onChange={(e) => setS((x) => ({ ...x, rootCategoryId: e.target.value, subCategoryId: '' }))}>
            {roots.map((c) => <option key={c.id} value={c.id}>{categoryName(c, loc)}</option>)}</select></label>
        <label className="field"><span>{t('field.subcategory')}</span>
          <select value={s.subCategoryId} disabled={subs.length === 0} onChange={(e) => set('subCategoryId', e.target.value)}>
            <option value="">{t('form.chooseSub')}</option>
            {subs.map((c) => <option key={c.id} value={c.id}>{categoryName(c, loc)}</option>)}</select></label>
      </div>
      <div className="row3">
        <div className="field">
          <span>{t('field.affectedName')}</span>
          <CiPicker name={s.affectedName} ciId={s.ciId} maxLength={200} invalid={issues.some((i) => i.path === 'affectedName' || i.path === 'ciId')}
            onOpenIncident={(id) => useUi.getState().select(id)}
            onChange={(v) => setS((x) => ({ ...x, affectedName: v.name, ciId: v.ciId, affectedIp: x.affectedIp || v.ci?.ip || '', affectedLocation: x.affectedLocation || v.ci?.location || '' }))} />
          <FieldError issues={issues} path="affectedName" />
          <FieldError issues={issues} path="ciId" />
        </div>
        {text('affectedIp', t('field.affectedIp'))}
        {text('affectedLocation', t('field.affectedLocation'))}
      </div>
      <div className="row3">
        <label className="field"><span>{t('field.impactScope')}</span>
          <select value={s.impactScope} onChange={(e) => set('impactScope', e.target.value as EditState['impactScope'])}>
            {IMPACT_SCOPES.map((c) => <option key={c} value={c}>{t(`enum.impactScope.${c}`)}</option>)}</select></label>
        <label className="field"><span>{t('field.impact')}</span>
          <select value={s.impact} onChange={(e) => set('impact', e.target.value as EditState['impact'])}>
            {LEVELS.map((c) => <option key={c} value={c}>{t(`enum.level.${c}`)}</option>)}</select></label>
        <label className="field"><span>{t('field.urgency')}</span>
          <select value={s.urgency} onChange={(e) => set('urgency', e.target.value as EditState['urgency'])}>
            {LEVELS.map((c) => <option key={c} value={c}>{t(`enum.level.${c}`)}</option>)}</select></label>
      </div>
      <fieldset className="checklist">
        <legend>{t('field.majorReasons')}</legend>
        {MAJOR_REASONS.map((r) => (
          <label key={r} className="check">
            <input type="checkbox" checked={s.majorReasons.includes(r)}
              onChange={(e) => set('majorReasons', e.target.checked ? [...s.majorReasons, r] : s.majorReasons.filter((x) => x !== r))} />
            <span>{t(`enum.majorReason.${r}`)}</span>
          </label>
        ))}
      </fieldset>
      {text('urgentReason', t('field.urgentReason'))}
      <label className="field"><span>{t('field.occurredAt')}</span>
        <input type="datetime-local" value={s.occurredAt} onChange={(e) => set('occurredAt', e.target.value)} />
        <FieldError issues={shown} path="occurredAt" /></label>
      {text('resolution', t('field.resolution'), true)}
      {text('rootCause', t('field.rootCause'), true)}
      <div className="row3">
        <div className="field"><span>{t('field.problemId')}</span>
          <RecordPicker kind="problem" value={s.problemId} testId="edit-problem" invalid={issues.some((i) => i.path === 'problemId')} onChange={(v) => set('problemId', v)} />
          {inc.problemRef && <span className="muted">{t('problems.legacyRef', { ref: inc.problemRef })}</span>}
          <FieldError issues={issues} path="problemId" /></div>
        <div className="field"><span>{t('field.changeId')}</span>
          <RecordPicker kind="change" value={s.changeId} testId="edit-change" invalid={issues.some((i) => i.path === 'changeId')} onChange={(v) => set('changeId', v)} />
          {inc.changeRef && <span className="muted">{t('problems.legacyRef', { ref: inc.changeRef })}</span>}
          <FieldError issues={issues} path="changeId" /></div>
        <div className="field"><span>{t('field.kbArticleId')}</span>
          <ArticlePicker value={s.kbArticleId || null} testId="edit-kb" invalid={issues.some((i) => i.path === 'kbArticleId')} onChange={(v) => set('kbArticleId', v ?? '')} />
          <FieldError issues={issues} path="kbArticleId" /></div>
      </div>
      <div className="row2">
        <label className="field"><span>{t('field.satisfaction')}</span>
          <select value={s.satisfaction} data-testid="edit-satisfaction" onChange={(e) => set('satisfaction', e.target.value)}>
            <option value="">{t('detail.none')}</option>
            {[5, 4, 3, 2, 1].map((n) => <option key={n} value={String(n)}>{'★'.repeat(n)}</option>)}</select></label>
        {text('satisfactionComment', t('field.satisfactionComment'))}
      </div>
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={onCancel}>{t('detail.cancel')}</button>
        <button type="button" className="btn btn-primary btn-sm" data-testid="save-edit" disabled={busy} onClick={() => void save()}>{t('detail.save')} <kbd>Ctrl+Enter</kbd></button>
      </div>
    </section>
  );
}
