import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Category, QueueRow } from '../../../shared/index.js';
import { api } from '../../platform/api.js';
import { useUi, type QueueFilters, type QueueSort, type QueueSortKey } from '../../state/ui.js';
import { categoryPath, slaLabel } from '../../lib/format.js';
import { useNow } from '../../lib/useNow.js';
import { useSlaSettings } from '../sla/settings.js';
import { PagedRows } from './pagedRows.js';
import { isImportedHistory } from '../import/SourceFacts.js';
import { ReturnedBadge } from '../dispatch/Return.js';
import { ClosureBadge } from '../closure/ConfirmClose.js';
import { EscalationBadges } from '../escalation/Escalation.js';

const ROW_HEIGHT = 40;

/** The columns in screen order and the order each sorts by (the SLA column: the default, most urgent first). */
const COLUMNS: Array<{ col: string; key: QueueSortKey; right?: boolean }> = [
  { col: 'priority', key: 'priority' }, { col: 'number', key: 'number' }, { col: 'title', key: 'title' }, { col: 'requester', key: 'requester' },
  { col: 'category', key: 'category' }, { col: 'status', key: 'status' }, { col: 'assignee', key: 'assignee' }, { col: 'due', key: 'urgency', right: true },
];

/** The last focus request (Alt+1) the list has answered; the list may mount after the request. */
let answeredFocus = 0;

/** A new P1/P2 nobody has taken: shown on top until someone does. */
const isHot = (row: QueueRow) => row.status === 'new' && (row.priority === 'P1' || row.priority === 'P2');

function fetcher(filters: QueueFilters, sort: QueueSort) {
  return (offset: number, limit: number) => api.incident.queue.query({
    scope: filters.scope,
    statuses: filters.statuses.length ? filters.statuses : undefined,
    priorities: filters.priorities.length ? filters.priorities : undefined,
    categoryId: filters.categoryId ?? undefined,
    channel: filters.channel ?? undefined,
    sort: sort.key,
    dir: sort.dir,
    offset,
    limit,
  });
}

export function QueueView() {
  const { t, i18n } = useTranslation();
  const filters = useUi((s) => s.filters);
  const sort = useUi((s) => s.sort);
  const setSort = useUi((s) => s.setSort);
  const queueFocus = useUi((s) => s.queueFocus);
  const revision = useUi((s) => s.revision);
  const selectedId = useUi((s) => s.selectedId);
  const select = useUi((s) => s.select);
  const categories = useUi((s) => s.categories);
  const catById = useMemo(() => new Map<string, Category>(categories.map((c) => [c.id, c])), [categories]);
  const now = useNow(30_000);
  useSlaSettings(); // both clocks on the desk's business calendars (issue 13)
  const [active, setActive] = useState(0);

  const store = useMemo(() => new PagedRows<QueueRow>(fetcher(filters, sort)), []); // eslint-disable-line react-hooks/exhaustive-deps
  const version = useSyncExternalStore((fn) => store.subscribe(fn), () => store.version);
  const firstRender = useRef(true);

  // A filter or sort change starts over; a write elsewhere reloads what is on screen, keeping the scroll position.
  useEffect(() => {
    if (firstRender.current) { firstRender.current = false; return; }
    store.reset(fetcher(filters, sort));
    setActive(0);
    parentRef.current?.scrollTo({ top: 0 });
  }, [filters, sort, store]);
  const lastRevision = useRef(revision);
  useEffect(() => {
    if (lastRevision.current === revision) return;
    lastRevision.current = revision;
    store.refresh();
  }, [revision, store]);

  const parentRef = useRef<HTMLDivElement>(null);
  const count = store.total ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items.length ? items[0].index : 0;
  const lastIndex = items.length ? items[items.length - 1].index : 0;

  useEffect(() => {
    void store.ensureRange(firstIndex, Math.max(lastIndex, firstIndex + 50));
  }, [store, firstIndex, lastIndex, version]);

  // Alt+1: the focus goes into the list, on its first row.
  useEffect(() => {
    if (queueFocus === 0 || queueFocus === answeredFocus) return;
    answeredFocus = queueFocus;
    setActive(0);
    parentRef.current?.focus();
    virtualizer.scrollToIndex(0);
  }, [queueFocus]); // eslint-disable-line react-hooks/exhaustive-deps

  // Closing the detail (Esc, ✕, a shortcut) leaves the focus nowhere: bring it back to the list.
  const lastSelected = useRef(selectedId);
  useEffect(() => {
    const was = lastSelected.current;
    lastSelected.current = selectedId;
    if (was && !selectedId && (!document.activeElement || document.activeElement === document.body)) parentRef.current?.focus();
  }, [selectedId]);

  const sortBy = (key: QueueSortKey) => setSort(sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!count) return;
    let next = active;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'ArrowDown' || e.key === 'j') next = Math.min(count - 1, active + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') next = Math.max(0, active - 1);
    else if (e.key === 'PageDown') next = Math.min(count - 1, active + 15);
    else if (e.key === 'PageUp') next = Math.max(0, active - 15);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = count - 1;
    else if (e.key === 'Escape') { if (useUi.getState().selectedId) { e.preventDefault(); select(null); } return; }
    else if (e.key === 'Enter') {
      const row = store.get(active);
      if (row) select(row.id);
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  return (
    <section className="queue" aria-label={t('queue.title')}>
      <div className="queue-head">
        <h2>{t('queue.title')}</h2>
        <span className="muted" data-testid="queue-total" data-count={store.total ?? ''}>
          {store.total == null ? t('queue.loading') : t('queue.total', { count: store.total })}
        </span>
        {store.error && <span className="field-error" role="alert">{store.error}</span>}
        <span className="spacer" />
        <span className="muted keys">{t('keys.queueHint')}</span>
      </div>
      {/* One Tab stop for the headers (a toolbar): ←/→ move between them, Enter or Space sorts. */}
      <div className="qrow qheader" role="toolbar" aria-label={t('queueSort.label')} data-testid="queue-sort" data-sort={sort.key} data-dir={sort.dir}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
          const heads = [...e.currentTarget.querySelectorAll<HTMLElement>('.sort-head')].filter((h) => h.offsetParent !== null);
          const at = heads.indexOf(document.activeElement as HTMLElement);
          if (at < 0) return;
          e.preventDefault();
          heads[(at + (e.key === 'ArrowRight' ? 1 : heads.length - 1)) % heads.length].focus();
        }}>
        {COLUMNS.map(({ col, key, right }) => {
          const on = sort.key === key;
          const label = t(`queue.col.${col}`);
          return (
            <button key={col} type="button" className={['sort-head', right ? 'right' : '', on ? 'on' : ''].join(' ')} data-testid={`sort-${col}`} tabIndex={on ? 0 : -1}
              aria-pressed={on} aria-label={t(on ? `queueSort.${sort.dir}` : 'queueSort.by', { column: label })}
              title={key === 'urgency' ? t('queueSort.urgencyHint') : undefined} onClick={() => sortBy(key)}>
              {label}<span className="sort-arrow" aria-hidden="true">{on ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
            </button>
          );
        })}
      </div>
      <div ref={parentRef} className="queue-scroll" tabIndex={0} role="listbox" data-testid="queue-list"
        aria-label={t('queue.title')} aria-activedescendant={count ? `qrow-${active}` : undefined} onKeyDown={onKeyDown}>
        {store.total === 0 && <div className="queue-empty">{t('queue.empty')}</div>}
        <div className="queue-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = store.get(item.index);
            const cls = ['qrow', item.index === active ? 'active' : '', row && row.id === selectedId ? 'selected' : '', row && isHot(row) ? 'hot' : ''].join(' ');
            if (!row) {
              return <div key={item.key} className={`${cls} placeholder`} style={{ transform: `translateY(${item.start}px)` }} role="option" aria-selected={false} aria-busy="true"><span className="skeleton" /></div>;
            }
            const sla = isImportedHistory(row) ? { tone: 'done', text: t('impHist.history') } : slaLabel(row, now, t); // imported history: no SLA clock
            return (
              <div key={item.key} id={`qrow-${item.index}`} className={cls} role="option" aria-selected={item.index === active} aria-current={row.id === selectedId ? 'true' : undefined} aria-setsize={count} aria-posinset={item.index + 1} data-testid="queue-row" data-index={item.index} data-number={row.number} data-status={row.status}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => { setActive(item.index); select(row.id); }}>
                <span><span className={`prio prio-${row.priority}`}>{row.priority}</span></span>
                <span className="mono">{row.number}</span>
                <span className="title-cell" title={row.title}>
                  {isHot(row) && <span className="badge badge-hot" data-testid="badge-hot">{t('queueSort.waiting')}</span>}
                  <ReturnedBadge row={row} />
                  <ClosureBadge row={row} />
                  <EscalationBadges row={row} />
                  {row.backfilled && <span className="badge badge-backfill" data-testid="badge-backfilled">{t('badge.backfilled')}</span>}
                  {row.origin === 'import' && <span className="badge" data-testid="badge-imported" title={isImportedHistory(row) ? t('impHist.historyHint') : undefined}>{t('impHist.badge')}</span>}
                  {row.serviceLevel !== 'normal' && <span className="badge badge-vip">{t(`badge.${row.serviceLevel}`)}</span>}
                  {row.title}
                </span>
                <span className="ellipsis">{row.requesterName}{row.requesterDept ? <span className="muted"> · {row.requesterDept}</span> : null}</span>
                <span className="ellipsis">{categoryPath(row.categoryId, catById, i18n.language)}</span>
                <span><span className={`status status-${row.status}`}>{t(`enum.status.${row.status}`)}</span></span>
                <span className="ellipsis muted">{row.groupName ?? ''} {row.tier !== 'L1' ? `· ${row.tier}` : ''}</span>
                <span className={`right sla sla-${sla.tone}`} data-testid="sla">{'response' in sla && sla.response && <span className={`sla-${sla.response.tone}`} data-testid="sla-response">{sla.response.text} · </span>}{sla.text}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
