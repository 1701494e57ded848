import path from 'node:path';
import { openDatabase } from './db/connection.js';
import { DeskStore } from './store/desk-store.js';

export interface DeskOptions {
  /** Folder holding the desk's SQLite file (Electron's userData, or a temp folder in tests). */
  dataDir: string;
  /** Electron-ABI build of better_sqlite3.node, when running inside Electron. */
  sqliteBinding?: string;
  now?: () => Date;
}

export interface Desk {
  store: DeskStore;
  dbFile: string;
  close(): void;
}

const ESCALATION_SWEEP_MS = 60_000;

/** Opens the desk: its store, and the background rule that escalates overdue ordinary incidents. */
export async function createDesk(opts: DeskOptions): Promise<Desk> {
  const dbFile = path.join(opts.dataDir, 'relay-desk.db');
  const db = openDatabase(dbFile, { nativeBinding: opts.sqliteBinding });
  const store = new DeskStore(db, { now: opts.now });
  store.sweepEscalations();
  const timer = setInterval(() => store.sweepEscalations(), ESCALATION_SWEEP_MS);
  timer.unref();
  return {
    store,
    dbFile,
    close() {
      clearInterval(timer);
      db.close();
    },
  };
}
