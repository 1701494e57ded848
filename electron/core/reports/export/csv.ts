import fs from 'node:fs';
import type { DeskStore } from '../../store/desk-store.js';
import type { ReportQueryParsed } from '../../../../shared/reports.js';
import { columnLabel, INCIDENT_EXPORT_COLUMNS, labelsFor, valueLabel, type ExportLang } from './labels.js';
import { AT, LocalTime, openIncidents, plainCtx, type Cell, type ExportCtx, type Names, type Row } from './source.js';

/**
 * CSV of every incident of a report's range and filters, every field (issue 11, item 3): UTF-8 with
 * a BOM (Excel on Chinese Windows reads it as UTF-8), RFC 4180 quoting, CRLF, numbers unquoted,
 * times in the query's time zone with their offset, headers in the language asked for, and text
 * that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) prefixed with `'`.
 */
export const BOM = '\uFEFF';

const QUOTE = /[",\r\n]/;
const QUOTES = /"/g;

export function csvText(s: string): string {
  const c = s.charCodeAt(0);
  // = + - @ tab CR
  const t = c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 ? `'${s}` : s;
  return QUOTE.test(t) ? `"${t.replace(QUOTES, '""')}"` : t;
}

export function csvCell(v: Cell, time: LocalTime): string {
  if (v == null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'object') return time.format(v.t);
  return csvText(v);
}

// How a column's value becomes its CSV text (the same values as rowToCells + csvCell, without a cell array per row).
const TEXT = 0; const TIME = 1; const NUM = 2; const BOOL = 3; const ENUM = 4; const LIST = 5; const CATEGORY = 6; const USER = 7; const PAUSED = 8;

/** One incident row as its CSV line (CRLF not included). */
export function csvLine(lang: ExportLang, names: Names, time: LocalTime): (r: Row) => string {
  const L = labelsFor(lang);
  const yes = csvText(L.yes); const no = csvText(L.no);
  const plan = INCIDENT_EXPORT_COLUMNS.map((col) => {
    const k = col.key;
    if (k === 'categoryName') return { kind: CATEGORY, at: AT.get('categoryId')!, words: new Map<unknown, string>() };
    if (k === 'ownerName' || k === 'assigneeName') return { kind: USER, at: AT.get(k === 'ownerName' ? 'ownerId' : 'assigneeId')!, words: new Map<unknown, string>() };
    if (k === 'pausedMin') return { kind: PAUSED, at: AT.get('pausedMs')!, words: null };
    const at = AT.get(k);
    if (at === undefined) throw new Error(`export column ${k} is not read`);
    const kind = { time: TIME, number: NUM, bool: BOOL, enum: ENUM, list: LIST, text: TEXT }[col.kind];
    return { kind, at, words: kind === ENUM ? new Map<unknown, string>() : null, field: k };
  });
  // names and enum labels, escaped once per value rather than once per row
  const word = (p: (typeof plan)[number], v: unknown): string => {
    let w = p.words!.get(v);
    if (w === undefined) {
      if (p.kind === CATEGORY) { const c = names.categories.get(v as string); w = c ? csvText(lang === 'zh-CN' ? c.zh : c.en) : ''; }
      else if (p.kind === USER) { const u = names.users.get(v as string); w = u == null ? '' : csvText(u); }
      else w = csvText(valueLabel(lang, (p as { field: string }).field, v as string));
      p.words!.set(v, w);
    }
    return w;
  };
  const n = plan.length;
  return (r) => {
    let line = '';
    for (let c = 0; c < n; c++) {
      if (c > 0) line += ',';
      const p = plan[c];
      const v = r[p.at];
      switch (p.kind) {
        case TEXT: if (v != null) line += csvText(typeof v === 'string' ? v : String(v)); break;
        case TIME: if (v) line += time.formatIso(v as string); break;
        case NUM: if (v != null) { const x = Number(v); if (Number.isFinite(x)) line += x; } break;
        case BOOL: line += v ? yes : no; break;
        case PAUSED: line += Math.round(((v as number) ?? 0) / 600) / 100; break;
        case LIST: {
          if (v == null || v === '[]') break;
          let text: string | null;
          try { const a = JSON.parse(v as string) as string[]; text = a.length ? a.join('; ') : null; } catch { text = v as string; }
          if (text != null) line += csvText(text);
          break;
        }
        default: if (v != null) line += word(p, v);
      }
    }
    return line;
  };
}

/** Writes all of `text` (writeSync may write less than it was given). */
function writeAll(fd: number, text: string): void {
  const b = Buffer.from(text, 'utf8');
  for (let off = 0; off < b.length;) off += fs.writeSync(fd, b, off, b.length - off);
}

/** Writes the CSV into `fd` (synchronous writes of about a megabyte each); resolves to the rows written. */
export async function writeCsv(store: DeskStore, query: ReportQueryParsed, lang: ExportLang, fd: number, ctx: ExportCtx = plainCtx): Promise<number> {
  const time = new LocalTime(query.timeZone);
  const src = openIncidents(store, query);
  const line = csvLine(lang, src.names, time);
  try {
    writeAll(fd, BOM + INCIDENT_EXPORT_COLUMNS.map((c) => csvText(columnLabel(lang, c.key))).join(',') + '\r\n');
    let done = 0;
    ctx.progress('rows', 0, src.total);
    const lines: string[] = [];
    for await (const rows of src.chunks()) {
      // a chunk's lines joined once (a flat string, no rope of thousands of pieces), written at once (~1 MB)
      for (let i = 0; i < rows.length; i++) lines[i] = line(rows[i]);
      lines.length = rows.length;
      lines.push('');
      writeAll(fd, lines.join('\r\n'));
      done += rows.length;
      ctx.progress('rows', done, src.total);
      await ctx.pause();
    }
    return done;
  } finally {
    src.close();
  }
}
