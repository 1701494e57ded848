import { createHash } from 'node:crypto';
import { z } from 'zod';
import { OPEN_STATUSES, type FieldIssue } from '../../../shared/index.js';
import type { DeskStore } from '../store/desk-store.js';
import { DeskInputError } from '../store/errors.js';
import { buildEventLog, buildList, type BuildResult, type ImportRecord, type RowIssue } from './build.js';
import { parseCsv } from './csv.js';
import { decodeText, openFile } from './decode.js';
import { FIELDS, type Shape } from './fields.js';
import { importMappingInputSchema, rememberMapping, resolveMapping, type ImportMapping } from './mapping.js';
import type { SourceTable } from './table.js';
import { isValidZone } from './times.js';
import { writeImport } from './write.js';
import { readXlsx } from './xlsx.js';
import { parseXes, XesError } from './xes.js';

export const importFileSchema = z.object({
  fileName: z.string().trim().min(1).max(260),
  /** the file's bytes, base64; gzip is unpacked */
  contentBase64: z.string().min(1),
  shape: z.enum(['list', 'eventlog']).optional(),
  mapping: importMappingInputSchema.optional(),
  /** chosen by the client to poll `import.progress` with */
  jobId: z.string().trim().min(1).max(64).optional(),
  /**
   * Commit: the file's open incidents become live work (queue scopes, SLA order, escalation sweep).
   * Default: every imported incident is history (issue 14, item 5).
   */
  liveOpen: z.boolean().default(false),
});
export type ImportFileInput = z.input<typeof importFileSchema>;

export const MAX_ERRORS = 500;
const OPEN = new Set<string>(OPEN_STATUSES);
export const SAMPLE_SIZE = 20;

// ---- progress -----------------------------------------------------------------------------------

export type ImportPhase = 'parsing' | 'validating' | 'writing' | 'done' | 'failed';
export interface ImportProgress { phase: ImportPhase; done: number; total: number; message?: string }
const jobs = new Map<string, ImportProgress & { at: number }>();
const JOB_TTL_MS = 30 * 60_000;

function setJob(jobId: string | undefined, p: ImportProgress): void {
  if (!jobId) return;
  const now = Date.now();
  jobs.set(jobId, { ...p, at: now });
  if (jobs.size > 50) for (const [k, v] of jobs) if (now - v.at > JOB_TTL_MS) jobs.delete(k);
}
export function importProgress(jobId: string): ImportProgress | null {
  const j = jobs.get(jobId);
  return j ? { phase: j.phase, done: j.done, total: j.total, ...(j.message ? { message: j.message } : {}) } : null;
}

// ---- reading ------------------------------------------------------------------------------------

/** The last file read, so a commit right after its preview does not parse the file again. */
const tableCache = new Map<string, SourceTable>();
const CACHE_TTL_MS = 5 * 60_000;
let dropTimer: ReturnType<typeof setTimeout> | undefined;
/** Parsed files and checked records are large (tens of MB for the VINST log): dropped after a commit or after 5 minutes. */
function dropCachesLater(): void {
  if (dropTimer) clearTimeout(dropTimer);
  dropTimer = setTimeout(dropCaches, CACHE_TTL_MS);
  dropTimer.unref?.();
}
function dropCaches(store?: DeskStore): void {
  tableCache.clear();
  if (store) lastBuilds.delete(store);
  else lastBuilds = new WeakMap();
}

/** A file's bytes (base64 decoded once per call) and its cache key: a hash of its name and bytes. */
interface FileBytes { key: string; bytes: Buffer }
function fileBytes(fileName: string, contentBase64: string): FileBytes {
  const bytes = Buffer.from(contentBase64, 'base64');
  // hashing the bytes, not the 4/3 longer base64 string (which would be re-encoded first): ~10× faster
  return { key: createHash('sha256').update(fileName).update('\0').update(bytes).digest('hex'), bytes };
}

export async function readTable(fileName: string, contentBase64: string, jobId?: string, file: FileBytes = fileBytes(fileName, contentBase64)): Promise<SourceTable> {
  const key = file.key;
  const hit = tableCache.get(key);
  if (hit) return hit;
  setJob(jobId, { phase: 'parsing', done: 0, total: 1 });
  const raw = await openFile(fileName, file.bytes);
  const onProgress = (done: number, total: number) => setJob(jobId, { phase: 'parsing', done, total });
  let table: SourceTable;
  if (raw.format === 'xlsx') {
    let x;
    try { x = await readXlsx(raw.bytes); } catch (e) { throw fileError(`not a readable XLSX workbook: ${(e as Error).message}`); }
    table = { format: 'xlsx', gzip: raw.gzip, encoding: 'xlsx', sheet: x.sheet, columns: x.header, rows: x.rows };
  } else {
    const { text, encoding } = decodeText(raw.bytes);
    if (raw.format === 'xes') {
      try {
        const x = await parseXes(text, { onProgress });
        table = { format: 'xes', gzip: raw.gzip, encoding, columns: x.header, rows: x.rows };
      } catch (e) {
        if (e instanceof XesError) throw fileError(e.message);
        throw e;
      }
    } else {
      const c = await parseCsv(text, { onProgress });
      table = { format: 'csv', gzip: raw.gzip, encoding, delimiter: c.delimiter, columns: c.header, rows: c.rows };
    }
  }
  tableCache.clear();
  tableCache.set(key, table);
  dropCachesLater();
  return table;
}

const fileError = (message: string) => new DeskInputError([{ path: 'file', message }]);

// ---- preview and commit ---------------------------------------------------------------------------

/** Per desk: the last file checked, with its mapping (what a build depends on besides the store's categories). */
let lastBuilds = new WeakMap<DeskStore, { key: string; at: number; build: BuildResult }>();

interface Prepared { table: SourceTable; mapping: ImportMapping; mappingFrom: 'given' | 'remembered' | 'detected'; signature: string; build: BuildResult; headerIssues: RowIssue[] }

async function prepare(store: DeskStore, input: ImportFileInput): Promise<Prepared> {
  const file = fileBytes(input.fileName, input.contentBase64);
  const table = await readTable(input.fileName, input.contentBase64, input.jobId, file);
  if (table.columns.length === 0) throw fileError('the file is empty');
  const { mapping, from, signature } = resolveMapping(store, table.format, table.columns, { shape: input.shape, given: input.mapping });
  const mIssues = [];
  if (!isValidZone(mapping.timeZone)) mIssues.push({ path: 'mapping.timeZone', message: `unknown time zone "${mapping.timeZone}" (use an IANA name such as Asia/Shanghai)` });
  const cats = new Set(store.listCategories().map((c) => c.id));
  if (mapping.defaults.categoryId && !cats.has(mapping.defaults.categoryId)) mIssues.push({ path: 'mapping.defaults.categoryId', message: `unknown category ${mapping.defaults.categoryId}` });
  for (const [field, vals] of Object.entries(mapping.values)) {
    if (field !== 'category') continue;
    for (const [from, to] of Object.entries(vals)) if (!cats.has(to)) mIssues.push({ path: `mapping.values.category.${from}`, message: `unknown category ${to}` });
  }
  if (mIssues.length) throw new DeskInputError(mIssues);

  // a required field without a column: one error on the header line instead of one per row
  const headerIssues: RowIssue[] = [];
  for (const d of FIELDS[mapping.shape]) {
    if (!d.required || mapping.columns[d.key]) continue;
    if (d.key === 'requester' && mapping.defaults.requester) continue;
    headerIssues.push({ line: 1, column: `${d.zh}/${d.en}`, message: `no column is mapped to ${d.zh}/${d.en} (required)`, code: 'no_column', params: { field: d.key, zh: d.zh, en: d.en }, field: d.key });
  }
  if (mapping.shape === 'list' && !mapping.columns.category && !mapping.defaults.categoryId && mapping.unknownCategory !== 'other') {
    headerIssues.push({ line: 1, column: '分类/Category', message: 'no column is mapped to 分类/Category: map one, or choose a default category', code: 'no_column', params: { field: 'category', zh: '分类', en: 'Category' }, field: 'category' });
  }
  if (mapping.shape === 'eventlog' && !mapping.columns.status) headerIssues.push({ line: 1, column: '状态/Status', message: 'no column is mapped to 状态/Status (required)', code: 'no_column', params: { field: 'status', zh: '状态', en: 'Status' }, field: 'status' });
  const total = table.rows.length;
  // a commit right after its preview (same file, same mapping) reuses the preview's work
  const buildKey = `${file.key}|${JSON.stringify(mapping)}`;
  const lastBuild = lastBuilds.get(store);
  if (!headerIssues.length && lastBuild && lastBuild.key === buildKey && Date.now() - lastBuild.at < CACHE_TTL_MS) {
    return { table, mapping, mappingFrom: from, signature, build: lastBuild.build, headerIssues };
  }
  setJob(input.jobId, { phase: 'validating', done: 0, total });
  const onProgress = (done: number, t: number) => setJob(input.jobId, { phase: 'validating', done: Math.round((done / Math.max(1, t)) * total), total });
  const empty: BuildResult = { records: [], issues: [], rows: total, incidents: 0, naiveTimes: 0, statusValues: [], repaired: [] };
  const build = headerIssues.length ? empty
    : mapping.shape === 'eventlog' ? await buildEventLog(store, table, mapping, onProgress) : await buildList(store, table, mapping, onProgress);
  lastBuilds.set(store, { key: buildKey, at: Date.now(), build });
  if (total === 0) headerIssues.push({ line: 1, column: '(file)', message: 'the file has a header but no rows' });
  return { table, mapping, mappingFrom: from, signature, build, headerIssues };
}

function duplicates(store: DeskStore, records: ImportRecord[], source: string): Set<string> {
  const out = new Set<string>();
  // import keys are `<source>:<number>`: nothing from this source yet (a first import), nothing to look up
  const any = store.db.prepare('SELECT 1 FROM incidents WHERE import_key >= ? AND import_key < ? LIMIT 1').pluck();
  if (!any.get(`${source}:`, `${source};`)) return out;
  const st = store.db.prepare('SELECT 1 FROM incidents WHERE import_key = ?').pluck();
  for (const r of records) if (st.get(r.importKey)) out.add(r.importKey);
  return out;
}

const describe = (i: RowIssue) => `line ${i.line}, column ${i.column}: ${i.message}`;

export async function previewImport(store: DeskStore, input: ImportFileInput) {
  try {
    const p = await prepare(store, input);
    const { table, mapping, build } = p;
    const issues = [...p.headerIssues, ...build.issues];
    const dups = duplicates(store, build.records, mapping.source);
    const fields = FIELDS[mapping.shape].map((d) => ({ field: d.key, zh: d.zh, en: d.en, required: !!d.required, column: mapping.columns[d.key] ?? null, ...(d.note ? { note: d.note } : {}) }));
    setJob(input.jobId, { phase: 'done', done: table.rows.length, total: table.rows.length });
    return {
      fileName: input.fileName,
      format: table.format,
      gzip: table.gzip,
      encoding: table.encoding,
      delimiter: table.delimiter ?? null,
      sheet: table.sheet ?? null,
      shape: mapping.shape,
      columns: table.columns,
      headerSignature: p.signature,
      mapping,
      /** given by the caller, remembered from the last import of this header, or detected */
      mappingFrom: p.mappingFrom,
      fields,
      timeZone: mapping.timeZone,
      /** how many timestamps had no offset and were read in `timeZone` */
      naiveTimes: build.naiveTimes,
      timeZoneNote: build.naiveTimes
        ? `${build.naiveTimes} timestamps have no time zone and are read as ${mapping.timeZone} time`
        : `every timestamp carries its own offset; ${mapping.timeZone} is used only for ones without`,
      statusValues: build.statusValues,
      repairedNames: build.repaired,
      rows: build.rows,
      /** distinct incidents in the file */
      incidents: build.incidents,
      /** would be created by a commit now (valid, not imported before) */
      toCreate: issues.length ? 0 : build.records.length - dups.size,
      /** already imported (same import key) */
      duplicates: dups.size,
      /** of those to create, still open in the source: history unless the commit says `liveOpen` */
      open: issues.length ? 0 : build.records.reduce((n, r) => n + (OPEN.has(r.incident.status) && !dups.has(r.importKey) ? 1 : 0), 0),
      valid: build.records.length,
      sample: build.records.slice(0, SAMPLE_SIZE).map((r) => ({
        importKey: r.importKey,
        duplicate: dups.has(r.importKey),
        incident: { ...r.incident, priority: r.incident.priority ?? store.priorityOf(r.incident).priority },
        historyCount: r.history.length,
        history: r.history.slice(0, 30),
      })),
      errors: issues.slice(0, MAX_ERRORS).map((i) => ({ ...i, text: describe(i) })),
      errorCount: issues.length,
      ok: issues.length === 0,
    };
  } catch (e) {
    setJob(input.jobId, { phase: 'failed', done: 0, total: 0, message: (e as Error).message });
    throw e;
  }
}

/**
 * All or nothing: a single bad row refuses the whole file (BAD_REQUEST, issues `line N · Column`),
 * otherwise `writeImport` writes every incident in one transaction, in slices between which the
 * event loop turns (progress stays live; see write.ts). Incidents already imported (same import key)
 * are skipped. The mapping used is remembered for this header.
 */
export async function commitImport(store: DeskStore, input: ImportFileInput): Promise<{ created: number; skipped: number; live: number; source: string; shape: Shape }> {
  try {
    const p = await prepare(store, input);
    const issues = [...p.headerIssues, ...p.build.issues];
    if (issues.length) {
      const shown: FieldIssue[] = issues.slice(0, MAX_ERRORS).map((i) => ({ path: `line ${i.line} · ${i.column}`, message: i.message, ...(i.code ? { code: i.code, params: i.params } : {}) }));
      if (issues.length > MAX_ERRORS) shown.push({ path: 'file', message: `and ${issues.length - MAX_ERRORS} more errors (${issues.length} in all); nothing was imported` });
      throw new DeskInputError(shown);
    }
    const total = p.build.records.length;
    setJob(input.jobId, { phase: 'writing', done: 0, total });
    const res = await writeImport(store, p.build.records, {
      onProgress: (done) => setJob(input.jobId, { phase: 'writing', done, total }),
      beforeCommit: () => rememberMapping(store, p.signature, p.mapping),
      liveOpen: input.liveOpen === true,
    });
    dropCaches(store);
    setJob(input.jobId, { phase: 'done', done: total, total });
    return { created: res.created, skipped: res.skipped, live: res.live, source: p.mapping.source, shape: p.mapping.shape };
  } catch (e) {
    setJob(input.jobId, { phase: 'failed', done: 0, total: 0, message: (e as Error).message });
    throw e;
  }
}
