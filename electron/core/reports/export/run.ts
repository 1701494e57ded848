import fs from 'node:fs';
import type { DeskStore } from '../../store/desk-store.js';
import type { ExportFormat, Report, ReportQueryParsed } from '../../../../shared/reports.js';
import { computeReport } from '../compute.js';
import { writeCsv } from './csv.js';
import { writeXlsx } from './xlsx.js';
import { writePdf } from './pdf.js';
import type { ExportLang } from './labels.js';
import type { ExportCtx } from './source.js';

/** What one export writes: everything a worker thread needs, as plain data (structured-clonable). */
export interface ExportSpec {
  query: ReportQueryParsed;
  format: ExportFormat;
  lang: ExportLang;
  /** Who exports (shown on the PDF's cover). */
  user: string;
  /** The temporary file, created empty by the job runner; written here, renamed by the runner. */
  tmp: string;
  /** A report computed beforehand (tests); otherwise computeReport runs here for XLSX and PDF. */
  report?: Report;
  /** Tests: Excel's rows per sheet. */
  maxRowsPerSheet?: number;
}

/**
 * Writes one export file into `spec.tmp`, flushed to disk (fsync) and closed; resolves to its size.
 * Runs in the report worker (worker.ts) or, for an in-memory store, on the desk's thread. `claim()`
 * is called once, just before the file is first touched: the worker's cancel may stop the thread
 * outright until then (computeReport cannot be interrupted otherwise), and only asks politely after.
 */
export async function writeExportFile(store: DeskStore, spec: ExportSpec, ctx: ExportCtx, claim: () => void = () => {}): Promise<number> {
  const { query, format, lang } = spec;
  let report: Report | null = null;
  if (format !== 'csv') {
    ctx.progress('report', 0, 1);
    report = spec.report ?? computeReport(store, query);
    ctx.progress('report', 1, 1);
  }
  await ctx.pause();
  claim();
  let fd = fs.openSync(spec.tmp, 'r+');
  let out: fs.WriteStream | null = null;
  try {
    if (format === 'csv') {
      await writeCsv(store, query, lang, fd, ctx);
    } else {
      out = fs.createWriteStream('', { fd, autoClose: false });
      const stream = out;
      const written = new Promise<void>((resolve, reject) => { stream.on('finish', resolve); stream.on('error', reject); });
      written.catch(() => {});
      // A write error (disk full, a removed folder) fails the export even where a writer waits for 'drain'.
      const broken = new Promise<never>((_, reject) => stream.on('error', reject));
      broken.catch(() => {});
      const work = async () => {
        const categories = new Map((store.db.prepare('SELECT id, name_zh, name_en FROM categories').raw().all() as Array<[string, string, string]>)
          .map(([id, zh, en]) => [id, { zh, en }]));
        if (format === 'xlsx') await writeXlsx(store, report!, lang, stream, ctx, { maxRowsPerSheet: spec.maxRowsPerSheet, categories });
        else await writePdf(report!, lang, { user: spec.user, categories }, stream, ctx);
      };
      await Promise.race([work(), broken]);
      if (!stream.writableEnded) stream.end();
      await Promise.race([written, broken]);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = -1;
    return fs.statSync(spec.tmp).size;
  } finally {
    // The file descriptor is closed exactly once. A stream that still owns it closes it on destroy(),
    // after any write in flight (closing it here as well closed it twice, and the second close hit
    // whatever had been given that number meanwhile: an e2e run lost the browser's pipe, EBADF).
    if (fd >= 0) {
      if (out && !out.destroyed) { const s = out; await new Promise<void>((resolve) => { s.once('close', () => resolve()); s.destroy(); }); }
      else if (!out) fs.closeSync(fd);
      fd = -1;
    }
  }
}
