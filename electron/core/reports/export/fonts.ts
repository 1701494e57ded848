import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/**
 * The Chinese font of the PDF export: Noto Sans SC as shipped by `@fontsource/noto-sans-sc`, one
 * WOFF file per unicode-range subset (~100 files, 40–80 KB each). PDFKit embeds only the glyphs a
 * document uses, so a report carries a few KB to a few hundred KB of font whatever machine made it;
 * no system font is ever looked up. WOFF, not WOFF2: PDFKit draws WOFF2 glyphs blank (the text
 * still extracts, so only a rendered page shows it).
 *
 * Resolved at run time from node_modules (not bundled), so the same files serve `tsx`, the
 * browser-mode host and the packaged app.
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
