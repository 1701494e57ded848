import { TRPCError } from '@trpc/server';

/**
 * Every request body (and `input` query parameter) is scanned as raw JSON text before any procedure
 * runs, on both routes (tRPC's standard adapter and the bulk route), so that the same refusal comes
 * from both storage backends and nothing hostile reaches a parser, a schema or the database:
 * - nesting deeper than `MAX_JSON_DEPTH` (a 100,000-deep body made the server answer 500);
 * - a string, key or value, holding U+0000 (PostgreSQL cannot store it in text: 500) or a lone
 *   surrogate (not text: it has no UTF-8 form, so it cannot be stored or sent back unchanged).
 * The scan is one pass over the characters with an explicit stack (never recursion), and names the
 * JSON path of what it refuses (`mutations.0.args.incident.title`).
 */
export const MAX_JSON_DEPTH = 64;

export interface GuardIssue { path: (string | number)[]; message: string }

/** An input refusal that the router's error formatter turns into `data.issues` naming the field. */
export class InputRefused extends Error {
  constructor(readonly issues: GuardIssue[]) {
    super(issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; '));
  }
}
export const refusal = (issues: GuardIssue[]) => new TRPCError({ code: 'BAD_REQUEST', message: new InputRefused(issues).message, cause: new InputRefused(issues) });
/** A BAD_REQUEST naming one field (admin checks that need the database). */
export const fieldError = (field: string, message: string) => refusal([{ path: field.split('.'), message }]);

const MAX_KEY_IN_PATH = 64;

interface Frame { array: boolean; key: string | number; expectKey: boolean }

const LONE = 'contains a lone surrogate (not valid Unicode text)';
/** Outside strings: the next structural character. Inside: the next quote, escape, NUL or surrogate. */
const STRUCTURE = /[{}[\],"]/g;
const IN_STRING = /["\\\u0000\ud800-\udfff]/g;

/** Any NUL or surrogate at all, raw or escaped (surrogate pairs too: then the careful scan decides). */
const SUSPECT = /[\u0000\ud800-\udfff]|\\u(?:0000|[dD][89a-fA-F])/;

/**
 * The common case, fast (a push is megabytes): no suspicious character anywhere, and nesting within
 * bounds — found by jumping from string to string with indexOf and counting brackets between them.
 */
function plainlyClean(text: string, maxDepth: number): boolean {
  if (SUSPECT.test(text)) return false;
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const q = text.indexOf('"', i);
    const end = q < 0 ? n : q;
    for (let k = i; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x7b || c === 0x5b) { if (++depth > maxDepth) return false; } else if (c === 0x7d || c === 0x5d) depth--;
    }
    if (q < 0) break;
    // Skip the string: the next quote not escaped by an odd run of backslashes.
    let close = q;
    for (;;) {
      close = text.indexOf('"', close + 1);
      if (close < 0) return true; // unterminated: the JSON parser refuses it
      let b = 0;
      while (text.charCodeAt(close - 1 - b) === 0x5c) b++;
      if (b % 2 === 0) break;
    }
    i = close + 1;
  }
  return true;
}

/** The first problem in `text`, or null. Malformed JSON is left for the JSON parser to refuse. */
export function scanJson(text: string, maxDepth = MAX_JSON_DEPTH): GuardIssue | null {
  if (plainlyClean(text, maxDepth)) return null;
  return scanCarefully(text, maxDepth);
}

/** One pass with an explicit stack, naming the path of the first problem. */
function scanCarefully(text: string, maxDepth: number): GuardIssue | null {
  const stack: Frame[] = [];
  const path = (drop = 0) => stack.slice(0, stack.length - drop).map((f) => f.key).filter((k) => k !== '');
  const n = text.length;
  STRUCTURE.lastIndex = 0;
  for (let m = STRUCTURE.exec(text); m; m = STRUCTURE.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) return { path: path(), message: `nested deeper than ${maxDepth} levels` };
      stack.push({ array: c === 0x5b, key: c === 0x5b ? 0 : '', expectKey: c === 0x7b });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.array) top.key = (top.key as number) + 1;
      else if (top) top.expectKey = true;
    } else {
      const top = stack[stack.length - 1];
      const isKey = !!top && !top.array && top.expectKey;
      // The string: find its end; refuse NUL (raw or \u0000) and lone surrogates (raw or escaped).
      let problem: string | null = null;
      let pendingHigh = false; // a high surrogate waiting for its low half, which must start at lastEnd
      let lastEnd = 0;
      let j = i + 1;
      IN_STRING.lastIndex = j;
      for (;;) {
        const hit = IN_STRING.exec(text);
        if (!hit) { j = n; break; }
        j = hit.index;
        if (pendingHigh && j !== lastEnd) { problem = LONE; break; }
        let u = text.charCodeAt(j);
        if (u === 0x22) { if (pendingHigh) problem = LONE; break; }
        if (u === 0x5c) {
          if (text.charCodeAt(j + 1) !== 0x75 /* u */) {
            if (pendingHigh) { problem = LONE; break; }
            IN_STRING.lastIndex = j + 2;
            continue;
          }
          u = parseInt(text.slice(j + 2, j + 6), 16);
          IN_STRING.lastIndex = j + 6;
          if (Number.isNaN(u)) continue;
        }
        if (u === 0) { problem = 'contains a NUL character'; break; }
        if (u >= 0xd800 && u <= 0xdbff) {
          if (pendingHigh) { problem = LONE; break; }
          pendingHigh = true;
          lastEnd = IN_STRING.lastIndex;
        } else if (u >= 0xdc00 && u <= 0xdfff) {
          if (!pendingHigh || j !== lastEnd) { problem = LONE; break; }
          pendingHigh = false;
        } else if (pendingHigh) { problem = LONE; break; }
      }
      if (problem) return isKey ? { path: path(1), message: `a key ${problem}` } : { path: path(), message: problem };
      if (isKey && top) {
        const raw = text.slice(i + 1, Math.min(j, i + 1 + MAX_KEY_IN_PATH * 6));
        let key: string;
        try { key = raw.includes('\\') ? JSON.parse(`"${raw}"`) : raw; } catch { key = raw; }
        top.key = key.length > MAX_KEY_IN_PATH ? `${key.slice(0, MAX_KEY_IN_PATH)}…` : key;
        top.expectKey = false;
      }
      STRUCTURE.lastIndex = j + 1;
    }
  }
  return null;
}

/** Throws BAD_REQUEST naming the field when `text` holds what `scanJson` refuses. */
export function guardJsonText(text: string | null | undefined): void {
  if (!text) return;
  const issue = scanJson(text);
  if (issue) throw refusal([issue]);
}
