import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../shared/index.js';
import { api, type RouterOutputs } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';

type Hit = RouterOutputs['knowledge']['suggest'][number];

/**
 * The resolve dialog's knowledge part (issue 12 item 8): published articles that fit the incident
 * (its title and category), and a search for others; one can be linked, which the server counts as
 * a use of that article. Works offline (the articles are on the desk).
 */
export function ResolveKb({ inc, value, onChange }: { inc: Pick<Incident, 'title' | 'categoryId'>; value: string | null; onChange: (id: string | null) => void }) {
  const { t } = useTranslation();
  const openKbArticle = useUi((s) => s.openKbArticle);
  const [hits, setHits] = useState<Hit[]>([]);
  const [q, setQ] = useState('');
  useEffect(() => {
    let live = true;
    const run = q.trim()
      ? api.knowledge.search.query({ q: q.trim().slice(0, 200), limit: 6 })
      : api.knowledge.suggest.query({ title: inc.title.slice(0, 200), categoryId: inc.categoryId, limit: 6 });
    const id = setTimeout(() => { void run.then((r) => { if (live) setHits(r); }).catch(() => { if (live) setHits([]); }); }, q ? 200 : 0);
    return () => { live = false; clearTimeout(id); };
  }, [q, inc.title, inc.categoryId]);
  return (
    <fieldset className="know-resolve" data-testid="resolve-kb">
      <legend>{t('know.resolve.legend')}</legend>
      <input type="search" value={q} placeholder={t('know.resolve.search')} aria-label={t('know.resolve.search')} data-testid="resolve-kb-search" onChange={(e) => setQ(e.target.value)} />
      {hits.length === 0 ? <p className="muted small" data-testid="resolve-kb-none">{t('know.resolve.none')}</p> : (
        <ul className="know-hits">
          {hits.map((h) => (
            <li key={h.id} className={value === h.id ? 'chosen' : undefined}>
              <label>
                <input type="radio" name="resolve-kb" checked={value === h.id} data-testid="resolve-kb-option" data-id={h.id} onChange={() => onChange(h.id)} />
                <span className="know-hit-title">{h.title}</span>
                <span className="muted small"> · {t('know.uses', { count: h.useCount })}</span>
              </label>
              <button type="button" className="linkish small" onClick={() => openKbArticle(h.id)}>{t('know.resolve.read')}</button>
            </li>
          ))}
        </ul>
      )}
      {value && <button type="button" className="btn btn-sm" data-testid="resolve-kb-clear" onClick={() => onChange(null)}>{t('know.resolve.clear')}</button>}
    </fieldset>
  );
}

/** The linked article by its title (a link opens it), for the incident's details. */
export function LinkedArticle({ id }: { id: string }) {
  const { t } = useTranslation();
  const openKbArticle = useUi((s) => s.openKbArticle);
  const revision = useUi((s) => s.revision);
  const [title, setTitle] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.knowledge.get.query({ id }).then((a) => { if (live) setTitle(a.title); }).catch(() => { if (live) setTitle(null); });
    return () => { live = false; };
  }, [id, revision]);
  return title
    ? <button type="button" className="linkish" data-testid="detail-kb-article" onClick={() => openKbArticle(id)}>{title}</button>
    : <span className="muted" data-testid="detail-kb-article">{t('know.unknownArticle')}</span>;
}
