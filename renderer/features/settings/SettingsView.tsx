import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../shared/index.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { errorText } from '../../lib/errorText.js';
import { useUi } from '../../state/ui.js';
import { issueText } from '../../lib/format.js';
import { removeSample } from '../sync/syncApi.js';

/** Desk settings. Back-fill (补录) roles: which roles may enter incidents after the fact; team leads and admins choose. */
export function SettingsView() {
  const { t } = useTranslation();
  const desk = useUi((s) => s.desk);
  const toast = useUi((s) => s.toast);
  const [roles, setRoles] = useState<Role[] | null>(null);
  const [saved, setSaved] = useState<Role[] | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const bump = useUi((s) => s.bump);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [removed, setRemoved] = useState<number | null>(null);
  const [sampleError, setSampleError] = useState<string | null>(null);
  const mayEdit = desk?.user?.role === 'lead' || desk?.user?.role === 'admin';
  const [insecure, setInsecure] = useState<boolean | null>(null);

  useEffect(() => {
    void api.desk.backfillRoles.query().then((r) => { setRoles(r as Role[]); setSaved(r as Role[]); }).catch((e) => setIssues(issuesOf(e)));
    void api.desk.allowInsecureServer.query().then(setInsecure).catch(() => setInsecure(false));
  }, []);

  const setAllowInsecure = async (allow: boolean) => {
    setBusy(true);
    try {
      setInsecure(await api.desk.setAllowInsecureServer.mutate({ allow }));
      toast(t('settings.insecureSaved'));
    } catch (err) {
      setIssues(issuesOf(err));
    } finally { setBusy(false); }
  };

  const save = async () => {
    if (!roles) return;
    setBusy(true);
    try {
      const r = await api.desk.setBackfillRoles.mutate({ roles });
      setSaved(r); setRoles(r); setIssues([]);
      toast(t('settings.saved'));
    } catch (err) {
      setIssues(issuesOf(err));
    } finally { setBusy(false); }
  };

  const dropSample = async () => {
    setBusy(true);
    try {
      const r = await removeSample();
      setRemoved(r.removed); setConfirmRemove(false); setSampleError(null);
      toast(r.removed > 0 ? t('settings.removed', { count: r.removed }) : t('settings.noSample'));
      bump();
    } catch (err) {
      // What the core said, worded, in the tooltip; the user reads the sentence in the UI language.
      setSampleError(errorText(err, t));
    } finally { setBusy(false); }
  };

  const dirty = !!roles && !!saved && [...roles].sort().join() !== [...saved].sort().join();

  return (
    <section className="page" data-testid="settings-view">
      <div className="page-head"><h2>{t('settings.title')}</h2></div>
      <div className="card settings-card">
        <h3>{t('settings.backfillTitle')}</h3>
        <p className="muted">{t('settings.backfillIntro')}</p>
        {!mayEdit && <p className="note" data-testid="settings-readonly">{t('settings.leadOnly')}</p>}
        {issues.length > 0 && <div className="form-error flush" role="alert">{issues.map((i, n) => <div key={n}>{issueText(i, t)}</div>)}</div>}
        {!roles ? <p className="muted">{t('common.loading')}</p> : (
          <fieldset className="checklist" disabled={!mayEdit || busy}>
            <legend>{t('settings.backfillRoles')}</legend>
            {ROLES.map((r) => (
              <label key={r} className="check">
                <input type="checkbox" data-testid={`backfill-role-${r}`} checked={roles.includes(r)}
                  onChange={(e) => setRoles((x) => (e.target.checked ? [...(x ?? []), r] : (x ?? []).filter((y) => y !== r)))} />
                <span>{t(`enum.role.${r}`)}</span>
              </label>
            ))}
          </fieldset>
        )}
        {mayEdit && (
          <div className="actions">
            <button type="button" className="btn btn-primary btn-sm" data-testid="save-backfill-roles" disabled={!dirty || busy} onClick={() => void save()}>{t('detail.save')}</button>
          </div>
        )}
      </div>
      <div className="card settings-card" data-testid="settings-insecure">
        <h3>{t('settings.insecureTitle')}</h3>
        <p className="muted">{t('settings.insecureIntro')}</p>
        <label className="check">
          <input type="checkbox" data-testid="allow-insecure-server" checked={!!insecure} disabled={!mayEdit || busy || insecure === null}
            onChange={(e) => void setAllowInsecure(e.target.checked)} />
          <span>{t('settings.insecureAllow')}</span>
        </label>
      </div>
      <div className="card settings-card" data-testid="settings-sample">
        <h3>{t('settings.sampleTitle')}</h3>
        <p className="muted">{t('settings.sampleIntro')}</p>
        {sampleError && <div className="form-error flush" role="alert" data-testid="settings-sample-error" title={sampleError}>{t('settings.removeFailed')}</div>}
        {removed !== null && <p className="note ok flush" role="status" data-testid="settings-sample-removed">{removed > 0 ? t('settings.removed', { count: removed }) : t('settings.noSample')}</p>}
        <div className="actions">
          {!confirmRemove ? (
            <button type="button" className="btn btn-sm" data-testid="remove-sample" disabled={busy} onClick={() => setConfirmRemove(true)}>{t('settings.removeSample')}</button>
          ) : (<>
            <button type="button" className="btn btn-sm" onClick={() => setConfirmRemove(false)}>{t('detail.cancel')}</button>
            <button type="button" className="btn btn-sm btn-danger" data-testid="confirm-remove-sample" autoFocus disabled={busy} onClick={() => void dropSample()}>{t('settings.confirmRemove')}</button>
          </>)}
        </div>
      </div>
    </section>
  );
}
