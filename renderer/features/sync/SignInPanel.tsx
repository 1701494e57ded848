import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TRPCClientError } from '@trpc/client';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { FieldError, issueFor } from '../../lib/FieldError.js';
import { issueText } from '../../lib/format.js';
import { apiIssues, localiseSyncError } from './syncText.js';
import { signIn } from './syncApi.js';

const LAST_SERVER = 'relay-desk.serverUrl';

/** The server could not be reached (as opposed to a wrong password): offline sign-in is offered. */
function unreachable(err: unknown): boolean {
  if (!(err instanceof TRPCClientError)) return true;
  const code = (err.data as { code?: string } | undefined)?.code;
  return code === 'BAD_GATEWAY' || code === 'TIMEOUT' || /unreachable|did not answer/i.test(err.message);
}

/** Sign in to the central server (server URL, user, password); offline sign-in when it cannot be reached. */
export function SignInPanel() {
  const { t } = useTranslation();
  const openSignIn = useUi((s) => s.openSignIn);
  const desk = useUi((s) => s.desk);
  const setDesk = useUi((s) => s.setDesk);
  const bump = useUi((s) => s.bump);
  const toast = useUi((s) => s.toast);
  const [serverUrl, setServerUrl] = useState(() => localStorage.getItem(LAST_SERVER) ?? '');
  const [name, setName] = useState(desk?.user?.name ?? '');
  const [password, setPassword] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [offline, setOffline] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void api.sync.status.query().then((s) => { if (live && s.serverUrl) setServerUrl((v) => v || s.serverUrl!); }).catch(() => {});
    return () => { live = false; };
  }, []);

  const openAttribute = useUi((s) => s.openAttribute);
  const setCatalog = useUi((s) => s.setCatalog);

  const done = async (userName: string, how: 'online' | 'offline') => {
    const info = await api.desk.info.query();
    setDesk(info);
    // Who may be dispatched to changes with the account (the server's people only): no stale list.
    await Promise.all([api.category.list.query(), api.user.list.query()]).then(([cats, users]) => setCatalog(cats, users)).catch(() => undefined);
    bump();
    toast(t(how === 'online' ? 'sync.signedIn' : 'sync.signedInOffline', { name: userName }));
    openSignIn(false);
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const res = await signIn({ serverUrl: serverUrl.trim(), name, password });
      localStorage.setItem(LAST_SERVER, serverUrl.trim());
      await done(res.user.name, 'online');
      // Work recorded here under a local name waits for the user to say whose it is; demo data can go.
      if (res.localWork.some((w) => !w.choice) || res.sample.incidents > 0) openAttribute({ sample: res.sample.incidents });
    } catch (err) {
      setOffline(unreachable(err) && !issuesOf(err).some((i) => i.path));
      setIssues(apiIssues(err));
    } finally {
      setBusy(false);
    }
  };

  const signInOffline = async () => {
    setBusy(true);
    try {
      const user = await api.sync.signInOffline.mutate({ name, password });
      await done(user.name, 'offline');
    } catch (err) {
      setIssues(apiIssues(err));
    } finally {
      setBusy(false);
    }
  };

  const general = issues.filter((i) => !['serverUrl', 'name', 'password'].includes(i.path));

  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) openSignIn(false); }}>
      <div className="modal modal-narrow" role="dialog" aria-modal="true" aria-labelledby="signin-title" data-testid="signin-panel"
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); openSignIn(false); } }}>
        <form onSubmit={submit} noValidate>
          <div className="modal-head">
            <span className="brand-mark" aria-hidden="true">RD</span>
            <h2 id="signin-title">{t('sync.signInTitle')}</h2>
          </div>
          <div className="modal-body">
            <p className="muted">{t('sync.signInIntro')}</p>
            {general.length > 0 && !offline && (
              <div className="form-error flush" role="alert" data-testid="signin-error">
                {general.map((i, n) => <div key={n}>{localiseSyncError(issueText(i, t), t)}</div>)}
              </div>
            )}
            {offline && (
              <div className="offline-offer" data-testid="offline-offer">
                <strong>{t('sync.unreachableTitle')}</strong>
                <p className="muted">{t('sync.unreachableIntro')}</p>
                <button type="button" className="btn btn-primary btn-sm" data-testid="signin-offline" disabled={busy} onClick={() => void signInOffline()}>
                  {t('sync.signInOffline')}
                </button>
              </div>
            )}
            <label className="field">
              <span>{t('sync.serverUrl')} *</span>
              <input autoFocus={!serverUrl} value={serverUrl} placeholder="https://desk.example.com:4874" data-testid="signin-server" inputMode="url"
                aria-invalid={!!issueFor(issues, 'serverUrl')} onChange={(e) => setServerUrl(e.target.value)} />
              <FieldError issues={issues} path="serverUrl" />
            </label>
            <label className="field">
              <span>{t('sync.userName')} *</span>
              <input value={name} autoComplete="username" data-testid="signin-name" aria-invalid={!!issueFor(issues, 'name')} onChange={(e) => setName(e.target.value)} />
              <FieldError issues={issues} path="name" />
            </label>
            <label className="field">
              <span>{t('sync.password')} *</span>
              <input type="password" autoFocus={!!serverUrl} value={password} autoComplete="current-password" data-testid="signin-password"
                aria-invalid={!!issueFor(issues, 'password')} onChange={(e) => setPassword(e.target.value)} />
              <FieldError issues={issues} path="password" />
            </label>
          </div>
          <div className="modal-foot">
            <span className="muted">{t('sync.signInHint')}</span>
            <span className="spacer" />
            <button type="button" className="btn" onClick={() => openSignIn(false)}>{t('form.cancel')} <kbd>Esc</kbd></button>
            <button type="submit" className="btn btn-primary" data-testid="signin-submit" disabled={busy}>{busy ? t('sync.signingIn') : t('sync.signIn')} <kbd>Enter</kbd></button>
          </div>
        </form>
      </div>
    </div>
  );
}
