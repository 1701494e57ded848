import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SQLITE_MIGRATIONS } from './migrations.js';
import type { Row, Sql, Storage } from './types.js';

/**
 * SQLite: one connection, WAL with synchronous=FULL (a commit survives power loss), foreign keys
 * on. better-sqlite3 is synchronous, but callers are async, so transactions are queued: one at a
 * time, reads included (a read must never see another request's uncommitted writes).
 */
export function openSqlite(dataDir: string): Storage {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'relay-desk-server.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A bigger page cache and fewer, larger checkpoints: a 500-mutation push writes a few MB.
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 4096');
  migrate(db);

  const cache = new Map<string, Database.Statement>();
  const prep = (sql: string) => {
    let s = cache.get(sql);
    if (!s) { s = db.prepare(sql); cache.set(sql, s); }
    return s;
  };
  const q: Sql = {
    dialect: 'sqlite',
    async all<T = Row>(sql: string, params: unknown[] = []) { return prep(sql).all(...params) as T[]; },
    async get<T = Row>(sql: string, params: unknown[] = []) { return prep(sql).get(...params) as T | undefined; },
    async run(sql: string, params: unknown[] = []) {
      const s = prep(sql);
      if (s.reader) { s.all(...params); return 0; }
      return s.run(...params).changes;
    },
  };

  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn, fn);
    queue = p.catch(() => undefined);
    return p;
  };

  return {
    kind: 'sqlite',
    write: (fn) => serial(async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(q);
        db.exec('COMMIT');
        return out;
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
    }),
    read: (fn) => serial(() => fn(q)),
    close: async () => { await queue; db.close(); },
  };
}

function migrate(db: Database.Database) {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  for (const m of SQLITE_MIGRATIONS) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      for (const stmt of m.up) db.exec(stmt);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
  }
}
