import type { QueueRow } from '../../../shared/index.js';
import type { ExportFormat, Report, ReportDrill, ReportQuery } from '../../../shared/reports.js';
import { api } from '../../platform/api.js';

/** The report and export procedures the screen uses (`report.*`, `export.*`), as the contract in `shared/reports.ts` shapes them. */
export interface ExportProgress { phase: string; done: number; total: number; state?: 'running' | 'done' | 'failed' | 'cancelled'; error?: string | null; message?: string }
export interface ReportApi {
  compute(q: ReportQuery): Promise<Report>;
  drill(d: ReportDrill): Promise<{ rows: QueueRow[]; total: number }>;
  exportStart(i: { query: ReportQuery; format: ExportFormat; lang: 'zh-CN' | 'en' }): Promise<{ jobId: string; fileName: string }>;
  exportProgress(jobId: string): Promise<ExportProgress | null>;
  exportCancel(jobId: string): Promise<unknown>;
}

export const reportApi: ReportApi = {
  compute: (q) => api.report.compute.query(q),
  drill: (d) => api.report.drill.query(d),
  exportStart: (i) => api.export.start.mutate(i),
  exportProgress: (jobId) => api.export.progress.query({ jobId }),
  exportCancel: (jobId) => api.export.cancel.mutate({ jobId }),
};

/** In Electron the preload offers `saveExport` (save dialog in the main process); in a browser, the host serves `/exports/<jobId>`. */
type SaveAnswer = { saved: true; fileName: string } | { saved: false; reason: 'cancelled' | 'not_found' };
export function electronSaveExport(): ((jobId: string) => Promise<SaveAnswer>) | null {
  const bridge = (typeof window !== 'undefined' ? window.relayDesk : undefined) as { saveExport?: (jobId: string) => Promise<SaveAnswer> } | undefined;
  return bridge && typeof bridge.saveExport === 'function' ? (id) => bridge.saveExport!(id) : null;
}

/** Browser mode: the finished file as a download (the host answers with content-disposition: attachment). */
export function downloadExport(jobId: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = `/exports/${encodeURIComponent(jobId)}`;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
}
