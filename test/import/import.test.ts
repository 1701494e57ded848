import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { TRPCError } from '@trpc/server';
import { openTestDesk } from '../helpers/desk.js';
import { DeskInputError } from '../../electron/core/store/errors.js';
import { parseCsv } from '../../electron/core/import/csv.js';
import { unMacRoman, detectMacRomanColumn } from '../../electron/core/import/decode.js';
import { parseTime } from '../../electron/core/import/times.js';

type TestDesk = Awaited<ReturnType<typeof openTestDesk>>;
const open: TestDesk[] = [];
afterEach(() => { while (open.length) open.pop()!.close(); });
async function desk(): Promise<TestDesk> { const d = await openTestDesk(); open.push(d); return d; }

const b64 = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64');
const csvText = (rows: string[][]) => rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';

const HEAD = ['单号 / Number', '来源 / Channel', '请求者 / Requester', '部门 / Department', '电话 / Phone', '服务类型 / Service type', '分类 / Category',
  '标题 / Title', '描述 / Description', '影响度 / Impact', '紧急度 / Urgency', '状态 / Status', '发生时间 / Occurred', '报告时间 / Reported',
  '解决时间 / Resolved', '关闭时间 / Closed', '解决方案 / Resolution', '处理组 / Group', '层级 / Tier'];
/** Values in both languages, mixed on purpose. Line numbers: header = line 1, first row = line 2. */
const ROWS = [
  ['OLD-1001', '热线电话', '李雷', '财务部', '138 0013 8000', '故障报告', '硬件', '打印机卡纸', '三楼打印机卡纸，无法打印', '高', '中', '已关闭', '2025-03-03 08:50', '2025-03-03 09:00', '2025-03-03 10:00', '2025-03-03 12:00', '清理卡纸', '服务台', '一线'],
  ['OLD-1002', 'email', 'Han Meimei', 'Sales', '', 'consultation', 'software', 'How to share a calendar', '', 'low', 'low', 'closed', '', '2025-03-04T10:00:00+08:00', '2025-03-04T11:00:00+08:00', '2025-03-05T09:00:00+08:00', 'Sent the guide', 'Service desk', 'L1'],
  ['OLD-1003', '邮件', '王芳', '人事部', '010-8888 6666 转 123', '权限变更', '安全/账号/权限', '新员工开通权限', '', '中', '', '处理中', '', '2025-03-05 14:00', '', '', '', '二线支持', '二线'],
  ['OLD-1004', '监控工具', '监控', '', '', '故障报告', '网络', '核心交换机端口告警', '端口 Gi1/0/24 down', '重大', '高', '已解决', '2025-03-06 02:55', '2025-03-06 03:00', '2025-03-06 05:00', '', '更换光模块', '网络组', 'L2'],
  ['OLD-1005', 'walk-in', 'Li Lei', 'Finance', '', 'fault', 'Printer / peripherals', 'Toner empty', '', 'medium', 'medium', 'new', '', '2025-03-07 09:15', '', '', '', '', ''],
  ['OLD-1006', '现场', '张伟', '工程部', '', '故障报告', 'hardware.pc', '笔记本蓝屏', '开机蓝屏 0x0000007B', '中', '中', '挂起', '', '2025-03-08 16:20', '', '', '', '', 'L1'],
  ['OLD-1007', 'web', 'Zhao Min', 'IT', '', 'other', 'other', 'Web form test', '', 'low', 'low', '新建', '', '2025-03-09 08:00', '', '', '', '', ''],
];
const BAD_LINE = 7; // OLD-1006
const withBadRow = () => ROWS.map((r, k) => (k + 2 === BAD_LINE ? r.map((c, j) => (HEAD[j].startsWith('报告时间') ? 'yesterday' : c)) : r));

function issuesOf(e: unknown) {
  expect(e).toBeInstanceOf(TRPCError);
  expect((e as TRPCError).code).toBe('BAD_REQUEST');
  const cause = (e as TRPCError).cause;
  expect(cause).toBeInstanceOf(DeskInputError);
  return (cause as DeskInputError).issues;
}

describe('import: incident list', () => {
  it('a file with one bad row imports nothing and names line and column; fixed, it imports every row; again, nothing new', async () => {
    const { api, count } = await desk();
    const bad = { fileName: 'old.csv', contentBase64: b64('\uFEFF' + csvText([HEAD, ...withBadRow()])) };

    const p = await api.import.preview(bad);
    expect(p.shape).toBe('list');
    expect(p.encoding).toBe('utf-8-bom');
    expect(p.ok).toBe(false);
    expect(p.errorCount).toBe(1);
    expect(p.errors[0]).toMatchObject({ line: BAD_LINE, column: '报告时间 / Reported' });
    expect(p.errors[0].text).toBe(`line ${BAD_LINE}, column 报告时间 / Reported: not a date: "yesterday"`);

    const err = await api.import.commit(bad).catch((e) => e);
    const issues = issuesOf(err);
    expect(issues).toEqual([{ path: `line ${BAD_LINE} · 报告时间 / Reported`, message: 'not a date: "yesterday"' }]);
    expect(count('incidents')).toBe(0);
    expect(count('history')).toBe(0);

    const good = { fileName: 'old.csv', contentBase64: b64('\uFEFF' + csvText([HEAD, ...ROWS])) };
    const p2 = await api.import.preview(good);
    expect(p2.ok).toBe(true);
    expect(p2.toCreate).toBe(ROWS.length);
    expect(p2.sample).toHaveLength(ROWS.length);
    expect(await api.import.commit(good)).toMatchObject({ created: ROWS.length, skipped: 0 });
    expect(count('incidents')).toBe(ROWS.length);

    const p3 = await api.import.preview(good);
    expect(p3).toMatchObject({ duplicates: ROWS.length, toCreate: 0, mappingFrom: 'remembered' });
    expect(await api.import.commit(good)).toMatchObject({ created: 0, skipped: ROWS.length });
    expect(count('incidents')).toBe(ROWS.length);
  });

  it('maps values in either language onto ours, keeps original times, marks origin import', async () => {
    const { api, desk: d } = await desk();
    await api.import.commit({ fileName: 'old.csv', contentBase64: b64(csvText([HEAD, ...ROWS])), mapping: { timeZone: 'Asia/Shanghai' } });
    const rows = d.store.db.prepare(`SELECT external_ref AS ref, channel, service_type AS st, category_id AS cat, impact, urgency, priority, status, tier,
      reported_at AS reported, occurred_at AS occurred, resolved_at AS resolved, closed_at AS closed, origin, import_key AS key, major_reasons AS major,
      requester_name AS requester, group_name AS grp FROM incidents ORDER BY external_ref`).all() as Array<Record<string, string>>;
    const by = Object.fromEntries(rows.map((r) => [r.ref, r]));
    expect(by['OLD-1001']).toMatchObject({ channel: 'phone', st: 'fault', cat: 'hardware', impact: 'high', urgency: 'medium', priority: 'P2', status: 'closed', tier: 'L1', origin: 'import',
      reported: '2025-03-03T01:00:00.000Z', occurred: '2025-03-03T00:50:00.000Z', resolved: '2025-03-03T02:00:00.000Z', closed: '2025-03-03T04:00:00.000Z', requester: '李雷', grp: '服务台' });
    expect(by['OLD-1001'].key).toMatch(/^list-[0-9a-f]{8}:OLD-1001$/);
    expect(by['OLD-1002']).toMatchObject({ channel: 'email', st: 'consultation', cat: 'software', priority: 'P4', reported: '2025-03-04T02:00:00.000Z', closed: '2025-03-05T01:00:00.000Z' });
    expect(by['OLD-1003']).toMatchObject({ cat: 'security.account', st: 'permission', urgency: 'medium', status: 'in_progress', tier: 'L2', resolved: null });
    // 重大 = high impact declared major → P1
    expect(by['OLD-1004']).toMatchObject({ channel: 'monitoring', impact: 'high', priority: 'P1', status: 'resolved', tier: 'L2', major: '["declared"]' });
    expect(by['OLD-1005']).toMatchObject({ channel: 'walk_in', cat: 'hardware.printer', status: 'new' });
    expect(by['OLD-1006']).toMatchObject({ channel: 'walk_in', cat: 'hardware.pc', status: 'pending' });
    // a resolved + closed incident has its two transitions in its history; the resolution stays on the incident
    const id = d.store.db.prepare("SELECT id FROM incidents WHERE external_ref = 'OLD-1001'").pluck().get() as string;
    const detail = d.store.getIncident(id);
    expect(detail.history.filter((h) => h.kind === 'transition').map((h) => [h.newValue, h.at])).toEqual([['resolved', '2025-03-03T02:00:00.000Z'], ['closed', '2025-03-03T04:00:00.000Z']]);
    expect(detail.incident.resolution).toBe('清理卡纸');
    expect(detail.workLogs).toEqual([]);
  });

  it('reads GB18030 with its Chinese intact', async () => {
    const { api, desk: d } = await desk();
    const bytes = iconv.encode(csvText([HEAD, ...ROWS]), 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const input = { fileName: '旧系统导出.csv', contentBase64: b64(bytes) };
    const p = await api.import.preview(input);
    expect(p.encoding).toBe('gb18030');
    expect(p.ok).toBe(true);
    expect(p.columns[0]).toBe('单号 / Number');
    await api.import.commit(input);
    const titles = d.store.db.prepare('SELECT title FROM incidents ORDER BY external_ref').pluck().all();
    expect(titles).toContain('打印机卡纸');
    expect(titles).toContain('核心交换机端口告警');
    expect(d.store.search('交换机').map((r) => r.title)).toEqual(['核心交换机端口告警']);
  });

  it('reads UTF-8 with and without BOM, English-only headers, semicolons, quoted commas and line breaks', async () => {
    const { api, desk: d } = await desk();
    const head = ['Number', 'Channel', 'Requester', 'Category', 'Title', 'Description', 'Reported', 'Status'];
    const rows = [
      ['A-1', 'phone', 'Ann', 'network', 'VPN down; again', 'line one\nline two, with comma', '2025-01-02 10:00', 'new'],
      ['A-2', 'email', 'Bob', 'Software / E-mail', 'Outlook "offline"', '', '2025-01-02 11:00', 'in progress'],
    ];
    const text = rows.reduce((acc, r) => acc + r.map((c) => (/[";\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(';') + '\n', head.join(';') + '\n');
    const noBom = await api.import.preview({ fileName: 'a.csv', contentBase64: b64(text) });
    expect(noBom).toMatchObject({ encoding: 'utf-8', delimiter: ';', ok: true, toCreate: 2 });
    const withBom = await api.import.preview({ fileName: 'a.csv', contentBase64: b64('\uFEFF' + text) });
    expect(withBom).toMatchObject({ encoding: 'utf-8-bom', ok: true, toCreate: 2, columns: head });
    expect(withBom.sample[0].incident.description).toBe('line one\nline two, with comma');
    expect(withBom.sample[1].incident).toMatchObject({ categoryId: 'software.email', title: 'Outlook "offline"', status: 'in_progress' });
    // a bad row after a multi-line field is reported on its physical line (4), not its record number (3)
    const bad = text.replace('2025-01-02 11:00', '2025-13-02 11:00');
    const p = await api.import.preview({ fileName: 'a.csv', contentBase64: b64(bad) });
    expect(p.errors.map((e) => e.text)).toEqual(['line 4, column Reported: not a date (no such day): "2025-13-02 11:00"']);
    await api.import.commit({ fileName: 'a.csv', contentBase64: b64(text) });
    expect(d.store.db.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(2);
  });

  it('reads XLSX (date cells read in the chosen zone, numbers as text)', async () => {
    const { api, desk: d } = await desk();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('事件');
    ws.addRow(HEAD);
    ws.addRow(['X-1', '热线电话', '李雷', '财务部', 13800138000, '故障报告', '硬件', '显示器不亮', '', '高', '高', '已关闭', null,
      new Date(Date.UTC(2025, 2, 3, 9, 0)), new Date(Date.UTC(2025, 2, 3, 9, 30)), new Date(Date.UTC(2025, 2, 3, 10, 0)), '更换电源线', '服务台', 'L1']);
    ws.addRow([1002, 'email', 'Han Meimei', 'Sales', '', 'fault', 'network.vpn', { richText: [{ text: 'VPN ' }, { text: 'slow', font: { bold: true } }] }, '', 'low', 'low', 'new', null, '2025-03-04T10:00:00+01:00']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer() as ArrayBuffer);
    const input = { fileName: 'old.xlsx', contentBase64: b64(buf), mapping: { timeZone: 'Asia/Shanghai' } };
    const p = await api.import.preview(input);
    expect(p).toMatchObject({ format: 'xlsx', encoding: 'xlsx', sheet: '事件', ok: true, toCreate: 2, naiveTimes: 3, timeZone: 'Asia/Shanghai' });
    expect(p.timeZoneNote).toContain('Asia/Shanghai');
    expect(await api.import.commit(input)).toMatchObject({ created: 2 });
    const rows = d.store.db.prepare('SELECT external_ref AS ref, title, requester_phone AS phone, reported_at AS reported, closed_at AS closed, priority FROM incidents ORDER BY external_ref').all();
    expect(rows).toEqual([
      { ref: '1002', title: 'VPN slow', phone: null, reported: '2025-03-04T09:00:00.000Z', closed: null, priority: 'P4' },
      { ref: 'X-1', title: '显示器不亮', phone: '13800138000', reported: '2025-03-03T01:00:00.000Z', closed: '2025-03-03T02:00:00.000Z', priority: 'P1' },
    ]);
  });

  it('timestamps with +01:00/+02:00 keep their instant; ones without are read in the mapping zone', async () => {
    const { api } = await desk();
    const head = ['单号', '请求者', '分类', '标题', '报告时间', '解决时间'];
    const rows = [
      ['T-1', '甲', '网络', 'winter', '2012-03-01T09:00:00+01:00', '2012-03-01T10:00:00+01:00'],
      ['T-2', '乙', '网络', 'summer', '2012-05-01T09:00:00+02:00', '2012-05-01 10:00'],
    ];
    const input = { fileName: 't.csv', contentBase64: b64(csvText([head, ...rows])), mapping: { timeZone: 'Europe/Amsterdam' } };
    const p = await api.import.preview(input);
    expect(p.ok).toBe(true);
    expect(p.naiveTimes).toBe(1);
    expect(p.sample.map((s) => [s.incident.reportedAt, s.incident.resolvedAt, s.incident.status])).toEqual([
      ['2012-03-01T08:00:00.000Z', '2012-03-01T09:00:00.000Z', 'resolved'],
      ['2012-05-01T07:00:00.000Z', '2012-05-01T08:00:00.000Z', 'resolved'], // 10:00 CEST (summer time) = 08:00Z
    ]);
    const shanghai = await api.import.preview({ ...input, mapping: { timeZone: 'Asia/Shanghai' } });
    // read as Shanghai time, 10:00 is 02:00Z: before the reported time, so that row is refused
    expect(shanghai.errors.map((e) => e.text)).toEqual(['line 3, column 解决时间: is before the reported time']);
    const err = await api.import.preview({ ...input, mapping: { timeZone: 'Mars/Olympus' } }).catch((e) => e);
    expect(issuesOf(err)[0].path).toBe('mapping.timeZone');
  });

  it('unknown categories are errors unless the mapping maps them or sends them to other; the edited mapping is remembered', async () => {
    const { api, desk: d } = await desk();
    const head = ['Number', 'Requester', 'Category', 'Title', 'Reported'];
    const rows = [['C-1', 'Ann', '打印机故障', 'Jam', '2025-01-01 09:00'], ['C-2', 'Bob', 'Mystery', 'Odd', '2025-01-01 10:00']];
    const input = { fileName: 'c.csv', contentBase64: b64(csvText([head, ...rows])) };
    const p = await api.import.preview(input);
    expect(p.errors.map((e) => e.text)).toEqual([
      'line 2, column Category: unknown category "打印机故障" (map it in the mapping, or send unknown categories to other)',
      'line 3, column Category: unknown category "Mystery" (map it in the mapping, or send unknown categories to other)',
    ]);
    const mapping = { ...p.mapping, values: { category: { 打印机故障: 'hardware.printer' } }, unknownCategory: 'other' as const };
    const p2 = await api.import.preview({ ...input, mapping });
    expect(p2.ok).toBe(true);
    expect(p2.sample.map((s) => s.incident.categoryId)).toEqual(['hardware.printer', 'other']);
    const wrong = await api.import.preview({ ...input, mapping: { ...mapping, values: { category: { 打印机故障: 'nope' } } } }).catch((e) => e);
    expect(issuesOf(wrong)[0].message).toBe('unknown category nope');
    await api.import.commit({ ...input, mapping });
    // next time, the same header gets the edited mapping back
    const again = await api.import.preview({ fileName: 'c2.csv', contentBase64: b64(csvText([head, ['C-3', 'Cy', '打印机故障', 'Jam 2', '2025-01-02 09:00']])) });
    expect(again).toMatchObject({ mappingFrom: 'remembered', ok: true, toCreate: 1 });
    expect(again.sample[0].incident.categoryId).toBe('hardware.printer');
    expect(d.store.db.prepare("SELECT count(*) FROM meta WHERE key LIKE 'import.mapping.%'").pluck().get()).toBe(1);
  });

  it('checks each cell: required, enum values, phone, time order, duplicates within the file; caps the list at 500 with a total', async () => {
    const { api } = await desk();
    const head = ['Number', 'Requester', 'Phone', 'Category', 'Title', 'Impact', 'Status', 'Reported', 'Resolved'];
    const rows = [
      ['D-1', '', 'abc', 'network', '', 'huge', 'resolved', '2025-01-02 10:00', ''],
      ['D-1', 'Ann', '', 'network', 'x', 'low', 'closed', '2025-01-02 10:00', '2025-01-01 10:00'],
      ['D-3', 'Ann', '', 'network', 'x', 'low', 'new', '2999-01-01 10:00', ''],
    ];
    const p = await api.import.preview({ fileName: 'd.csv', contentBase64: b64(csvText([head, ...rows])) });
    expect(p.errors.map((e) => e.text)).toEqual([
      'line 2, column Requester: required',
      'line 2, column Phone: not a phone number: "abc"',
      'line 2, column Title: required',
      'line 2, column Impact: "huge" is not one of high, medium, low, major',
      'line 2, column Resolved: required when the status is resolved',
      'line 3, column Number: duplicate number D-1 (also on line 2)',
      'line 3, column 关闭时间/Closed: required when the status is closed',
      'line 3, column Resolved: is before the reported time',
      'line 4, column Reported: is in the future: "2999-01-01 10:00"',
    ]);
    const many = Array.from({ length: 600 }, (_, k) => [`M-${k}`, 'Ann', '', 'network', 'x', 'low', 'new', 'soon', '']);
    const input = { fileName: 'm.csv', contentBase64: b64(csvText([head, ...many])) };
    const p2 = await api.import.preview(input);
    expect(p2.errorCount).toBe(600);
    expect(p2.errors).toHaveLength(500);
    const issues = issuesOf(await api.import.commit(input).catch((e) => e));
    expect(issues).toHaveLength(501);
    expect(issues[500]).toEqual({ path: 'file', message: 'and 100 more errors (600 in all); nothing was imported' });
  });

  it('reports progress for a client jobId', async () => {
    const { api } = await desk();
    const rows = Array.from({ length: 6_000 }, (_, k) => [`P-${k}`, '热线电话', '李雷', '', '', '故障报告', '网络', `标题 ${k}`, '', '中', '中', '新建', '', '2025-03-03 09:00', '', '', '', '', '']);
    const input = { fileName: 'p.csv', contentBase64: b64(csvText([HEAD, ...rows])), jobId: 'job-1' };
    const phases = new Set<string>();
    let finished = false;
    const run = api.import.commit(input).finally(() => { finished = true; });
    while (!finished) {
      const pr = await api.import.progress({ jobId: 'job-1' });
      if (pr) { phases.add(pr.phase); expect(pr.done).toBeLessThanOrEqual(pr.total); }
      await new Promise((r) => setImmediate(r));
    }
    expect(await run).toMatchObject({ created: 6_000 });
    expect(phases.has('validating') || phases.has('parsing')).toBe(true);
    expect(await api.import.progress({ jobId: 'job-1' })).toEqual({ phase: 'done', done: 6_000, total: 6_000 });
    expect(await api.import.progress({ jobId: 'nope' })).toBeNull();
  });
});

describe('import: fixtures for the renderer and e2e tests', () => {
  it('test/fixtures/import files behave as their README says', async () => {
    const { api } = await desk();
    const fixture = (name: string) => ({ fileName: name, contentBase64: fs.readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url)).toString('base64') });
    const bad = await api.import.preview(fixture('incidents-list-bad-line-7.csv'));
    expect(bad.errors.map((e) => e.text)).toEqual(['line 7, column 报告时间 / Reported: not a date: "yesterday"']);
    expect(await api.import.commit(fixture('incidents-list.csv'))).toMatchObject({ created: 7, skipped: 0 });
  });
});

describe('import: template', () => {
  it('CSV template has a BOM and bilingual headers; filled in, it imports', async () => {
    const { api } = await desk();
    const t = await api.import.template({ format: 'csv', locale: 'zh-CN' });
    expect(t.fileName).toBe('事件导入模板.csv');
    const bytes = Buffer.from(t.contentBase64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toContain('单号 / Number,来源 / Channel,请求者 / Requester');
    const cols = text.split('\r\n')[0].split(',');
    const row = Object.fromEntries(cols.map((c) => [c, '']));
    Object.assign(row, { '单号 / Number': 'N-1', '来源 / Channel': '热线电话', '请求者 / Requester': '李雷', '分类 / Category': '硬件', '标题 / Title': '打印机卡纸',
      '影响度 / Impact': '高', '紧急度 / Urgency': '中', '状态 / Status': '已解决', '报告时间 / Reported': '2025-03-03 09:00', '解决时间 / Resolved': '2025-03-03 10:00',
      '解决方案 / Resolution': '清理卡纸', '处理组 / Group': '服务台', '层级 / Tier': 'L1' });
    expect(Object.keys(row)).toHaveLength(cols.length);
    const filled = '\uFEFF' + text + csvText([cols.map((c) => row[c])]);
    const p = await api.import.preview({ fileName: t.fileName, contentBase64: b64(filled) });
    expect(p.errors).toEqual([]);
    expect(p.sample[0].incident).toMatchObject({ status: 'resolved', categoryId: 'hardware', impact: 'high', urgency: 'medium', resolution: '清理卡纸' });
  });

  it('XLSX template: header row plus an instructions sheet, in the locale asked for', async () => {
    const { api } = await desk();
    for (const locale of ['zh-CN', 'en'] as const) {
      const t = await api.import.template({ format: 'xlsx', locale });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(t.contentBase64, 'base64') as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(locale === 'zh-CN' ? ['事件', '说明'] : ['Incidents', 'Instructions']);
      expect((wb.worksheets[0].getRow(1).values as string[]).slice(1, 4)).toEqual(['单号 / Number', '来源 / Channel', '请求者 / Requester']);
      const help = wb.worksheets[1].getColumn(1).values.findIndex((v) => v === '分类 / Category');
      expect(String(wb.worksheets[1].getCell(help, 3).value)).toContain(locale === 'zh-CN' ? '硬件' : 'Hardware');
      // the empty template previews as a header without rows
      const p = await api.import.preview({ fileName: t.fileName, contentBase64: t.contentBase64 });
      expect(p.errors.map((e) => e.message)).toEqual(['the file has a header but no rows']);
    }
  });
});

describe('import: building blocks', () => {
  it('CSV parser keeps physical line numbers and quoted fields', async () => {
    const { header, rows } = await parseCsv('a,b\r\n1,"x\r\ny"\r\n\r\n2,"q""uote"\n3,');
    expect(header).toEqual(['a', 'b']);
    expect(rows).toEqual([{ line: 2, cells: ['1', 'x\r\ny'] }, { line: 5, cells: ['2', 'q"uote'] }, { line: 6, cells: ['3', ''] }]);
  });

  it('Mac Roman mojibake is reversed only in a column that shows it', () => {
    expect(['Bjˆrn', '≈sa', 'P‰r', 'StÈphane', 'DÈsirÈe', 'J¸ri', 'Kent-≈ke'].map(unMacRoman)).toEqual(['Björn', 'Åsa', 'Pär', 'Stéphane', 'Désirée', 'Jüri', 'Kent-Åke']);
    expect(unMacRoman('Hélène')).toBeNull();
    expect(detectMacRomanColumn(['Anna', 'Bjˆrn', 'AndrÈ'])).toBe(true);
    expect(detectMacRomanColumn(['Anna', 'Hélène', 'André'])).toBe(false);
    expect(detectMacRomanColumn(['王芳', 'Bjˆrn'])).toBe(false);
  });

  it('time formats', () => {
    const at = (s: string, zone = 'Asia/Shanghai', order?: 'dmy' | 'mdy') => { const r = parseTime(s, zone, order); return 'ms' in r ? new Date(r.ms).toISOString() : r.error; };
    expect(at('2012-04-05T10:20:30+02:00')).toBe('2012-04-05T08:20:30.000Z');
    expect(at('2012-04-05T10:20:30.5Z')).toBe('2012-04-05T10:20:30.500Z');
    expect(at('2012-04-05 10:20')).toBe('2012-04-05T02:20:00.000Z');
    expect(at('2012/4/5 10:20:05')).toBe('2012-04-05T02:20:05.000Z');
    expect(at('2012年4月5日 10:20')).toBe('2012-04-05T02:20:00.000Z');
    expect(at('05.04.2012 10:00')).toBe('2012-04-05T02:00:00.000Z');
    expect(at('05/04/2012')).toMatch(/^ambiguous date/);
    expect(at('05/04/2012', 'UTC', 'mdy')).toBe('2012-05-04T00:00:00.000Z');
    expect(at('13/04/2012 08:00', 'UTC')).toBe('2012-04-13T08:00:00.000Z');
    expect(at('2012-02-30')).toBe('not a date (no such day)');
    expect(at('2026-07-01 12:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z');
    expect(at('2026-01-01 12:00', 'Europe/Berlin')).toBe('2026-01-01T11:00:00.000Z');
  });
});
