// The report worker (issue 11): computes reports and writes export files on a thread of its own, so
// the desk's event loop (queue, search, recording a call) keeps answering while a year's report or a
// million-row export runs. Started by worker-pool.ts; one task at a time; its own read-only
// better-sqlite3 connection to the desk's file (WAL: readers do not block the desk's writer, nor it them).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { DeskStore } from '../store/desk-store.js';
import type { Db } from '../db/connection.js';
import { computeReport, finishReport, reportPart } from './compute.js';
import type { ExportCtx } from './export/source.js';
import { CANCEL, STAGE, STAGE_KILLED, STAGE_OPEN, STAGE_WRITING, type WorkerData, type WorkerReply, type WorkerTask } from './worker-protocol.js';

const { file, nativeBinding } = workerData as WorkerData;
const port = parentPort!;

let db: Db | null = null;
function connection(): Db {
  if (!db) {
    db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
  }
  return db;
}

/**
 * What reports and exporters use of a store: its connection (here the read-only one) and its clock,
 * standing at the desk's time when the task began. Not a DeskStore: that one writes when it opens
 * (identity, SLA due times re-derived), which a read-only connection refuses. Anything else asked of
 * it fails naming what was asked, rather than as an undefined deep inside a report.
 */
function storeAt(now: string): DeskStore {
  const at = new Date(now);
  const store: Record<string | symbol, unknown> = { db: connection(), now: () => new Date(at) };
  return new Proxy(store, {
    get(target, key) {
      if (key in target || typeof key === 'symbol' || key === 'then') return target[key];
      throw new Error(`the report worker's store has no ${key} (only db and now)`);
    },
  }) as unknown as DeskStore;
}

const send = (m: WorkerReply) => port.postMessage(m);

async function run(task: WorkerTask): Promise<unknown> {
  const control = new Int32Array(task.control);
  const store = storeAt(task.now);
  if (task.kind === 'report') return computeReport(store, task.query);
  if (task.kind === 'reportPart') return reportPart(store, task.query, task.now, task.slice);
  if (task.kind === 'reportFinish') return finishReport(store, task.query, task.now, task.parts);
  // the writers (exceljs, PDFKit) are loaded on the first export only: a report needs none of them, and starts sooner
  const { writeExportFile } = await import('./export/run.js');
  const { ExportCancelled } = await import('./export/source.js');
  const ctx: ExportCtx = {
    progress: (phase, done, total) => send({ id: task.id, type: 'progress', phase, done, total }),
    pause: () => new Promise((resolve, reject) => setImmediate(() => (Atomics.load(control, CANCEL) ? reject(new ExportCancelled()) : resolve()))),
  };
  // One read transaction for the whole export: the report and the incident rows see the same snapshot.
  const conn = store.db;
  conn.exec('BEGIN');
  try {
    return await writeExportFile(store, task.spec, ctx, () => {
      // Past this point the desk no longer terminates the thread on cancel: it asks, and the writer stops at its next chunk.
      if (Atomics.compareExchange(control, STAGE, STAGE_OPEN, STAGE_WRITING) === STAGE_KILLED) throw new ExportCancelled();
    });
  } finally {
    if (conn.inTransaction) conn.exec('COMMIT');
  }
}

port.on('message', (task: WorkerTask) => {
  run(task).then(
    (result) => send({ id: task.id, type: 'done', result }),
    (err: unknown) => {
      const e = err as Error & { issues?: unknown };
      send({ id: task.id, type: 'error', error: { name: e?.name ?? 'Error', message: e?.message ?? String(err), code: (e as NodeJS.ErrnoException)?.code, issues: e?.issues } });
    },
  );
});
