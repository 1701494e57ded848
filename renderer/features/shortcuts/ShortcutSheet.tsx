import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useUi } from '../../state/ui.js';
import { SHORTCUT_GROUPS } from './keymap.js';

/** The list of shortcuts, opened with ? or F1 and closed with Esc (or ? / F1 again). */
export function ShortcutSheet() {
  const { t } = useTranslation();
  const openShortcuts = useUi((s) => s.openShortcuts);
  const closeRef = useRef<HTMLButtonElement>(null);
  const before = useRef<Element | null>(null);

  useEffect(() => {
    before.current = document.activeElement;
    closeRef.current?.focus();
    // The focus goes back where it was (the queue row, the detail) when the sheet closes.
    return () => { if (before.current instanceof HTMLElement && before.current.isConnected) before.current.focus(); };
  }, []);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) openShortcuts(false); }}>
      <div className="modal shortcut-sheet" role="dialog" aria-modal="true" aria-labelledby="keys-title" data-testid="shortcut-sheet"
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); openShortcuts(false); } }}>
        <div className="modal-head">
          <h2 id="keys-title">{t('keys.title')}</h2>
          <span className="muted">{t('keys.hint')}</span>
          <span className="spacer" />
          <button ref={closeRef} type="button" className="btn btn-sm" data-testid="shortcut-close" onClick={() => openShortcuts(false)}>{t('keys.close')} <kbd>Esc</kbd></button>
        </div>
        <div className="modal-body">
          {SHORTCUT_GROUPS.map(({ group, ids }) => (
            <section key={group} data-testid={`keys-${group}`}>
              <h3>{t(`keys.group.${group}`)}</h3>
              <dl>
                {ids.map((id) => (
                  <div key={id} style={{ display: 'contents' }}>
                    <dt>{t(`keys.combo.${id}`).split(' / ').map((k) => <kbd key={k}>{k}</kbd>)}</dt>
                    <dd>{t(`keys.do.${id}`)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
