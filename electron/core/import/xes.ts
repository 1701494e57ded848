import { SaxesParser } from 'saxes';
import type { OnProgress, SourceRow } from './table.js';
import { yieldToLoop } from './table.js';

const ATTR_TAGS = new Set(['string', 'date', 'int', 'float', 'boolean', 'id']);
const CHUNK_CHARS = 1 << 20;

/**
 * An XES event log (IEEE 1849) read as a table with one row per event: trace attributes become
 * columns named `case:<key>` (the case number is `case:concept:name`), event attributes keep their
 * key (`time:timestamp`, `concept:name`, `lifecycle:transition`, `org:resource`, …). The log's own
 * header (extensions, globals, classifiers, meta statistics) is skipped. Each row's line is the line
 * of its `<event>` tag. Streams through saxes in chunks, yielding to the event loop between them.
 */
export async function parseXes(text: string, opts: { onProgress?: OnProgress } = {}): Promise<{ header: string[]; rows: SourceRow[] }> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const columns: string[] = [];
  const index = new Map<string, number>();
  const col = (key: string) => {
    let k = index.get(key);
    if (k === undefined) { k = columns.length; columns.push(key); index.set(key, k); }
    return k;
  };
  col('case:concept:name');
  const rows: SourceRow[] = [];
  const stack: string[] = [];
  let traceAttrs: Array<[number, string]> = [];
  let traceRows: SourceRow[] = [];
  let event: SourceRow | null = null;
  let error: Error | null = null;

  parser.on('opentag', (node) => {
    const name = node.name;
    const parent = stack[stack.length - 1];
    stack.push(name);
    if (name === 'trace' && parent === 'log') { traceAttrs = []; traceRows = []; return; }
    if (name === 'event' && parent === 'trace') { event = { line: parser.line, cells: [] }; return; }
    if (!ATTR_TAGS.has(name)) return;
    const attrs = node.attributes as Record<string, string>;
    const key = attrs.key;
    if (key === undefined) return;
    if (parent === 'event' && event) event.cells[col(key)] = attrs.value ?? '';
    else if (parent === 'trace') traceAttrs.push([col('case:' + key), attrs.value ?? '']);
  });
  parser.on('closetag', (node) => {
    stack.pop();
    if (node.name === 'event' && event && stack[stack.length - 1] === 'trace') { traceRows.push(event); event = null; return; }
    if (node.name === 'trace' && stack[stack.length - 1] === 'log') {
      for (const r of traceRows) {
        for (const [k, v] of traceAttrs) r.cells[k] = v;
        rows.push(r);
      }
      traceRows = [];
    }
  });
  parser.on('error', (e) => { error ??= e; });

  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < body.length && !error; i += CHUNK_CHARS) {
    parser.write(body.slice(i, i + CHUNK_CHARS));
    opts.onProgress?.(Math.min(i + CHUNK_CHARS, body.length), body.length);
    await yieldToLoop();
  }
  if (!error) parser.close();
  if (error) throw new XesError((error as Error).message);
  // rows made before a late column appeared are shorter: fill with ''
  for (const r of rows) for (let k = 0; k < columns.length; k++) if (r.cells[k] === undefined) r.cells[k] = '';
  return { header: columns, rows };
}

export class XesError extends Error {
  constructor(message: string) { super(`not a readable XES file: ${message}`); this.name = 'XesError'; }
}
