import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type RouterOutputs } from '../../platform/api.js';
import { formatDateTime } from '../../lib/format.js';
import './cmdb.css';

export type CiOption = RouterOutputs['cmdb']['suggest'][number];
type CiDetail = RouterOutputs['cmdb']['get'];

/**
 * The affected-system field (issue 12, item 7): free text that offers the configuration items
 * matching what is typed (↑/↓ to move, Enter to pick, Esc to close the list). A picked item sets
 * `ciId` and shows its recent incidents; typing again makes it free text (a desk offline may not
 * know an item made since).
 */
export function CiPicker({ name, ciId, onChange, onOpenIncident, maxLength, invalid, onBlur }: {
  name: string;
  ciId: string | null;
  onChange: (v: { name: string; ciId: string | null; ci?: CiOption }) => void;
  onOpenIncident: (id: string) => void;
  maxLength: number;
  invalid?: boolean;
  onBlur?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const listId = useId();
  const [options, setOptions] = useState<CiOption[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [detail, setDetail] = useState<CiDetail | null>(null);
  const asked = useRef(0);

  // The list follows what is typed; a picked item does not reopen it.
  useEffect(() => {
    if (ciId) return;
    const q = name.trim();
    if (!q) { setOptions([]); setOpen(false); return; }
    const n = ++asked.current;
    const timer = setTimeout(() => {
      void api.cmdb.suggest.query({ q, limit: 8 }).then((rows) => {
        if (n !== asked.current) return;
        setOptions(rows);
        setActive(rows.length ? 0 : -1);
        setOpen(rows.length > 0);
      }).catch(() => undefined);
    }, 120);
    return () => clearTimeout(timer);
  }, [name, ciId]);

  useEffect(() => {
    if (!ciId) { setDetail(null); return; }
    let live = true;
    void api.cmdb.get.query({ id: ciId, limit: 5 }).then((d) => { if (live) setDetail(d); }).catch(() => undefined);
    return () => { live = false; };
  }, [ciId]);

  const pick = (ci: CiOption) => {
    setOpen(false);
    onChange({ name: ci.name, ciId: ci.id, ci });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!open || !options.length) {
      if (e.key === 'ArrowDown' && options.length && !ciId) { e.preventDefault(); setOpen(true); }
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault(); e.stopPropagation();
      setActive((i) => (e.key === 'ArrowDown' ? (i + 1) % options.length : (i - 1 + options.length) % options.length));
    } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && active >= 0) {
      e.preventDefault(); e.stopPropagation();
      pick(options[active]);
    } else if (e.key === 'Escape') {
      e.preventDefault(); e.stopPropagation();
      setOpen(false);
    }
  };

  const ci = detail?.ci ?? null;
  return (
    <div className="ci-picker">
      <input value={name} data-path="affected.name" data-testid="ci-input" maxLength={maxLength} autoComplete="off"
        role="combobox" aria-expanded={open} aria-controls={listId} aria-autocomplete="list" aria-invalid={invalid}
        aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
        onChange={(e) => onChange({ name: e.target.value, ciId: null })}
        onKeyDown={onKeyDown}
        onBlur={() => { setTimeout(() => setOpen(false), 150); onBlur?.(); }} />
      {open && (
        <ul className="ci-options" role="listbox" id={listId} aria-label={t('cmdb.pickerLabel')} data-testid="ci-options">
          {options.map((o, i) => (
            <li key={o.id} id={`${listId}-${i}`} role="option" aria-selected={i === active} className={i === active ? 'active' : undefined}
              onMouseDown={(e) => { e.preventDefault(); pick(o); }}>
              <span className="ci-name">{o.name}</span>
              <span className="ci-meta">{t(`cmdb.type.${o.type}`)}{o.ip ? ` · ${o.ip}` : ''}{o.location ? ` · ${o.location}` : ''}</span>
              {o.critical && <span className="badge badge-critical">{t('cmdb.critical')}</span>}
            </li>
          ))}
        </ul>
      )}
      {ciId && ci && (
        <div className="ci-picked" data-testid="ci-picked">
          <div>
            <span className="badge badge-ci">{t(`cmdb.type.${ci.type}`)}</span>
            {ci.critical && <span className="badge badge-critical">{t('cmdb.critical')}</span>}
            {ci.groupName && <span className="ci-meta">{t('cmdb.ownerGroup', { group: ci.groupName })}</span>}
          </div>
          <div className="ci-recent" data-testid="ci-recent">
            <span className="ci-recent-title">{t('cmdb.recent', { count: detail!.incidents.length })}</span>
            {detail!.incidents.length === 0 ? <span className="ci-meta">{t('cmdb.noRecent')}</span> : (
              <ul>
                {detail!.incidents.map((r) => (
                  <li key={r.id}>
                    <button type="button" className="linklike" data-testid="ci-recent-open" onClick={() => onOpenIncident(r.id)}>
                      {r.number}
                    </button>{' '}
                    <span>{r.title}</span>{' '}
                    <span className="ci-meta">{t(`enum.status.${r.status}`)} · {formatDateTime(r.reportedAt, i18n.language)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
      {ciId && !ci && detail && <span className="ci-meta">{t('cmdb.unknownHere')}</span>}
    </div>
  );
}
