// Messages between the desk and its report worker (worker.ts, started by worker-pool.ts). Plain data only.
import type { ReportQueryParsed } from '../../../shared/reports.js';
import type { ReportPart, ReportSlice } from './compute.js';
import type { ExportSpec } from './export/run.js';
import type { ExportPhase } from './export/source.js';

export interface WorkerData {
  /** The desk's SQLite file, opened read-only by the worker. */
  file: string;
  /** The better-sqlite3 addon the desk itself loaded (Electron's ABI build), if not node_modules' own. */
  nativeBinding?: string;
}

/**
 * A task's control words, shared with the desk (SharedArrayBuffer of two Int32s): CANCEL is set by
 * the desk; STAGE says whether the worker has touched the export's file yet. The desk swaps STAGE
 * OPEN → KILLED to stop a worker that has not (it then terminates the thread, which interrupts even a
 * long computeReport); the worker swaps OPEN → WRITING before it opens the file, after which the
 * desk only sets CANCEL and the writer stops at its next chunk, closing its file itself.
 */
export const CANCEL = 0;
export const STAGE = 1;
export const STAGE_OPEN = 0;
export const STAGE_WRITING = 1;
export const STAGE_KILLED = 2;

interface TaskBase { id: number; control: SharedArrayBuffer; /** the desk's clock when the task was asked for (ISO) */ now: string }
export type WorkerTask =
  | (TaskBase & { kind: 'report'; query: ReportQueryParsed })
  /** A long period's report on several threads: one part per slice of reported time, then the report from the parts. */
  | (TaskBase & { kind: 'reportPart'; query: ReportQueryParsed; slice: ReportSlice })
  | (TaskBase & { kind: 'reportFinish'; query: ReportQueryParsed; parts: ReportPart[] })
  | (TaskBase & { kind: 'export'; spec: ExportSpec });

export interface WorkerError { name: string; message: string; code?: string; issues?: unknown }
export type WorkerReply =
  | { id: number; type: 'progress'; phase: ExportPhase; done: number; total: number }
  | { id: number; type: 'done'; result: unknown }
  | { id: number; type: 'error'; error: WorkerError };
