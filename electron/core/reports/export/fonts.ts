import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

/**
 * The Chinese font of the PDF export: Noto Sans SC as shipped by `@fontsource/noto-sans-sc`, one
 * WOFF file per unicode-range subset (~100 files, 40–80 KB each). PDFKit embeds only the glyphs a
 * document uses, so a report carries a few KB to a few hundred KB of font whatever machine made it;
 * no system font is ever looked up. WOFF, not WOFF2: PDFKit draws WOFF2 glyphs blank (the text
 * still extracts, so only a rendered page shows it).
 *
 * Resolved at run time from node_modules (not bundled), so the same files serve `tsx`, the
 * browser-mode host and the packaged app. Each WOFF is unpacked to a plain TrueType font once per
 * process with Node's zlib (fontkit inflates WOFF tables in JavaScript, which cost seconds a PDF).
 */
const require = createRequire(import.meta.url);

export interface FontSet {
  /** subset key → WOFF file */
  files: Map<string, string>;
  keys: string[];
  /** code point → 1 + index in `keys` (0: none); subsets overlap, the first listed wins, latin first */
  table: Uint8Array;
  fallback: string;
}

let cached: FontSet | null = null;
export function notoSansSc(weight: 400 | 700 = 400): FontSet {
  if (cached && weight === 400) return cached;
  const dir = path.dirname(require.resolve('@fontsource/noto-sans-sc/LICENSE'));
  const unicode = JSON.parse(fs.readFileSync(path.join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
  const files = new Map<string, string>();
  const keys: string[] = [];
  const table = new Uint8Array(0x110000);
  // latin first, so Latin letters and digits come from one subset and runs stay long
  const entries = Object.entries(unicode).sort(([a], [b]) => Number(b === 'latin') - Number(a === 'latin'));
  for (const [name, spec] of entries) {
    const key = name.replace(/^\[(.*)\]$/, '$1');
    const file = path.join(dir, 'files', `noto-sans-sc-${key}-${weight}-normal.woff`);
    if (!fs.existsSync(file)) continue;
    files.set(key, file);
    keys.push(key);
    const idx = keys.length;
    for (const part of spec.split(',')) {
      const m = /^U\+([0-9a-f?]+)(?:-([0-9a-f]+))?$/i.exec(part.trim());
      if (!m) continue;
      const start = parseInt(m[1].replace(/\?/g, '0'), 16);
      const end = m[2] ? parseInt(m[2], 16) : m[1].includes('?') ? parseInt(m[1].replace(/\?/g, 'f'), 16) : start;
      for (let cp = start; cp <= Math.min(end, 0x10ffff); cp++) if (!table[cp]) table[cp] = idx;
    }
  }
  const set: FontSet = { files, keys, table, fallback: files.has('latin') ? 'latin' : keys[0] };
  if (weight === 400) cached = set;
  return set;
}

/** The subset holding a code point, or the fallback. */
export function subsetOf(set: FontSet, cp: number): string {
  const i = set.table[cp];
  return i ? set.keys[i - 1] : set.fallback;
}

/** Text cut into runs that each one subset font can draw. Spaces join the run they are in. */
export function fontRuns(set: FontSet, text: string): Array<{ key: string; text: string }> {
  const out: Array<{ key: string; text: string }> = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const last = out[out.length - 1];
    if (last && (cp === 0x20 || subsetOf(set, cp) === last.key)) { last.text += ch; continue; }
    out.push({ key: subsetOf(set, cp), text: ch });
  }
  return out;
}

/** WOFF 1.0 → the sfnt (TrueType/OpenType) font it wraps: each table inflated, the table directory rebuilt. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF font');
  const flavor = woff.readUInt32BE(4);
  const n = woff.readUInt16BE(12);
  const tables: Array<{ tag: number; checksum: number; data: Buffer }> = [];
  for (let i = 0; i < n; i++) {
    const e = 44 + i * 20;
    const off = woff.readUInt32BE(e + 4); const comp = woff.readUInt32BE(e + 8); const orig = woff.readUInt32BE(e + 12);
    const raw = woff.subarray(off, off + comp);
    tables.push({ tag: woff.readUInt32BE(e), checksum: woff.readUInt32BE(e + 16), data: comp < orig ? zlib.inflateSync(raw) : raw });
  }
  let pow = 1; let log = 0;
  while (pow * 2 <= n) { pow *= 2; log += 1; }
  const head = Buffer.alloc(12 + 16 * n);
  head.writeUInt32BE(flavor, 0); head.writeUInt16BE(n, 4); head.writeUInt16BE(pow * 16, 6); head.writeUInt16BE(log, 8); head.writeUInt16BE(n * 16 - pow * 16, 10);
  const parts: Buffer[] = [head];
  let offset = head.length;
  tables.forEach((t, i) => {
    const e = 12 + i * 16;
    head.writeUInt32BE(t.tag, e); head.writeUInt32BE(t.checksum, e + 4); head.writeUInt32BE(offset, e + 8); head.writeUInt32BE(t.data.length, e + 12);
    const pad = (4 - (t.data.length % 4)) % 4;
    parts.push(t.data, Buffer.alloc(pad));
    offset += t.data.length + pad;
  });
  return Buffer.concat(parts);
}

const sfntCache = new Map<string, Buffer>();
/** The font of a subset as TrueType bytes, unpacked once per process. */
export function subsetFont(set: FontSet, key: string): Buffer {
  const file = set.files.get(key) ?? set.files.get(set.fallback)!;
  let buf = sfntCache.get(file);
  if (!buf) { buf = woffToSfnt(fs.readFileSync(file)); sfntCache.set(file, buf); }
  return buf;
}
