import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, issuesOf, type RouterOutputs } from '../../platform/api.js';
import { formatDateTime } from '../../lib/format.js';
import { knowText } from './words.js';

type Version = RouterOutputs['knowledge']['versions'][number];

/**
 * An article's kept versions (issue 12 item 8), newest first, with who wrote each and when; one can be
 * opened to read its text. The list is the server's: offline, it says so.
 */
export function Versions({ id, current }: { id: string; current: number }) {
  const { t, i18n } = useTranslation();
  const [list, setList] = useState<Version[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    setList(null); setFailure(null); setOpen(null);
    api.knowledge.versions.query({ id }).then((v) => { if (live) setList(v); })
      .catch((err) => { if (live) setFailure(issuesOf(err).map((i) => knowText(i, t)).join(' ')); });
    return () => { live = false; };
  }, [id, current, t]);
  const shown = list?.find((v) => v.version === open) ?? null;
  return (
    <section className="know-versions" data-testid="kb-versions" aria-label={t('know.versions.title')}>
      <h4>{t('know.versions.title')}</h4>
      {failure ? <p className="muted small" data-testid="kb-versions-unavailable">{t('know.versions.needsServer')}</p>
        : !list ? <p className="muted small">{t('common.loading')}</p> : (
          <ol className="know-version-list">
            {list.map((v) => (
              <li key={v.version} data-testid="kb-version" data-version={v.version}>
                <button type="button" className={open === v.version ? 'linkish active' : 'linkish'} data-testid={`kb-version-${v.version}`} onClick={() => setOpen(open === v.version ? null : v.version)}>
                  {t('know.versions.label', { n: v.version })}
                </button>
                <span className="muted small"> {formatDateTime(v.editedAt, i18n.language)} · {v.editedByName ?? t('know.versions.system')}{v.version === current ? ` · ${t('know.versions.current')}` : ''}</span>
              </li>
            ))}
          </ol>
        )}
      {shown && (
        <div className="know-version-text" data-testid="kb-version-text">
          <strong>{shown.title}</strong>
          <div className="pre">{shown.body}</div>
        </div>
      )}
    </section>
  );
}
