import ExcelJS from 'exceljs';
import type { Category } from '../../../shared/index.js';
import { csvField } from './csv.js';
import { LIST_FIELDS, templateHeader } from './fields.js';

type Locale = 'zh-CN' | 'en';

const TIME_FIELDS = new Set(['occurred', 'reported', 'firstResponse', 'resolved', 'closed']);

/** What each column accepts, in the template's language (either language is accepted on import). */
function accepted(locale: Locale, categories: Category[]): Record<string, string> {
  const zh = locale === 'zh-CN';
  const cats = categories.map((c) => (zh ? c.nameZh : c.nameEn)).join(zh ? '、' : ', ');
  const time = zh ? '如 2026-11-22 09:30（无时区的按导入时所选时区读取）或 2026-11-22T09:30:00+08:00' : 'e.g. 2026-11-22 09:30 (read in the zone chosen at import) or 2026-11-22T09:30:00+08:00';
  return zh ? {
    number: '原系统中的单号（必填，文件内唯一）', channel: '热线电话、邮件、传真、Web、监控工具、现场（空 = 热线电话）',
    requester: '必填', department: '', phone: '如 138 0013 8000、010-8888 6666 转 123', email: '', serviceLevel: '普通、VIP、超级VIP（空 = 普通）',
    serviceType: '故障报告、服务开通、权限变更、咨询、其他（空 = 故障报告）', category: `必填：${cats}（或 父类/子类）`, title: '必填，最多 200 字',
    description: '', affected: '', impactScope: '个人、部门、全公司', impact: '高、中、低、重大（重大 = 一级重大事件）（空 = 中）', urgency: '高、中、低（空 = 中）',
    priority: '可空：P1–P4（空 = 按影响度×紧急度计算）', status: '新建、已分派、处理中、挂起、已解决、已关闭、重新打开、退回一线（空 = 按时间推断）',
    occurred: time, reported: `必填，${time}`, firstResponse: time, resolved: `${time}；已解决/已关闭时必填`, closed: `${time}；已关闭时必填`,
    resolution: '', group: '', tier: 'L1、L2、L3、厂商（空 = L1）',
  } : {
    number: "the incident's number in the old system (required, unique in the file)", channel: 'phone, email, fax, web, monitoring, walk-in (empty = phone)',
    requester: 'required', department: '', phone: 'e.g. 138 0013 8000, 010-8888 6666 ext 123', email: '', serviceLevel: 'normal, VIP, super VIP (empty = normal)',
    serviceType: 'fault report, service activation, permission change, consultation, other (empty = fault report)', category: `required: ${cats} (or parent/child)`,
    title: 'required, at most 200 characters', description: '', affected: '', impactScope: 'individual, department, whole company',
    impact: 'high, medium, low, major (major = P1 major incident) (empty = medium)', urgency: 'high, medium, low (empty = medium)',
    priority: 'optional: P1–P4 (empty = from impact × urgency)', status: 'new, assigned, in progress, pending, resolved, closed, reopened, returned (empty = from the times)',
    occurred: time, reported: `required, ${time}`, firstResponse: time, resolved: `${time}; required when resolved or closed`, closed: `${time}; required when closed`,
    resolution: '', group: '', tier: 'L1, L2, L3, vendor (empty = L1)',
  };
}

/**
 * The incident-list template: headers in both languages (`单号 / Number`), so it reads the same
 * whichever language the desk uses. CSV is UTF-8 with a BOM (Excel then opens Chinese correctly);
 * XLSX adds a sheet explaining each column, with text-formatted number/phone columns and date
 * columns, in the chosen locale.
 */
export async function importTemplate(format: 'csv' | 'xlsx', locale: Locale, categories: Category[]): Promise<{ fileName: string; contentBase64: string; mimeType: string }> {
  const base = locale === 'zh-CN' ? '事件导入模板' : 'incident-import-template';
  const headers = LIST_FIELDS.map(templateHeader);
  if (format === 'csv') {
    const text = '\uFEFF' + headers.map((h) => csvField(h)).join(',') + '\r\n';
    return { fileName: `${base}.csv`, contentBase64: Buffer.from(text, 'utf8').toString('base64'), mimeType: 'text/csv' };
  }
  const help = accepted(locale, categories);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Relay Desk';
  const ws = wb.addWorksheet(locale === 'zh-CN' ? '事件' : 'Incidents', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = LIST_FIELDS.map((d, k) => ({
    header: headers[k],
    key: d.key,
    width: Math.max(14, headers[k].length + 4),
    style: TIME_FIELDS.has(d.key) ? { numFmt: 'yyyy-mm-dd hh:mm' } : d.key === 'number' || d.key === 'phone' ? { numFmt: '@' } : {},
  }));
  ws.getRow(1).font = { bold: true };
  LIST_FIELDS.forEach((d, k) => { if (d.required) ws.getRow(1).getCell(k + 1).font = { bold: true, color: { argb: 'FFC00000' } }; });
  const info = wb.addWorksheet(locale === 'zh-CN' ? '说明' : 'Instructions');
  info.columns = [
    { header: locale === 'zh-CN' ? '列' : 'Column', key: 'h', width: 28 },
    { header: locale === 'zh-CN' ? '必填' : 'Required', key: 'r', width: 10 },
    { header: locale === 'zh-CN' ? '可填写的值' : 'Accepted values', key: 'v', width: 90 },
  ];
  info.getRow(1).font = { bold: true };
  LIST_FIELDS.forEach((d, k) => info.addRow({ h: headers[k], r: d.required ? (locale === 'zh-CN' ? '是' : 'yes') : '', v: help[d.key] ?? '' }));
  info.addRow({});
  info.addRow({ h: locale === 'zh-CN' ? '说明' : 'Note', v: locale === 'zh-CN'
    ? '表头可用中文或英文，取值也可用中文或英文（如 高/high、硬件/hardware、已关闭/closed）。任何一行有误时整个文件都不会导入，错误会指出行号和列名。同一文件再次导入不会重复创建。'
    : 'Headers and values may be in Chinese or English (e.g. 高/high, 硬件/hardware, 已关闭/closed). If any row is wrong nothing is imported, and each error names its line and column. Importing the same file again creates nothing new.' });
  const buf = await wb.xlsx.writeBuffer();
  return { fileName: `${base}.xlsx`, contentBase64: Buffer.from(buf as ArrayBuffer).toString('base64'), mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
}
