import path from 'node:path';
import { openDatabase, securePrivateDir } from './db/connection.js';
import { SecretStore, type SecretBox } from './secrets.js';
import { DeskStore } from './store/desk-store.js';
import { SyncEngine } from './sync/engine.js';
import { httpCentralClient, type CentralClient } from './sync/central-client.js';
import { sweepAutoClose } from './closure/closure.js';

export interface DeskOptions {
  /** Folder holding the desk's SQLite file (Electron's userData, or a temp folder in tests). */
  dataDir: string;
  /** Electron-ABI build of better_sqlite3.node, when running inside Electron. */
  sqliteBinding?: string;
  now?: () => Date;
  /** How the desk reaches a central server (tests inject faults here). */
  clientFor?: (serverUrl: string) => CentralClient;
  /** Start background sync (on by default; tests drive rounds themselves). */
  backgroundSync?: boolean;
  /** Test hook passed to the sync engine (fault injection while a pulled page is applied). */
  beforeApply?: (index: number) => void;
  /** Mutations per push (500 by default; tests make it small so a round sends several batches). */
  pushBatch?: number;
  /** Seals secrets with the OS keychain (Electron's safeStorage); without one they are stored as text. */
  secretBox?: SecretBox;
}

export interface Desk {
  store: DeskStore;
  sync: SyncEngine;
  /** The sync token and device secret, sealed by the OS keychain where one is available. */
  secrets: SecretStore;
  dbFile: string;
  close(): void;
}

const ESCALATION_SWEEP_MS = 60_000;

/** Opens the desk: its store, and the background rule that escalates overdue ordinary incidents. */
export async function createDesk(opts: DeskOptions): Promise<Desk> {
  // The data folder is the user's alone: 0700 (also an existing one), the database files 0600.
  securePrivateDir(opts.dataDir);
  const dbFile = path.join(opts.dataDir, 'relay-desk.db');
  const db = openDatabase(dbFile, { nativeBinding: opts.sqliteBinding });
  const store = new DeskStore(db, { now: opts.now });
  const secrets = new SecretStore(db, opts.secretBox);
  // A token or device secret an older desk kept in plain meta rows moves into the secret store.
  secrets.adoptLegacyMeta();
  const sync = new SyncEngine(store, { clientFor: opts.clientFor ?? ((url) => httpCentralClient(url)), beforeApply: opts.beforeApply, pushBatch: opts.pushBatch, secrets });
  if (opts.backgroundSync !== false) sync.start();
  store.sweepEscalations();
  try { sweepAutoClose(store); } catch (err) { console.warn(`auto-close sweep skipped: ${(err as Error).message}`); }
  const timer = setInterval(() => {
    // A sweep that cannot write now (an import is being written, the disk is full …) is retried by
    // the next one; thrown from a timer, it would take the whole desk process down.
    try { store.sweepEscalations(); } catch (err) { console.warn(`escalation sweep skipped: ${(err as Error).message}`); }
    // Resolved incidents nobody confirmed close by themselves after the configured days (issue 12).
    try { sweepAutoClose(store); } catch (err) { console.warn(`auto-close sweep skipped: ${(err as Error).message}`); }
  }, ESCALATION_SWEEP_MS);
  timer.unref();
  return {
    store,
    sync,
    secrets,
    dbFile,
    close() {
      sync.stop();
      clearInterval(timer);
      db.close();
    },
  };
}
