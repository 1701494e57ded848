import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path of an Electron-ABI build of better_sqlite3.node; node_modules keeps the Node build. */
  nativeBinding?: string;
}

/** The desk's data is the user's alone: its folder 0700, every file in it 0600 (whatever the umask). */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** SQLite's companions of a database file (WAL, shared-memory index, rollback journal). */
const SQLITE_SUFFIXES = ['', '-wal', '-shm', '-journal'];

/**
 * Creates `dir` (and missing parents) if needed and sets it to 0700, also when it already existed
 * with wider permissions (a folder from an older version, or made by hand). chmod after mkdir, as
 * mkdir's mode is narrowed by the umask, never widened. A shared folder with the sticky bit (/tmp)
 * is left alone: it is not the desk's to close. No-op on Windows (ACLs, not modes).
 */
export function securePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform === 'win32') return;
  const st = fs.statSync(dir);
  if (st.mode & 0o1000) {
    console.warn(`${dir} is a shared folder (sticky bit); not changing its permissions`);
    return;
  }
  if ((st.mode & 0o7777) === PRIVATE_DIR_MODE) return;
  try {
    fs.chmodSync(dir, PRIVATE_DIR_MODE);
  } catch (err) {
    // Someone else's folder (EPERM): say so rather than refuse to start.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    console.warn(`could not make ${dir} private (${(err as Error).message})`);
  }
}

/** Sets a file the desk wrote to 0600 if it exists (umask-independent). */
export function securePrivateFile(file: string): void {
  if (process.platform === 'win32') return;
  try {
    if ((fs.statSync(file).mode & 0o7777) !== PRIVATE_FILE_MODE) fs.chmodSync(file, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** The database file and its -wal/-shm/-journal companions, 0600. */
export function secureDatabaseFiles(file: string): void {
  for (const suffix of SQLITE_SUFFIXES) securePrivateFile(file + suffix);
}

/**
 * Opens (creating if needed) the desk's SQLite file: WAL, synchronous=FULL (NORMAL can lose the last
 * commits on power loss, and a field technician's write must survive that), foreign keys on, and
 * every migration not yet applied. The file is created 0600 before SQLite opens it (SQLite gives its
 * -wal and -shm files the database file's mode), and the file and its companions are set to 0600
 * after opening, which also tightens those of an existing desk. A folder created here is 0700; an
 * existing folder's mode is the caller's business (createDesk sets its data folder to 0700).
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  if (file !== ':memory:') {
    const dir = path.dirname(file);
    if (!fs.existsSync(dir)) securePrivateDir(dir);
    fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
    secureDatabaseFiles(file);
  }
  const db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536'); // 64 MiB: queues and search at 100,000 incidents stay in memory
  migrate(db);
  // Gathers planner statistics where they are missing or stale; cheap, and SQLite's advice for long-lived connections.
  db.pragma('optimize = 0x10002');
  if (file !== ':memory:') secureDatabaseFiles(file);
  return db;
}

export function migrate(db: Db): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as number[]);
  let applied = 0;
  for (const m of MIGRATIONS) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, new Date().toISOString());
    })();
    applied++;
  }
  return applied;
}
