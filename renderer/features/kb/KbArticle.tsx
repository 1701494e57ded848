import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../platform/api.js';
import { errorText } from '../../lib/errorText.js';
import { useUi } from '../../state/ui.js';
import { categoryPath, formatDateTime } from '../../lib/format.js';

import type { KbStatus } from '../../../shared/knowledge.js';
import { Versions } from '../knowledge/Versions.js';
import '../knowledge/knowledge.css';

/** An article as the desk shows it (electron/core/knowledge): status, content version, and how often it solved an incident (counted by the server). */
export interface KbArticle {
  id: string; title: string; body: string; tags: string[]; categoryId: string | null; updatedAt: string;
  status: KbStatus; version: number; useCount: number; ownerName: string | null;
}

export function KbArticleBody({ article }: { article: KbArticle }) {
  const { t, i18n } = useTranslation();
  const categories = useUi((s) => s.categories);
  const byId = new Map(categories.map((c) => [c.id, c]));
  return (
    <article className="kb-article" data-testid="kb-article" data-id={article.id}>
      <h2 data-testid="kb-article-title">{article.title}</h2>
      <div className="tl-meta">
        {article.categoryId && <span>{categoryPath(article.categoryId, byId, i18n.language)}</span>}
        <span>{t('kb.updated', { at: formatDateTime(article.updatedAt, i18n.language) })}</span>
        {article.tags.map((x) => <span key={x} className="tag">{x}</span>)}
      </div>
      <div className="know-meta tl-meta">
        {article.status !== 'published' && <span className={`pill know-status know-${article.status}`} data-testid="kb-article-status">{t(`know.status.${article.status}`)}</span>}
        <span data-testid="kb-article-version">{t('know.versions.label', { n: article.version })}</span>
        <span data-testid="kb-article-uses">{t('know.uses', { count: article.useCount })}</span>
      </div>
      <div className="kb-body pre" data-testid="kb-article-body">{article.body}</div>
      <Versions id={article.id} current={article.version} />
    </article>
  );
}

/** An article opened over whatever is on screen (the new-incident form underneath keeps what was typed). Esc closes. */
export function KbArticleDrawer() {
  const { t } = useTranslation();
  const id = useUi((s) => s.kbArticleId);
  const openKbArticle = useUi((s) => s.openKbArticle);
  const [article, setArticle] = useState<KbArticle | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (!id) return;
    returnTo.current = document.activeElement as HTMLElement | null;
    let live = true;
    setArticle(null);
    api.knowledge.get.query({ id }).then((a) => { if (live) { setArticle(a); setError(null); } }).catch((e) => { if (live) setError(errorText(e, t)); });
    requestAnimationFrame(() => ref.current?.focus());
    return () => { live = false; };
  }, [id]);

  if (!id) return null;
  const close = () => { openKbArticle(null); requestAnimationFrame(() => returnTo.current?.focus()); };
  return (
    <div className="drawer-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) close(); }}>
      <div className="drawer" role="dialog" aria-modal="true" aria-label={t('kb.title')} data-testid="kb-drawer" tabIndex={-1} ref={ref}
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(); } }}>
        <div className="drawer-head">
          <span className="muted">{t('kb.title')}</span>
          <span className="spacer" />
          <button type="button" className="btn btn-sm" data-testid="kb-drawer-close" onClick={close}>{t('kb.back')} <kbd>Esc</kbd></button>
        </div>
        <div className="drawer-body">
          {error ? <p className="field-error" role="alert">{error}</p> : article ? <KbArticleBody article={article} /> : <p className="muted">{t('common.loading')}</p>}
        </div>
      </div>
    </div>
  );
}
