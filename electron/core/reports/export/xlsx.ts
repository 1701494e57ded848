import type fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { DeskStore } from '../../store/desk-store.js';
import type { Bucket, Report, ReportQueryParsed, Stat } from '../../../../shared/reports.js';
import { AGE_BANDS } from '../../../../shared/reports.js';
import { columnLabel, INCIDENT_EXPORT_COLUMNS, labelsFor, valueLabel, type ExportLang } from './labels.js';
import { LocalTime, openIncidents, plainCtx, rowToCells, type Cell, type ExportCtx } from './source.js';

/** Excel's limit, header included. */
export const EXCEL_MAX_ROWS = 1_048_576;
const DATE_FMT = 'yyyy-mm-dd hh:mm:ss';
const PCT_FMT = '0.0%';

type Value = string | number | Date | null;
interface Col { header: string; width: number; fmt?: string }

/**
 * XLSX of a report (issue 11, item 3), written as a stream (exceljs WorkbookWriter, rows committed
 * as they are made, no shared-strings table held in memory): a summary sheet, one sheet per
 * breakdown, then every incident of the range with every field, continuing on a new sheet past
 * Excel's row limit. Times are Excel dates showing the wall clock of the query's time zone; counts,
 * minutes and rates are numbers; every sheet has a frozen, bold header and column widths.
 */
export async function writeXlsx(
  store: DeskStore, report: Report, lang: ExportLang, out: fs.WriteStream, ctx: ExportCtx = plainCtx,
  opts: { maxRowsPerSheet?: number; categories?: Map<string, { zh: string; en: string }> } = {},
): Promise<number> {
  const L = labelsFor(lang);
  const H = L.head;
  const query: ReportQueryParsed = report.query;
  const time = new LocalTime(query.timeZone);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Relay Desk';
  wb.created = new Date(report.generatedAt);

  const sheet = (name: string, cols: Col[]) => {
    const ws = wb.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = cols.map((c, i) => ({ key: String(i), width: c.width, style: c.fmt ? { numFmt: c.fmt } : {} }));
    const head = ws.addRow(cols.map((c) => c.header));
    head.font = { bold: true };
    head.commit();
    return ws;
  };
  const table = (name: string, cols: Col[], rows: Value[][]) => {
    const ws = sheet(name, cols);
    for (const r of rows) ws.addRow(r).commit();
    ws.commit();
  };
  const t = (iso: string | null | undefined) => (iso ? time.wallDate(Date.parse(iso)) : null);
  const catName = (id: string) => { const c = opts.categories?.get(id); return c ? (lang === 'zh-CN' ? c.zh : c.en) : id; };
  const buckets = (name: string, list: Bucket[], field?: string) => table(name,
    [{ header: H.key, width: 22 }, { header: H.label, width: 26 }, { header: H.count, width: 10 }],
    list.map((b) => [b.key, b.label ?? (field === 'category' ? catName(b.key) : field ? valueLabel(lang, field, b.key) : b.key), b.count]));

  // Summary
  const ws = sheet(L.sheets.summary, [{ header: H.figure, width: 36 }, { header: H.value, width: 30 }]);
  const add = (k: string, v: Value, fmt?: string) => { const row = ws.addRow([k, v]); if (fmt) row.getCell(2).numFmt = fmt; row.commit(); };
  add(L.pdf.range, `${query.from} – ${query.to}`);
  add(L.pdf.timeZone, query.timeZone);
  add(L.pdf.at, time.wallDate(Date.parse(report.generatedAt)), DATE_FMT);
  add(L.pdf.filters, filterText(report, lang));
  add(L.timesNote.replace('{tz}', query.timeZone), null);
  for (const [k, v, fmt] of kpis(report, lang)) add(k, v, fmt);
  ws.commit();

  const v = report.volume;
  buckets(L.sheets.byChannel, v.byChannel, 'channel');
  buckets(L.sheets.byCategory, v.byCategory, 'category');
  buckets(L.sheets.bySubcategory, v.bySubcategory, 'category');
  buckets(L.sheets.byServiceType, v.byServiceType, 'serviceType');
  buckets(L.sheets.byPriority, v.byPriority);
  buckets(L.sheets.byImpactScope, v.byImpactScope, 'impactScope');
  buckets(L.sheets.byDepartment, v.byDepartment);
  table(L.sheets.trend, [{ header: H.period, width: 14 }, { header: H.created, width: 10 }, { header: H.resolved, width: 10 }, { header: H.openAtEnd, width: 12 }],
    v.trend.map((p) => [p.period, p.created, p.resolved, p.openAtEnd]));
  const s = report.sla;
  const prios = [...new Set([...Object.keys(s.response.byPriority), ...Object.keys(s.resolution.byPriority), ...Object.keys(s.timeToResolve)])].sort();
  const stat = (x: Stat | undefined, k: 'meanMin' | 'medianMin' | 'p90Min') => (x ? (x[k] ?? null) : null);
  table(L.sheets.slaByPriority, [
    { header: H.priority, width: 10 }, { header: H.responseMet, width: 12 }, { header: H.responseBreached, width: 12 }, { header: H.responseRate, width: 12, fmt: PCT_FMT },
    { header: H.resolutionMet, width: 12 }, { header: H.resolutionBreached, width: 12 }, { header: H.resolutionRate, width: 12, fmt: PCT_FMT },
    { header: H.respondMean, width: 14 }, { header: H.respondMedian, width: 14 }, { header: H.resolveMean, width: 14 }, { header: H.resolveMedian, width: 14 },
    { header: H.resolveP90, width: 14 }, { header: H.finalResolveMedian, width: 16 },
  ], prios.map((p) => {
    const r = s.response.byPriority[p]; const z = s.resolution.byPriority[p];
    return [p, r?.met ?? 0, r?.breached ?? 0, r?.rate ?? null, z?.met ?? 0, z?.breached ?? 0, z?.rate ?? null,
      stat(s.timeToRespond[p], 'meanMin'), stat(s.timeToRespond[p], 'medianMin'), stat(s.timeToResolve[p], 'meanMin'),
      stat(s.timeToResolve[p], 'medianMin'), stat(s.timeToResolve[p], 'p90Min'), stat(s.timeToFinalResolve[p], 'medianMin')];
  }));
  table(L.sheets.breached, [{ header: H.number, width: 16 }, { header: H.title, width: 40 }, { header: H.priority, width: 8 }, { header: H.clock, width: 10 }, { header: H.overdueMin, width: 12 }],
    s.breached.map((b) => [b.number, b.title, b.priority, b.clock === 'response' ? H.response : H.resolution, b.overdueMin]));
  table(L.sheets.backlog, [{ header: H.ageBand, width: 14 }, { header: H.count, width: 10 }],
    AGE_BANDS.map((b) => [valueLabel(lang, 'ageBand', b), report.backlog.byAgeBand[b] ?? 0]));
  table(L.sheets.oldest, [{ header: H.number, width: 16 }, { header: H.title, width: 40 }, { header: H.reportedAt, width: 20, fmt: DATE_FMT }, { header: H.ageMin, width: 12 }],
    report.backlog.oldest.map((o) => [o.number, o.title, t(o.reportedAt), o.ageMin]));
  const sat = report.satisfaction;
  table(L.sheets.satisfaction, [{ header: H.rating, width: 10 }, { header: H.count, width: 10 }],
    (['1', '2', '3', '4', '5'] as const).map((k) => [Number(k), sat.distribution[k] ?? 0]));
  table(L.sheets.comments, [{ header: H.number, width: 16 }, { header: H.rating, width: 8 }, { header: H.comment, width: 60 }],
    sat.comments.map((c) => [c.number, c.rating, c.comment]));
  table(L.sheets.backfill, [{ header: H.label, width: 16 }, { header: H.count, width: 10 }, { header: H.medianDelayMin, width: 18 }, { header: H.p90DelayMin, width: 18 }],
    report.backfill.byTechnician.map((b) => [b.label, b.count, b.medianDelayMin, b.p90DelayMin]));
  const people = (name: string, rows: Report['people']['byAgent']) => table(name, [
    { header: H.label, width: 16 }, { header: H.handled, width: 10 }, { header: H.resolved, width: 10 }, { header: H.fcr, width: 12 },
    { header: H.fcrRate, width: 12, fmt: PCT_FMT }, { header: H.meanResolveMin, width: 16 }, { header: H.satisfactionAvg, width: 14 }, { header: H.rated, width: 10 },
  ], rows.map((p) => [p.label, p.handled, p.resolved, p.fcr, p.fcrRate, p.meanResolveMin, p.satisfactionAvg, p.rated]));
  people(L.sheets.byAgent, report.people.byAgent);
  people(L.sheets.byGroup, report.people.byGroup);
  table(L.sheets.returnedByGroup, [{ header: H.key, width: 16 }, { header: H.returned, width: 10 }, { header: H.dispatched, width: 10 }, { header: H.rate, width: 10, fmt: PCT_FMT }],
    report.quality.returned.byGroup.map((g) => [g.key, g.returned, g.dispatched, g.rate]));
  buckets(L.sheets.recurringCategories, report.recurring.categories, 'category');
  buckets(L.sheets.recurringSystems, report.recurring.systems);
  buckets(L.sheets.recurringRequesters, report.recurring.requesters);
  await ctx.pause();

  // Every incident, every field; a new sheet each time Excel's limit is reached.
  const perSheet = Math.min(opts.maxRowsPerSheet ?? EXCEL_MAX_ROWS, EXCEL_MAX_ROWS) - 1;
  const cols: Col[] = INCIDENT_EXPORT_COLUMNS.map((c) => ({ header: columnLabel(lang, c.key), width: c.width, fmt: c.kind === 'time' ? DATE_FMT : undefined }));
  const src = openIncidents(store, query);
  const cells = rowToCells(lang, src.names);
  const plain = {};
  const dated = { numFmt: DATE_FMT };
  const colStyles = INCIDENT_EXPORT_COLUMNS.map((c) => (c.kind === 'time' ? dated : plain));
  const fast = rowWriter(wb, time);
  let done = 0;
  try {
    let n = 0; let inSheet = perSheet; let cur: ExcelJS.Worksheet | null = null;
    ctx.progress('rows', 0, src.total);
    for await (const rows of src.chunks()) {
      for (const r of rows) {
        if (inSheet >= perSheet) {
          cur?.commit();
          n += 1;
          cur = sheet(n === 1 ? L.sheets.incidents : `${L.sheets.incidents} (${n})`, cols);
          inSheet = 0;
        }
        if (fast) fast(cur!, cells(r));
        else {
          // an empty field is no cell at all (undefined), not a null cell that exceljs would still style and skip
          const row = cur!.addRow(cells(r).map((c) => (c === null ? undefined : typeof c === 'object' ? time.wallDate(c.t) : c)));
          // one style object per column, shared by every cell: exceljs caches a style's id by object
          // identity, where a fresh object per cell (its default) costs a style lookup each time
          row.eachCell((cell, j) => { cell.style = colStyles[j - 1]; });
          row.commit();
        }
        inSheet += 1;
      }
      done += rows.length;
      ctx.progress('rows', done, src.total);
      await ctx.pause();
      // exceljs writes into the zip without waiting for it (StreamBuf → archiver → deflate → file):
      // wait here while more than a few MB are queued, so memory stays flat whatever the row count
      while (queued(cur, out) > 8 << 20) await new Promise((r) => setTimeout(r, 2));
    }
    if (!cur) cur = sheet(L.sheets.incidents, cols);
    cur.commit();
  } finally {
    src.close();
  }
  ctx.progress('finishing', done, src.total);
  await wb.commit();
  return done;
}

/** The summary figures, worded; rates carry a percent format. */
export function kpis(report: Report, lang: ExportLang): Array<[string, number | null, string | undefined]> {
  const K = labelsFor(lang).kpi;
  const q = report.quality;
  const meanAll = (m: Record<string, Stat>) => {
    let n = 0; let sum = 0;
    for (const s of Object.values(m)) if (s.meanMin != null) { n += s.count; sum += s.meanMin * s.count; }
    return n ? Math.round((sum / n) * 10) / 10 : null;
  };
  return [
    [K.created, report.totals.created, undefined], [K.resolved, report.totals.resolved, undefined], [K.closed, report.totals.closed, undefined],
    [K.openAtEnd, report.totals.openAtEnd, undefined],
    [K.responseRate, report.sla.response.all.rate, PCT_FMT], [K.resolutionRate, report.sla.resolution.all.rate, PCT_FMT],
    [K.meanRespond, meanAll(report.sla.timeToRespond), undefined], [K.meanResolve, meanAll(report.sla.timeToResolve), undefined],
    [K.fcrRate, q.fcr.rate, PCT_FMT], [K.reopenRate, q.reopen.rate, PCT_FMT], [K.reopensPerIncident, q.reopen.reopensPerIncident, undefined],
    [K.returnedRate, q.returned.rate, PCT_FMT], [K.reassignmentsPerIncident, q.reassignmentsPerIncident, undefined],
    [K.autoP3toP2, q.escalations.autoP3toP2, undefined], [K.toL3, q.escalations.toL3, undefined], [K.toVendor, q.escalations.toVendor, undefined],
    [K.toManagement, q.escalations.toManagement, undefined],
    [K.major, q.major, undefined], [K.satisfactionShare, report.satisfaction.share, PCT_FMT], [K.satisfactionAvg, report.satisfaction.average, undefined],
    [K.backfillCount, report.backfill.count, undefined], [K.backfillDelayMedian, report.backfill.delay.medianMin, undefined],
    [K.backfillDelayP90, report.backfill.delay.p90Min ?? null, undefined], [K.imported, report.backfill.imported, undefined],
  ];
}

/** The query's filters in words, one clause per filter; `none` when there are none beyond the default origins. */
export function filterText(report: Report, lang: ExportLang): string {
  return filterLines(report, lang).join('; ') || labelsFor(lang).pdf.none;
}
export function filterLines(report: Report, lang: ExportLang): string[] {
  const P = labelsFor(lang).pdf;
  const f = report.query.filters;
  const out: string[] = [];
  const origin = { desk: P.originDesk, backfill: P.originBackfill, import: P.originImport } as const;
  out.push(`${P.origins}: ${f.origins.map((o) => origin[o]).join(', ')}`);
  const list = (k: keyof typeof P, v?: string[], field?: string) => { if (v?.length) out.push(`${P[k]}: ${v.map((x) => (field ? valueLabel(lang, field, x) : x)).join(', ')}`); };
  list('groups', f.groups); list('agents', f.agents); list('categories', f.categories); list('priorities', f.priorities);
  list('channels', f.channels, 'channel'); list('departments', f.departments);
  return out;
}

/** Excel column letters: 1 → A, 27 → AA. */
const colLetter = (n: number): string => (n > 26 ? colLetter(Math.floor((n - 1) / 26)) : '') + String.fromCharCode(65 + ((n - 1) % 26));
// XML 1.0 forbids these characters even escaped; a stray control character in a description must not break the file
const XML_BAD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ESC = /[&<>"]/g;
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const xmlText = (s: string) => s.replace(XML_BAD, '').replace(XML_ESC, (c) => ESC[c]);

interface SheetInternals { _write?: (xml: string) => void; _rowZero?: number; _rows?: unknown[]; startedData?: boolean }
/**
 * The incident rows' XML written straight into exceljs' sheet stream, in the markup exceljs itself
 * writes (`t="str"` text, numbers, dates as serials with the date style): the same file, about
 * three times faster, since exceljs builds a Row, a Cell and a model object per cell. Uses two
 * internals of exceljs 4's streaming WorksheetWriter (`_write`, `_rowZero`); where they are not
 * there, returns null and the rows go through `addRow`.
 */
function rowWriter(wb: ExcelJS.stream.xlsx.WorkbookWriter, time: LocalTime): ((ws: ExcelJS.Worksheet, cells: Cell[]) => void) | null {
  const styles = (wb as unknown as { styles?: { addStyleModel?: (m: object, t: number) => number } }).styles;
  if (typeof styles?.addStyleModel !== 'function') return null;
  const dateStyle = styles.addStyleModel({ numFmt: DATE_FMT }, ExcelJS.ValueType.Date);
  const letters = INCIDENT_EXPORT_COLUMNS.map((_, i) => colLetter(i + 1));
  return (ws, cells) => {
    const w = ws as unknown as SheetInternals;
    if (typeof w._write !== 'function' || typeof w._rowZero !== 'number' || !w.startedData || w._rows?.length) throw new Error('exceljs internals changed: the fast row writer cannot be used');
    const r = w._rowZero;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (c === null) continue;
      const ref = `${letters[i]}${r}`;
      if (typeof c === 'number') xml += Number.isFinite(c) ? `<c r="${ref}"><v>${c}</v></c>` : '';
      else if (typeof c === 'object') xml += `<c r="${ref}" s="${dateStyle}"><v>${time.wallDate(c.t).getTime() / 86_400_000 + 25_569}</v></c>`;
      else xml += `<c r="${ref}" t="str"><v>${xmlText(c)}</v></c>`;
    }
    w._write(`${xml}</row>`);
    w._rowZero = r + 1;
  };
}

/** Bytes waiting between the sheet and the file: in the zip entry's input (a readable-stream 2 PassThrough, hence its state objects) and in the file stream. */
function queued(ws: ExcelJS.Worksheet | null, out: fs.WriteStream): number {
  type Pipe = { writableLength?: number; _writableState?: { length?: number } };
  const pipes = (ws as unknown as { stream?: { pipes?: Pipe[] } } | null)?.stream?.pipes ?? [];
  return out.writableLength + pipes.reduce((a, p) => a + (p._writableState?.length ?? p.writableLength ?? 0), 0);
}
