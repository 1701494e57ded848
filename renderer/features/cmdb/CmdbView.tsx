import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, issuesOf, type FieldIssue, type RouterOutputs } from '../../platform/api.js';
import { errorText } from '../../lib/errorText.js';
import { useUi } from '../../state/ui.js';
import { readAsBase64 } from '../import/ImportView.js';
import './cmdb.css';

type ListOut = RouterOutputs['cmdb']['list'];
/** A CSV problem as the desk names it: `params` carry the code, line and column. */
type CsvIssue = FieldIssue & { params?: Record<string, string | number> };

/** A file's bytes as UTF-8 text (a BOM is dropped by the CSV reader). */
async function readText(file: File): Promise<string> {
  const b64 = await readAsBase64(file);
  return new TextDecoder('utf-8').decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
}

/**
 * The configuration items (issue 12, item 7): search the list this desk pulled; a lead or admin
 * signed in imports a CSV file (whole or not at all, problems by line and column) and takes items
 * out of the pick list.
 */
export function CmdbView() {
  const { t } = useTranslation();
  const toast = useUi((s) => s.toast);
  const [q, setQ] = useState('');
  const [data, setData] = useState<ListOut | null>(null);
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RouterOutputs['cmdb']['importCsv'] | null>(null);

  const load = useCallback(async () => {
    try { setData(await api.cmdb.list.query({ q, includeInactive: true })); } catch (err) { setFailure(errorText(err, t)); }
  }, [q, t]);
  useEffect(() => { void load(); }, [load]);

  const runImport = async () => {
    setBusy(true); setIssues([]); setFailure(null); setResult(null);
    try {
      const r = await api.cmdb.importCsv.mutate({ csv });
      setResult(r);
      toast(t('cmdb.imported', { created: r.created, updated: r.updated, unchanged: r.unchanged }));
      await load();
    } catch (err) {
      const found = issuesOf(err);
      if ((found as CsvIssue[]).some((i) => i.params?.csv)) setIssues(found);
      else setFailure(errorText(err, t));
    } finally { setBusy(false); }
  };

  const setActive = async (id: string, active: boolean) => {
    try { await api.cmdb.setActive.mutate({ id, active }); await load(); } catch (err) { setFailure(errorText(err, t)); }
  };

  const csvIssue = (i: FieldIssue) => {
    const p = (i as CsvIssue).params ?? {};
    const column = p.column ? t(`cmdb.column.${p.column}`) : '';
    const what = t(`cmdb.csv.${p.csv}`, { defaultValue: t('cmdb.csv.invalid') });
    return column ? t('cmdb.issueAtColumn', { line: p.line, column, what }) : t('cmdb.issueAtLine', { line: p.line, what });
  };

  const canEdit = !!data?.canEdit && !!data?.connected;
  return (
    <section className="cmdb-view" data-testid="cmdb-view">
      <h2>{t('cmdb.title')}</h2>
      <label className="field">
        <span>{t('cmdb.search')}</span>
        <input value={q} data-testid="cmdb-search" placeholder={t('cmdb.searchPlaceholder')} onChange={(e) => setQ(e.target.value)} />
      </label>
      {failure && <p className="field-error" role="alert">{failure}</p>}
      {data && (data.items.length === 0 ? <p data-testid="cmdb-empty">{t('cmdb.empty')}</p> : (
        <table data-testid="cmdb-table">
          <thead><tr>
            <th>{t('cmdb.column.name')}</th><th>{t('cmdb.column.type')}</th><th>{t('cmdb.column.ip')}</th><th>{t('cmdb.column.location')}</th>
            <th>{t('cmdb.column.group')}</th><th>{t('cmdb.column.critical')}</th><th>{t('cmdb.state')}</th>
          </tr></thead>
          <tbody>
            {data.items.map((c) => (
              <tr key={c.id} className={c.active ? undefined : 'inactive'} data-testid="cmdb-row">
                <td>{c.name}</td><td>{t(`cmdb.type.${c.type}`)}</td><td>{c.ip ?? ''}</td><td>{c.location ?? ''}</td><td>{c.groupName ?? ''}</td>
                <td>{c.critical ? <span className="badge badge-critical">{t('cmdb.critical')}</span> : ''}</td>
                <td>
                  {c.active ? t('cmdb.active') : t('cmdb.inactive')}
                  {canEdit && (
                    <button type="button" className="btn btn-sm" style={{ marginLeft: 8 }} onClick={() => void setActive(c.id, !c.active)}>
                      {c.active ? t('cmdb.deactivate') : t('cmdb.reactivate')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {data && !canEdit && <p className="ci-meta">{data.connected ? t('cmdb.leadsOnly') : t('cmdb.signInToEdit')}</p>}
      {canEdit && (
        <div className="cmdb-import card" data-testid="cmdb-import">
          <h3>{t('cmdb.importTitle')}</h3>
          <p className="ci-meta">{t('cmdb.importHelp')}</p>
          <input type="file" accept=".csv,text/csv" data-testid="cmdb-file" aria-label={t('cmdb.chooseFile')} onChange={(e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            setFileName(f.name);
            void readText(f).then(setCsv);
          }} />
          {fileName && <span className="ci-meta"> {fileName}</span>}
          <label className="field">
            <span>{t('cmdb.csvText')}</span>
            <textarea rows={6} value={csv} data-testid="cmdb-csv" onChange={(e) => setCsv(e.target.value)} />
          </label>
          {issues.length > 0 && (
            <ul className="cmdb-issues" role="alert" data-testid="cmdb-issues">
              <li>{t('cmdb.nothingImported')}</li>
              {issues.map((i, n) => <li key={n}>{csvIssue(i)}</li>)}
            </ul>
          )}
          {result && <p data-testid="cmdb-result">{t('cmdb.imported', { created: result.created, updated: result.updated, unchanged: result.unchanged })}</p>}
          <button type="button" className="btn" data-testid="cmdb-import-run" disabled={busy || !csv.trim()} onClick={() => void runImport()}>
            {t('cmdb.import')}
          </button>
        </div>
      )}
    </section>
  );
}
