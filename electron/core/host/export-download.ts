import fs from 'node:fs';
import path from 'node:path';
import type { Desk } from '../desk.js';
import { appRouter } from '../api/router.js';
import { createCallerFactory } from '../api/trpc.js';

/** A finished export as `export.file` gives it. */
export interface ExportFile { path: string; fileName: string; bytes: number }

/** Job ids as the exporter hands them out: short, plain characters (never a path). */
export const EXPORT_JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;

const TYPES: Record<string, string> = {
  '.csv': 'text/csv; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pdf': 'application/pdf',
};

/** The finished file of export job `jobId`, or null when there is none (unknown, running, cancelled, failed). */
export async function finishedExport(desk: Pick<Desk, 'store' | 'sync'>, jobId: string): Promise<ExportFile | null> {
  if (!EXPORT_JOB_ID.test(jobId)) return null;
  const caller = createCallerFactory(appRouter)({ store: desk.store, sync: desk.sync });
  const file = (caller as unknown as { export: { file?: (i: { jobId: string }) => Promise<ExportFile> } }).export.file;
  if (typeof file !== 'function') return null;
  try {
    const f = await file({ jobId });
    return fs.existsSync(f.path) && fs.statSync(f.path).isFile() ? f : null;
  } catch {
    return null;
  }
}

/** Response headers for a download of `file`: attachment with its name (RFC 6266: ASCII fallback plus UTF-8). */
export function exportDownloadHeaders(file: ExportFile): Record<string, string> {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  return {
    'content-type': TYPES[path.extname(file.fileName).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(fs.statSync(file.path).size),
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
}
