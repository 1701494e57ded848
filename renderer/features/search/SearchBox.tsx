import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueRow } from '../../../shared/index.js';
import { api } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';

type Hit = QueueRow & { snippet: string };

/** Full-text search as you type (Chinese and English), debounced; ↑/↓ and Enter open a result. */
export function SearchBox({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const select = useUi((s) => s.select);
  const revision = useUi((s) => s.revision);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // The text last searched: a refresh after a write elsewhere (revision) updates the hits without opening the list over the screen.
  const searched = useRef('');

  useEffect(() => {
    const query = q.trim();
    if (!query) { setHits(null); setBusy(false); return; }
    let live = true;
    setBusy(true);
    const id = setTimeout(() => {
      api.incident.search.query({ q: query, limit: 30 })
        .then((r) => {
          if (!live) return;
          setHits(r.rows);
          if (query !== searched.current) { searched.current = query; setActive(0); setOpen(true); }
        })
        .catch(() => { if (live) setHits([]); })
        .finally(() => { if (live) setBusy(false); });
    }, 200);
    return () => { live = false; clearTimeout(id); };
  }, [q, revision]);

  const choose = (h: Hit) => { useUi.getState().setView('queue'); select(h.id); setOpen(false); };

  return (
    <div className="search" role="search">
      <input ref={inputRef} type="search" value={q} placeholder={t('search.placeholder')} aria-label={t('search.placeholder')}
        data-testid="search-input" aria-keyshortcuts="Control+K /" role="combobox" aria-expanded={open && !!hits} aria-controls="search-results"
        onChange={(e) => { setQ(e.target.value); setOpen(true); }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') { setOpen(false); (e.target as HTMLInputElement).blur(); return; }
          if (!hits || hits.length === 0) return;
          if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(hits.length - 1, a + 1)); }
          else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(0, a - 1)); }
          else if (e.key === 'Enter') { e.preventDefault(); choose(hits[active]); }
        }} />
      {open && q.trim() && (
        <div className="search-results" id="search-results" role="listbox" data-testid="search-results">
          {busy && !hits && <div className="muted pad">{t('search.searching')}</div>}
          {hits && hits.length === 0 && <div className="muted pad">{t('search.noResults')}</div>}
          {hits?.map((h, i) => (
            <div key={h.id} role="option" aria-selected={i === active} className={i === active ? 'hit active' : 'hit'} data-testid="search-hit" data-number={h.number}
              onMouseDown={(e) => { e.preventDefault(); choose(h); }}>
              <div className="hit-line">
                <span className={`prio prio-${h.priority}`}>{h.priority}</span>
                <span className="mono">{h.number}</span>
                <span className={`status status-${h.status}`}>{t(`enum.status.${h.status}`)}</span>
                <strong className="ellipsis">{highlight(h.title, q)}</strong>
              </div>
              {h.snippet && <div className="hit-snippet muted">{highlight(h.snippet, q)}</div>}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** Mark the words of the query in a result, case-insensitively; plain text, never HTML. */
export function highlight(text: string, q: string): ReactNode[] {
  const words = q.trim().split(/\s+/).filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) return [text];
  const re = new RegExp(`(${words.join('|')})`, 'gi');
  return text.split(re).map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part));
}
