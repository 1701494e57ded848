import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNELS, LEVELS, type Requester } from '../../../shared/index.js';
import { api, issuesOf } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { deleteDraft, loadDraft, saveDraft, BATCH_GRID_DRAFT } from '../../drafts/db.js';
import { categoryPath, fieldLabel, issueMessage } from '../../lib/format.js';
import {
  CELL_MAX, COLUMNS, cellIssueOnLeave, cellOfServerIssue, emptyRow, isBlank, resolveCategory, rowToInput, validateGrid,
  type CellIssue, type Column, type GridDraft, type GridRow,
} from './gridModel.js';

interface Completion { row: number; col: 'requester' | 'category'; items: Array<{ key: string; label: string; hint: string; pick: () => void }>; active: number }

const cellId = (row: number, col: Column) => `bg-${row}-${col}`;

/**
 * Paper-log batch entry (补录): many incidents typed quickly from paper, keyboard only. Tab/Shift+Tab
 * move across cells, Enter adds a row, ↑/↓ move between rows, Ctrl+Enter checks and saves all rows at
 * once (all or nothing), Ctrl+Delete removes a row. The grid is kept as a draft while typing.
 */
export function BatchGrid() {
  const { t, i18n } = useTranslation();
  const categories = useUi((s) => s.categories);
  const bump = useUi((s) => s.bump);
  const toast = useUi((s) => s.toast);
  const loc = i18n.language;
  const catById = useMemo(() => new Map(categories.map((c) => [c.id, c])), [categories]);

  const [draft, setDraft] = useState<GridDraft | null>(null);
  const [restored, setRestored] = useState(false);
  const [issues, setIssues] = useState<CellIssue[]>([]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<Array<{ id: string; number: string; title: string }>>([]);
  const [completion, setCompletion] = useState<Completion | null>(null);
  const touched = useRef(false);
  const focusNext = useRef<string | null>(null);

  useEffect(() => {
    let live = true;
    void loadDraft<GridDraft>(BATCH_GRID_DRAFT).then((d) => {
      if (!live) return;
      if (d?.data?.rows?.length) { setDraft(d.data); setRestored(true); } else setDraft({ rows: [emptyRow()], reason: '' });
    }).catch(() => { if (live) setDraft({ rows: [emptyRow()], reason: '' }); });
    return () => { live = false; };
  }, []);

  // The draft follows the typing: debounced, but written at least once a second during fast typing,
  // so a crash loses at most the last second. An empty grid leaves no draft.
  const lastDraftWrite = useRef(0);
  useEffect(() => {
    if (!draft || !touched.current) return;
    const write = () => {
      lastDraftWrite.current = Date.now();
      const empty = !draft.reason && draft.rows.every(isBlank);
      void (empty ? deleteDraft(BATCH_GRID_DRAFT) : saveDraft(BATCH_GRID_DRAFT, draft));
    };
    if (Date.now() - lastDraftWrite.current > 1000) { write(); return; }
    const id = setTimeout(write, 250);
    return () => clearTimeout(id);
  }, [draft]);

  useEffect(() => {
    if (focusNext.current) { document.getElementById(focusNext.current)?.focus(); focusNext.current = null; }
  });

  const change = useCallback((row: number, patch: Partial<GridRow>) => {
    touched.current = true;
    setDraft((d) => (d ? { ...d, rows: d.rows.map((r, k) => (k === row ? { ...r, ...patch } : r)) } : d));
    setIssues((xs) => xs.filter((i) => !(i.row === row && i.column && Object.keys(patch).some((p) => colOfKey(p) === i.column))));
  }, []);

  const addRow = (after: number) => {
    touched.current = true;
    setDraft((d) => {
      if (!d) return d;
      const rows = [...d.rows];
      rows.splice(after + 1, 0, emptyRow(d.rows[after]));
      return { ...d, rows };
    });
    // Errors below the insertion point move down with their rows.
    setIssues((xs) => xs.map((i) => (i.row > after ? { ...i, row: i.row + 1 } : i)));
    focusNext.current = cellId(after + 1, COLUMNS[0]);
  };

  const removeRow = (row: number) => {
    touched.current = true;
    setDraft((d) => (d ? { ...d, rows: d.rows.length > 1 ? d.rows.filter((_, k) => k !== row) : [emptyRow()] } : d));
    setIssues((xs) => xs.filter((i) => i.row !== row).map((i) => (i.row > row ? { ...i, row: i.row - 1 } : i)));
    focusNext.current = cellId(Math.max(0, row - 1), COLUMNS[0]);
  };

  // Requester completion: the directory, looked up as the name is typed.
  const lookupSeq = useRef(0);
  const lookup = (row: number, q: string) => {
    const seq = ++lookupSeq.current;
    if (q.trim().length < 1) { setCompletion(null); return; }
    setTimeout(() => {
      if (seq !== lookupSeq.current) return;
      api.requester.lookup.query({ q: q.trim(), limit: 6 }).then((hits: Requester[]) => {
        if (seq !== lookupSeq.current || document.activeElement?.id !== cellId(row, 'requester')) return;
        setCompletion(hits.length ? {
          row, col: 'requester', active: 0,
          items: hits.map((h) => ({
            key: h.id, label: h.name, hint: [h.department, h.phone].filter(Boolean).join(' · '),
            pick: () => change(row, { requesterId: h.id, requesterName: h.name, requesterServiceLevel: h.serviceLevel }),
          })),
        } : null);
      }).catch(() => {});
    }, 150);
  };

  const completeCategory = (row: number, q: string) => {
    const v = q.trim().toLowerCase();
    if (!v) { setCompletion(null); return; }
    const items = categories
      .filter((c) => [c.id, c.nameZh, c.nameEn, categoryPath(c.id, catById, 'zh-CN'), categoryPath(c.id, catById, 'en')].some((x) => x.toLowerCase().includes(v)))
      .sort((a, b) => Number([b.nameZh, b.nameEn, b.id].some((x) => x.toLowerCase() === v)) - Number([a.nameZh, a.nameEn, a.id].some((x) => x.toLowerCase() === v)))
      .slice(0, 8)
      .map((c) => {
        const label = categoryPath(c.id, catById, loc);
        return { key: c.id, label, hint: loc === 'en' ? c.nameZh : c.nameEn, pick: () => change(row, { categoryId: c.id, categoryText: label }) };
      });
    setCompletion(items.length ? { row, col: 'category', items, active: 0 } : null);
  };

  const save = async () => {
    if (!draft || saving) return;
    setCompletion(null);
    const rows = draft.rows.filter((r) => !isBlank(r));
    if (rows.length === 0) { setIssues([{ row: -1, column: null, message: t('batch.noRows'), path: '' }]); return; }
    const indexOf = draft.rows.map((r, k) => (isBlank(r) ? -1 : k)).filter((k) => k >= 0);
    const now = new Date();
    const local = validateGrid(rows, draft.reason, now).map((i) => ({ ...i, row: indexOf[i.row] }));
    if (!draft.reason.trim() && rows.some((r) => !r.reason.trim())) local.push({ row: -1, column: null, message: 'required', path: 'batchReason' });
    if (local.length) { setIssues(local); focusIssue(local[0]); return; }
    setSaving(true);
    try {
      const created = await api.incident.createBatch.mutate({ rows: rows.map((r) => rowToInput(r, draft.reason, now)) });
      await deleteDraft(BATCH_GRID_DRAFT);
      touched.current = false;
      setSaved(created.map((c) => ({ id: c.id, number: c.number, title: c.title })));
      setDraft({ rows: [emptyRow()], reason: draft.reason });
      setRestored(false);
      setIssues([]);
      toast(t('batch.saved', { count: created.length }));
      bump();
      focusNext.current = cellId(0, COLUMNS[0]);
    } catch (err) {
      const server = issuesOf(err).map(cellOfServerIssue).map((i) => ({ ...i, row: i.row >= 0 ? indexOf[i.row] ?? i.row : -1 }));
      setIssues(server);
      if (server[0]) focusIssue(server[0]);
    } finally {
      setSaving(false);
    }
  };

  // A cell's format problem is named when the user leaves it (the call form's rule); it goes when the cell changes.
  const checkCell = (row: number, col: Column) => {
    const r = draft?.rows[row];
    if (!r || !draft) return;
    const found = cellIssueOnLeave(r, row, col, draft.reason);
    if (found) setIssues((xs) => [...xs.filter((i) => !(i.row === row && i.column === col)), found]);
  };

  const focusIssue = (i: CellIssue) => {
    if (i.row >= 0) document.getElementById(cellId(i.row, i.column ?? COLUMNS[0]))?.focus();
    else if (i.path === 'batchReason') document.getElementById('bg-reason')?.focus();
  };

  const onCellKey = (e: KeyboardEvent<HTMLElement>, row: number, col: Column) => {
    const comp = completion && completion.row === row && completion.col === col ? completion : null;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void save(); return; }
    if (e.key === 'Delete' && e.ctrlKey) { e.preventDefault(); removeRow(row); return; }
    if (comp) {
      if (e.key === 'ArrowDown') { e.preventDefault(); setCompletion({ ...comp, active: Math.min(comp.items.length - 1, comp.active + 1) }); return; }
      if (e.key === 'ArrowUp') { e.preventDefault(); setCompletion({ ...comp, active: Math.max(0, comp.active - 1) }); return; }
      // Tab takes the highlighted category only when what was typed is not a category already.
      const tabPicks = e.key === 'Tab' && !e.shiftKey && col === 'category' && !!draft && !draft.rows[row].categoryId;
      if (e.key === 'Enter' || tabPicks) {
        if (e.key === 'Enter') e.preventDefault();
        comp.items[comp.active].pick();
        setCompletion(null);
        return;
      }
      if (e.key === 'Escape') { e.preventDefault(); setCompletion(null); return; }
    }
    if (e.key === 'Enter') { e.preventDefault(); addRow(row); return; }
    const isSelect = (e.target as HTMLElement).tagName === 'SELECT';
    if (!isSelect && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      const next = row + (e.key === 'ArrowDown' ? 1 : -1);
      if (next >= 0 && draft && next < draft.rows.length) { e.preventDefault(); document.getElementById(cellId(next, col))?.focus(); }
    }
  };

  if (!draft) return <section className="page"><p className="muted">{t('common.loading')}</p></section>;

  const issueAt = (row: number, col: Column) => issues.find((i) => i.row === row && i.column === col);
  const general = issues.filter((i) => i.row < 0 || !i.column);
  const colLabel = (c: Column) => t(`batch.col.${c}`);
  const text = (row: number, col: Column, value: string, onChange: (v: string) => void, extra: Record<string, unknown> = {}) => {
    const issue = issueAt(row, col);
    return (
      <input id={cellId(row, col)} value={value} aria-label={`${t('batch.rowN', { n: row + 1 })} ${colLabel(col)}`} aria-invalid={!!issue}
        data-testid={`cell-${row}-${col}`} title={issue ? issueMessage(issue, t) : undefined} autoComplete="off" maxLength={CELL_MAX[col]}
        onChange={(e) => onChange(e.target.value)} onKeyDown={(e) => onCellKey(e, row, col)}
        onBlur={() => { setTimeout(() => setCompletion((c) => (c && c.row === row && c.col === col && document.activeElement?.id !== cellId(row, col) ? null : c)), 120); checkCell(row, col); }}
        {...extra} />
    );
  };

  const nonBlank = draft.rows.filter((r) => !isBlank(r)).length;

  return (
    <section className="page batch" data-testid="batch-grid" aria-label={t('batch.title')}>
      <div className="page-head">
        <h2>{t('batch.title')}</h2>
        <span className="badge badge-backfill">{t('badge.backfilled')}</span>
        {restored && <span className="restored" data-testid="batch-restored">{t('batch.restored')}
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => { void deleteDraft(BATCH_GRID_DRAFT); setDraft({ rows: [emptyRow()], reason: '' }); setRestored(false); setIssues([]); }}>{t('form.discardDraft')}</button>
        </span>}
        <span className="spacer" />
        <span className="muted small">{t('batch.keys')}</span>
      </div>
      <div className="batch-reason">
        <label className={general.some((i) => i.path === 'batchReason') ? 'field invalid' : 'field'}>
          <span>{t('batch.reason')} *</span>
          <input id="bg-reason" value={draft.reason} data-testid="batch-reason" placeholder={t('batch.reasonPlaceholder')} maxLength={CELL_MAX.reason}
            aria-invalid={general.some((i) => i.path === 'batchReason')}
            onChange={(e) => { touched.current = true; const reason = e.target.value; setDraft((d) => (d ? { ...d, reason } : d)); setIssues((xs) => xs.filter((i) => i.path !== 'batchReason' && i.column !== 'reason')); }}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); if (e.ctrlKey || e.metaKey) void save(); else document.getElementById(cellId(0, COLUMNS[0]))?.focus(); } }} />
        </label>
        <p className="muted small">{t('batch.intro')}</p>
      </div>
      {issues.length > 0 && (
        <div className="form-error flush" role="alert" data-testid="batch-errors">
          <strong>{t('batch.fix', { count: issues.length })}</strong>
          <ul>
            {issues.map((i, n) => (
              <li key={n} data-testid="batch-error" data-row={i.row} data-col={i.column ?? ''}>
                <button type="button" className="linkish" onClick={() => focusIssue(i)}>
                  {i.row >= 0 ? `${t('batch.rowN', { n: i.row + 1 })} · ${i.column ? colLabel(i.column) : fieldLabel(i.path, t)}` : i.path === 'batchReason' ? t('batch.reason') : ''}
                </button>
                {i.row >= 0 || i.path === 'batchReason' ? t('common.sep') : ''}{issueMessage(i, t)}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="grid-scroll">
        <table className="grid" role="grid" aria-rowcount={draft.rows.length + 1}>
          <colgroup>
            <col className="c-n" /><col className="c-time" /><col className="c-time" /><col className="c-req" /><col className="c-ch" /><col className="c-cat" />
            <col className="c-title" /><col className="c-desc" /><col className="c-lvl" /><col className="c-lvl" /><col className="c-reason" /><col className="c-x" />
          </colgroup>
          <thead>
            <tr>
              <th>#</th>
              {COLUMNS.map((c) => <th key={c} scope="col">{colLabel(c)}{['reportedAt', 'requester', 'category', 'title'].includes(c) && ' *'}</th>)}
              <th aria-label={t('batch.remove')} />
            </tr>
          </thead>
          <tbody>
            {draft.rows.map((r, k) => {
              const cell = (col: Column, node: React.ReactNode) => {
                const issue = issueAt(k, col);
                return (
                  <td key={col} className={issue ? 'invalid' : undefined} data-testid={issue ? `cell-error-${k}-${col}` : undefined}>
                    {node}
                    {completion && completion.row === k && completion.col === col && (
                      <ul className="lookup-list grid-complete" role="listbox" data-testid="grid-completion">
                        {completion.items.map((it, n) => (
                          <li key={it.key} role="option" aria-selected={n === completion.active} className={n === completion.active ? 'active' : ''}
                            onMouseDown={(e) => { e.preventDefault(); it.pick(); setCompletion(null); }}>
                            <strong>{it.label}</strong><span className="muted"> {it.hint}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                );
              };
              const sel = (col: 'channel' | 'impact' | 'urgency', values: readonly string[], vocab: string) => (
                <select id={cellId(k, col)} value={r[col]} data-testid={`cell-${k}-${col}`} aria-label={`${t('batch.rowN', { n: k + 1 })} ${colLabel(col)}`}
                  onChange={(e) => change(k, { [col]: e.target.value } as Partial<GridRow>)} onKeyDown={(e) => onCellKey(e, k, col)}>
                  {values.map((v) => <option key={v} value={v}>{t(`enum.${vocab}.${v}`)}</option>)}
                </select>
              );
              return (
                <tr key={r.clientId} data-testid="grid-row" data-row={k}>
                  <td className="rownum">{k + 1}</td>
                  {cell('reportedAt', text(k, 'reportedAt', r.reportedAt, (v) => change(k, { reportedAt: v }), { placeholder: 'YYYY-MM-DD HH:mm' }))}
                  {cell('occurredAt', text(k, 'occurredAt', r.occurredAt, (v) => change(k, { occurredAt: v }), { placeholder: 'YYYY-MM-DD HH:mm' }))}
                  {cell('requester', text(k, 'requester', r.requesterName, (v) => { change(k, { requesterName: v, requesterId: null, requesterServiceLevel: 'normal' }); lookup(k, v); }))}
                  {cell('channel', sel('channel', CHANNELS, 'channel'))}
                  {cell('category', text(k, 'category', r.categoryText, (v) => { change(k, { categoryText: v, categoryId: resolveCategory(v, categories)?.id ?? '' }); completeCategory(k, v); }))}
                  {cell('title', text(k, 'title', r.title, (v) => change(k, { title: v })))}
                  {cell('description', text(k, 'description', r.description, (v) => change(k, { description: v })))}
                  {cell('impact', sel('impact', LEVELS, 'level'))}
                  {cell('urgency', sel('urgency', LEVELS, 'level'))}
                  {cell('reason', text(k, 'reason', r.reason, (v) => change(k, { reason: v }), { placeholder: draft.reason || t('batch.reasonSame') }))}
                  <td className="c-x"><button type="button" className="btn btn-ghost btn-sm" tabIndex={-1} aria-label={t('batch.remove')} title={`${t('batch.remove')} (Ctrl+Delete)`} onClick={() => removeRow(k)}>✕</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="page-foot">
        <button type="button" className="btn btn-sm" data-testid="batch-add-row" onClick={() => addRow(draft.rows.length - 1)}>+ {t('batch.addRow')} <kbd>Enter</kbd></button>
        <span className="muted" data-testid="batch-count" data-count={nonBlank}>{t('batch.count', { count: nonBlank })}</span>
        <span className="spacer" />
        {saved.length > 0 && (
          <span className="muted ellipsis" data-testid="batch-saved">{t('batch.savedAs')} {saved.map((s) => s.number).join('、')}</span>
        )}
        <button type="button" className="btn btn-primary" data-testid="batch-save" disabled={saving} onClick={() => void save()}>
          {saving ? t('form.saving') : t('batch.saveAll', { count: nonBlank })} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </section>
  );
}

function colOfKey(key: string): Column | null {
  switch (key) {
    case 'requesterName': case 'requesterId': return 'requester';
    case 'categoryText': case 'categoryId': return 'category';
    default: return (COLUMNS as readonly string[]).includes(key) ? (key as Column) : null;
  }
}
