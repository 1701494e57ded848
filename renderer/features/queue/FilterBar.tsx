import { useTranslation } from 'react-i18next';
import { CHANNELS, PRIORITIES, STATUSES, type Channel, type Priority, type Status } from '../../../shared/index.js';
import { useUi, type Scope } from '../../state/ui.js';
import { categoryName } from '../../lib/format.js';

const SCOPES: Scope[] = ['mine', 'group', 'all'];

export function FilterBar() {
  const { t, i18n } = useTranslation();
  const filters = useUi((s) => s.filters);
  const setFilters = useUi((s) => s.setFilters);
  const categories = useUi((s) => s.categories);
  const roots = categories.filter((c) => !c.parentId);
  // Team leads and admins also see the queue of incidents nobody could classify (issue 12).
  const lead = useUi((s) => s.desk?.user?.role === 'lead' || s.desk?.user?.role === 'admin');
  const scopes: Scope[] = lead ? [...SCOPES, 'unclassified'] : SCOPES;

  return (
    <div className="filterbar" role="toolbar" aria-label={t('queue.filters')}>
      <div className="segmented" role="tablist" aria-label={t('queue.title')}>
        {scopes.map((s) => (
          <button key={s} type="button" role="tab" aria-selected={filters.scope === s} data-testid={`scope-${s}`}
            className={filters.scope === s ? 'seg active' : 'seg'} onClick={() => setFilters({ scope: s })}>
            {s === 'unclassified' ? t('esc.scope.unclassified') : t(`enum.scope.${s}`)}
          </button>
        ))}
      </div>
      <select aria-label={t('field.status')} data-testid="filter-status" value={filters.statuses[0] ?? ''}
        onChange={(e) => setFilters({ statuses: e.target.value ? [e.target.value as Status] : [] })}>
        <option value="">{t('queue.allStatuses')}</option>
        {STATUSES.map((s) => <option key={s} value={s}>{t(`enum.status.${s}`)}</option>)}
      </select>
      <select aria-label={t('field.priority')} data-testid="filter-priority" value={filters.priorities[0] ?? ''}
        onChange={(e) => setFilters({ priorities: e.target.value ? [e.target.value as Priority] : [] })}>
        <option value="">{t('queue.allPriorities')}</option>
        {PRIORITIES.map((p) => <option key={p} value={p}>{t(`enum.priority.${p}`)}</option>)}
      </select>
      <select aria-label={t('field.categoryId')} data-testid="filter-category" value={filters.categoryId ?? ''}
        onChange={(e) => setFilters({ categoryId: e.target.value || null })}>
        <option value="">{t('queue.allCategories')}</option>
        {roots.map((r) => (
          <optgroup key={r.id} label={categoryName(r, i18n.language)}>
            <option value={r.id}>{categoryName(r, i18n.language)}</option>
            {categories.filter((c) => c.parentId === r.id).map((c) => (
              <option key={c.id} value={c.id}>{categoryName(r, i18n.language)} / {categoryName(c, i18n.language)}</option>
            ))}
          </optgroup>
        ))}
      </select>
      <select aria-label={t('field.channel')} data-testid="filter-channel" value={filters.channel ?? ''}
        onChange={(e) => setFilters({ channel: (e.target.value || null) as Channel | null })}>
        <option value="">{t('queue.allChannels')}</option>
        {CHANNELS.map((c) => <option key={c} value={c}>{t(`enum.channel.${c}`)}</option>)}
      </select>
      {(filters.statuses.length > 0 || filters.priorities.length > 0 || filters.categoryId || filters.channel) && (
        <button type="button" className="btn btn-ghost" onClick={() => setFilters({ statuses: [], priorities: [], categoryId: null, channel: null })}>
          {t('queue.clear')}
        </button>
      )}
    </div>
  );
}
