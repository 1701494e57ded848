import type fs from 'node:fs';
import { createRequire } from 'node:module';
type PDFDocumentCtor = typeof import('pdfkit');
import type { Bucket, Report, Stat } from '../../../../shared/reports.js';
import { AGE_BANDS } from '../../../../shared/reports.js';
import { fontRuns, notoSansSc, subsetFont, type FontSet } from './fonts.js';
import { labelsFor, valueLabel, type ExportLang } from './labels.js';
import { LocalTime, plainCtx, type ExportCtx } from './source.js';
import { filterLines, kpis } from './xlsx.js';

/**
 * The report as an A4 PDF (issue 11, item 3): a cover (range, filters, who, when), KPI tiles, bar
 * charts, tables and page numbers. Every string is drawn in runs, one embedded Noto Sans SC subset
 * font per run (fonts.ts), so Chinese renders on any machine, in charts too: the charts are drawn
 * with PDFKit's own paths and the same text routine, not through SVG, whose text would need one
 * font per element. PDFKit is loaded from node_modules at run time (its data files sit beside it).
 */
const require = createRequire(import.meta.url);

const A4 = { w: 595.28, h: 841.89 };
const M = 40;
const INK = '#1f2937';
const MUTED = '#6b7280';
const LINE = '#d1d5db';
const COLORS = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#475569'];

type Align = 'left' | 'right' | 'center';
interface TextOpts { size?: number; color?: string; width?: number; align?: Align }

class Page {
  y = M;
  private fonts: FontSet;
  constructor(readonly doc: PDFKit.PDFDocument) {
    this.fonts = notoSansSc();
  }
  /** Registers a subset's font the first time a run needs it (unpacked WOFF bytes, see fonts.ts). */
  private use(key: string): PDFKit.PDFDocument {
    const name = `sc-${key}`;
    if (!this.registered.has(key)) { this.doc.registerFont(name, subsetFont(this.fonts, key)); this.registered.add(key); }
    return this.doc.font(name);
  }
  private registered = new Set<string>();
  private runs(text: string, size: number) {
    return fontRuns(this.fonts, text).map((r) => ({ ...r, w: this.use(r.key).fontSize(size).widthOfString(r.text) }));
  }
  width(text: string, size = 10): number { return this.runs(text, size).reduce((a, r) => a + r.w, 0); }
  /** One line of text at (x, y), cut with … to `width`. */
  text(s: string, x: number, y: number, o: TextOpts = {}): number {
    const size = o.size ?? 10;
    let str = s.replace(/[\r\n\t]+/g, ' ');
    let runs = this.runs(str, size);
    let w = runs.reduce((a, r) => a + r.w, 0);
    if (o.width && w > o.width) {
      const chars = [...str];
      let lo = 0; let hi = chars.length;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (this.width(chars.slice(0, mid).join('') + '…', size) <= o.width) lo = mid; else hi = mid - 1; }
      str = chars.slice(0, lo).join('') + '…';
      runs = this.runs(str, size);
      w = runs.reduce((a, r) => a + r.w, 0);
    }
    let cx = o.align === 'right' && o.width ? x + o.width - w : o.align === 'center' && o.width ? x + (o.width - w) / 2 : x;
    this.doc.fillColor(o.color ?? INK);
    for (const r of runs) {
      this.use(r.key).fontSize(size).text(r.text, cx, y, { lineBreak: false });
      cx += r.w;
    }
    return w;
  }
  newPage() { this.doc.addPage(); this.y = M; }
  /** Room for `h` points below the cursor, or a new page. */
  need(h: number) { if (this.y + h > A4.h - M - 20) this.newPage(); }
  heading(s: string) {
    this.need(60);
    this.y += 6;
    this.text(s, M, this.y, { size: 15 });
    this.y += 22;
    this.doc.moveTo(M, this.y).lineTo(A4.w - M, this.y).lineWidth(0.7).strokeColor(LINE).stroke();
    this.y += 10;
  }
  sub(s: string) { this.need(40); this.text(s, M, this.y, { size: 11, color: MUTED }); this.y += 18; }
  line(s: string, size = 10, color = INK) { this.need(size + 6); this.text(s, M, this.y, { size, color, width: A4.w - 2 * M }); this.y += size + 6; }
}

const fmtNum = (v: number | null | undefined, digits = 1) => (v == null ? '–' : Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: digits }));
const fmtPct = (v: number | null | undefined) => (v == null ? '–' : `${(v * 100).toFixed(1)}%`);

function tiles(p: Page, items: Array<[string, string]>) {
  const cols = 4; const gap = 8; const w = (A4.w - 2 * M - gap * (cols - 1)) / cols; const h = 52;
  for (let i = 0; i < items.length; i += cols) {
    p.need(h + gap);
    items.slice(i, i + cols).forEach(([label, value], j) => {
      const x = M + j * (w + gap);
      p.doc.roundedRect(x, p.y, w, h, 4).fillAndStroke('#f3f4f6', LINE);
      p.text(label, x + 8, p.y + 7, { size: 8, color: MUTED, width: w - 16 });
      p.text(value, x + 8, p.y + 22, { size: 16, width: w - 16 });
    });
    p.y += h + gap;
  }
}

/** Horizontal bars: a label, a bar in proportion, the value. */
function bars(p: Page, title: string, items: Array<{ label: string; value: number; text?: string }>, empty: string, max?: number) {
  p.sub(title);
  if (!items.length) { p.line(empty, 9, MUTED); return; }
  const labelW = 130; const valueW = 60; const barW = A4.w - 2 * M - labelW - valueW - 10; const rowH = 16;
  const top = max ?? Math.max(1, ...items.map((i) => i.value));
  items.forEach((it, k) => {
    p.need(rowH);
    p.text(it.label, M, p.y + 2, { size: 9, width: labelW - 6, align: 'right' });
    const w = Math.max(it.value > 0 ? 1 : 0, (it.value / top) * barW);
    if (w > 0) p.doc.rect(M + labelW, p.y + 2, w, rowH - 5).fill(COLORS[k % COLORS.length]);
    p.text(it.text ?? fmtNum(it.value), M + labelW + w + 4, p.y + 2, { size: 9, color: MUTED, width: valueW });
    p.y += rowH;
  });
  p.y += 8;
}

/** Grouped vertical bars over periods (created and resolved). */
function trendChart(p: Page, title: string, points: Report['volume']['trend'], legend: [string, string], empty: string) {
  p.sub(title);
  if (!points.length) { p.line(empty, 9, MUTED); return; }
  const h = 150; p.need(h + 40);
  const x0 = M + 30; const w = A4.w - M - x0; const top = Math.max(1, ...points.map((q) => Math.max(q.created, q.resolved)));
  const slot = w / points.length; const bw = Math.max(1, Math.min(14, slot / 2 - 1));
  const base = p.y + h;
  p.doc.moveTo(x0, base).lineTo(x0 + w, base).lineWidth(0.5).strokeColor(LINE).stroke();
  p.text(fmtNum(top), M, p.y, { size: 7, color: MUTED, width: 26, align: 'right' });
  p.text('0', M, base - 8, { size: 7, color: MUTED, width: 26, align: 'right' });
  const every = Math.ceil(points.length / 12);
  points.forEach((q, i) => {
    const x = x0 + i * slot + slot / 2 - bw;
    const hc = (q.created / top) * h; const hr = (q.resolved / top) * h;
    if (hc > 0) p.doc.rect(x, base - hc, bw, hc).fill(COLORS[0]);
    if (hr > 0) p.doc.rect(x + bw, base - hr, bw, hr).fill(COLORS[1]);
    if (i % every === 0) p.text(q.period, x0 + i * slot, base + 3, { size: 6.5, color: MUTED, width: slot * every, align: 'left' });
  });
  const ly = base + 16;
  p.doc.rect(x0, ly + 2, 8, 8).fill(COLORS[0]); p.text(legend[0], x0 + 12, ly, { size: 8 });
  p.doc.rect(x0 + 90, ly + 2, 8, 8).fill(COLORS[1]); p.text(legend[1], x0 + 102, ly, { size: 8 });
  p.y = ly + 22;
}

/** A table with a header row, repeated on each new page. */
function table(p: Page, head: string[], widths: number[], rows: Array<Array<string | number | null>>, empty: string, numeric?: boolean[]) {
  const total = widths.reduce((a, b) => a + b, 0); const scale = (A4.w - 2 * M) / total; const ws = widths.map((w) => w * scale);
  const rowH = 15;
  const header = () => {
    p.doc.rect(M, p.y, A4.w - 2 * M, rowH).fill('#e5e7eb');
    let x = M; head.forEach((h, i) => { p.text(h, x + 3, p.y + 3, { size: 8, width: ws[i] - 6, align: numeric?.[i] ? 'right' : 'left' }); x += ws[i]; });
    p.y += rowH;
  };
  p.need(rowH * 2); header();
  if (!rows.length) { p.line(empty, 9, MUTED); p.y += 6; return; }
  rows.forEach((r, k) => {
    if (p.y + rowH > A4.h - M - 20) { p.newPage(); header(); }
    if (k % 2) p.doc.rect(M, p.y, A4.w - 2 * M, rowH).fill('#f9fafb');
    let x = M;
    r.forEach((v, i) => {
      const s = v == null ? '–' : typeof v === 'number' ? fmtNum(v) : v;
      p.text(s, x + 3, p.y + 3, { size: 8, width: ws[i] - 6, align: numeric?.[i] ? 'right' : 'left' }); x += ws[i];
    });
    p.y += rowH;
  });
  p.y += 10;
}

export interface PdfMeta {
  user: string;
  /** category id → its names, for buckets that carry only the id */
  categories?: Map<string, { zh: string; en: string }>;
}

export async function writePdf(report: Report, lang: ExportLang, meta: PdfMeta, out: fs.WriteStream, ctx: ExportCtx = plainCtx): Promise<void> {
  const PDFDocument = require('pdfkit') as PDFDocumentCtor;
  const L = labelsFor(lang); const P = L.pdf; const H = L.head; const S = L.sheets;
  const q = report.query; const time = new LocalTime(q.timeZone);
  const fonts = notoSansSc();
  // The default font is our own (no Helvetica: its AFM data would be read from PDFKit's folder).
  const doc = new PDFDocument({
    size: 'A4', margin: M, bufferPages: true, font: subsetFont(fonts, fonts.fallback),
    info: { Title: `${P.title} ${q.from} – ${q.to}`, Author: meta.user, Creator: 'Relay Desk', CreationDate: new Date(report.generatedAt) },
  } as unknown as PDFKit.PDFDocumentOptions);
  const finished = new Promise<void>((resolve, reject) => { out.on('finish', resolve); out.on('error', reject); doc.on('error', reject); });
  doc.pipe(out);
  const p = new Page(doc);
  const steps = 6; let step = 0;
  const next = async () => { ctx.progress('pdf', ++step, steps); await ctx.pause(); };

  // Cover
  p.y = 200;
  p.text(P.title, M, p.y, { size: 30 }); p.y += 50;
  p.text(`${q.from} – ${q.to}`, M, p.y, { size: 18, color: '#2563eb' }); p.y += 40;
  const kv = (k: string, v: string) => { p.text(k, M, p.y, { size: 11, color: MUTED, width: 110 }); p.text(v, M + 120, p.y, { size: 11, width: A4.w - 2 * M - 120 }); p.y += 20; };
  kv(P.range, `${q.from} – ${q.to}`);
  kv(P.timeZone, q.timeZone);
  const fl = filterLines(report, lang);
  fl.forEach((f, i) => kv(i === 0 ? P.filters : '', f));
  kv(P.by, meta.user || '–');
  kv(P.at, time.format(Date.parse(report.generatedAt)));
  await next();

  // KPI tiles and SLA
  p.newPage();
  p.heading(P.kpis);
  tiles(p, kpis(report, lang).map(([k, v, fmt]) => [k, fmt ? fmtPct(v) : fmtNum(v)]));
  const prios = [...new Set([...Object.keys(report.sla.resolution.byPriority), ...Object.keys(report.sla.response.byPriority)])].sort();
  bars(p, P.sla, prios.flatMap((pr) => [
    { label: `${pr} · ${H.response}`, value: report.sla.response.byPriority[pr]?.rate ?? 0, text: fmtPct(report.sla.response.byPriority[pr]?.rate) },
    { label: `${pr} · ${H.resolution}`, value: report.sla.resolution.byPriority[pr]?.rate ?? 0, text: fmtPct(report.sla.resolution.byPriority[pr]?.rate) },
  ]), P.empty, 1);
  await next();

  // Volume
  p.newPage();
  p.heading(P.volume);
  trendChart(p, P.trend, report.volume.trend, [H.created, H.resolved], P.empty);
  const catName = (id: string) => { const c = meta.categories?.get(id); return c ? (lang === 'zh-CN' ? c.zh : c.en) : id; };
  const top = (b: Bucket[], field?: string, n = 12) => b.slice(0, n).map((x) => ({
    label: x.label ?? (field === 'category' ? catName(x.key) : field ? valueLabel(lang, field, x.key) : x.key), value: x.count }));
  bars(p, S.byChannel, top(report.volume.byChannel, 'channel'), P.empty);
  bars(p, S.byPriority, top(report.volume.byPriority), P.empty);
  bars(p, S.byCategory, top(report.volume.byCategory, 'category'), P.empty);
  bars(p, S.byServiceType, top(report.volume.byServiceType, 'serviceType'), P.empty);
  bars(p, S.byImpactScope, top(report.volume.byImpactScope, 'impactScope'), P.empty);
  bars(p, S.byDepartment, top(report.volume.byDepartment), P.empty);
  await next();

  // SLA tables
  p.heading(S.slaByPriority);
  const st = (x: Stat | undefined, k: 'meanMin' | 'medianMin' | 'p90Min') => (x ? (x[k] ?? null) : null);
  table(p, [H.priority, H.responseRate, H.resolutionRate, H.respondMedian, H.resolveMedian, H.resolveP90, H.finalResolveMedian], [8, 12, 12, 16, 16, 14, 18],
    prios.map((pr) => [pr, fmtPct(report.sla.response.byPriority[pr]?.rate), fmtPct(report.sla.resolution.byPriority[pr]?.rate),
      st(report.sla.timeToRespond[pr], 'medianMin'), st(report.sla.timeToResolve[pr], 'medianMin'), st(report.sla.timeToResolve[pr], 'p90Min'),
      st(report.sla.timeToFinalResolve[pr], 'medianMin')]), P.empty, [false, true, true, true, true, true, true]);
  p.sub(S.breached);
  table(p, [H.number, H.title, H.priority, H.clock, H.overdueMin], [16, 44, 8, 10, 12],
    report.sla.breached.slice(0, 40).map((b) => [b.number, b.title, b.priority, b.clock === 'response' ? H.response : H.resolution, b.overdueMin]), P.empty,
    [false, false, false, false, true]);
  await next();

  // Quality, backlog, satisfaction
  p.heading(P.backlogTitle);
  bars(p, S.backlog, AGE_BANDS.map((b) => ({ label: valueLabel(lang, 'ageBand', b), value: report.backlog.byAgeBand[b] ?? 0 })), P.empty);
  p.sub(S.oldest);
  table(p, [H.number, H.title, H.reportedAt, H.ageMin], [16, 44, 22, 12],
    report.backlog.oldest.slice(0, 20).map((o) => [o.number, o.title, time.format(Date.parse(o.reportedAt)), o.ageMin]), P.empty, [false, false, false, true]);
  p.heading(S.satisfaction);
  bars(p, S.satisfaction, (['5', '4', '3', '2', '1'] as const).map((k) => ({ label: `${k} ★`.replace('★', lang === 'zh-CN' ? '分' : ''), value: report.satisfaction.distribution[k] ?? 0 })), P.empty);
  p.sub(S.comments);
  table(p, [H.number, H.rating, H.comment], [16, 8, 76], report.satisfaction.comments.slice(0, 30).map((c) => [c.number, c.rating, c.comment]), P.empty, [false, true, false]);
  await next();

  // People, groups, recurring
  p.heading(P.people);
  const people = (rows: Report['people']['byAgent']) => rows.map((r) => [r.label, r.handled, r.resolved, fmtPct(r.fcrRate), r.meanResolveMin, r.satisfactionAvg]);
  const ph = [H.label, H.handled, H.resolved, H.fcrRate, H.meanResolveMin, H.satisfactionAvg];
  const pn = [false, true, true, true, true, true];
  p.sub(S.byAgent); table(p, ph, [24, 12, 12, 12, 18, 16], people(report.people.byAgent), P.empty, pn);
  p.sub(S.byGroup); table(p, ph, [24, 12, 12, 12, 18, 16], people(report.people.byGroup), P.empty, pn);
  p.sub(S.returnedByGroup);
  table(p, [H.key, H.returned, H.dispatched, H.rate], [40, 20, 20, 20],
    report.quality.returned.byGroup.map((g) => [g.key, g.returned, g.dispatched, fmtPct(g.rate)]), P.empty, [false, true, true, true]);
  p.heading(P.recurring);
  bars(p, S.recurringCategories, top(report.recurring.categories, 'category', 10), P.empty);
  bars(p, S.recurringSystems, top(report.recurring.systems, undefined, 10), P.empty);
  bars(p, S.recurringRequesters, top(report.recurring.requesters, undefined, 10), P.empty);
  p.sub(S.backfill);
  table(p, [H.label, H.count, H.medianDelayMin, H.p90DelayMin], [40, 20, 20, 20],
    report.backfill.byTechnician.map((b) => [b.label, b.count, b.medianDelayMin, b.p90DelayMin]), P.empty, [false, true, true, true]);
  await next();

  // Page numbers
  ctx.progress('finishing', steps, steps);
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    p.text(P.page.replace('{n}', String(i + 1)).replace('{total}', String(range.count)), M, A4.h - M + 5, { size: 8, color: MUTED, width: A4.w - 2 * M, align: 'center' });
  }
  doc.end();
  await finished;
}
