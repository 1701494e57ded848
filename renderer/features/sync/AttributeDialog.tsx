import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, issuesOf } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { localiseMessage } from '../../lib/format.js';
import { accountsOf } from '../../lib/people.js';
import { attributeLocalWork, localWork as loadLocalWork, removeSample, type AttributeTo, type LocalWork } from './syncApi.js';

class SampleError extends Error {}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * "Whose changes are these?": after a first sign-in (and from the status bar while decisions remain),
 * each local name this desk recorded changes under is attributed to the account signed in, to another
 * account, or kept as recorded here. Offers to remove the demo data when the desk has some.
 * Keyboard: Enter confirms, Esc closes (decide later), Tab stays inside the dialog.
 */
export function AttributeDialog() {
  const { t } = useTranslation();
  const request = useUi((s) => s.attribute);
  const openAttribute = useUi((s) => s.openAttribute);
  const desk = useUi((s) => s.desk);
  const users = useUi((s) => s.users);
  const bump = useUi((s) => s.bump);
  const toast = useUi((s) => s.toast);
  const [items, setItems] = useState<LocalWork[] | null>(null);
  /** Local names kept as recorded in this round (the core may still list them as open). */
  const [keptHere, setKeptHere] = useState<string[]>([]);
  const [total, setTotal] = useState(0);
  const [to, setTo] = useState<AttributeTo>('me');
  const [accountId, setAccountId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sample, setSample] = useState(request?.sample ?? 0);
  const [removed, setRemoved] = useState<number | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  const returnTo = useRef<Element | null>(null);

  useEffect(() => {
    returnTo.current = document.activeElement;
    let live = true;
    loadLocalWork().then((rows) => {
      if (!live) return;
      setItems(rows);
      setTotal(rows.length);
    }).catch((err) => { if (live) { setItems([]); setError(issuesOf(err).map((i) => localiseMessage(i.message, t)).join('; ')); } });
    return () => {
      live = false;
      const el = returnTo.current as HTMLElement | null;
      if (el && document.contains(el)) el.focus();
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const open = (items ?? []).filter((w) => !keptHere.includes(w.localUserId));
  const current = open[0] ?? null;
  const me = desk?.user ?? null;
  const others = accountsOf(users).filter((u) => u.id !== me?.id);

  // Each new local name starts on "mine" (or on "kept here" when that was chosen before), focused.
  useEffect(() => {
    setTo(current?.choice === 'local' ? 'local' : 'me'); setAccountId(''); setError(null);
    requestAnimationFrame(() => (firstRef.current ?? dialogRef.current?.querySelector<HTMLElement>(FOCUSABLE) ?? dialogRef.current)?.focus());
  }, [current?.localUserId, items === null]); // eslint-disable-line react-hooks/exhaustive-deps

  const close = () => openAttribute(null);

  const confirm = async () => {
    if (!current) { close(); return; }
    if (busy) return;
    if (to === 'account' && !accountId) { setError(t('sync.attr.chooseAccount')); return; }
    setBusy(true);
    try {
      const remaining = await attributeLocalWork({ localUserId: current.localUserId, to, ...(to === 'account' ? { accountId } : {}) });
      const account = to === 'me' ? me?.name ?? '' : others.find((u) => u.id === accountId)?.name ?? '';
      toast(to === 'local' ? t('sync.attr.keptLocal', { count: current.changes, name: current.name }) : t('sync.attr.attributed', { count: current.changes, account }));
      const kept = to === 'local' ? [...keptHere, current.localUserId] : keptHere;
      setKeptHere(kept);
      setItems(remaining);
      bump();
      // Everything decided and nothing else to offer: the dialog is done.
      if (remaining.filter((w) => !kept.includes(w.localUserId)).length === 0 && (sample === 0 || removed !== null)) close();
    } catch (err) {
      setError(issuesOf(err).map((i) => localiseMessage(i.message, t)).join('; '));
    } finally {
      setBusy(false);
    }
  };

  const dropSample = async () => {
    setBusy(true);
    try {
      const r = await removeSample().catch((err: unknown) => { throw new SampleError(issuesOf(err).map((i) => i.message).join('; ')); });
      setRemoved(r.removed);
      setSample(0);
      toast(t('sync.attr.removed', { count: r.removed }));
      // Reference data changes (sample people go): reload lists.
      void api.user.list.query().then((u) => useUi.getState().setCatalog(useUi.getState().categories, u)).catch(() => undefined);
      bump();
      if (!current) close();
    } catch (err) {
      setError(err instanceof SampleError ? t('settings.removeFailed') : issuesOf(err).map((i) => localiseMessage(i.message, t)).join('; '));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(); return; }
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey) {
      const el = e.target as HTMLElement;
      // Enter on a button presses that button; anywhere else it confirms.
      if (el.tagName === 'BUTTON') return;
      e.preventDefault();
      void confirm();
      return;
    }
    if (e.key === 'Tab' && dialogRef.current) {
      const els = Array.from(dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE));
      if (els.length === 0) return;
      const first = els[0]!; const last = els[els.length - 1]!;
      if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
    }
  };

  const n = total - open.length + 1;

  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) close(); }}>
      <div className="modal modal-narrow modal-attr" role="dialog" aria-modal="true" aria-labelledby="attr-title" aria-describedby="attr-intro"
        data-testid="attribute-dialog" ref={dialogRef} tabIndex={-1} onKeyDown={onKeyDown}>
        <div className="modal-head">
          <span className="brand-mark" aria-hidden="true">RD</span>
          <h2 id="attr-title">{t('sync.attr.title')}</h2>
        </div>
        <div className="modal-body">
          {error && <div className="form-error flush" role="alert" data-testid="attribute-error">{error}</div>}
          {items === null ? <p className="muted">{t('common.loading')}</p> : current ? (
            <>
              <p id="attr-intro" data-testid="attribute-intro" data-name={current.name} data-count={current.changes}>
                {t('sync.attr.intro', { name: current.name, count: current.changes })}
              </p>
              {total > 1 && <p className="muted small" data-testid="attribute-progress">{t('sync.attr.progress', { n, total })}</p>}
              <fieldset className="attr-choices" disabled={busy}>
                <legend className="sr-only">{t('sync.attr.title')}</legend>
                <label className="radio">
                  <input ref={firstRef} type="radio" name="attr-to" value="me" data-testid="attribute-me" checked={to === 'me'} onChange={() => setTo('me')} />
                  <span>{t('sync.attr.me', { account: me?.name ?? '' })}</span>
                </label>
                <label className="radio">
                  <input type="radio" name="attr-to" value="account" data-testid="attribute-account" checked={to === 'account'} disabled={others.length === 0} onChange={() => setTo('account')} />
                  <span>{t('sync.attr.account')}</span>
                </label>
                {to === 'account' && (
                  <label className="field attr-account">
                    <span className="sr-only">{t('sync.attr.accountPick')}</span>
                    <select value={accountId} data-testid="attribute-account-select" autoFocus onChange={(e) => { setAccountId(e.target.value); setError(null); }}>
                      <option value="">{t('sync.attr.accountPick')}</option>
                      {others.map((u) => <option key={u.id} value={u.id}>{u.name} · {u.groupName}</option>)}
                    </select>
                  </label>
                )}
                {others.length === 0 && <p className="muted small attr-hint">{t('sync.attr.noAccounts')}</p>}
                <label className="radio">
                  <input type="radio" name="attr-to" value="local" data-testid="attribute-local" checked={to === 'local'} onChange={() => setTo('local')} />
                  <span>{t('sync.attr.local', { name: current.name })}</span>
                </label>
                {to === 'local' && <p className="note attr-hint" data-testid="attribute-local-hint">{t('sync.attr.localHint')}</p>}
              </fieldset>
              <p className="muted small">{t('sync.attr.trail', { name: current.name })}</p>
            </>
          ) : <p id="attr-intro" className="muted" data-testid="attribute-none">{t('sync.attr.none')}</p>}
          {(sample > 0 || removed !== null) && (
            <section className="attr-sample" data-testid="attribute-sample">
              <strong>{t('sync.attr.sampleTitle')}</strong>
              {removed !== null ? <p className="muted" role="status" data-testid="sample-removed">{t('sync.attr.removed', { count: removed })}</p> : (
                <>
                  <p className="muted">{t('sync.attr.sampleIntro', { count: sample })}</p>
                  <button type="button" className="btn btn-sm" data-testid="remove-sample" disabled={busy} onClick={() => void dropSample()}>
                    {busy ? t('sync.attr.removing') : t('sync.attr.removeSample')}
                  </button>
                </>
              )}
            </section>
          )}
        </div>
        <div className="modal-foot">
          <span className="muted small">{t('sync.attr.keys')}</span>
          <span className="spacer" />
          <button type="button" className="btn" data-testid="attribute-later" title={current ? t('sync.attr.laterHint') : undefined} onClick={close}>{current ? t('sync.attr.later') : t('sync.attr.close')} <kbd>Esc</kbd></button>
          {current && (
            <button type="button" className="btn btn-primary" data-testid="attribute-confirm" disabled={busy} onClick={() => void confirm()}>
              {t('sync.attr.confirm')} <kbd>Enter</kbd>
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
