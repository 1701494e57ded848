import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DeskStore } from '../../store/desk-store.js';
import { DeskInputError, DeskNotFoundError } from '../../store/errors.js';
import { reportQuerySchema, type ExportFormat, type Report, type ReportQuery, type ReportQueryParsed } from '../../../../shared/reports.js';
import { computeReport } from '../compute.js';
import { reportScope } from '../scope.js';
import { writeCsv } from './csv.js';
import { writeXlsx } from './xlsx.js';
import { writePdf } from './pdf.js';
import type { ExportLang } from './labels.js';
import { ExportCancelled, type ExportCtx, type ExportPhase } from './source.js';

/**
 * Export jobs (issue 11, item 3): one file per job, written to a temporary file in the target
 * folder and renamed when whole (fsync first), so a file is there complete or not at all; a
 * cancelled or failed job removes its temporary file. The work runs in chunks with setImmediate
 * between them, so the console stays usable; the renderer polls progress by job id.
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
  /** The report behind the XLSX and PDF files (the CSV lists incidents only); default: computeReport. */
  computeReport?: (store: DeskStore, query: ReportQueryParsed) => Report;
  /** Tests: Excel's rows per sheet, to see the continuation sheet without a million rows. */
  maxRowsPerSheet?: number;
}

interface Job extends ExportStatus { target: string; tmp: string; cancelled: boolean; finished: Promise<ExportStatus> }
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
  // Opened now, so a path that cannot be written is refused before any work, naming the path.
  let fd: number;
  try { fd = fs.openSync(tmp, 'wx', 0o600); } catch (err) { throw pathError(target, err as NodeJS.ErrnoException); }

  let resolveFinished!: (s: ExportStatus) => void;
  const job: Job = {
    jobId, state: 'running', phase: 'queued', done: 0, total: 0, fileName: path.basename(target), format: input.format,
    error: null, bytes: null, target, tmp, cancelled: false, finished: new Promise((r) => { resolveFinished = r; }),
  };
  jobs.set(jobId, job);
  for (const id of jobs.keys()) { if (jobs.size <= KEEP_JOBS) break; if (jobs.get(id)!.state !== 'running') jobs.delete(id); }

  const ctx: ExportCtx = {
    progress(phase, done, total) { job.phase = phase; job.done = done; job.total = total; },
    pause: () => new Promise((resolve, reject) => setImmediate(() => (job.cancelled || job.state !== 'running' ? reject(new ExportCancelled()) : resolve()))),
  };

  void (async () => {
    const out = fs.createWriteStream('', { fd, autoClose: false });
    const written = new Promise<void>((resolve, reject) => { out.on('finish', resolve); out.on('error', reject); });
    written.catch(() => {});
    // A write error (disk full, a removed folder) fails the job even where a writer waits for 'drain'.
    const broken = new Promise<never>((_, reject) => out.on('error', reject));
    broken.catch(() => {});
    const work = async () => {
      await ctx.pause();
      if (input.format === 'csv') {
        await writeCsv(store, query, input.lang, out, ctx);
      } else {
        ctx.progress('report', 0, 1);
        const report = (deps.computeReport ?? computeReport)(store, query);
        ctx.progress('report', 1, 1);
        await ctx.pause();
        const categories = new Map((store.db.prepare('SELECT id, name_zh, name_en FROM categories').raw().all() as Array<[string, string, string]>)
          .map(([id, zh, en]) => [id, { zh, en }]));
        if (input.format === 'xlsx') await writeXlsx(store, report, input.lang, out, ctx, { maxRowsPerSheet: deps.maxRowsPerSheet, categories });
        else await writePdf(report, input.lang, { user: input.user, categories }, out, ctx);
      }
    };
    try {
      await Promise.race([work(), broken]);
      if (job.cancelled) throw new ExportCancelled();
      ctx.progress('finishing', job.done, job.total);
      if (!out.writableEnded) out.end();
      await written;
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = -1;
      if (job.cancelled) throw new ExportCancelled();
      fs.renameSync(tmp, target);
      job.bytes = fs.statSync(target).size;
      job.state = 'done'; job.phase = 'done';
    } catch (err) {
      // The file descriptor is closed exactly once. While we still own it, the stream closes it: destroy()
      // waits for a write in flight and then closes it itself, so closing it here as well (as this did)
      // closed it twice, and the second close hit whatever file or pipe had been given that number
      // meanwhile (an e2e run lost the browser's pipe: EBADF). Closed already by the success path:
      // the stream is not destroyed (autoClose is off, so it never closes the fd on its own).
      if (fd >= 0) {
        if (!out.destroyed) await new Promise<void>((resolve) => { out.once('close', () => resolve()); out.destroy(); });
        fd = -1;
      }
      fs.rmSync(tmp, { force: true });
      if (err instanceof ExportCancelled || job.cancelled) { job.state = 'cancelled'; job.phase = 'cancelled'; }
      else {
        job.state = 'failed'; job.phase = 'failed';
        const e = err as NodeJS.ErrnoException;
        job.error = e.code ? `cannot write ${target}: ${fsReason(e)}` : (e.message ?? String(err));
      }
    }
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

/** Asks a running export to stop; it removes its temporary file at its next chunk. */
export function cancelExport(jobId: string): ExportStatus {
  const j = jobOf(jobId);
  if (j.state === 'running') j.cancelled = true;
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
