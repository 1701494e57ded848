import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STATUSES, type Status } from '../../../shared/index.js';
import { api, issuesOf, errorMessage, type FieldIssue } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { formatDateTime, importColumn as fieldColumn, issueMessage, issueText } from '../../lib/format.js';
import { newClientId } from '../incident-form/formState.js';

type Preview = Awaited<ReturnType<typeof api.import.preview.mutate>>;
type Mapping = Preview['mapping'];
interface Progress { phase: string; done: number; total: number; message?: string }

/** File bytes as base64, for the API (the desk core reads CSV/XLSX/XES, gzip or not). */
export function readAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

function download(fileName: string, base64: string, mimeType: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url; a.download = fileName;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Polls `import.progress` for a job while `active`. */
function useJobProgress(jobId: string | null, active: boolean): Progress | null {
  const [p, setP] = useState<Progress | null>(null);
  useEffect(() => {
    if (!jobId || !active) return;
    let live = true;
    const tick = () => api.import.progress.query({ jobId }).then((x) => { if (live && x) setP(x); }).catch(() => {});
    void tick();
    const id = setInterval(tick, 250);
    return () => { live = false; clearInterval(id); };
  }, [jobId, active]);
  useEffect(() => { if (!active) setP(null); }, [active]);
  return p;
}

/**
 * Import of past incidents (issue #4.3): choose a file, look at the preview (shape, encoding, counts,
 * duplicates, first rows, every bad row by line and column), adjust the column and status mapping,
 * then import it all at once with a progress bar. Nothing is written while any row is bad.
 */
export function ImportView() {
  const { t, i18n } = useTranslation();
  const bump = useUi((s) => s.bump);
  const toast = useUi((s) => s.toast);
  const loc = i18n.language;
  const [file, setFile] = useState<{ name: string; base64: string; size: number } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [busy, setBusy] = useState<'reading' | 'preview' | 'commit' | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [result, setResult] = useState<{ created: number; skipped: number; live?: number } | null>(null);
  /** The file's open incidents become live work; off by default: imported incidents are history (issue 14, item 5). */
  const [liveOpen, setLiveOpen] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const pickRef = useRef<HTMLButtonElement>(null);
  const progress = useJobProgress(jobId, busy === 'preview' || busy === 'commit');

  useEffect(() => { pickRef.current?.focus(); }, []);

  const runPreview = async (f: { name: string; base64: string }, m?: Mapping, keepResult = false) => {
    const id = newClientId();
    setJobId(id); setBusy('preview'); setIssues([]);
    if (!keepResult) setResult(null);
    try {
      const p = await api.import.preview.mutate({ fileName: f.name, contentBase64: f.base64, jobId: id, ...(m ? { shape: m.shape, mapping: m } : {}) });
      setPreview(p); setMapping(p.mapping);
    } catch (err) {
      setPreview(null); setIssues(issuesOf(err));
    } finally { setBusy(null); }
  };

  const choose = async (f: File | undefined) => {
    if (!f) return;
    setBusy('reading');
    try {
      const base64 = await readAsBase64(f);
      const next = { name: f.name, base64, size: f.size };
      setFile(next);
      setLiveOpen(false); // each file starts as history
      await runPreview(next);
    } catch (err) {
      setIssues([{ path: '', message: errorMessage(err) }]); setBusy(null);
    }
  };

  const commit = async () => {
    if (!file || !mapping) return;
    const id = newClientId();
    setJobId(id); setBusy('commit'); setIssues([]);
    try {
      const r = await api.import.commit.mutate({ fileName: file.name, contentBase64: file.base64, jobId: id, shape: mapping.shape, mapping, liveOpen });
      setResult(r);
      toast(t('imp.done', r) + (r.live ? ` · ${t('impHist.liveDone', { count: r.live })}` : ''));
      bump();
      await runPreview(file, mapping, true);
    } catch (err) {
      setIssues(issuesOf(err));
    } finally { setBusy(null); }
  };

  const template = async (format: 'csv' | 'xlsx', locale: 'zh-CN' | 'en') => {
    try {
      const r = await api.import.template.query({ format, locale });
      download(r.fileName, r.contentBase64, r.mimeType);
    } catch (err) { toast(errorMessage(err), 'error'); }
  };

  const setColumn = (field: string, column: string) => setMapping((m) => {
    if (!m) return m;
    const columns = { ...m.columns };
    if (column) columns[field] = column; else delete columns[field];
    return { ...m, columns };
  });
  const setStatus = (value: string, to: string) => setMapping((m) => (m ? { ...m, values: { ...m.values, status: { ...(m.values.status ?? {}), [value]: to } } } : m));
  const mappingChanged = !!preview && !!mapping && JSON.stringify(mapping) !== JSON.stringify(preview.mapping);

  const pct = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : null;

  return (
    <section className="page import" data-testid="import-view" aria-label={t('imp.title')}>
      <div className="page-head">
        <h2>{t('imp.title')}</h2>
        <span className="spacer" />
        <span className="muted small">{t('imp.template')}</span>
        <button type="button" className="btn btn-sm" data-testid="template-xlsx-zh" onClick={() => void template('xlsx', 'zh-CN')}>XLSX 中文</button>
        <button type="button" className="btn btn-sm" onClick={() => void template('csv', 'zh-CN')}>CSV 中文</button>
        <button type="button" className="btn btn-sm" onClick={() => void template('xlsx', 'en')}>XLSX English</button>
        <button type="button" className="btn btn-sm" onClick={() => void template('csv', 'en')}>CSV English</button>
      </div>

      <div className="card import-pick">
        <label className="field">
          <span>{t('imp.file')}</span>
          <input ref={fileRef} type="file" className="sr-only" tabIndex={-1} data-testid="import-file" accept=".csv,.xlsx,.xes,.gz,.txt"
            onChange={(e) => { void choose(e.target.files?.[0]); e.target.value = ''; }} />
        </label>
        <div className="file-pick">
          <button type="button" className="btn" ref={pickRef} data-testid="import-choose" disabled={!!busy} onClick={() => fileRef.current?.click()}>{t('imp.choose')}</button>
          <span className={file ? 'mono' : 'muted'}>{file ? `${file.name} · ${(file.size / 1024).toFixed(1)} KB` : t('imp.noFile')}</span>
        </div>
        <p className="muted small">{t('imp.fileHint')}</p>
        {busy && (
          <div className="import-progress" data-testid="import-progress" role="progressbar" aria-valuenow={progress?.done ?? 0} aria-valuemax={progress?.total ?? 0}>
            <span>{t(`imp.busy.${busy}`)}{progress ? ` · ${t(`imp.phase.${progress.phase}`, { defaultValue: progress.phase })}` : ''}</span>
            <span className="bar wide"><span style={{ width: `${pct ?? 5}%` }} /></span>
            {progress && <span className="mono">{progress.done.toLocaleString(i18n.language)}/{progress.total.toLocaleString(i18n.language)}</span>}
          </div>
        )}
      </div>

      {issues.length > 0 && (
        <div className="form-error flush" role="alert" data-testid="import-refused">
          <strong>{t('imp.refused')}</strong>
          <ul>{issues.slice(0, 50).map((i, n) => <li key={n}>{issueText(i, t)}</li>)}</ul>
        </div>
      )}
      {result && (
        <div className="note ok" data-testid="import-result" data-created={result.created} data-skipped={result.skipped}>
          {t('imp.done', result)}{result.live ? ` · ${t('impHist.liveDone', { count: result.live })}` : ''}
        </div>
      )}

      {preview && mapping && (
        <div className="import-preview" data-testid="import-preview" data-ok={preview.ok ? 'true' : 'false'}>
          <div className="card">
            <h3>{t('imp.facts')}</h3>
            <dl className="facts">
              <div><dt>{t('imp.fileName')}</dt><dd className="ellipsis">{preview.fileName}</dd></div>
              <div><dt>{t('imp.format')}</dt><dd>{preview.format.toUpperCase()}{preview.gzip ? ' · gzip' : ''}{preview.sheet ? ` · ${preview.sheet}` : ''}</dd></div>
              <div><dt>{t('imp.encoding')}</dt><dd>{preview.encoding ?? '—'}{preview.delimiter ? ` · ${t('imp.delimiter')} ${JSON.stringify(preview.delimiter)}` : ''}</dd></div>
              <div><dt>{t('imp.shape')}</dt><dd>
                <select value={mapping.shape} data-testid="import-shape" onChange={(e) => setMapping({ ...mapping, shape: e.target.value as Mapping['shape'] })}>
                  <option value="list">{t('imp.shapeList')}</option>
                  <option value="eventlog">{t('imp.shapeLog')}</option>
                </select></dd></div>
            </dl>
            <div className="counts">
              <Count label={t('imp.rows')} n={preview.rows} testid="count-rows" />
              <Count label={t('imp.incidents')} n={preview.incidents} testid="count-incidents" />
              <Count label={t('imp.toCreate')} n={preview.toCreate} testid="count-create" tone="ok" />
              <Count label={t('imp.duplicates')} n={preview.duplicates} testid="count-duplicates" />
              <Count label={t('imp.errors')} n={preview.errorCount} testid="count-errors" tone={preview.errorCount ? 'bad' : undefined} />
            </div>
            <p className="muted small">
              {preview.naiveTimes ? t('imp.tzNaive', { count: preview.naiveTimes, zone: preview.timeZone }) : t('imp.tzAll', { zone: preview.timeZone })}
            </p>
          </div>

          {preview.errors.length > 0 && (
            <div className="card">
              <h3 className="bad">{t('imp.errorsTitle', { count: preview.errorCount })}</h3>
              <table className="table" data-testid="import-errors">
                <thead><tr><th>{t('imp.line')}</th><th>{t('imp.column')}</th><th>{t('imp.problem')}</th></tr></thead>
                <tbody>
                  {preview.errors.map((e, n) => (
                    <tr key={n} data-testid="import-error" data-line={e.line} data-column={e.column}>
                      <td className="mono">{e.line}</td><td>{fieldColumn(e, preview.fields, loc)}</td><td>{issueMessage(e, t)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <div className="card">
            <div className="card-head">
              <h3>{t('imp.mapping')} <span className="muted small">({t(`imp.from.${preview.mappingFrom}`, { defaultValue: preview.mappingFrom })})</span></h3>
              <button type="button" className="btn btn-sm" data-testid="import-apply-mapping" disabled={!mappingChanged || !!busy} onClick={() => file && void runPreview(file, mapping)}>{t('imp.applyMapping')}</button>
            </div>
            <div className="row3">
              <label className="field"><span>{t('imp.source')}</span>
                <input value={mapping.source} onChange={(e) => setMapping({ ...mapping, source: e.target.value })} /></label>
              <label className="field"><span>{t('imp.timeZone')}</span>
                <input value={mapping.timeZone} onChange={(e) => setMapping({ ...mapping, timeZone: e.target.value })} /></label>
              <label className="field"><span>{t('imp.dateOrder')}</span>
                <select value={mapping.dateOrder} onChange={(e) => setMapping({ ...mapping, dateOrder: e.target.value as Mapping['dateOrder'] })}>
                  <option value="ymd">YYYY-MM-DD</option><option value="dmy">DD/MM/YYYY</option><option value="mdy">MM/DD/YYYY</option>
                </select></label>
            </div>
            <table className="table mapping" data-testid="import-mapping">
              <thead><tr><th>{t('imp.ourField')}</th><th>{t('imp.fileColumn')}</th></tr></thead>
              <tbody>
                {preview.fields.map((f) => (
                  <tr key={f.field}>
                    <td>{loc === 'en' ? f.en : f.zh}{f.required && ' *'}{f.note && loc === 'en' && <div className="muted small">{f.note}</div>}</td>
                    <td>
                      <select value={mapping.columns[f.field] ?? ''} data-testid={`map-${f.field}`} aria-label={loc === 'en' ? f.en : f.zh} onChange={(e) => setColumn(f.field, e.target.value)}>
                        <option value="">{t('imp.notMapped')}</option>
                        {preview.columns.map((c) => <option key={c} value={c}>{c}</option>)}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {preview.statusValues.length > 0 && (
              <>
                <h3>{t('imp.statusMapping')}</h3>
                <table className="table mapping" data-testid="import-status-mapping">
                  <thead><tr><th>{t('imp.fileValue')}</th><th>{t('imp.count')}</th><th>{t('field.status')}</th></tr></thead>
                  <tbody>
                    {preview.statusValues.slice(0, 60).map((s) => (
                      <tr key={s.value}>
                        <td>{s.value}</td><td className="mono">{s.count}</td>
                        <td><select value={mapping.values.status?.[s.value] ?? s.mappedTo ?? ''} onChange={(e) => setStatus(s.value, e.target.value)}>
                          <option value="">{t('imp.notMapped')}</option>
                          {STATUSES.map((x: Status) => <option key={x} value={x}>{t(`enum.status.${x}`)}</option>)}
                        </select></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>

          <div className="card">
            <h3>{t('imp.sample', { count: preview.sample.length })}</h3>
            <div className="grid-scroll">
              <table className="table" data-testid="import-sample">
                <thead><tr><th>{t('imp.sourceNumber')}</th><th>{t('field.title')}</th><th>{t('field.status')}</th><th>{t('field.priority')}</th><th>{t('field.reportedAt')}</th><th>{t('imp.history')}</th><th /></tr></thead>
                <tbody>
                  {preview.sample.map((s) => (
                    <tr key={s.importKey} className={s.duplicate ? 'dup' : undefined}>
                      <td className="mono">{s.incident.externalRef ?? s.importKey}</td>
                      <td className="ellipsis">{s.incident.title}</td>
                      <td><span className={`status status-${s.incident.status}`}>{t(`enum.status.${s.incident.status}`)}</span></td>
                      <td><span className={`prio prio-${s.incident.priority}`}>{s.incident.priority}</span></td>
                      <td>{formatDateTime(s.incident.reportedAt, loc)}</td>
                      <td className="mono">{s.historyCount}</td>
                      <td>{s.duplicate && <span className="badge">{t('imp.duplicate')}</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>

          <div className="page-foot sticky">
            <span className={preview.ok ? 'muted' : 'field-error'}>{preview.ok ? t('imp.ready', { count: preview.toCreate, dups: preview.duplicates }) : t('imp.notReady', { count: preview.errorCount })}</span>
            <span className="spacer" />
            {preview.open > 0 && (
              <label className="check import-live" title={t('impHist.liveOpenHint')}>
                <input type="checkbox" data-testid="import-live-open" checked={liveOpen} disabled={!!busy} onChange={(e) => setLiveOpen(e.target.checked)} />
                <span>{t('impHist.liveOpen', { count: preview.open })}<span className="muted small" style={{ display: 'block', maxWidth: '46em' }}>{t('impHist.liveOpenHint')}</span></span>
              </label>
            )}
            <button type="button" className="btn btn-primary" data-testid="import-commit" disabled={!!busy || !preview.ok || mappingChanged || preview.toCreate === 0} onClick={() => void commit()}>
              {t('imp.commit', { count: preview.toCreate })}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function Count({ label, n, testid, tone }: { label: string; n: number; testid: string; tone?: 'ok' | 'bad' }) {
  return (
    <div className={`count${tone ? ` count-${tone}` : ''}`} data-testid={testid} data-count={n}>
      <strong>{n.toLocaleString()}</strong><span className="muted">{label}</span>
    </div>
  );
}
