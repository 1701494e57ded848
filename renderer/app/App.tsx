import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../platform/api.js';
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

export function App() {
  const { t } = useTranslation();
  const desk = useUi((s) => s.desk);
  const setDesk = useUi((s) => s.setDesk);
  const [error, setError] = useState<string | null>(null);

  const loadDesk = useCallback(async () => {
    try {
      const info = await api.desk.info.query();
      setUiLocale(info.locale);
      setDesk(info);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [setDesk]);

  useEffect(() => { void loadDesk(); }, [loadDesk]);

  if (error && !desk) {
    return (
      <div className="boot-error" role="alert">
        <h1>{t('common.error')}</h1>
        <p>{error}</p>
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
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    void Promise.all([api.category.list.query(), api.user.list.query()]).then(([cats, users]) => {
      if (live) setCatalog(cats, users);
    });
    return () => { live = false; };
  }, [setCatalog]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = !!target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
      if ((e.altKey && !e.ctrlKey && (e.key === 'n' || e.key === 'N' || e.code === 'KeyN')) || e.key === 'F2') {
        e.preventDefault();
        openForm(true);
      } else if ((e.ctrlKey || e.metaKey) && (e.key === 'k' || e.key === 'K')) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === '/' && !typing && !useUi.getState().formOpen) {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openForm]);

  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">RD</span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <SearchBox inputRef={searchRef} />
        <button type="button" className="btn btn-primary" data-testid="new-incident" onClick={() => openForm(true)} aria-keyshortcuts="Alt+N F2">
          + {t('form.title')} <kbd>{t('form.hotkeyHint')}</kbd>
        </button>
      </header>
      <FilterBar />
      <main className={selectedId ? 'workspace with-detail' : 'workspace'}>
        <QueueView />
        {selectedId && <IncidentDetail id={selectedId} />}
      </main>
      <StatusBar />
      {formOpen && <NewIncidentForm />}
      <Toasts />
    </div>
  );
}
