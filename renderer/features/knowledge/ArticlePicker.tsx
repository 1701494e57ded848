import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type RouterOutputs } from '../../platform/api.js';

type Hit = RouterOutputs['knowledge']['search'][number];

/**
 * Picks a published knowledge article as you type its title or words (↑/↓ move, Enter picks, Esc
 * closes): never free text, the value is the article's id; a picked article shows by its title with a
 * button to clear it (issue 12: links are picked from real records).
 */
export function ArticlePicker({ value, onChange, invalid, testId }: { value: string | null; onChange: (id: string | null) => void; invalid?: boolean; testId: string }) {
  const { t } = useTranslation();
  const listId = useId();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [active, setActive] = useState(0);
  const [title, setTitle] = useState<string | null>(null);
  useEffect(() => {
    if (!value) { setTitle(null); return; }
    let live = true;
    api.knowledge.get.query({ id: value }).then((a) => { if (live) setTitle(a.title); }).catch(() => { if (live) setTitle(t('know.unknownArticle')); });
    return () => { live = false; };
  }, [value, t]);
  useEffect(() => {
    if (value || !text.trim()) { setHits([]); return; }
    let live = true;
    const timer = setTimeout(() => { void api.knowledge.search.query({ q: text.trim().slice(0, 200), limit: 8 }).then((r) => { if (live) { setHits(r); setActive(0); } }).catch(() => undefined); }, 150);
    return () => { live = false; clearTimeout(timer); };
  }, [text, value]);
  const pick = (h: Hit) => { setText(''); setHits([]); onChange(h.id); };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!hits.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); e.stopPropagation(); setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length); }
    else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) { e.preventDefault(); e.stopPropagation(); pick(hits[active]); }
    else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); setHits([]); }
  };
  if (value) {
    return (
      <div className="know-picked" data-testid={testId}>
        <span data-testid={`${testId}-title`}>{title ?? t('common.loading')}</span>
        <button type="button" className="btn btn-sm" data-testid={`${testId}-clear`} onClick={() => onChange(null)}>{t('know.picker.clear')}</button>
      </div>
    );
  }
  return (
    <div className="know-picker" data-testid={testId}>
      <input value={text} placeholder={t('know.picker.placeholder')} aria-invalid={invalid} role="combobox" aria-expanded={hits.length > 0} aria-controls={listId}
        data-testid={`${testId}-input`} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} />
      {hits.length > 0 && (
        <ul id={listId} role="listbox" className="know-picker-list">
          {hits.map((h, i) => (
            <li key={h.id} role="option" aria-selected={i === active} className={i === active ? 'active' : undefined} data-testid={`${testId}-option`}
              onMouseDown={(e) => { e.preventDefault(); pick(h); }}>{h.title}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
