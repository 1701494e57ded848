// relay:save-export: the Electron half of "export a report" (issue 11). The renderer asks for a
// finished export job by id; the main process shows the save dialog and copies the file there.
// The renderer never names a path, and gets back only whether it was saved and the file's name.
// Plain Node (no 'electron'): index.ts injects the dialog, tests inject a stand-in.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EXPORT_JOB_ID, type ExportFile } from '../core/host/export-download';

export type SaveExportResult = { saved: true; fileName: string } | { saved: false; reason: 'cancelled' | 'not_found' };

export interface SaveExportDeps {
  /** The finished file of the job, or null (unknown, running, cancelled, failed). */
  find(jobId: string): Promise<ExportFile | null>;
  /** Shows the save dialog with a suggested path; undefined when the user cancels. */
  ask(suggested: string, ext: string): Promise<string | undefined>;
  /** Folder the dialog starts in (the user's Downloads). */
  downloadsDir: string;
}

/** The one argument relay:save-export takes: `{ jobId }`, a short plain id (never a path). */
export function checkSaveExportRequest(value: unknown): { jobId: string } | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'request must be an object';
  const jobId = (value as Record<string, unknown>).jobId;
  if (typeof jobId !== 'string' || !EXPORT_JOB_ID.test(jobId)) return 'jobId must be a short id';
  return { jobId };
}

/** Asks where to save the finished export and copies it there whole (a temporary file beside it, then a rename). */
export async function saveExport(deps: SaveExportDeps, payload: unknown): Promise<SaveExportResult> {
  const req = checkSaveExportRequest(payload);
  if (typeof req === 'string') throw new TypeError(`relay:save-export: ${req}`);
  const file = await deps.find(req.jobId);
  if (!file) return { saved: false, reason: 'not_found' };
  const ext = path.extname(file.fileName).replace(/^\./, '');
  const target = await deps.ask(path.join(deps.downloadsDir, path.basename(file.fileName)), ext);
  if (!target) return { saved: false, reason: 'cancelled' };
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.part`);
  try {
    await fs.copyFile(file.path, tmp);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  return { saved: true, fileName: path.basename(target) };
}
