import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path of an Electron-ABI build of better_sqlite3.node; node_modules keeps the Node build. */
  nativeBinding?: string;
}

/**
 * Opens (creating if needed) the desk's SQLite file: WAL, synchronous=FULL (NORMAL can lose the last
 * commits on power loss, and a field technician's write must survive that), foreign keys on, and
 * every migration not yet applied.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536'); // 64 MiB: queues and search at 100,000 incidents stay in memory
  migrate(db);
  // Gathers planner statistics where they are missing or stale; cheap, and SQLite's advice for long-lived connections.
  db.pragma('optimize = 0x10002');
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
