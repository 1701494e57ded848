import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../platform/api.js';
import { errorText } from '../lib/errorText.js';
import { setUiLocale } from '../i18n/index.js';
import { useUi } from '../state/ui.js';
import { SetupView } from '../features/setup/SetupView.js';
import { QueueView } from '../features/queue/QueueView.js';
import { FilterBar } from '../features/queue/FilterBar.js';
import { IncidentDetail } from '../features/incident-detail/IncidentDetail.js';
import { NewIncidentForm } from '../features/incident-form/NewIncidentForm.js';
import { SearchBox } from '../features/search/SearchBox.js';
import { StatusBar } from '../features/statusbar/StatusBar.js';
import { Toasts } from './Toasts.js';
import { NotificationBell } from '../features/notifications/NotificationBell.js';
import { SignInPanel } from '../features/sync/SignInPanel.js';
import { AttributeDialog } from '../features/sync/AttributeDialog.js';
import { KbView } from '../features/kb/KbView.js';
import { KbArticleDrawer } from '../features/kb/KbArticle.js';
import { BatchGrid } from '../features/batch/BatchGrid.js';
import { SettingsView } from '../features/settings/SettingsView.js';
import { ImportView } from '../features/import/ImportView.js';
import { CmdbView } from '../features/cmdb/CmdbView.js';
import { ProblemsView } from '../features/problems/ProblemsView.js';
import { AdminView, canAdminister } from '../features/admin/AdminView.js';
import { ShortcutSheet } from '../features/shortcuts/ShortcutSheet.js';
import { DETAIL_KEYS, isTyping, runDetailKey } from '../features/shortcuts/keymap.js';
import type { View } from '../state/ui.js';

// Reports (echarts) load when first opened, so the console's first screen stays small.
const ReportsView = lazy(() => import('../features/reports/ReportsView.js').then((m) => ({ default: m.ReportsView })));

const VIEWS: Array<{ view: View; key: string }> = [
  { view: 'queue', key: '1' }, { view: 'kb', key: '2' }, { view: 'batch', key: '3' }, { view: 'import', key: '4' }, { view: 'settings', key: '5' }, { view: 'reports', key: '6' },
  { view: 'cmdb', key: '7' }, { view: 'admin', key: '8' }, { view: 'problems', key: '9' },
];

export function App() {
  const { t } = useTranslation();
  const desk = useUi((s) => s.desk);
  const setDesk = useUi((s) => s.setDesk);
  // The failed call itself, worded at render time (the words follow the UI language).
  const [error, setError] = useState<unknown>(null);

  const loadDesk = useCallback(async () => {
    try {
      const info = await api.desk.info.query();
      setUiLocale(info.locale);
      setDesk(info);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [setDesk]);

  useEffect(() => { void loadDesk(); }, [loadDesk]);

  if (error != null && !desk) {
    return (
      <div className="boot-error" role="alert">
        <h1>{t('common.error')}</h1>
        <p>{errorText(error, t)}</p>
        <button type="button" className="btn" onClick={() => void loadDesk()}>{t('common.retry')}</button>
      </div>
    );
  }
  if (!desk) return <div className="boot-loading">{t('common.loading')}</div>;
  if (!desk.user) return <SetupView onDone={loadDesk} />;
  return <Desk />;
}

function Desk() {
  const { t } = useTranslation();
  const setCatalog = useUi((s) => s.setCatalog);
  const formOpen = useUi((s) => s.formOpen);
  const openForm = useUi((s) => s.openForm);
  const selectedId = useUi((s) => s.selectedId);
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const signInOpen = useUi((s) => s.signInOpen);
  const attribute = useUi((s) => s.attribute);
  const shortcutsOpen = useUi((s) => s.shortcutsOpen);
  const role = useUi((s) => s.desk?.user?.role);
  const searchRef = useRef<HTMLInputElement>(null);

  // Reference data: again after each write or sync (a first sync brings the server's categories and users).
  const revision = useUi((s) => s.revision);
  useEffect(() => {
    let live = true;
    void Promise.all([api.category.list.query(), api.user.list.query()]).then(([cats, users]) => {
      if (live) setCatalog(cats, users);
    }).catch(() => {});
    return () => { live = false; };
  }, [setCatalog, revision]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A checkbox or button inside the edit form or a step's prompt belongs to that form: its letters are not shortcuts.
      const typing = isTyping(e.target) || !!(e.target as Element | null)?.closest?.('[data-testid="edit-form"], [data-testid="transition-prompt"]');
      const ui = useUi.getState();
      // A dialog over the console (the form, sign-in, the sheet …) keeps its keys to itself.
      const overlay = ui.formOpen || ui.signInOpen || !!ui.attribute || ui.shortcutsOpen || !!ui.kbArticleId || !!document.querySelector('[aria-modal="true"]');
      const plain = !e.altKey && !e.ctrlKey && !e.metaKey;
      const nav = e.altKey && !e.ctrlKey && !e.metaKey ? VIEWS.find((v) => (e.code === `Digit${v.key}` || e.key === v.key) && (v.view !== 'admin' || canAdminister(ui.desk?.user?.role))) : undefined;
      if (e.key === 'F1' || (e.key === '?' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey)) {
        if (!e.defaultPrevented && (ui.shortcutsOpen || !overlay || e.key === 'F1')) {
          e.preventDefault();
          ui.openShortcuts(!ui.shortcutsOpen);
        }
      } else if (nav) {
        e.preventDefault();
        setView(nav.view);
        // Alt+1: the queue, with the focus in its list.
        if (nav.view === 'queue' && !ui.formOpen) ui.focusQueue();
      } else if (plain && !typing && !overlay && !e.defaultPrevented && ui.view === 'queue' && ui.selectedId && !e.shiftKey && DETAIL_KEYS[e.key.toLowerCase()]) {
        const done = runDetailKey(e.key);
        if (done) {
          e.preventDefault();
          if (done.result === 'not-allowed') ui.toast(t('keys.notAllowed', { action: t(`keys.act.${done.id}`), status: t(`enum.status.${done.status}`) }), 'error');
        }
      } else if (e.key === 'Escape' && plain && !typing && !overlay && !e.defaultPrevented && ui.view === 'queue' && ui.selectedId) {
        // Esc from the open incident: back to the list (QueueView puts the focus back in it).
        e.preventDefault();
        ui.select(null);
      } else if ((e.altKey && !e.ctrlKey && (e.key === 'n' || e.key === 'N' || e.code === 'KeyN')) || e.key === 'F2') {
        e.preventDefault();
        openForm(true);
      } else if ((e.ctrlKey || e.metaKey) && (e.key === 'k' || e.key === 'K')) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === '/' && !typing && !useUi.getState().formOpen && useUi.getState().view === 'queue') {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openForm, setView, t]);

  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">RD</span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <nav className="views" aria-label={t('nav.label')}>
          {VIEWS.filter((v) => v.view !== 'admin' || canAdminister(role)).map((v) => (
            <button key={v.view} type="button" className={view === v.view ? 'view-tab active' : 'view-tab'} aria-current={view === v.view ? 'page' : undefined}
              data-testid={`nav-${v.view}`} aria-keyshortcuts={`Alt+${v.key}`} title={`Alt+${v.key}`} onClick={() => setView(v.view)}>
              {t(v.view === 'cmdb' ? 'cmdb.nav' : v.view === 'admin' ? 'admin.nav' : v.view === 'problems' ? 'problems.nav' : `nav.${v.view}`)}
            </button>
          ))}
        </nav>
        <SearchBox inputRef={searchRef} />
        <NotificationBell />
        <button type="button" className="btn btn-primary" data-testid="new-incident" onClick={() => openForm(true)} aria-keyshortcuts="Alt+N F2">
          + {t('form.title')} <kbd>{t('form.hotkeyHint')}</kbd>
        </button>
      </header>
      {view === 'queue' ? <FilterBar /> : <div />}
      {view === 'queue' && (
        <main className={selectedId ? 'workspace with-detail' : 'workspace'}>
          <QueueView />
          {selectedId && <IncidentDetail id={selectedId} />}
        </main>
      )}
      {view === 'kb' && <main className="workspace"><KbView /></main>}
      {view === 'batch' && <main className="workspace"><BatchGrid /></main>}
      {view === 'import' && <main className="workspace"><ImportView /></main>}
      {view === 'cmdb' && <main className="workspace"><CmdbView /></main>}
      {view === 'problems' && <main className="workspace"><ProblemsView /></main>}
      {view === 'admin' && <main className="workspace"><AdminView /></main>}
      {view === 'settings' && <main className="workspace"><SettingsView /></main>}
      {view === 'reports' && <main className="workspace"><Suspense fallback={<div className="boot-loading">{t('common.loading')}</div>}><ReportsView /></Suspense></main>}
      <StatusBar />
      {formOpen && <NewIncidentForm />}
      {signInOpen && <SignInPanel />}
      {attribute && !signInOpen && <AttributeDialog />}
      {shortcutsOpen && <ShortcutSheet />}
      <KbArticleDrawer />
      <Toasts />
    </div>
  );
}
