import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Category, QueueRow } from '../../../shared/index.js';
import { api } from '../../platform/api.js';
import { useUi, type QueueFilters } from '../../state/ui.js';
import { categoryPath, slaLabel } from '../../lib/format.js';
import { useNow } from '../../lib/useNow.js';
import { PagedRows } from './pagedRows.js';
import { isImportedHistory } from '../import/SourceFacts.js';

const ROW_HEIGHT = 40;

function fetcher(filters: QueueFilters) {
  return (offset: number, limit: number) => api.incident.queue.query({
    scope: filters.scope,
    statuses: filters.statuses.length ? filters.statuses : undefined,
    priorities: filters.priorities.length ? filters.priorities : undefined,
    categoryId: filters.categoryId ?? undefined,
    channel: filters.channel ?? undefined,
    offset,
    limit,
  });
}

export function QueueView() {
  const { t, i18n } = useTranslation();
  const filters = useUi((s) => s.filters);
  const revision = useUi((s) => s.revision);
  const selectedId = useUi((s) => s.selectedId);
  const select = useUi((s) => s.select);
  const categories = useUi((s) => s.categories);
  const catById = useMemo(() => new Map<string, Category>(categories.map((c) => [c.id, c])), [categories]);
  const now = useNow(30_000);
  const [active, setActive] = useState(0);

  const store = useMemo(() => new PagedRows<QueueRow>(fetcher(filters)), []); // eslint-disable-line react-hooks/exhaustive-deps
  const version = useSyncExternalStore((fn) => store.subscribe(fn), () => store.version);
  const firstRender = useRef(true);

  // A filter change starts over; a write elsewhere reloads what is on screen, keeping the scroll position.
  useEffect(() => {
    if (firstRender.current) { firstRender.current = false; return; }
    store.reset(fetcher(filters));
    setActive(0);
    parentRef.current?.scrollTo({ top: 0 });
  }, [filters, store]);
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

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!count) return;
    let next = active;
    if (e.key === 'ArrowDown') next = Math.min(count - 1, active + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, active - 1);
    else if (e.key === 'PageDown') next = Math.min(count - 1, active + 15);
    else if (e.key === 'PageUp') next = Math.max(0, active - 15);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = count - 1;
    else if (e.key === 'Escape') { select(null); return; }
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
        <span className="muted keys">{t('queue.keys')}</span>
      </div>
      <div className="qrow qheader" aria-hidden="true">
        <span>{t('queue.col.priority')}</span>
        <span>{t('queue.col.number')}</span>
        <span>{t('queue.col.title')}</span>
        <span>{t('queue.col.requester')}</span>
        <span>{t('queue.col.category')}</span>
        <span>{t('queue.col.status')}</span>
        <span>{t('queue.col.assignee')}</span>
        <span className="right">{t('queue.col.due')}</span>
      </div>
      <div ref={parentRef} className="queue-scroll" tabIndex={0} role="list" data-testid="queue-list"
        aria-label={t('queue.title')} onKeyDown={onKeyDown}>
        {store.total === 0 && <div className="queue-empty">{t('queue.empty')}</div>}
        <div className="queue-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = store.get(item.index);
            const cls = ['qrow', item.index === active ? 'active' : '', row && row.id === selectedId ? 'selected' : ''].join(' ');
            if (!row) {
              return <div key={item.key} className={`${cls} placeholder`} style={{ transform: `translateY(${item.start}px)` }} role="listitem" aria-busy="true"><span className="skeleton" /></div>;
            }
            const sla = isImportedHistory(row) ? { tone: 'done', text: t('impHist.history') } : slaLabel(row, now, t); // imported history: no SLA clock
            return (
              <div key={item.key} className={cls} role="listitem" aria-current={row.id === selectedId ? 'true' : undefined} aria-setsize={count} aria-posinset={item.index + 1} data-testid="queue-row" data-index={item.index} data-number={row.number} data-status={row.status}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => { setActive(item.index); select(row.id); }}>
                <span><span className={`prio prio-${row.priority}`}>{row.priority}</span></span>
                <span className="mono">{row.number}</span>
                <span className="title-cell" title={row.title}>
                  {row.backfilled && <span className="badge badge-backfill" data-testid="badge-backfilled">{t('badge.backfilled')}</span>}
                  {row.origin === 'import' && <span className="badge" data-testid="badge-imported" title={isImportedHistory(row) ? t('impHist.historyHint') : undefined}>{t('impHist.badge')}</span>}
                  {row.serviceLevel !== 'normal' && <span className="badge badge-vip">{t(`badge.${row.serviceLevel}`)}</span>}
                  {row.title}
                </span>
                <span className="ellipsis">{row.requesterName}{row.requesterDept ? <span className="muted"> · {row.requesterDept}</span> : null}</span>
                <span className="ellipsis">{categoryPath(row.categoryId, catById, i18n.language)}</span>
                <span><span className={`status status-${row.status}`}>{t(`enum.status.${row.status}`)}</span></span>
                <span className="ellipsis muted">{row.groupName ?? ''} {row.tier !== 'L1' ? `· ${row.tier}` : ''}</span>
                <span className={`right sla sla-${sla.tone}`} data-testid="sla">{sla.text}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
