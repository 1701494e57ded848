import type { FileFormat, TextEncoding } from './decode.js';

/** One data row of a source file: where it is (line in the file, row in the sheet) and its cells. */
export interface SourceRow { line: number; cells: string[] }

/** A source file read into a header and rows of text, whatever its format. */
export interface SourceTable {
  format: FileFormat;
  gzip: boolean;
  encoding: TextEncoding | 'xlsx';
  delimiter?: string;
  /** Worksheet read (XLSX). */
  sheet?: string;
  columns: string[];
  rows: SourceRow[];
}

/** Lets the event loop run (IPC, timers, progress polls) between chunks of long work. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export type OnProgress = (done: number, total: number) => void;
