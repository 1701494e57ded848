import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DeskStore } from '../../store/desk-store.js';
import { DeskInputError, DeskNotFoundError } from '../../store/errors.js';
import { reportQuerySchema, type ExportFormat, type Report, type ReportQuery, type ReportQueryParsed } from '../../../../shared/reports.js';
import { reportScope } from '../scope.js';
import { exportInWorker, workerFileOf } from '../worker-pool.js';
import type { ExportLang } from './labels.js';
import { writeExportFile, type ExportSpec } from './run.js';
import { ExportCancelled, type ExportCtx, type ExportPhase } from './source.js';

/**
 * Export jobs (issue 11, item 3): one file per job, written to a temporary file in the target
 * folder and renamed when whole (fsync first), so a file is there complete or not at all; a
 * cancelled or failed job removes its temporary file. The report and the file are made on a worker
 * thread (worker.ts) with its own read-only connection, so the desk's event loop stays free for the
 * console; the renderer polls progress by job id. An in-memory store (no file a worker could open)
 * is exported on the desk's thread in chunks with setImmediate between them.
 */
export interface StartExportInput {
  query: ReportQuery | ReportQueryParsed;
  format: ExportFormat;
  lang: ExportLang;
  /** The file to write (a save dialog's answer, the CLI's --out); default: `<dataDir>/exports/<name>`. */
  path?: string;
  /** Who exports (shown on the PDF's cover). */
  user: string;
}
export type ExportState = 'running' | 'done' | 'failed' | 'cancelled';
export interface ExportStatus {
  jobId: string; state: ExportState; phase: ExportPhase; done: number; total: number;
  fileName: string; format: ExportFormat; error: string | null; bytes: number | null;
}
export interface ExportDeps {
  /** The report behind the XLSX and PDF files (the CSV lists incidents only), made on the desk's thread; default: computeReport, on the worker. */
  computeReport?: (store: DeskStore, query: ReportQueryParsed) => Report;
  /** Tests: Excel's rows per sheet, to see the continuation sheet without a million rows. */
  maxRowsPerSheet?: number;
}

interface Job extends ExportStatus { target: string; tmp: string; cancelled: boolean; stop: (() => void) | null; finished: Promise<ExportStatus> }
const jobs = new Map<string, Job>();
const KEEP_JOBS = 100;

const EXT: Record<ExportFormat, string> = { csv: 'csv', xlsx: 'xlsx', pdf: 'pdf' };

/** Why a folder cannot take a file, in words. */
function fsReason(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT': return 'the folder does not exist';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the disk is read-only';
    case 'ENOSPC': return 'the disk is full';
    case 'EISDIR': return 'the path is a folder';
    default: return err.message;
  }
}
const pathError = (p: string, err: NodeJS.ErrnoException | string) =>
  new DeskInputError([{ path: 'path', message: `cannot write ${p}: ${typeof err === 'string' ? err : fsReason(err)}` }]);

/** The default file of an export: `<dataDir>/exports/relay-desk-report_<from>_<to>[-n].<ext>`, never an existing one. */
function defaultTarget(store: DeskStore, q: ReportQueryParsed, format: ExportFormat): string {
  const dataDir = path.dirname(store.db.name);
  const dir = path.join(dataDir, 'exports');
  try { fs.mkdirSync(dir, { recursive: true, mode: 0o700 }); } catch (err) { throw pathError(dir, err as NodeJS.ErrnoException); }
  const base = `relay-desk-report_${q.from}_${q.to}`;
  for (let n = 1; ; n++) {
    const p = path.join(dir, `${base}${n > 1 ? `-${n}` : ''}.${EXT[format]}`);
    if (!fs.existsSync(p) && ![...jobs.values()].some((j) => j.state === 'running' && j.target === p)) return p;
  }
}

export function startExport(store: DeskStore, input: StartExportInput, deps: ExportDeps = {}): { jobId: string; fileName: string; path: string } {
  const parsed = reportQuerySchema.safeParse(input.query);
  if (!parsed.success) throw new DeskInputError(parsed.error.issues.map((i) => ({ path: ['query', ...i.path.map(String)].join('.'), message: i.message })));
  const query = parsed.data;
  // unknown people or categories in the filters are refused now, naming the filter, not as a failed job later
  reportScope(store, query);
  const target = input.path ? path.resolve(input.path) : defaultTarget(store, query, input.format);
  if (input.path && fs.existsSync(target) && fs.statSync(target).isDirectory()) throw pathError(target, 'the path is a folder');
  const jobId = randomUUID();
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${jobId.slice(0, 8)}.part`);
  // Created now, so a path that cannot be written is refused before any work, naming the path.
  try { fs.closeSync(fs.openSync(tmp, 'wx', 0o600)); } catch (err) { throw pathError(target, err as NodeJS.ErrnoException); }

  let resolveFinished!: (s: ExportStatus) => void;
  const job: Job = {
    jobId, state: 'running', phase: 'queued', done: 0, total: 0, fileName: path.basename(target), format: input.format,
    error: null, bytes: null, target, tmp, cancelled: false, stop: null, finished: new Promise((r) => { resolveFinished = r; }),
  };
  jobs.set(jobId, job);
  for (const id of jobs.keys()) { if (jobs.size <= KEEP_JOBS) break; if (jobs.get(id)!.state !== 'running') jobs.delete(id); }

  const progress = (phase: ExportPhase, done: number, total: number) => {
    if (job.state !== 'running') return;
    job.phase = phase; job.done = done; job.total = total;
  };
  void (async () => {
    try {
      const spec: ExportSpec = { query, format: input.format, lang: input.lang, user: input.user, tmp, maxRowsPerSheet: deps.maxRowsPerSheet };
      // an injected report (tests) is made here and handed to the writer
      if (deps.computeReport && input.format !== 'csv') spec.report = deps.computeReport(store, query);
      const file = workerFileOf(store.db);
      if (file) {
        const run = exportInWorker(file, spec, store.now(), progress);
        job.stop = () => run.cancel();
        if (job.cancelled) run.cancel();
        job.bytes = await run.result;
      } else {
        const ctx: ExportCtx = {
          progress,
          pause: () => new Promise((resolve, reject) => setImmediate(() => (job.cancelled ? reject(new ExportCancelled()) : resolve()))),
        };
        await ctx.pause();
        job.bytes = await writeExportFile(store, spec, ctx);
      }
      if (job.cancelled) throw new ExportCancelled();
      progress('finishing', job.done, job.total);
      fs.renameSync(tmp, target);
      job.state = 'done'; job.phase = 'done';
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      if (err instanceof ExportCancelled || job.cancelled) { job.state = 'cancelled'; job.phase = 'cancelled'; }
      else {
        job.state = 'failed'; job.phase = 'failed';
        const e = err as NodeJS.ErrnoException;
        // a file system error names the file; another (SQLite, a bug) says what it was
        job.error = e.code && /^E[A-Z]+$/.test(e.code) ? `cannot write ${target}: ${fsReason(e)}` : (e.message ?? String(err));
      }
    }
    job.stop = null;
    resolveFinished(statusOf(job));
  })();
  return { jobId, fileName: job.fileName, path: target };
}

function statusOf(j: Job): ExportStatus {
  const { jobId, state, phase, done, total, fileName, format, error, bytes } = j;
  return { jobId, state, phase, done, total, fileName, format, error, bytes };
}

function jobOf(jobId: string): Job {
  const j = jobs.get(jobId);
  if (!j) throw new DeskNotFoundError('export', jobId);
  return j;
}

/** Phase and counts of an export; null when the id is unknown (or long forgotten). */
export function exportProgress(jobId: string): ExportStatus | null {
  const j = jobs.get(jobId);
  return j ? statusOf(j) : null;
}

/**
 * Stops a running export: a worker still computing the report is stopped at once, one writing stops
 * at its next chunk (a few milliseconds); the temporary file is then removed.
 */
export function cancelExport(jobId: string): ExportStatus {
  const j = jobOf(jobId);
  if (j.state === 'running') { j.cancelled = true; j.stop?.(); }
  return statusOf(j);
}

/** Resolves when the export has ended (done, failed or cancelled). */
export function waitForExport(jobId: string): Promise<ExportStatus> { return jobOf(jobId).finished; }

/** The written file of a finished export. */
export function exportFile(jobId: string): { path: string; fileName: string; bytes: number } {
  const j = jobOf(jobId);
  if (j.state !== 'done') throw new DeskInputError([{ path: 'jobId', message: `the export is ${j.state}${j.error ? `: ${j.error}` : ''}` }]);
  return { path: j.target, fileName: j.fileName, bytes: j.bytes ?? 0 };
}
