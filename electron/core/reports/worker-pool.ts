// The desk's side of the report worker (worker.ts): starts worker threads, gives each one task at a
// time, keeps a couple idle for the next report, and stops a task on cancel.
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Report, ReportQueryParsed } from '../../../shared/reports.js';
import { sliceRange, type ReportPart, type ReportSlice } from './compute.js';
import { addDays, localDayStartUtc } from './scope.js';
import { DeskInputError } from '../store/errors.js';
import type { ExportSpec } from './export/run.js';
import { ExportCancelled, type ExportPhase } from './export/source.js';
import { CANCEL, STAGE, STAGE_KILLED, STAGE_OPEN, type WorkerData, type WorkerError, type WorkerReply, type WorkerTask } from './worker-protocol.js';

const require = createRequire(import.meta.url);

/** Threads a long period's report is split over (one slice of reported time each): the machine's cores, at most 4. */
const REPORT_THREADS = Math.max(1, Math.min(4, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length));
/** Periods at least this long (days) are split: a month's report is quicker on one thread than split and merged. */
const SPLIT_FROM_DAYS = 62;
/** ...and so are shorter ones holding at least this many incidents (a month of a very large desk). */
const SPLIT_FROM_INCIDENTS = 100_000;
/** Idle workers kept per database file, and for how long (a report screen asks again as filters change). */
const KEEP_IDLE = Math.max(2, REPORT_THREADS);
const IDLE_MS = 60_000;

/**
 * How to start the worker. Built (esbuild), the bundle that imports this sits beside its own worker
 * bundle: dist/report-worker.mjs for the browser-mode host, dist/electron/report-worker.cjs for
 * Electron (scripts/lib/bundles.mjs). From source (tsx, vitest), worker.ts is loaded through tsx's
 * loader, registered inside the thread (Node 20 does not pass a parent's loader hooks to workers).
 */
function workerSource(): { code: string | URL; eval: boolean } {
  for (const name of ['report-worker.mjs', 'report-worker.cjs']) {
    const url = new URL(`./${name}`, import.meta.url);
    if (url.protocol === 'file:' && fs.existsSync(fileURLToPath(url))) return { code: url, eval: false };
  }
  const ts = new URL('./worker.ts', import.meta.url);
  let api: string;
  try {
    api = pathToFileURL(require.resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  } catch {
    throw new Error(`the report worker is not built (no report-worker.mjs or .cjs beside ${fileURLToPath(import.meta.url)}) and tsx is not installed to run ${fileURLToPath(ts)}`);
  }
  return { code: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(ts.href)}); })`, eval: true };
}

/** The better-sqlite3 addon this process loaded, when it is not node_modules' own (Electron loads an Electron-ABI build by path). */
function loadedSqliteAddon(): string | undefined {
  if (process.env.RELAY_DESK_SQLITE_BINDING) return process.env.RELAY_DESK_SQLITE_BINDING;
  if (!process.versions.electron) return undefined;
  return Object.keys(require.cache).find((k) => k.endsWith('better_sqlite3.node'));
}

interface Running { id: number; control: Int32Array; onProgress?: (phase: ExportPhase, done: number, total: number) => void; resolve(v: unknown): void; reject(e: unknown): void }
interface Slot { worker: Worker; file: string; task: Running | null; idleTimer: NodeJS.Timeout | null; dead: boolean }

const idle = new Map<string, Slot[]>();
let nextId = 1;

function errorFrom(e: WorkerError): Error {
  if (e.name === 'ExportCancelled') return new ExportCancelled();
  if (e.name === 'DeskInputError' && Array.isArray(e.issues)) return new DeskInputError(e.issues as ConstructorParameters<typeof DeskInputError>[0]);
  const err = new Error(e.message) as NodeJS.ErrnoException;
  err.name = e.name;
  if (e.code) err.code = e.code;
  return err;
}

function spawn(file: string): Slot {
  const src = workerSource();
  const data: WorkerData = { file, nativeBinding: loadedSqliteAddon() };
  // From source, the thread gets no loader flags of its parent (vitest's, Playwright's): only tsx, registered by the code above.
  const worker = new Worker(src.code, { eval: src.eval, workerData: data, ...(src.eval ? { execArgv: [] } : {}) });
  const slot: Slot = { worker, file, task: null, idleTimer: null, dead: false };
  worker.on('message', (m: WorkerReply) => {
    const t = slot.task;
    if (!t || m.id !== t.id) return;
    if (m.type === 'progress') { t.onProgress?.(m.phase, m.done, m.total); return; }
    slot.task = null;
    if (m.type === 'done') t.resolve(m.result); else t.reject(errorFrom(m.error));
    release(slot);
  });
  const died = (err: Error) => {
    if (slot.dead) return;
    slot.dead = true;
    forget(slot);
    const t = slot.task;
    slot.task = null;
    t?.reject(err);
  };
  worker.on('error', died);
  worker.on('exit', (code) => died(new Error(`the report worker stopped (exit code ${code})`)));
  return slot;
}

function forget(slot: Slot): void {
  if (slot.idleTimer) clearTimeout(slot.idleTimer);
  slot.idleTimer = null;
  const list = idle.get(slot.file);
  const i = list?.indexOf(slot) ?? -1;
  if (i >= 0) list!.splice(i, 1);
}

function release(slot: Slot): void {
  if (slot.dead) return;
  const list = idle.get(slot.file) ?? [];
  if (list.length >= KEEP_IDLE) { slot.dead = true; void slot.worker.terminate(); return; }
  list.push(slot);
  idle.set(slot.file, list);
  // an idle worker does not keep the process alive (the CLI exits when its export is written)
  slot.worker.unref();
  slot.idleTimer = setTimeout(() => { forget(slot); slot.dead = true; void slot.worker.terminate(); }, IDLE_MS);
  slot.idleTimer.unref();
}

function acquire(file: string): Slot {
  const list = idle.get(file);
  const slot = list?.pop();
  if (slot) {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    slot.worker.ref();
    return slot;
  }
  return spawn(file);
}

export interface WorkerRun<T> {
  result: Promise<T>;
  /**
   * Stops the task: a worker that has not opened its file yet is terminated at once (that also cuts
   * short a report being computed); one that is writing stops at its next chunk and closes its file.
   * Either way `result` rejects with ExportCancelled.
   */
  cancel(): void;
}

type TaskInput = { kind: 'report'; query: ReportQueryParsed } | { kind: 'export'; spec: ExportSpec }
  | { kind: 'reportPart'; query: ReportQueryParsed; slice: ReportSlice }
  | { kind: 'reportFinish'; query: ReportQueryParsed; parts: ReportPart[] };

function start<T>(file: string, input: TaskInput, now: Date, onProgress?: Running['onProgress']): WorkerRun<T> {
  const slot = acquire(file);
  const id = nextId++;
  const buffer = new SharedArrayBuffer(8);
  const control = new Int32Array(buffer);
  let cancelled = false;
  const result = new Promise<T>((resolve, reject) => {
    slot.task = { id, control, onProgress, resolve: resolve as (v: unknown) => void, reject };
    slot.worker.postMessage({ ...input, id, control: buffer, now: now.toISOString() } satisfies WorkerTask);
  });
  return {
    result,
    cancel() {
      if (cancelled || slot.task?.id !== id) return;
      cancelled = true;
      Atomics.store(control, CANCEL, 1);
      if (Atomics.compareExchange(control, STAGE, STAGE_OPEN, STAGE_KILLED) === STAGE_OPEN) {
        const t = slot.task;
        slot.task = null;
        slot.dead = true;
        forget(slot);
        void slot.worker.terminate();
        t.reject(new ExportCancelled());
      }
    },
  };
}

/** Whether reports of this store can run in a worker: it must be a file the worker can open (not `:memory:`). */
export function workerFileOf(db: { name: string; memory: boolean }): string | null {
  return db.memory || !db.name || db.name === ':memory:' ? null : db.name;
}

/**
 * computeReport on worker threads over the desk's file, at the desk's time `now`. A long period (a
 * quarter, a year), or one holding 100,000 incidents or more, is cut into slices of reported time,
 * one per core: each thread adds up its slice (`reportPart`), and one of them makes the report from
 * the parts (`finishReport`) — the same report as one pass over the whole period
 * (test/reports/single-pass.test.ts).
 */
export async function computeReportInWorker(file: string, query: ReportQueryParsed, now: Date, opts: {
  /** Threads to split over (default: the cores, at most 4). */
  threads?: number;
  /** Split periods at least this long (days). */
  splitFromDays?: number;
  /** How many incidents the period holds, asked only for a period too short to split by its length. */
  periodIncidents?: (fromUtc: string, toUtc: string) => number;
} = {}): Promise<Report> {
  const { threads = REPORT_THREADS, splitFromDays = SPLIT_FROM_DAYS } = opts;
  const fromUtc = new Date(localDayStartUtc(query.from, query.timeZone)).toISOString();
  const toUtc = new Date(localDayStartUtc(addDays(query.to, 1), query.timeZone)).toISOString();
  const days = (Date.parse(toUtc) - Date.parse(fromUtc)) / 86_400_000;
  const split = threads >= 2 && (days >= splitFromDays || (opts.periodIncidents?.(fromUtc, toUtc) ?? 0) >= SPLIT_FROM_INCIDENTS);
  if (!split) return start<Report>(file, { kind: 'report', query }, now).result;
  const parts = await Promise.all(sliceRange(fromUtc, toUtc, threads).map((slice) => start<ReportPart>(file, { kind: 'reportPart', query, slice }, now).result));
  return start<Report>(file, { kind: 'reportFinish', query, parts }, now).result;
}

/** One export file written by a worker thread (export/run.ts); resolves to its size in bytes. */
export function exportInWorker(file: string, spec: ExportSpec, now: Date, onProgress: Running['onProgress']): WorkerRun<number> {
  return start<number>(file, { kind: 'export', spec }, now, onProgress);
}

/** Stops every idle worker (tests, and a desk being closed). Running tasks finish or are cancelled by their jobs. */
export async function closeIdleWorkers(): Promise<void> {
  const all = [...idle.values()].flat();
  idle.clear();
  await Promise.all(all.map((s) => { if (s.idleTimer) clearTimeout(s.idleTimer); s.dead = true; return s.worker.terminate(); }));
}

