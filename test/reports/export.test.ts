import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Report, ReportQueryParsed } from '../../shared/reports.js';
import { cancelExport, exportFile, exportProgress, startExport, waitForExport, type ExportDeps } from '../../electron/core/reports/export/job.js';
import { csvText } from '../../electron/core/reports/export/csv.js';
import { baseIncident, openTestDesk, tempDir, testClock } from '../helpers/desk.js';

/**
 * Export files read back (issue 11, Proof): the CSV by a CSV parser, the XLSX by exceljs, the PDF by
 * pdftotext and as a rendered page (pdftoppm), where the pixels of the Chinese title must be drawn.
 */
const query = { from: '2026-11-01', to: '2026-11-30', timeZone: 'Asia/Shanghai' };

function fixtureReport(q: ReportQueryParsed): Report {
  const stat = (count: number, m: number | null) => ({ count, meanMin: m, medianMin: m, p90Min: m });
  return {
    query: q,
    range: { fromUtc: '2026-10-31T16:00:00.000Z', toUtc: '2026-11-30T16:00:00.000Z' },
    generatedAt: '2026-12-01T01:30:00.000Z',
    totals: { created: 3, resolved: 1, closed: 0, openAtEnd: 2 },
    volume: {
      byChannel: [{ key: 'phone', count: 2 }, { key: 'email', count: 1 }],
      byCategory: [{ key: 'network', count: 2, label: '网络' }], bySubcategory: [{ key: 'network.vpn', count: 2, label: 'VPN' }],
      byServiceType: [{ key: 'fault', count: 3 }], byPriority: [{ key: 'P3', count: 3 }], byImpactScope: [{ key: 'individual', count: 3 }],
      byDepartment: [{ key: '财务部', count: 3 }],
      trend: [{ period: '2026-11-22', created: 3, resolved: 1, openAtEnd: 2 }],
    },
    sla: {
      response: { byPriority: { P3: { met: 2, breached: 1, rate: 2 / 3 } }, all: { met: 2, breached: 1, rate: 2 / 3 } },
      resolution: { byPriority: { P3: { met: 1, breached: 0, rate: 1 } }, all: { met: 1, breached: 0, rate: 1 } },
      timeToRespond: { P3: stat(3, 12.5) }, timeToResolve: { P3: stat(1, 90) }, timeToFinalResolve: { P3: stat(1, 90) },
      breached: [{ id: 'x', number: 'X-1', title: '打印机卡纸', priority: 'P3', clock: 'response', overdueMin: 15 }],
    },
    quality: {
      fcr: { count: 1, of: 1, rate: 1 }, reopen: { reopened: 0, resolved: 1, rate: 0, reopensPerIncident: 0 },
      returned: { returned: 0, dispatched: 0, rate: null, byGroup: [] }, reassignmentsPerIncident: 0,
      escalations: { autoP3toP2: 0, toL3: 0, toVendor: 0, toManagement: 0, incidents: 0 }, highestTier: [{ key: 'L1', count: 3 }], major: 0,
    },
    backlog: { byAgeBand: { lt1d: 2, d1to3: 0, d3to7: 0, d7to30: 0, gt30d: 0 }, oldest: [{ id: 'y', number: 'X-2', title: '网络中断', reportedAt: '2026-11-22T02:00:00.000Z', ageMin: 60 }] },
    satisfaction: { rated: 1, of: 1, share: 1, average: 5, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 1 }, comments: [{ id: 'x', number: 'X-1', rating: 5, comment: '很满意' }] },
    backfill: { count: 0, delay: stat(0, null), byTechnician: [], imported: 0 },
    people: {
      byAgent: [{ key: 'u', label: '王芳', handled: 3, resolved: 1, fcr: 1, fcrRate: 1, meanResolveMin: 90, satisfactionAvg: 5, rated: 1 }],
      byGroup: [{ key: '服务台', label: '服务台', handled: 3, resolved: 1, fcr: 1, fcrRate: 1, meanResolveMin: 90, satisfactionAvg: 5, rated: 1 }],
    },
    recurring: { categories: [{ key: 'network.vpn', count: 2, label: 'VPN' }], systems: [], requesters: [{ key: '李雷', count: 3 }] },
  };
}
const deps: ExportDeps = { computeReport: (_s, q) => fixtureReport(q) };

let d: Awaited<ReturnType<typeof openTestDesk>>;
beforeAll(async () => {
  const clock = testClock('2026-11-22T02:00:00.000Z');
  d = await openTestDesk({ now: clock.now });
  await d.api.incident.create(baseIncident);
  clock.advance(60_000);
  await d.api.incident.create({ ...baseIncident, title: '=1+1 打印机卡纸', description: '第一行\n第二行, 带 "引号"', requester: { ...baseIncident.requester, name: '@韩梅梅' } });
  clock.advance(60_000);
  await d.api.incident.create({ ...baseIncident, title: '-网络中断 出口路由器', channel: 'email', description: 'a < b && c > "d" 😀 \u0007响铃' });
});
afterAll(() => d?.close());

async function run(input: Parameters<typeof startExport>[1], extra: ExportDeps = deps) {
  const { jobId, path: file } = startExport(d.desk.store, input, extra);
  const status = await waitForExport(jobId);
  expect(status.error).toBeNull();
  expect(status.state).toBe('done');
  return { file, jobId };
}

describe('CSV', () => {
  it('has a BOM, CRLF records, Chinese intact, formula cells neutralised, numbers and local times', async () => {
    const { file, jobId } = await run({ query, format: 'csv', lang: 'zh-CN', user: '王芳' });
    expect(path.dirname(file)).toBe(path.join(d.dataDir, 'exports'));
    expect(exportFile(jobId).bytes).toBe(fs.statSync(file).size);
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/"[^"]*"/g, '').split('\n').slice(0, -1).every((l) => l.endsWith('\r'))).toBe(true);
    const rows = parse(text, { bom: true, relax_column_count: false }) as string[][];
    const [head, ...body] = rows;
    expect(body).toHaveLength(3);
    const col = (name: string) => head.indexOf(name);
    expect(col('标题')).toBeGreaterThanOrEqual(0);
    const titles = body.map((r) => r[col('标题')]);
    expect(titles).toContain('VPN 连接不上 after password change');
    expect(titles).toContain("'=1+1 打印机卡纸");
    expect(titles).toContain("'-网络中断 出口路由器");
    expect(body.map((r) => r[col('报告人')])).toContain("'@韩梅梅");
    expect(body.map((r) => r[col('描述')])).toContain('第一行\n第二行, 带 "引号"');
    expect(body[0][col('报告时间')]).toMatch(/^2026-11-22 10:0\d:00\+08:00$/);
    expect(body.map((r) => r[col('来源渠道')])).toContain('邮件');
    // numbers are written bare: the pending-minutes cell is 0, unquoted
    expect(text.split('\r\n')[1]).toMatch(/,0,/);
  });

  it('words its headers in English when asked', async () => {
    const { file } = await run({ query, format: 'csv', lang: 'en', user: 'x' });
    const [head] = parse(fs.readFileSync(file, 'utf8'), { bom: true }) as string[][];
    expect(head.slice(0, 3)).toEqual(['Number', 'Title', 'Status']);
  });

  it('quotes by RFC 4180', () => {
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('+86 138')).toBe("'+86 138");
    expect(csvText('普通文本')).toBe('普通文本');
  });
});

describe('XLSX', () => {
  it('has the summary, the breakdowns and every incident with typed dates and numbers; continues on a new sheet past the row limit', async () => {
    const { file } = await run({ query, format: 'xlsx', lang: 'zh-CN', user: '王芳' }, { ...deps, maxRowsPerSheet: 3 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const names = wb.worksheets.map((w) => w.name);
    expect(names[0]).toBe('汇总');
    for (const n of ['按渠道', 'SLA 按优先级', '积压账龄', '满意度', '按处理人', '按处理组', '高发分类', '工单明细', '工单明细 (2)']) expect(names).toContain(n);
    const summary = wb.getWorksheet('汇总')!;
    const created = summary.getColumn(1).values.indexOf('新建工单');
    expect(summary.getRow(created).getCell(2).value).toBe(3);
    const inc = wb.getWorksheet('工单明细')!;
    expect(inc.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const head = (inc.getRow(1).values as unknown[]).slice(1) as string[];
    const c = (name: string) => head.indexOf(name) + 1;
    expect(inc.rowCount).toBe(3); // header + 2, the third incident on the next sheet
    expect(wb.getWorksheet('工单明细 (2)')!.rowCount).toBe(2);
    const reported = inc.getRow(2).getCell(c('报告时间')).value;
    expect(reported).toBeInstanceOf(Date);
    // an Excel date has no zone: it shows the wall clock of Asia/Shanghai
    expect((reported as Date).toISOString()).toBe('2026-11-22T10:00:00.000Z');
    expect(typeof inc.getRow(2).getCell(c('挂起累计（分钟）')).value).toBe('number');
    const titles = [2, 3].map((r) => inc.getRow(r).getCell(c('标题')).value);
    expect(titles).toContain('=1+1 打印机卡纸'); // a typed text cell is never a formula in XLSX
    expect(inc.getColumn(c('标题')).width).toBeGreaterThan(20);
    // markup characters escaped, an emoji kept, a control character XML cannot hold left out
    const descs = [2, 3].map((r) => inc.getRow(r).getCell(c('描述')).value).concat(wb.getWorksheet('工单明细 (2)')!.getRow(2).getCell(c('描述')).value);
    expect(descs).toContain('a < b && c > "d" 😀 响铃');
  });
});

/** Decodes an 8-bit greyscale or RGB, non-interlaced PNG (what pdftoppm writes) into one grey value per pixel. */
function readGreyPng(buf: Buffer): { w: number; h: number; px: Uint8Array } {
  let off = 8; const idat: Buffer[] = []; let w = 0; let h = 0; let bpp = 1;
  while (off < buf.length) {
    const len = buf.readUInt32BE(off); const type = buf.toString('latin1', off + 4, off + 8); const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      w = data.readUInt32BE(0); h = data.readUInt32BE(4);
      expect(data[8]).toBe(8); expect([0, 2]).toContain(data[9]); expect(data[12]).toBe(0);
      bpp = data[9] === 2 ? 3 : 1;
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat)); const stride = w * bpp; const line = new Uint8Array(stride * h);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= bpp ? line[y * stride + x - bpp] : 0; const b = y ? line[(y - 1) * stride + x] : 0; const c = x >= bpp && y ? line[(y - 1) * stride + x - bpp] : 0;
      const p = a + b - c; const pa = Math.abs(p - a); const pb = Math.abs(p - b); const pc = Math.abs(p - c);
      const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      line[y * stride + x] = (v + pred) & 0xff;
    }
  }
  const px = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) px[i] = bpp === 1 ? line[i] : Math.round((line[i * 3] + line[i * 3 + 1] + line[i * 3 + 2]) / 3);
  return { w, h, px };
}

/** Dark pixels of page 1 at 50 dpi inside a box given in PDF points. */
function darkPixels(pdf: string, box: { x: number; y: number; w: number; h: number }): number {
  const out = path.join(path.dirname(pdf), `page-${path.basename(pdf)}`);
  execFileSync('pdftoppm', ['-png', '-gray', '-r', '50', '-f', '1', '-l', '1', '-singlefile', pdf, out]);
  const { w, px } = readGreyPng(fs.readFileSync(`${out}.png`));
  const s = 50 / 72; let n = 0;
  for (let y = Math.floor(box.y * s); y < Math.ceil((box.y + box.h) * s); y++) for (let x = Math.floor(box.x * s); x < Math.ceil((box.x + box.w) * s); x++) if (px[y * w + x] < 160) n++;
  return n;
}

describe('PDF', () => {
  it('holds the Chinese title and headings as text, and page 1 shows the Chinese title drawn (not blank glyphs)', async () => {
    const { file } = await run({ query, format: 'pdf', lang: 'zh-CN', user: '王芳' });
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const s of ['服务台报告', '关键指标', '王芳', '按渠道', '电话', '工单量', '2026-11-01']) expect(text).toContain(s);
    expect(text).toMatch(/第\s*1\s*\/\s*\d+\s*页/);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
    // the cover's title, 服务台报告 at 30 pt from (40, 200): its box is inked; a blank page's is not
    const titleBox = { x: 40, y: 200, w: 160, h: 40 };
    const inked = darkPixels(file, titleBox);
    const blank = path.join(tempDir(), 'blank.pdf');
    execFileSync('sh', ['-c', `printf '%s' "$0" > "$1"`, minimalBlankPdf(), blank]);
    expect(darkPixels(blank, titleBox)).toBe(0);
    expect(inked).toBeGreaterThan(300);
  });

  it('writes the English report too', async () => {
    const { file } = await run({ query, format: 'pdf', lang: 'en', user: 'Wang Fang' });
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Service desk report');
    expect(text).toContain('Key figures');
  });
});

/** A one-page A4 PDF with nothing on it. */
function minimalBlankPdf(): string {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] >>'];
  let out = '%PDF-1.4\n'; const offs: number[] = [];
  objs.forEach((o, i) => { offs.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offs.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  return `${out}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
}

describe('jobs', () => {
  it('a cancelled export leaves no file', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'report.xlsx');
    const { jobId } = startExport(d.desk.store, { query, format: 'xlsx', lang: 'zh-CN', user: '王芳', path: target }, deps);
    cancelExport(jobId);
    expect((await waitForExport(jobId)).state).toBe('cancelled');
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(() => exportFile(jobId)).toThrow(/cancelled/);
  });

  it('an unwritable target path is refused naming the path, and nothing is written', () => {
    const dir = tempDir();
    const missing = path.join(dir, 'no-such-folder', 'r.csv');
    expect(() => startExport(d.desk.store, { query, format: 'csv', lang: 'en', user: 'x', path: missing })).toThrow(/path: cannot write .*no-such-folder.*the folder does not exist/);
    fs.writeFileSync(path.join(dir, 'a-file'), 'x');
    expect(() => startExport(d.desk.store, { query, format: 'csv', lang: 'en', user: 'x', path: path.join(dir, 'a-file', 'r.csv') })).toThrow(/path: cannot write .*not a folder/);
    expect(() => startExport(d.desk.store, { query, format: 'csv', lang: 'en', user: 'x', path: dir })).toThrow(/path is a folder/);
    expect(fs.readdirSync(dir)).toEqual(['a-file']);
  });

  it('two exports of the same range at once get two files', async () => {
    const a = startExport(d.desk.store, { query, format: 'csv', lang: 'en', user: 'x' });
    const b = startExport(d.desk.store, { query, format: 'csv', lang: 'en', user: 'x' });
    expect(a.path).not.toBe(b.path);
    expect((await waitForExport(a.jobId)).state).toBe('done');
    expect((await waitForExport(b.jobId)).state).toBe('done');
    expect(fs.existsSync(a.path) && fs.existsSync(b.path)).toBe(true);
  });

  it('a range without incidents gives valid, empty files', async () => {
    const empty = { ...query, from: '2025-01-01', to: '2025-01-31' };
    const csv = await run({ query: empty, format: 'csv', lang: 'en', user: 'x' });
    expect(fs.readFileSync(csv.file, 'utf8').split('\r\n')).toHaveLength(2); // the header and the final CRLF
    const xlsx = await run({ query: empty, format: 'xlsx', lang: 'en', user: 'x' }, {});
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx.file);
    expect(wb.getWorksheet('Incidents')!.rowCount).toBe(1);
    const summary = wb.getWorksheet('Summary')!;
    expect(summary.getRow(summary.getColumn(1).values.indexOf('Created')).getCell(2).value).toBe(0);
  });

  it('a bad range is refused naming the field', () => {
    expect(() => startExport(d.desk.store, { query: { ...query, from: '2026-12-01' }, format: 'csv', lang: 'en', user: 'x' })).toThrow(/query\.to: the range ends before it starts/);
    expect(() => startExport(d.desk.store, { query: { ...query, filters: { categories: ['no.such'] } }, format: 'csv', lang: 'en', user: 'x' })).toThrow(/filters\.categories: unknown_category: no\.such/);
  });

  it('runs through the router: start, progress, file', async () => {
    const { jobId, fileName } = await d.api.export.start({ query, format: 'csv', lang: 'en' });
    expect(fileName).toMatch(/^relay-desk-report_2026-11-01_2026-11-30(-\d+)?\.csv$/);
    await waitForExport(jobId);
    expect(await d.api.export.progress({ jobId })).toMatchObject({ state: 'done', phase: 'done', done: 3, total: 3 });
    const f = await d.api.export.file({ jobId });
    expect(f.fileName).toBe(fileName);
    expect(fs.statSync(f.path).size).toBe(f.bytes);
    expect(await d.api.export.progress({ jobId: 'nope' })).toBeNull();
  });

  it('writes XLSX and PDF from the desk\'s own report through the router', async () => {
    for (const format of ['xlsx', 'pdf'] as const) {
      const { jobId } = await d.api.export.start({ query, format, lang: 'zh-CN' });
      const st = await waitForExport(jobId);
      expect(st.error).toBeNull();
      const f = await d.api.export.file({ jobId });
      expect(f.bytes).toBeGreaterThan(1000);
      if (format === 'xlsx') {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(f.path);
        expect(wb.getWorksheet('工单明细')!.rowCount).toBe(4);
        const summary = wb.getWorksheet('汇总')!;
        expect(summary.getRow(summary.getColumn(1).values.indexOf('新建工单')).getCell(2).value).toBe(3);
      } else {
        expect(execFileSync('pdftotext', [f.path, '-'], { encoding: 'utf8' })).toContain('服务台报告');
      }
    }
  });
});

describe('a long export', () => {
  it('keeps the desk usable while it is written (on the report worker), and cancelled midway leaves no file', async () => {
    const clock = testClock('2026-11-10T02:00:00.000Z');
    const big = await openTestDesk({ now: clock.now });
    try {
      await big.api.incident.create(baseIncident);
      const db = big.desk.store.db;
      const cols = (db.prepare('PRAGMA table_info(incidents)').all() as Array<{ name: string }>).map((c) => c.name);
      const pick = cols.map((c) => (c === 'id' ? "id || '-' || n" : c === 'number' ? "number || '-' || n" : c === 'client_id' || c === 'import_key' ? 'NULL' : c));
      db.prepare(`INSERT INTO incidents (${cols.join(', ')}) WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 9000)
        SELECT ${pick.join(', ')} FROM incidents, k`).run();
      const dir = tempDir();
      const { jobId } = startExport(big.desk.store, { query, format: 'csv', lang: 'zh-CN', user: '王芳', path: path.join(dir, 'big.csv') });
      while ((exportProgress(jobId)?.done ?? 0) === 0) await new Promise((r) => setImmediate(r));
      // the console works meanwhile: a write and a read on the desk's connection
      clock.advance(60_000);
      await big.api.incident.create({ ...baseIncident, title: '导出时新建' });
      expect(exportProgress(jobId)).toMatchObject({ state: 'running', phase: 'rows', total: 9001 });
      expect(exportProgress(jobId)!.done).toBeLessThan(9001);
      cancelExport(jobId);
      expect((await waitForExport(jobId)).state).toBe('cancelled');
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      big.close();
    }
  });
});
