import { gunzip as gunzipCb } from 'node:zlib';
import { promisify } from 'node:util';

const gunzip = promisify(gunzipCb);

export type FileFormat = 'csv' | 'xlsx' | 'xes';
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** A file as uploaded: unzipped when gzip, and what kind of file it is. */
export interface RawFile { bytes: Buffer; gzip: boolean; format: FileFormat }

const isGzip = (b: Buffer) => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * Unzips gzip input (the name may or may not end in .gz) and tells CSV from XLSX from XES: by the
 * content first (an XLSX is a zip; an XES is XML with a <log> or <trace>), the name second.
 * Gunzip runs on libuv's thread pool, so a large file does not block the app while it inflates.
 */
export async function openFile(fileName: string, content: Buffer): Promise<RawFile> {
  let bytes = content;
  let gzip = false;
  if (isGzip(bytes)) { bytes = await gunzip(bytes); gzip = true; }
  const name = fileName.toLowerCase().replace(/\.gz$/, '');
  let format: FileFormat;
  if (isZip(bytes) || name.endsWith('.xlsx')) format = 'xlsx';
  else if (name.endsWith('.xes') || name.endsWith('.xml') || looksLikeXes(bytes)) format = 'xes';
  else format = 'csv';
  return { bytes, gzip, format };
}

function looksLikeXes(b: Buffer): boolean {
  const head = b.subarray(0, 4096).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  return head.startsWith('<') && /<(log|trace)[\s>]/.test(head);
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const gb18030 = new TextDecoder('gb18030', { ignoreBOM: true });

/**
 * Text in UTF-8 (with or without BOM) or GB18030, the two encodings Chinese desks export CSV in
 * (Excel's "CSV UTF-8" vs plain "CSV" on a zh-CN Windows). Valid UTF-8 is read as UTF-8, anything
 * else as GB18030 (a superset of GBK and GB2312). A UTF-16 BOM (Excel's "Unicode text") is honoured.
 */
export function decodeText(bytes: Buffer): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: utf8Strict.decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: utf8Strict.decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: gb18030.decode(bytes), encoding: 'gb18030' };
  }
}

// ---- Mac Roman mojibake ------------------------------------------------------------------------

let macRomanByte: Map<string, number> | undefined;
function macRoman(): Map<string, number> {
  if (!macRomanByte) {
    macRomanByte = new Map();
    const dec = new TextDecoder('macintosh');
    for (let b = 0x80; b <= 0xff; b++) macRomanByte.set(dec.decode(Uint8Array.of(b)), b);
  }
  return macRomanByte;
}

/**
 * Reverses Latin-1 text that was read as Mac Roman (`Bjˆrn` → `Björn`, `≈sa` → `Åsa`), as in the
 * owner names of IBM's VINST CSV export. Returns null when the value cannot be such mojibake: a
 * character outside Mac Roman, or a result that is not letters (a correct `Hélène` would turn into
 * C1 control characters, so it is left alone).
 */
export function unMacRoman(s: string): string | null {
  if (!/[^\x00-\x7f]/.test(s)) return null;
  const table = macRoman();
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) { out += ch; continue; }
    const b = table.get(ch);
    if (b === undefined || b < 0xa0) return null;
    const fixed = String.fromCharCode(b);
    if (!/\p{L}/u.test(fixed)) return null;
    out += fixed;
  }
  return out;
}

/**
 * A column is taken as Mac Roman mojibake only when some of its values hold characters that no
 * Latin-1 name has (ˆ ≈ ‰ ¸ …) and turn into letters when reversed; then every value that reverses
 * cleanly is fixed. A column of correct accented names is left as it is.
 */
export function detectMacRomanColumn(values: Iterable<string>): boolean {
  let evidence = 0;
  for (const v of values) {
    if (!/[^\x00-\xff]/.test(v)) continue;
    if (unMacRoman(v) !== null) evidence++;
    else return false;
  }
  return evidence > 0;
}
