// Chinese has no spaces between words, so unicode61 would index a whole sentence as one token.
// Each CJK character becomes its own token instead, and a Chinese query becomes a phrase of
// characters: "网络" matches the adjacent tokens 网 络. Latin text keeps word tokens, queried by prefix
// so results appear while the agent is still typing.
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/u;
const CJK_G = /([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af])/gu;

export function ftsText(parts: Array<string | null | undefined>): string {
  return parts.filter(Boolean).join(' \n ').replace(CJK_G, ' $1 ');
}

/** A user's search box text → an FTS5 MATCH expression (AND of terms), or null if nothing searchable. */
export function ftsQuery(input: string): string | null {
  const terms: string[] = [];
  for (const raw of input.normalize('NFKC').toLowerCase().split(/\s+/)) {
    // Split a mixed term ("vpn连不上") into runs of CJK and of word characters.
    const runs = raw.match(/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+|[\p{L}\p{N}]+/gu) ?? [];
    for (const run of runs) {
      if (CJK.test(run)) terms.push(`"${[...run].join(' ')}"`);
      else terms.push(`"${run}"*`);
    }
  }
  return terms.length ? terms.join(' AND ') : null;
}

/** A short excerpt around the first hit, for the search results list. */
export function snippet(text: string, query: string, width = 60): string {
  const hay = text.toLowerCase();
  const needles = query.toLowerCase().split(/\s+/).filter(Boolean);
  let at = -1;
  for (const n of needles) { at = hay.indexOf(n); if (at >= 0) break; }
  if (at < 0) return text.slice(0, width) + (text.length > width ? '…' : '');
  const start = Math.max(0, at - Math.floor(width / 3));
  return (start > 0 ? '…' : '') + text.slice(start, start + width) + (start + width < text.length ? '…' : '');
}
