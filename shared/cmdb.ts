import { z } from 'zod';

/**
 * Configuration items (issue 12, item 7): the systems and devices incidents are about. The server
 * owns the list (leads and admins administer it); every desk pulls it (sync entity `ci`). An
 * incident keeps the picked item's id (`ciId`) beside the free-text affected name, which stays
 * allowed for systems not in the list. The same CSV rules run on the desk and on the server.
 */

export const CI_TYPES = ['system', 'server', 'network_device', 'pc', 'printer', 'other'] as const;
export type CiType = (typeof CI_TYPES)[number];

/** A configuration item as the server sends it to every desk. */
export interface Ci {
  id: string;
  name: string;
  type: CiType;
  ip: string | null;
  location: string | null;
  /** The owning group (a server group id), or none. */
  groupId: string | null;
  /** 重要信息系统: a critical information system. */
  critical: boolean;
  active: boolean;
  updatedAt: string;
}

export const CI_LIMITS = { name: 100, location: 200, ip: 64 } as const;
const id = z.string().trim().min(1).max(64);
const isIp = (v: string) => z.ipv4().safeParse(v).success || z.ipv6().safeParse(v).success;
export const ciNameSchema = z.string().trim().min(1, { message: 'required' }).max(CI_LIMITS.name, { message: `at most ${CI_LIMITS.name} characters` });
export const ciTypeSchema = z.enum(CI_TYPES, { message: `must be one of ${CI_TYPES.join(', ')}` });
const ipSchema = z.string().trim().max(CI_LIMITS.ip, { message: `at most ${CI_LIMITS.ip} characters` })
  .refine((v) => v === '' || isIp(v), { message: 'not an IP address' }).transform((v) => v || null);
const locationSchema = z.string().trim().max(CI_LIMITS.location, { message: `at most ${CI_LIMITS.location} characters` }).transform((v) => v || null);

/** Admin input: create (no id) or update a configuration item. */
export const saveCiSchema = z.object({
  id: id.optional(),
  name: ciNameSchema,
  type: ciTypeSchema,
  ip: ipSchema.nullable().default(null),
  location: locationSchema.nullable().default(null),
  groupId: id.nullable().default(null),
  critical: z.boolean().default(false),
  active: z.boolean().default(true),
}).strict();
export type SaveCiInput = z.input<typeof saveCiSchema>;
export type SaveCi = z.output<typeof saveCiSchema>;

/** Admin input: take an item out of the pick list (or back). Incidents that name it keep it. */
export const setCiActiveSchema = z.object({ id, active: z.boolean() }).strict();

export const CI_CSV_MAX_BYTES = 2 * 1024 * 1024;
export const CI_CSV_MAX_ROWS = 5000;
/** Admin input: a CSV file's text, imported whole or not at all. */
export const importCisSchema = z.object({
  csv: z.string().min(1, { message: 'the file is empty' }).max(CI_CSV_MAX_BYTES, { message: `at most ${CI_CSV_MAX_BYTES / 1024 / 1024} MB` }),
}).strict();

/** The CSV columns, by their English key; the header may also use the Chinese column names. */
export const CI_CSV_COLUMNS = ['name', 'type', 'ip', 'location', 'group', 'critical'] as const;
export type CiCsvColumn = (typeof CI_CSV_COLUMNS)[number];
const HEADER_ALIASES: Record<string, CiCsvColumn> = {
  name: 'name', 名称: 'name', type: 'type', 类型: 'type', ip: 'ip', 'ip 地址': 'ip', ip地址: 'ip', location: 'location', 位置: 'location',
  group: 'group', owner_group: 'group', 'owning group': 'group', 所属组: 'group', 责任组: 'group', critical: 'critical', 重要信息系统: 'critical', 重要: 'critical',
};
const TYPE_ALIASES: Record<string, CiType> = {
  system: 'system', 系统: 'system', 业务系统: 'system', server: 'server', 服务器: 'server', network_device: 'network_device', 'network device': 'network_device',
  网络设备: 'network_device', pc: 'pc', 电脑: 'pc', 计算机: 'pc', printer: 'printer', 打印机: 'printer', other: 'other', 其他: 'other',
};
const TRUE = new Set(['yes', 'y', 'true', '1', '是', 'x']);
const FALSE = new Set(['no', 'n', 'false', '0', '否', '']);

/** One problem in a CSV file: its line (1 = the header) and column, as a code the UI words and English text. */
export interface CiCsvIssue { line: number; column: CiCsvColumn | null; code: string; message: string }
/** One parsed row: the CI fields, the owning group by name (resolved against the server's groups). */
export interface CiCsvRow { line: number; name: string; type: CiType; ip: string | null; location: string | null; group: string | null; critical: boolean }

/** RFC 4180 records with the line each starts on (a quoted field may span lines). */
export function csvRecords(text: string): Array<{ line: number; cells: string[] }> {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let touched = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
      } else { if (ch === '\n') line++; cell += ch; }
      continue;
    }
    if (ch === '"' && cell === '') { quoted = true; touched = true; continue; }
    if (ch === ',') { cells.push(cell); cell = ''; touched = true; continue; }
    if (ch === '\r' && src[i + 1] === '\n') continue;
    if (ch === '\n' || ch === '\r') {
      cells.push(cell);
      if (touched || cells.some((c) => c !== '')) out.push({ line: start, cells });
      cells = []; cell = ''; touched = false; line++; start = line;
      continue;
    }
    cell += ch; touched = true;
  }
  cells.push(cell);
  if (touched || cells.some((c) => c !== '')) out.push({ line: start, cells });
  return out;
}

/**
 * Parses a CI list. Every problem is reported (line and column), not just the first; a file with
 * any problem imports nothing. Names are unique in the file (case-insensitive), as on the server.
 */
export function parseCiCsv(text: string): { rows: CiCsvRow[]; issues: CiCsvIssue[] } {
  const issues: CiCsvIssue[] = [];
  const records = csvRecords(text);
  if (!records.length) return { rows: [], issues: [{ line: 1, column: null, code: 'empty', message: 'the file has no header line' }] };
  const header = records[0].cells.map((h) => HEADER_ALIASES[h.trim().toLowerCase()] ?? null);
  records[0].cells.forEach((h, i) => {
    if (!header[i] && h.trim()) issues.push({ line: 1, column: null, code: 'unknown_column', message: `unknown column "${h.trim()}"; the columns are ${CI_CSV_COLUMNS.join(', ')}` });
  });
  for (const need of ['name', 'type'] as const) {
    if (!header.includes(need)) issues.push({ line: 1, column: need, code: 'missing_column', message: `the header has no ${need} column` });
  }
  if (issues.length) return { rows: [], issues };
  if (records.length - 1 > CI_CSV_MAX_ROWS) return { rows: [], issues: [{ line: records[CI_CSV_MAX_ROWS + 1].line, column: null, code: 'too_many_rows', message: `at most ${CI_CSV_MAX_ROWS} rows` }] };
  const rows: CiCsvRow[] = [];
  const seen = new Map<string, number>();
  for (const r of records.slice(1)) {
    const get = (c: CiCsvColumn) => { const i = header.indexOf(c); return i < 0 ? '' : (r.cells[i] ?? '').trim(); };
    const bad = (column: CiCsvColumn, code: string, message: string) => { issues.push({ line: r.line, column, code, message }); };
    if (r.cells.length > header.length && r.cells.slice(header.length).some((c) => c.trim())) issues.push({ line: r.line, column: null, code: 'extra_cells', message: `more cells than the header has columns (${header.length})` });
    const name = get('name');
    if (!name) bad('name', 'required', 'required');
    else if (name.length > CI_LIMITS.name) bad('name', 'too_long', `at most ${CI_LIMITS.name} characters`);
    else {
      const key = name.toLowerCase();
      if (seen.has(key)) bad('name', 'duplicate_name', `the same name as line ${seen.get(key)}`);
      else seen.set(key, r.line);
    }
    const typeText = get('type');
    const type = TYPE_ALIASES[typeText.toLowerCase()];
    if (!type) bad('type', typeText ? 'unknown_type' : 'required', typeText ? `"${typeText}" is not one of ${CI_TYPES.join(', ')}` : 'required');
    const ip = get('ip');
    if (ip && (ip.length > CI_LIMITS.ip || !isIp(ip))) bad('ip', 'not_ip', `"${ip}" is not an IP address`);
    const location = get('location');
    if (location.length > CI_LIMITS.location) bad('location', 'too_long', `at most ${CI_LIMITS.location} characters`);
    const group = get('group');
    if (group.length > 100) bad('group', 'too_long', 'at most 100 characters');
    const crit = get('critical').toLowerCase();
    if (!TRUE.has(crit) && !FALSE.has(crit)) bad('critical', 'not_yes_no', `"${get('critical')}" is not yes or no`);
    rows.push({ line: r.line, name, type: type ?? 'other', ip: ip || null, location: location || null, group: group || null, critical: TRUE.has(crit) });
  }
  if (!rows.length && !issues.length) issues.push({ line: 2, column: null, code: 'empty', message: 'the file has no rows under its header' });
  return { rows: issues.length ? [] : rows, issues };
}

/** What an import came to: how many items were added, changed, and already as in the file. */
export interface CiImportResult { created: number; updated: number; unchanged: number }

/** Whether a CSV row would change the held item (so a file imported again changes nothing). */
export function ciDiffers(held: Ci, row: { type: CiType; ip: string | null; location: string | null; groupId: string | null; critical: boolean; name: string }): boolean {
  return held.name !== row.name || held.type !== row.type || held.ip !== row.ip || held.location !== row.location || held.groupId !== row.groupId
    || held.critical !== row.critical || !held.active;
}
