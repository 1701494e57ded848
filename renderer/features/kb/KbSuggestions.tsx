import { useTranslation } from 'react-i18next';
import { useUi } from '../../state/ui.js';
import { useKbSearch } from './KbView.js';

/** Articles that match what the agent is typing as the title (debounced); each opens over the form. */
export function KbSuggestions({ title }: { title: string }) {
  const { t } = useTranslation();
  const openKbArticle = useUi((s) => s.openKbArticle);
  const q = title.trim().length >= 2 ? title : '';
  const { hits } = useKbSearch(q, 5, 350, !!q);
  if (!q || !hits || hits.length === 0) return null;
  return (
    <div className="kb-suggest" data-testid="kb-suggestions" aria-live="polite">
      <span className="muted">{t('kb.suggested')}</span>
      <ul>
        {hits.map((h) => (
          <li key={h.id}>
            <button type="button" className="linkish" data-testid="kb-suggestion" data-id={h.id} onClick={() => openKbArticle(h.id)}>{h.title}</button>
          </li>
        ))}
      </ul>
    </div>
  );
}
