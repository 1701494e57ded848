import type { SourceRow, OnProgress } from './table.js';
import { yieldToLoop } from './table.js';

const CHUNK_CHARS = 1 << 20;

/**
 * The delimiter a CSV uses: comma, semicolon (Excel in many European locales), tab (Excel's
 * "Unicode text") or pipe, whichever splits the header line (outside quotes) most often.
 */
export function detectDelimiter(text: string): string {
  const end = text.search(/\r|\n/);
  const first = end < 0 ? text : text.slice(0, end);
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    let n = 0;
    let quoted = false;
    for (const ch of first) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) n++;
    }
    if (n > bestCount) { best = d; bestCount = n; }
  }
  return best;
}

/**
 * RFC 4180 CSV: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF, LF or CR
 * line ends. Each record carries the physical line it starts on (line 1 = the header), so an error
 * can name the line a user sees in a text editor. Blank lines are skipped. Parses in chunks of about
 * a megabyte and yields to the event loop between them.
 */
export async function parseCsv(text: string, opts: { delimiter?: string; onProgress?: OnProgress } = {}): Promise<{ header: string[]; rows: SourceRow[]; delimiter: string }> {
  const delim = opts.delimiter ?? detectDelimiter(text);
  const D = delim.charCodeAt(0);
  const Q = 34, CR = 13, LF = 10;
  const n = text.length;
  const records: SourceRow[] = [];
  let line = 1;
  let i = 0;
  let nextYield = CHUNK_CHARS;
  while (i < n) {
    if (i >= nextYield) {
      opts.onProgress?.(i, n);
      await yieldToLoop();
      nextYield = i + CHUNK_CHARS;
    }
    const startLine = line;
    const cells: string[] = [];
    // one record
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === Q) {
        // quoted field
        let j = i + 1;
        let buf = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) { buf += text.slice(j); j = n; break; }
          buf += text.slice(j, q);
          if (text.charCodeAt(q + 1) === Q) { buf += '"'; j = q + 2; continue; }
          j = q + 1;
          break;
        }
        for (let k = 0; k < buf.length; k++) {
          const c = buf.charCodeAt(k);
          if (c === LF || (c === CR && buf.charCodeAt(k + 1) !== LF)) line++;
        }
        // anything between the closing quote and the delimiter is kept (lenient, like Excel)
        let e = j;
        while (e < n) { const c = text.charCodeAt(e); if (c === D || c === CR || c === LF) break; e++; }
        value = buf + text.slice(j, e);
        i = e;
      } else {
        let e = i;
        while (e < n) { const c = text.charCodeAt(e); if (c === D || c === CR || c === LF) break; e++; }
        value = text.slice(i, e);
        i = e;
      }
      cells.push(value);
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === D) { i++; if (i >= n) { cells.push(''); break; } continue; }
      // line end
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      break;
    }
    if (cells.length === 1 && cells[0] === '') continue;
    records.push({ line: startLine, cells });
  }
  opts.onProgress?.(n, n);
  const head = records.shift();
  return { header: head ? head.cells.map((h) => h.trim()) : [], rows: records, delimiter: delim };
}

/** One CSV field, quoted when it needs to be. */
export function csvField(v: string | number | null | undefined, delim = ','): string {
  const s = v == null ? '' : String(v);
  return /["\r\n]/.test(s) || s.includes(delim) ? `"${s.replace(/"/g, '""')}"` : s;
}
