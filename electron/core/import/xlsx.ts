import ExcelJS from 'exceljs';
import type { SourceRow } from './table.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * An Excel date cell has no zone: ExcelJS hands it over as a Date whose UTC fields are the wall-clock
 * time typed in the sheet. It becomes that wall-clock text, to be read in the import's time zone
 * like any other timestamp without an offset.
 */
export function wallClock(d: Date): string {
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const h = d.getUTCHours(), m = d.getUTCMinutes(), s = d.getUTCSeconds(), ms = d.getUTCMilliseconds();
  if (h === 0 && m === 0 && s === 0 && ms === 0) return date;
  return `${date} ${pad(h)}:${pad(m)}:${pad(s)}${ms ? '.' + pad(ms, 3) : ''}`;
}

export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return wallClock(v);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v) return String((v as { text: unknown }).text ?? '');
    if ('error' in v) return String((v as { error: unknown }).error);
  }
  return String(v);
}

/** The first worksheet that has rows: its first non-empty row is the header; row numbers are the sheet's. */
export async function readXlsx(bytes: Buffer): Promise<{ sheet: string; header: string[]; rows: SourceRow[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0) ?? wb.worksheets[0];
  if (!ws) return { sheet: '', header: [], rows: [] };
  let header: string[] | null = null;
  const rows: SourceRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[];
    const cells: string[] = [];
    for (let c = 1; c < values.length; c++) cells.push(cellText(values[c] ?? null));
    if (cells.every((c) => c.trim() === '')) return;
    if (!header) header = cells.map((h) => h.trim());
    else rows.push({ line: rowNumber, cells });
  });
  return { sheet: ws.name, header: header ?? [], rows };
}
