import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../platform/api.js';
import { errorText } from '../../lib/errorText.js';
import { useUi } from '../../state/ui.js';
import { highlight } from '../search/SearchBox.js';
import { KbArticleBody, type KbArticle } from './KbArticle.js';

export interface KbHit { id: string; title: string; snippet: string; tags: string[]; categoryId: string | null; updatedAt: string; useCount: number }

/** Debounced knowledge-base search (works offline: articles are synced down to the desk). */
export function useKbSearch(q: string, limit = 20, delayMs = 180, enabled = true): { hits: KbHit[] | null; busy: boolean } {
  const revision = useUi((s) => s.revision);
  const [hits, setHits] = useState<KbHit[] | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!enabled) { setHits(null); setBusy(false); return; }
    let live = true;
    setBusy(true);
    const id = setTimeout(() => {
      api.knowledge.search.query({ q: q.trim().slice(0, 200), limit })
        .then((r) => { if (live) setHits(r); })
        .catch(() => { if (live) setHits([]); })
        .finally(() => { if (live) setBusy(false); });
    }, delayMs);
    return () => { live = false; clearTimeout(id); };
  }, [q, limit, delayMs, enabled, revision]);
  return { hits, busy };
}

/** Knowledge base: search as you type on the left, the open article on the right. ↑/↓ choose, Enter opens. */
export function KbView() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [article, setArticle] = useState<KbArticle | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { hits, busy } = useKbSearch(q, 50);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => { inputRef.current?.focus(); }, []);
  useEffect(() => { setActive(0); }, [hits]);
  useEffect(() => {
    if (!openId) { setArticle(null); return; }
    let live = true;
    api.knowledge.get.query({ id: openId }).then((a) => { if (live) { setArticle(a); setError(null); } }).catch((e) => { if (live) setError(errorText(e, t)); });
    return () => { live = false; };
  }, [openId]);

  const onKey = (e: React.KeyboardEvent) => {
    if (!hits?.length) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(hits.length - 1, a + 1)); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(0, a - 1)); }
    else if (e.key === 'Enter') { e.preventDefault(); setOpenId(hits[active].id); }
  };

  return (
    <section className="kb" data-testid="kb-view" aria-label={t('kb.title')}>
      <div className="kb-list">
        <div className="kb-search">
          <h2>{t('kb.title')}</h2>
          <input ref={inputRef} type="search" value={q} data-testid="kb-search" placeholder={t('kb.placeholder')} aria-label={t('kb.placeholder')}
            role="combobox" aria-expanded={!!hits?.length} aria-controls="kb-results" onChange={(e) => setQ(e.target.value)} onKeyDown={onKey} />
          <div className="muted small">{busy ? t('search.searching') : hits ? t('kb.count', { count: hits.length }) : ''} · {t('kb.keys')}</div>
        </div>
        <ul id="kb-results" className="kb-results" role="listbox" data-testid="kb-results">
          {hits && hits.length === 0 && <li className="muted pad">{q.trim() ? t('search.noResults') : t('kb.empty')}</li>}
          {hits?.map((h, i) => (
            <li key={h.id} role="option" aria-selected={i === active} data-testid="kb-hit" data-id={h.id}
              className={`kb-hit${i === active ? ' active' : ''}${h.id === openId ? ' open' : ''}`}
              onMouseDown={(e) => { e.preventDefault(); setActive(i); setOpenId(h.id); }}>
              <div className="kb-hit-title">{highlight(h.title, q)}</div>
              <div className="muted hit-snippet">{highlight(h.snippet, q)}</div>
              <div className="tags">{h.tags.map((x) => <span key={x} className="tag">{x}</span>)}<span className="muted small" data-testid="kb-hit-uses">{t('know.uses', { count: h.useCount })}</span></div>
            </li>
          ))}
        </ul>
      </div>
      <div className="kb-article-pane">
        {error ? <p className="field-error" role="alert">{error}</p>
          : article ? <KbArticleBody article={article} />
            : <div className="kb-placeholder muted">{t('kb.pick')}</div>}
      </div>
    </section>
  );
}
