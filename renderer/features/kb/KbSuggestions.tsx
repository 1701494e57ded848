import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import type { KbHit } from './KbView.js';

/**
 * What to ask the knowledge base for a title being typed. `kb.search` wants every word, which a
 * whole title rarely matches, so the title is also asked word by word (longest first), and a long
 * Chinese run by its first and last two characters; articles matching more of them rank first.
 */
export function suggestionQueries(title: string, max = 5): string[] {
  const full = title.trim().replace(/\s+/g, ' ');
  if (full.length < 2) return [];
  const words = full.split(/[\s,，。.、;；:：!！?？()（）【】[\]"“”'‘’/\\|-]+/).filter((w) => w.length >= 2);
  const parts: string[] = [];
  for (const w of [...new Set(words)].sort((a, b) => b.length - a.length)) {
    parts.push(w);
    if (/^[\u3400-\u9fff]{4,}$/.test(w)) parts.push(w.slice(0, 2), w.slice(-2));
  }
  return [...new Set([full, ...parts])].slice(0, max);
}

/** Articles that match what the agent is typing as the title (debounced); each opens over the form. */
export function KbSuggestions({ title }: { title: string }) {
  const { t } = useTranslation();
  const openKbArticle = useUi((s) => s.openKbArticle);
  const [hits, setHits] = useState<KbHit[]>([]);

  useEffect(() => {
    const queries = suggestionQueries(title);
    if (queries.length === 0) { setHits([]); return; }
    let live = true;
    const id = setTimeout(() => {
      void Promise.all(queries.map((q) => api.knowledge.search.query({ q, limit: 5 }).catch(() => [] as KbHit[]))).then((lists) => {
        if (!live) return;
        const score = new Map<string, { hit: KbHit; n: number; first: number }>();
        lists.forEach((list, k) => list.forEach((h) => {
          const s = score.get(h.id);
          if (s) s.n += k === 0 ? 3 : 1; else score.set(h.id, { hit: h, n: k === 0 ? 3 : 1, first: k });
        }));
        setHits([...score.values()].sort((a, b) => b.n - a.n || a.first - b.first).slice(0, 4).map((s) => s.hit));
      });
    }, 350);
    return () => { live = false; clearTimeout(id); };
  }, [title]);

  if (hits.length === 0) return null;
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
