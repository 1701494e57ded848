import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type RouterOutputs } from '../../platform/api.js';
import './problems.css';

type Option = RouterOutputs['problem']['suggest'][number];

/**
 * Picks a problem or change record as you type its number or title (↑/↓ to move, Enter to pick, Esc
 * to close): never free text, the value is the record's id. A picked record shows as its number and
 * title with a button to clear it.
 */
export function RecordPicker({ kind, value, onChange, testId, invalid, exclude = [] }: {
  kind: 'problem' | 'change'; value: string | null; onChange: (id: string | null) => void; testId: string; invalid?: boolean; exclude?: string[];
}) {
  const { t } = useTranslation();
  const listId = useId();
  const [text, setText] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [label, setLabel] = useState<{ number: string; title: string; status: string } | null | 'unknown'>(null);
  const asked = useRef(0);

  useEffect(() => {
    if (!value) { setLabel(null); return; }
    let live = true;
    const get = kind === 'problem'
      ? api.problem.get.query({ id: value }).then((d) => d.problem)
      : api.change.get.query({ id: value }).then((d) => d.change);
    void get.then((r) => { if (live) setLabel({ number: r.number, title: r.title, status: r.status }); }).catch(() => { if (live) setLabel('unknown'); });
    return () => { live = false; };
  }, [kind, value]);

  useEffect(() => {
    if (value) return;
    const n = ++asked.current;
    const timer = setTimeout(() => {
      void api.problem.suggest.query({ kind, q: text.trim(), limit: 8 }).then((rows) => {
        if (n !== asked.current) return;
        const list = rows.filter((r) => !exclude.includes(r.id));
        setOptions(list);
        setActive(list.length ? 0 : -1);
        setOpen(text.trim() !== '' && list.length > 0);
      }).catch(() => undefined);
    }, 120);
    return () => clearTimeout(timer);
  }, [text, kind, value]); // eslint-disable-line react-hooks/exhaustive-deps

  const pick = (o: Option) => { setOpen(false); setText(''); onChange(o.id); };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && !open && options.length) { e.preventDefault(); setOpen(true); return; }
    if (!open || !options.length) return;
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

  const statusWord = (s: string) => t(`problems.${kind === 'problem' ? 'status' : 'changeStatus'}.${s}`, { defaultValue: s });
  if (value) {
    return (
      <div className="record-picked" data-testid={`${testId}-picked`}>
        {label === 'unknown' ? <span className="muted">{t('problems.unknownHere')}</span>
          : label ? <><span className="mono">{label.number}</span> <span>{label.title}</span> <span className="muted">{statusWord(label.status)}</span></> : null}
        <button type="button" className="btn btn-ghost btn-sm" aria-label={t('problems.clear')} data-testid={`${testId}-clear`} onClick={() => onChange(null)}>✕</button>
      </div>
    );
  }
  return (
    <div className="record-picker">
      <input value={text} data-testid={testId} autoComplete="off" placeholder={t(kind === 'problem' ? 'problems.pickProblem' : 'problems.pickChange')}
        role="combobox" aria-expanded={open} aria-controls={listId} aria-autocomplete="list" aria-invalid={invalid}
        aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
        onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} onFocus={() => { if (text.trim() && options.length) setOpen(true); }}
        onBlur={() => setTimeout(() => setOpen(false), 150)} />
      {open && (
        <ul className="record-options" role="listbox" id={listId} data-testid={`${testId}-options`} aria-label={t(kind === 'problem' ? 'problems.problems' : 'problems.changes')}>
          {options.map((o, i) => (
            <li key={o.id} id={`${listId}-${i}`} role="option" aria-selected={i === active} className={i === active ? 'active' : undefined}
              onMouseDown={(e) => { e.preventDefault(); pick(o); }}>
              <span className="mono">{o.number}</span> <span>{o.title}</span> <span className="muted">{statusWord(o.status)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
