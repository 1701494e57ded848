import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../shared/index.js';
import { api, issuesOf, type FieldIssue } from '../../platform/api.js';
import { setUiLocale, type Locale } from '../../i18n/index.js';
import { FieldError, issueFor } from '../../lib/FieldError.js';
import { issueText } from '../../lib/format.js';
import { useUi } from '../../state/ui.js';
import { SignInPanel } from '../sync/SignInPanel.js';

export function SetupView({ onDone }: { onDone: () => void | Promise<void> }) {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [group, setGroup] = useState('');
  const [locale, setLocale] = useState<Locale>((i18n.language as Locale) ?? 'zh-CN');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [step, setStep] = useState<'who' | 'sample'>('who');
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState<string | null>(null);
  const signInOpen = useUi((st) => st.signInOpen);
  const openSignIn = useUi((st) => st.openSignIn);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api.desk.setup.mutate({ name, role, group, locale });
      setIssues([]);
      setStep('sample');
    } catch (err) {
      setIssues(issuesOf(err));
    } finally {
      setBusy(false);
    }
  };

  const loadSample = async () => {
    setBusy(true);
    try {
      const res = await api.desk.loadSample.mutate({});
      setLoaded(t('setup.loaded', res));
      await onDone();
    } catch (err) {
      setIssues(issuesOf(err));
      setBusy(false);
    }
  };

  const general = issues.filter((i) => !['name', 'role', 'group', 'locale'].includes(i.path));

  return (
    <div className="setup">
      <div className="setup-card">
        <div className="setup-brand"><span className="brand-mark" aria-hidden="true">RD</span> {t('app.name')}</div>
        {step === 'who' ? (
          <form onSubmit={submit} noValidate data-testid="setup-form">
            <h1>{t('setup.title')}</h1>
            <p className="muted">{t('setup.intro')}</p>
            {general.length > 0 && <div className="form-error" role="alert">{general.map((i) => issueText(i, t)).join('；')}</div>}
            <label className="field">
              <span>{t('field.name')} *</span>
              <input autoFocus value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!issueFor(issues, 'name')} />
              <FieldError issues={issues} path="name" />
            </label>
            <label className="field">
              <span>{t('field.role')}</span>
              <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {ROLES.map((r) => <option key={r} value={r}>{t(`enum.role.${r}`)}</option>)}
              </select>
            </label>
            <label className="field">
              <span>{t('field.group')} *</span>
              <input value={group} placeholder={t('setup.groupPlaceholder')} onChange={(e) => setGroup(e.target.value)} aria-invalid={!!issueFor(issues, 'group')} />
              <FieldError issues={issues} path="group" />
            </label>
            <label className="field">
              <span>{t('field.locale')}</span>
              <select value={locale} onChange={(e) => { const l = e.target.value as Locale; setLocale(l); setUiLocale(l); }}>
                <option value="zh-CN">简体中文</option>
                <option value="en">English</option>
              </select>
            </label>
            <div className="actions">
              <button type="submit" className="btn btn-primary" disabled={busy}>{t('setup.submit')}</button>
            </div>
            <div className="setup-or"><span>{t('setup.or')}</span></div>
            <button type="button" className="btn setup-signin" data-testid="setup-signin" onClick={() => openSignIn(true)}>{t('setup.signIn')}</button>
          </form>
        ) : (
          <div data-testid="setup-sample">
            <h1>{t('setup.sampleTitle')}</h1>
            <p className="muted">{t('setup.sampleIntro')}</p>
            {general.length > 0 && <div className="form-error" role="alert">{general.map((i) => issueText(i, t)).join('；')}</div>}
            {busy && <p className="muted" role="status">{loaded ?? t('setup.loading')}</p>}
            <div className="actions">
              <button type="button" className="btn" disabled={busy} onClick={() => void onDone()}>{t('setup.skip')}</button>
              <button type="button" className="btn btn-primary" autoFocus disabled={busy} onClick={() => void loadSample()}>{t('setup.loadSample')}</button>
            </div>
          </div>
        )}
      </div>
      {signInOpen && <SignInPanel />}
    </div>
  );
}
