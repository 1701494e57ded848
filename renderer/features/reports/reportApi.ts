import type { QueueRow } from '../../../shared/index.js';
import type { ExportFormat, Report, ReportDrill, ReportQuery } from '../../../shared/reports.js';
import { api } from '../../platform/api.js';

/**
 * The report and export procedures as the contract in `shared/reports.ts` and issue 11 describe them.
 * Typed here from that contract, so the screen does not depend on how the routers spell their
 * outputs while they are being built.
 */
export interface ExportProgress { phase: string; done: number; total: number; state?: 'running' | 'done' | 'failed' | 'cancelled'; error?: string | null; message?: string }
export interface ReportApi {
  compute(q: ReportQuery): Promise<Report>;
  drill(d: ReportDrill): Promise<{ rows: QueueRow[]; total: number }>;
  exportStart(i: { query: ReportQuery; format: ExportFormat; lang: 'zh-CN' | 'en' }): Promise<{ jobId: string; fileName: string }>;
  exportProgress(jobId: string): Promise<ExportProgress | null>;
  exportCancel(jobId: string): Promise<unknown>;
}

type Proc = { query(i: unknown): Promise<unknown>; mutate(i: unknown): Promise<unknown> };
const loose = api as unknown as { report: Record<string, Proc>; export: Record<string, Proc> };

export const reportApi: ReportApi = {
  compute: (q) => loose.report.compute.query(q) as Promise<Report>,
  drill: (d) => loose.report.drill.query(d) as Promise<{ rows: QueueRow[]; total: number }>,
  exportStart: (i) => loose.export.start.mutate(i) as Promise<{ jobId: string; fileName: string }>,
  exportProgress: (jobId) => loose.export.progress.query({ jobId }) as Promise<ExportProgress | null>,
  exportCancel: (jobId) => loose.export.cancel.mutate({ jobId }),
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
