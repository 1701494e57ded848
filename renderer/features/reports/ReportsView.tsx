import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { CHANNELS, PRIORITIES, type QueueRow } from '../../../shared/index.js';
import { AGE_BANDS, type Bucket, type ExportFormat, type Report, type ReportOrigin, type ReportQuery } from '../../../shared/reports.js';
import { errorMessage, issuesOf } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';
import { categoryPath, formatCalendarDate, formatDateTime, formatDuration, issueText } from '../../lib/format.js';
import { usePersonName } from '../../lib/people.js';
import { IncidentDetail } from '../incident-detail/IncidentDetail.js';
import { EChart, type ChartClick } from './EChart.js';
import { deskTimeZone, grainFor, presetRange, RANGE_PRESETS, type RangePreset } from './range.js';
import { downloadExport, electronSaveExport, reportApi, type ExportProgress } from './reportApi.js';

const ORIGINS: ReportOrigin[] = ['desk', 'backfill', 'import'];
const FORMATS: ExportFormat[] = ['csv', 'xlsx', 'pdf'];
const PALETTE = ['#1d5fbf', '#2f9e6e', '#d9822b', '#c0392b', '#7b61c9', '#1b9aaa', '#8a8f98', '#b8860b'];

interface Filters { group: string; agent: string; category: string; priority: string; channel: string; origins: ReportOrigin[] }
interface Drill { figure: string; key: string | null; title: string; rows: QueueRow[]; total: number; loading: boolean; error: string | null }

const pct = (r: number | null | undefined, loc: string) => (r == null ? '—' : new Intl.NumberFormat(loc === 'en' ? 'en-GB' : 'zh-CN', { style: 'percent', maximumFractionDigits: 1 }).format(r));
const num = (n: number | null | undefined, loc: string, digits = 0) => (n == null ? '—' : new Intl.NumberFormat(loc === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: digits }).format(n));
const mins = (m: number | null | undefined) => (m == null ? '—' : formatDuration(m * 60_000));

/**
 * Team leads' reports (issue 11, Alt+6): a range (last month by default) and filters, KPI tiles, charts
 * and tables computed on the desk (`report.compute`); any bar, slice or figure opens the incidents behind
 * it (`report.drill`), and an incident opens in the usual detail. Agents and technicians see their own
 * work and their group's. Exports (CSV, XLSX, PDF) are written on the desk with a progress bar and a
 * cancel; a finished file is downloaded (browser mode) or saved through a save dialog (Electron).
 */
export function ReportsView() {
  const { t, i18n } = useTranslation();
  const loc = i18n.language === 'en' ? 'en' : 'zh-CN';
  const me = useUi((s) => s.desk?.user ?? null);
  const users = useUi((s) => s.users);
  const categories = useUi((s) => s.categories);
  const selectedId = useUi((s) => s.selectedId);
  const select = useUi((s) => s.select);
  const toast = useUi((s) => s.toast);
  const personName = usePersonName();
  const timeZone = useMemo(() => deskTimeZone(), []);
  const lead = me?.role === 'lead' || me?.role === 'admin';

  const [preset, setPreset] = useState<RangePreset>('lastMonth');
  const initial = presetRange('lastMonth', timeZone)!;
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  // Agents and technicians: their own work, or their group's.
  const [own, setOwn] = useState<'mine' | 'group'>('mine');
  const [filters, setFilters] = useState<Filters>({ group: '', agent: '', category: '', priority: '', channel: '', origins: ['desk', 'backfill'] });
  const [report, setReport] = useState<Report | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [drill, setDrill] = useState<Drill | null>(null);
  const [job, setJob] = useState<{ jobId: string; format: ExportFormat; fileName: string } | null>(null);
  const [progress, setProgress] = useState<ExportProgress | null>(null);

  const choosePreset = (p: RangePreset) => {
    setPreset(p);
    const r = presetRange(p, timeZone);
    if (r) { setFrom(r.from); setTo(r.to); }
  };

  const query: ReportQuery = useMemo(() => {
    const f: NonNullable<ReportQuery['filters']> = { origins: filters.origins.length ? filters.origins : ['desk', 'backfill'] };
    if (lead) {
      if (filters.group) f.groups = [filters.group];
      if (filters.agent) f.agents = [filters.agent];
    } else if (me) {
      if (own === 'mine') f.agents = [me.id]; else f.groups = [me.groupName];
    }
    if (filters.category) f.categories = [filters.category];
    if (filters.priority) f.priorities = [filters.priority as (typeof PRIORITIES)[number]];
    if (filters.channel) f.channels = [filters.channel as (typeof CHANNELS)[number]];
    return { from, to, timeZone, grain: grainFor(from, to), filters: f };
  }, [from, to, timeZone, filters, lead, me, own]);

  const seq = useRef(0);
  useEffect(() => {
    if (!from || !to) return;
    const mine = ++seq.current;
    setLoading(true);
    reportApi.compute(query).then((r) => { if (mine === seq.current) { setReport(r); setError(null); } })
      .catch((err) => { if (mine === seq.current) { setReport(null); setError(issuesOf(err).map((i) => issueText(i, t)).join('; ')); } })
      .finally(() => { if (mine === seq.current) setLoading(false); });
  }, [query, from, to, t]);

  // ---- drill ------------------------------------------------------------------------------------
  const openDrill = useCallback(async (figure: string, key: string | null, title: string, offset = 0) => {
    if (offset === 0) setDrill({ figure, key, title, rows: [], total: 0, loading: true, error: null });
    else setDrill((d) => (d ? { ...d, loading: true } : d));
    try {
      const r = await reportApi.drill({ query, figure, key, offset, limit: 200 });
      setDrill((d) => (d && d.figure === figure && d.key === key ? { ...d, rows: offset ? [...d.rows, ...r.rows] : r.rows, total: r.total, loading: false } : d));
    } catch (err) {
      setDrill((d) => (d ? { ...d, loading: false, error: errorMessage(err) } : d));
    }
  }, [query]);
  useEffect(() => { setDrill(null); }, [query]);

  // ---- export -----------------------------------------------------------------------------------
  useEffect(() => {
    if (!job) return;
    let live = true;
    const tick = async () => {
      let p: ExportProgress | null;
      try { p = await reportApi.exportProgress(job.jobId); } catch { return; }
      if (!live) return;
      setProgress(p);
      const state = p?.state ?? p?.phase;
      if (state === 'failed') {
        live = false; setJob(null); setProgress(null);
        toast(t('rep.export.failed', { error: p?.error ?? p?.message ?? state }), 'error');
      } else if (state === 'cancelled') {
        live = false; setJob(null); setProgress(null);
      } else if (!p || state === 'done') {
        live = false;
        await deliver(job.jobId, job.fileName);
        setJob(null); setProgress(null);
      }
    };
    void tick();
    const id = setInterval(() => { if (live) void tick(); }, 250);
    return () => { live = false; clearInterval(id); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job]);

  const deliver = async (jobId: string, fileName: string) => {
    const save = electronSaveExport();
    if (!save) { downloadExport(jobId, fileName); toast(t('rep.export.downloaded', { file: fileName })); return; }
    try {
      const r = await save(jobId);
      if (r.saved) toast(t('rep.export.saved', { file: r.fileName }));
      else if (r.reason === 'not_found') toast(t('rep.export.gone'), 'error');
    } catch (err) { toast(errorMessage(err), 'error'); }
  };

  const startExport = async (format: ExportFormat) => {
    try {
      const r = await reportApi.exportStart({ query, format, lang: loc });
      setProgress({ phase: 'starting', done: 0, total: 0 });
      setJob({ jobId: r.jobId, format, fileName: r.fileName });
    } catch (err) {
      toast(issuesOf(err).map((i) => issueText(i, t)).join('; '), 'error');
    }
  };
  const cancelExport = async () => {
    if (!job) return;
    const id = job.jobId;
    setJob(null); setProgress(null);
    try { await reportApi.exportCancel(id); toast(t('rep.export.cancelled')); } catch (err) { toast(errorMessage(err), 'error'); }
  };

  // ---- labels -----------------------------------------------------------------------------------
  const catById = useMemo(() => new Map(categories.map((c) => [c.id, c])), [categories]);
  const groups = useMemo(() => [...new Set(users.map((u) => u.groupName).filter(Boolean))].sort(), [users]);
  const bucketLabel = useCallback((figure: string, b: Bucket): string => {
    if (figure === 'volume.byChannel') return t(`enum.channel.${b.key}`, { defaultValue: b.label ?? b.key });
    if (figure === 'volume.byPriority') return t(`enum.priority.${b.key}`, { defaultValue: b.key });
    if (figure === 'volume.byServiceType') return t(`enum.serviceType.${b.key}`, { defaultValue: b.label ?? b.key });
    if (figure === 'volume.byImpactScope') return t(`enum.impactScope.${b.key}`, { defaultValue: b.label ?? b.key });
    if (figure === 'quality.highestTier') return t(`enum.tier.${b.key}`, { defaultValue: b.key });
    if (figure === 'volume.byCategory' || figure === 'volume.bySubcategory' || figure === 'recurring.categories') return categoryPath(b.key, catById, loc) || b.label || b.key;
    if (figure === 'recurring.requesters') return b.label ?? b.key;
    return b.label ?? b.key;
  }, [t, catById, loc]);

  const figureTitle = (figure: string) => t(`rep.fig.${figure.replace(/\./g, '_')}`, { defaultValue: figure });
  const drillBucket = (figure: string) => (c: ChartClick) => {
    if (!c.key) return;
    const b = figureBuckets(report, figure).find((x) => x.key === c.key);
    const label = figure === 'backlog.byAgeBand' ? t(`rep.age.${c.key}`, { defaultValue: c.key }) : b ? bucketLabel(figure, b) : figure.endsWith('byPriority') ? t(`enum.priority.${c.key}`, { defaultValue: c.key }) : c.key;
    // trend: the period's created incidents; SLA bars: that priority's clocks, or only its breached ones
    const drillFigure = figure === 'sla.resolution.byPriority' ? (c.seriesKey === 'breached' ? 'sla.resolution.breached' : 'sla.resolution.met') : figure;
    const series = figure === 'sla.resolution.byPriority' && c.seriesKey ? ` · ${t(`rep.sla.${c.seriesKey}`)}` : '';
    void openDrill(drillFigure, c.key, `${figureTitle(figure)} · ${label}${series}`);
  };

  // ---- render -----------------------------------------------------------------------------------
  const pctDone = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : null;
  return (
    <div className={selectedId ? 'reports-layout with-detail' : 'reports-layout'}>
      <section className="page reports" data-testid="reports-view" aria-label={t('rep.title')} aria-busy={loading}>
        <div className="page-head">
          <h2>{t('rep.title')}</h2>
          <span className="muted small">{report ? t('rep.generated', { at: formatDateTime(report.generatedAt, loc), tz: timeZone }) : ''}</span>
          <span className="spacer" />
          <span className="muted small">{t('rep.export.label')}</span>
          {FORMATS.map((f) => (
            <button key={f} type="button" className="btn btn-sm" data-testid={`export-${f}`} disabled={!!job || !report} onClick={() => void startExport(f)}>{f.toUpperCase()}</button>
          ))}
        </div>
        {job && (
          <div className="report-export card" data-testid="export-progress" role="progressbar" aria-valuemin={0} aria-valuemax={progress?.total || 100} aria-valuenow={progress?.done ?? 0}
            aria-label={t('rep.export.running', { format: job.format.toUpperCase() })}>
            <span>{t('rep.export.running', { format: job.format.toUpperCase() })}{progress ? ` · ${t(`rep.export.phase.${progress.phase}`, { defaultValue: progress.phase })}` : ''}</span>
            <div className="bar"><div className="bar-fill" style={{ width: `${pctDone ?? 5}%` }} /></div>
            {progress && progress.total > 0 && <span className="mono" data-testid="export-count">{progress.done.toLocaleString(loc)}/{progress.total.toLocaleString(loc)}</span>}
            <button type="button" className="btn btn-sm" data-testid="export-cancel" onClick={() => void cancelExport()}>{t('rep.export.cancel')}</button>
          </div>
        )}

        <div className="report-controls card" role="group" aria-label={t('rep.range.label')}>
          <div className="report-presets" role="radiogroup" aria-label={t('rep.range.label')}>
            {RANGE_PRESETS.map((p) => (
              <button key={p} type="button" role="radio" aria-checked={preset === p} className={preset === p ? 'btn btn-sm active' : 'btn btn-sm'} data-testid={`range-${p}`} onClick={() => choosePreset(p)}>
                {t(`rep.range.${p}`)}
              </button>
            ))}
            <label className="inline-field"><span>{t('rep.range.from')}</span>
              <input type="date" data-testid="range-from" value={from} max={to} onChange={(e) => { setPreset('custom'); setFrom(e.target.value); }} /></label>
            <label className="inline-field"><span>{t('rep.range.to')}</span>
              <input type="date" data-testid="range-to" value={to} min={from} onChange={(e) => { setPreset('custom'); setTo(e.target.value); }} /></label>
          </div>
          <div className="report-filters">
            {lead ? (
              <>
                <Select label={t('rep.filter.group')} value={filters.group} testId="filter-group" onChange={(v) => setFilters({ ...filters, group: v })}
                  options={groups.map((g) => [g, g])} all={t('rep.filter.all')} />
                <Select label={t('rep.filter.agent')} value={filters.agent} testId="filter-agent" onChange={(v) => setFilters({ ...filters, agent: v })}
                  options={users.filter((u) => !u.sample).map((u) => [u.id, u.name])} all={t('rep.filter.all')} />
              </>
            ) : (
              <Select label={t('rep.filter.scope')} value={own} testId="filter-own" onChange={(v) => setOwn(v as 'mine' | 'group')}
                options={[['mine', t('rep.filter.mine')], ['group', t('rep.filter.myGroup', { group: me?.groupName ?? '' })]]} />
            )}
            <Select label={t('rep.filter.category')} value={filters.category} testId="filter-category" onChange={(v) => setFilters({ ...filters, category: v })}
              options={categories.map((c) => [c.id, categoryPath(c.id, catById, loc)])} all={t('rep.filter.all')} />
            <Select label={t('rep.filter.priority')} value={filters.priority} testId="filter-priority" onChange={(v) => setFilters({ ...filters, priority: v })}
              options={PRIORITIES.map((p) => [p, t(`enum.priority.${p}`)])} all={t('rep.filter.all')} />
            <Select label={t('rep.filter.channel')} value={filters.channel} testId="filter-channel" onChange={(v) => setFilters({ ...filters, channel: v })}
              options={CHANNELS.map((c) => [c, t(`enum.channel.${c}`)])} all={t('rep.filter.all')} />
            <fieldset className="report-origins">
              <legend>{t('rep.filter.origin')}</legend>
              {ORIGINS.map((o) => (
                <label key={o} className="check">
                  <input type="checkbox" data-testid={`origin-${o}`} checked={filters.origins.includes(o)}
                    onChange={(e) => setFilters({ ...filters, origins: e.target.checked ? [...filters.origins, o] : filters.origins.filter((x) => x !== o) })} />
                  {t(`rep.origin.${o}`)}
                </label>
              ))}
            </fieldset>
          </div>
        </div>

        {error && <div className="form-error" role="alert" data-testid="report-error">{t('rep.error', { error })}</div>}
        {loading && !report && <div className="muted">{t('common.loading')}</div>}
        {report && <ReportBody report={report} loc={loc} t={t} openDrill={openDrill} drillBucket={drillBucket} bucketLabel={bucketLabel} figureTitle={figureTitle} personName={personName} />}

        {drill && (
          <div className="card report-drill" data-testid="drill" aria-live="polite">
            <div className="card-head">
              <h3 data-testid="drill-title">{drill.title}</h3>
              <span className="muted small" data-testid="drill-total">{drill.loading && !drill.rows.length ? t('common.loading') : t('rep.drill.count', { count: drill.total })}</span>
              <button type="button" className="btn btn-sm btn-ghost" aria-label={t('rep.drill.close')} onClick={() => setDrill(null)}>×</button>
            </div>
            {drill.error && <div className="form-error" role="alert">{drill.error}</div>}
            <table className="report-table drill-table">
              <thead><tr><th>{t('field.number')}</th><th>{t('field.title')}</th><th>{t('field.priority')}</th><th>{t('field.status')}</th><th>{t('field.reportedAt')}</th><th>{t('rep.col.assignee')}</th><th>{t('field.groupName')}</th></tr></thead>
              <tbody>
                {drill.rows.map((r) => (
                  <tr key={r.id} className={selectedId === r.id ? 'selected' : undefined} data-testid="drill-row" tabIndex={0}
                    onClick={() => select(r.id)} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(r.id); } }}>
                    <td className="mono">{r.number}</td>
                    <td>{r.title}</td>
                    <td><span className={`prio prio-${r.priority}`}>{t(`enum.priority.${r.priority}`)}</span></td>
                    <td>{t(`enum.status.${r.status}`)}</td>
                    <td>{formatDateTime(r.reportedAt, loc)}</td>
                    <td>{r.assigneeId ? personName(r.assigneeId) : personName(r.ownerId)}</td>
                    <td>{r.groupName}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {drill.rows.length < drill.total && !drill.loading && (
              <button type="button" className="btn btn-sm" data-testid="drill-more" onClick={() => void openDrill(drill.figure, drill.key, drill.title, drill.rows.length)}>{t('rep.drill.more')}</button>
            )}
          </div>
        )}
      </section>
      {selectedId && <DetailSlot id={selectedId} />}
    </div>
  );
}

// The existing incident detail, beside the report.
function DetailSlot({ id }: { id: string }) { return <IncidentDetail id={id} />; }

function Select({ label, value, onChange, options, all, testId }: { label: string; value: string; onChange(v: string): void; options: Array<[string, string]>; all?: string; testId: string }) {
  return (
    <label className="inline-field">
      <span>{label}</span>
      <select value={value} data-testid={testId} onChange={(e) => onChange(e.target.value)}>
        {all !== undefined && <option value="">{all}</option>}
        {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
    </label>
  );
}

function figureBuckets(report: Report | null, figure: string): Bucket[] {
  if (!report) return [];
  const [a, b] = figure.split('.');
  const v = (report as unknown as Record<string, Record<string, unknown>>)[a]?.[b];
  return Array.isArray(v) ? (v as Bucket[]) : [];
}

interface BodyProps {
  report: Report; loc: string; t: TFunction;
  openDrill(figure: string, key: string | null, title: string): void;
  drillBucket(figure: string): (c: ChartClick) => void;
  bucketLabel(figure: string, b: Bucket): string;
  figureTitle(figure: string): string;
  personName(id: string | null | undefined, recorded?: string | null): string;
}

function ReportBody({ report: r, loc, t, openDrill, drillBucket, bucketLabel, figureTitle, personName }: BodyProps) {
  const tile = (figure: string, key: string | null, label: string, value: string, sub?: string) => (
    <button type="button" className="kpi" data-testid={`kpi-${figure.replace(/\./g, '-')}`} onClick={() => openDrill(figure, key, label)}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{value}</span>
      {sub && <span className="kpi-sub">{sub}</span>}
    </button>
  );
  const barOption = (figure: string, buckets: Bucket[], horizontal = false, color = PALETTE[0]) => {
    const labels = buckets.map((b) => bucketLabel(figure, b));
    const data = buckets.map((b) => ({ value: b.count, key: b.key }));
    const cat = { type: 'category', data: labels, axisLabel: { interval: 0, width: horizontal ? 140 : Math.min(80, Math.floor(380 / Math.max(1, labels.length)) - 6), overflow: 'truncate' } }; // a vertical bar's label fits its slot (names stay whole in the chips below and the tooltip)
    const val = { type: 'value', minInterval: 1 };
    return {
      color: [color], tooltip: { trigger: 'item' },
      grid: { left: horizontal ? 150 : 40, right: 16, top: 12, bottom: horizontal ? 24 : 40 },
      xAxis: horizontal ? val : cat, yAxis: horizontal ? { ...cat, inverse: true } : val,
      series: [{ type: 'bar', name: figureTitle(figure), data, barMaxWidth: 36, cursor: 'pointer' }],
    };
  };
  const pieOption = (figure: string, buckets: Bucket[]) => ({
    color: PALETTE, tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' }, legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['38%', '68%'], top: 0, bottom: 24, name: figureTitle(figure), data: buckets.map((b) => ({ value: b.count, key: b.key, name: bucketLabel(figure, b) })), label: { formatter: '{b}\n{c}' } }],
  });
  const trend = r.volume.trend;
  const trendOption = {
    color: [PALETTE[0], PALETTE[1], PALETTE[2]], tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 40, right: 16, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: trend.map((p) => formatCalendarDate(p.period, loc, r.query.grain)) }, yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'bar', name: t('rep.kpi.created'), data: trend.map((p) => ({ value: p.created, key: p.period, seriesKey: 'created' })) },
      { type: 'bar', name: t('rep.kpi.resolved'), data: trend.map((p) => ({ value: p.resolved, key: p.period, seriesKey: 'resolved' })) },
      { type: 'line', name: t('rep.kpi.openAtEnd'), data: trend.map((p) => p.openAtEnd) },
    ],
  };
  const backlogAged: Bucket[] = AGE_BANDS.map((b) => ({ key: b, count: r.backlog.byAgeBand[b] ?? 0, label: t(`rep.age.${b}`) }));
  const slaOption = {
    color: [PALETTE[1], PALETTE[3]], tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 40, right: 16, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: PRIORITIES.map((p) => t(`enum.priority.${p}`)) }, yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'bar', stack: 'res', name: t('rep.sla.met'), data: PRIORITIES.map((p) => ({ value: r.sla.resolution.byPriority[p]?.met ?? 0, key: p, seriesKey: 'met' })) },
      { type: 'bar', stack: 'res', name: t('rep.sla.breached'), data: PRIORITIES.map((p) => ({ value: r.sla.resolution.byPriority[p]?.breached ?? 0, key: p, seriesKey: 'breached' })) },
    ],
  };
  // Each bucket chart also lists its figures as buttons under it: the same drill from the keyboard.
  const chart = (figure: string, option: Record<string, unknown>, testId: string, height = 240, buckets?: Bucket[]) => (
    <div className="card report-chart">
      <h3>{figureTitle(figure)}</h3>
      <EChart option={option} locale={loc} height={height} testId={testId} label={figureTitle(figure)} onClick={drillBucket(figure)} />
      {buckets && buckets.length > 0 && (
        <div className="chart-figures" data-testid={`${testId}-figures`}>
          {buckets.filter((b) => b.count > 0).map((b) => (
            <button key={b.key} type="button" className="chart-figure" onClick={() => drillBucket(figure)({ key: b.key })}>
              {b.label ?? bucketLabel(figure, b)} <strong>{num(b.count, loc)}</strong>
            </button>
          ))}
        </div>
      )}
    </div>
  );

  return (
    <>
      <div className="kpis" data-testid="kpis">
        {tile('totals.created', null, t('rep.kpi.created'), num(r.totals.created, loc))}
        {tile('totals.resolved', null, t('rep.kpi.resolved'), num(r.totals.resolved, loc))}
        {tile('totals.openAtEnd', null, t('rep.kpi.openAtEnd'), num(r.totals.openAtEnd, loc))}
        {tile('sla.response', null, t('rep.kpi.response'), pct(r.sla.response.all.rate, loc), t('rep.kpi.metOf', { met: r.sla.response.all.met, of: r.sla.response.all.met + r.sla.response.all.breached }))}
        {tile('sla.resolution', null, t('rep.kpi.resolution'), pct(r.sla.resolution.all.rate, loc), t('rep.kpi.metOf', { met: r.sla.resolution.all.met, of: r.sla.resolution.all.met + r.sla.resolution.all.breached }))}
        {tile('quality.fcr', null, t('rep.kpi.fcr'), pct(r.quality.fcr.rate, loc), t('rep.kpi.nOf', { n: r.quality.fcr.count, of: r.quality.fcr.of }))}
        {tile('quality.reopen', null, t('rep.kpi.reopen'), pct(r.quality.reopen.rate, loc), t('rep.kpi.nOf', { n: r.quality.reopen.reopened, of: r.quality.reopen.resolved }))}
        {tile('quality.returned', null, t('rep.kpi.returned'), pct(r.quality.returned.rate, loc), t('rep.kpi.nOf', { n: r.quality.returned.returned, of: r.quality.returned.dispatched }))}
        {tile('satisfaction', null, t('rep.kpi.satisfaction'), num(r.satisfaction.average, loc, 2), t('rep.kpi.rated', { share: pct(r.satisfaction.share, loc) }))}
        {tile('backfill', null, t('rep.kpi.backfill'), num(r.backfill.count, loc), t('rep.kpi.backfillDelay', { median: mins(r.backfill.delay.medianMin), p90: mins(r.backfill.delay.p90Min) }))}
        {tile('quality.major', null, t('rep.kpi.major'), num(r.quality.major, loc))}
        {tile('quality.escalations', null, t('rep.kpi.escalations'), num(r.quality.escalations.incidents, loc),
          t('rep.kpi.escalationsOf', { l3: r.quality.escalations.toL3, vendor: r.quality.escalations.toVendor, mgmt: r.quality.escalations.toManagement, auto: r.quality.escalations.autoP3toP2 }))}
        {tile('backfill.imported', null, t('rep.kpi.imported'), num(r.backfill.imported, loc))}
      </div>

      <div className="report-charts">
        {chart('volume.trend', trendOption, 'chart-trend')}
        {chart('volume.byChannel', barOption('volume.byChannel', r.volume.byChannel), 'chart-channel', 240, r.volume.byChannel)}
        {chart('volume.byPriority', pieOption('volume.byPriority', r.volume.byPriority), 'chart-priority', 240, r.volume.byPriority)}
        {chart('volume.byCategory', barOption('volume.byCategory', r.volume.byCategory.slice(0, 12), true, PALETTE[4]), 'chart-category', 280, r.volume.byCategory.slice(0, 12))}
        {chart('sla.resolution.byPriority', slaOption, 'chart-sla')}
        {chart('backlog.byAgeBand', barOption('backlog.byAgeBand', backlogAged, false, PALETTE[2]), 'chart-backlog', 240, backlogAged)}
        {chart('volume.byServiceType', pieOption('volume.byServiceType', r.volume.byServiceType), 'chart-service-type', 240, r.volume.byServiceType)}
        {chart('volume.byDepartment', barOption('volume.byDepartment', r.volume.byDepartment.slice(0, 12), true, PALETTE[5]), 'chart-department', 280, r.volume.byDepartment.slice(0, 12))}
      </div>

      <div className="report-tables">
        <div className="card">
          <h3>{t('rep.table.times')}</h3>
          <table className="report-table">
            <thead><tr><th>{t('field.priority')}</th><th>{t('rep.col.respondMean')}</th><th>{t('rep.col.respondMedian')}</th><th>{t('rep.col.resolveMean')}</th><th>{t('rep.col.resolveMedian')}</th><th>{t('rep.col.finalMedian')}</th></tr></thead>
            <tbody>
              {PRIORITIES.map((p) => (
                <tr key={p}>
                  <td>{t(`enum.priority.${p}`)}</td>
                  <td>{mins(r.sla.timeToRespond[p]?.meanMin)}</td><td>{mins(r.sla.timeToRespond[p]?.medianMin)}</td>
                  <td>{mins(r.sla.timeToResolve[p]?.meanMin)}</td><td>{mins(r.sla.timeToResolve[p]?.medianMin)}</td>
                  <td>{mins(r.sla.timeToFinalResolve[p]?.medianMin)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <PeopleTable title={t('rep.table.agents')} rows={r.people.byAgent} figure="people.byAgent" loc={loc} t={t} name={(row) => personName(row.key, row.label)} openDrill={openDrill} />
        <PeopleTable title={t('rep.table.groups')} rows={r.people.byGroup} figure="people.byGroup" loc={loc} t={t} name={(row) => row.label || row.key} openDrill={openDrill} />
        <div className="card">
          <h3>{t('rep.table.returned')}</h3>
          <table className="report-table">
            <thead><tr><th>{t('field.groupName')}</th><th>{t('rep.col.dispatched')}</th><th>{t('rep.col.returned')}</th><th>{t('rep.col.rate')}</th></tr></thead>
            <tbody>{r.quality.returned.byGroup.map((g) => (
              <tr key={g.key} className="clickable" tabIndex={0} onClick={() => openDrill('quality.returned.byGroup', g.key, `${t('rep.table.returned')} · ${g.key}`)}
                onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void openDrill('quality.returned.byGroup', g.key, `${t('rep.table.returned')} · ${g.key}`); } }}>
                <td>{g.key}</td><td>{g.dispatched}</td><td>{g.returned}</td><td>{pct(g.rate, loc)}</td></tr>
            ))}</tbody>
          </table>
        </div>
        <div className="card">
          <h3>{t('rep.table.breached')}</h3>
          <table className="report-table">
            <thead><tr><th>{t('field.number')}</th><th>{t('field.title')}</th><th>{t('field.priority')}</th><th>{t('rep.col.clock')}</th><th>{t('rep.col.overdue')}</th></tr></thead>
            <tbody>{r.sla.breached.slice(0, 20).map((b) => (
              <tr key={`${b.id}-${b.clock}`}><td className="mono">{b.number}</td><td>{b.title}</td><td>{t(`enum.priority.${b.priority}`, { defaultValue: b.priority })}</td><td>{t(`sla.${b.clock}`)}</td><td>{mins(b.overdueMin)}</td></tr>
            ))}</tbody>
          </table>
          {r.sla.breached.length > 20 && <button type="button" className="btn btn-sm" onClick={() => openDrill('sla.breached', null, t('rep.table.breached'))}>{t('rep.showAll', { count: r.sla.breached.length })}</button>}
        </div>
        <div className="card">
          <h3>{t('rep.table.oldest')}</h3>
          <table className="report-table">
            <thead><tr><th>{t('field.number')}</th><th>{t('field.title')}</th><th>{t('field.reportedAt')}</th><th>{t('rep.col.age')}</th></tr></thead>
            <tbody>{r.backlog.oldest.slice(0, 10).map((o) => (
              <tr key={o.id}><td className="mono">{o.number}</td><td>{o.title}</td><td>{formatDateTime(o.reportedAt, loc)}</td><td>{mins(o.ageMin)}</td></tr>
            ))}</tbody>
          </table>
        </div>
        <div className="card">
          <h3>{t('rep.table.backfill')}</h3>
          <table className="report-table">
            <thead><tr><th>{t('rep.col.technician')}</th><th>{t('rep.col.count')}</th><th>{t('rep.col.median')}</th><th>{t('rep.col.p90')}</th></tr></thead>
            <tbody>{r.backfill.byTechnician.map((b) => (
              <tr key={b.key} className="clickable" onClick={() => openDrill('backfill.byTechnician', b.key, `${t('rep.table.backfill')} · ${personName(b.key, b.label)}`)}><td>{personName(b.key, b.label)}</td><td>{b.count}</td><td>{mins(b.medianDelayMin)}</td><td>{mins(b.p90DelayMin)}</td></tr>
            ))}</tbody>
          </table>
        </div>
        <div className="card">
          <h3>{t('rep.table.recurring')}</h3>
          <table className="report-table">
            <thead><tr><th>{t('field.categoryId')}</th><th>{t('rep.col.count')}</th></tr></thead>
            <tbody>{r.recurring.categories.slice(0, 10).map((b) => (
              <tr key={b.key} className="clickable" onClick={() => openDrill('recurring.categories', b.key, `${t('rep.table.recurring')} · ${bucketLabel('recurring.categories', b)}`)}><td>{bucketLabel('recurring.categories', b)}</td><td>{b.count}</td></tr>
            ))}</tbody>
          </table>
        </div>
      </div>
    </>
  );
}

function PeopleTable({ title, rows, figure, loc, t, name, openDrill }: {
  title: string; rows: Report['people']['byAgent']; figure: string; loc: string; t: TFunction;
  name(row: Report['people']['byAgent'][number]): string; openDrill(figure: string, key: string | null, title: string): void;
}) {
  return (
    <div className="card">
      <h3>{title}</h3>
      <table className="report-table" data-testid={`table-${figure.replace(/\./g, '-')}`}>
        <thead><tr><th>{t('rep.col.name')}</th><th>{t('rep.col.handled')}</th><th>{t('rep.col.resolved')}</th><th>{t('rep.col.fcr')}</th><th>{t('rep.col.resolveMean')}</th><th>{t('rep.col.satisfaction')}</th></tr></thead>
        <tbody>{rows.map((p) => (
          <tr key={p.key} className="clickable" tabIndex={0} onClick={() => openDrill(figure, p.key, `${title} · ${name(p)}`)}
            onKeyDown={(e) => { if (e.key === 'Enter') openDrill(figure, p.key, `${title} · ${name(p)}`); }}>
            <td>{name(p)}</td><td>{p.handled}</td><td>{p.resolved}</td><td>{pct(p.fcrRate, loc)}</td><td>{mins(p.meanResolveMin)}</td>
            <td>{p.satisfactionAvg == null ? '—' : `${num(p.satisfactionAvg, loc, 2)} (${p.rated})`}</td>
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}
