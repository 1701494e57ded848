import fs from 'node:fs';
import type { DeskStore } from '../../store/desk-store.js';
import type { ReportQueryParsed } from '../../../../shared/reports.js';
import { columnLabel, INCIDENT_EXPORT_COLUMNS, type ExportLang } from './labels.js';
import { LocalTime, openIncidents, plainCtx, rowToCells, type Cell, type ExportCtx } from './source.js';

/**
 * CSV of every incident of a report's range and filters, every field (issue 11, item 3): UTF-8 with
 * a BOM (Excel on Chinese Windows reads it as UTF-8), RFC 4180 quoting, CRLF, numbers unquoted,
 * times in the query's time zone with their offset, headers in the language asked for, and text
 * that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) prefixed with `'`.
 */
export const BOM = '\uFEFF';

export function csvText(s: string): string {
  const t = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function csvCell(v: Cell, time: LocalTime): string {
  if (v == null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'object') return time.format(v.t);
  return csvText(v);
}

export async function writeCsv(store: DeskStore, query: ReportQueryParsed, lang: ExportLang, out: fs.WriteStream, ctx: ExportCtx = plainCtx): Promise<number> {
  const time = new LocalTime(query.timeZone);
  const src = openIncidents(store, query);
  const cells = rowToCells(lang, src.names);
  try {
    const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
    await write(BOM + INCIDENT_EXPORT_COLUMNS.map((c) => csvText(columnLabel(lang, c.key))).join(',') + '\r\n');
    let done = 0;
    ctx.progress('rows', 0, src.total);
    for await (const rows of src.chunks()) {
      let buf = '';
      for (const r of rows) buf += cells(r).map((v) => csvCell(v, time)).join(',') + '\r\n';
      await write(buf);
      done += rows.length;
      ctx.progress('rows', done, src.total);
      await ctx.pause();
    }
    return done;
  } finally {
    src.close();
  }
}
