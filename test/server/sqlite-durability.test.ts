import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../server/storage/sqlite.js';
import { SQLITE_MIGRATIONS } from '../../server/storage/migrations.js';

describe('SQLite storage', () => {
  it('runs in WAL mode with synchronous=FULL and foreign keys on, and records its migrations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rd-durable-'));
    try {
      const storage = openSqlite(dir);
      const pragmas = await storage.read(async (q) => ({
        journal: (await q.get<{ journal_mode: string }>('PRAGMA journal_mode'))!.journal_mode,
        synchronous: (await q.get<{ synchronous: number }>('PRAGMA synchronous'))!.synchronous,
        fk: (await q.get<{ foreign_keys: number }>('PRAGMA foreign_keys'))!.foreign_keys,
        versions: (await q.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version),
      }));
      expect(pragmas).toEqual({ journal: 'wal', synchronous: 2, fk: 1, versions: SQLITE_MIGRATIONS.map((m) => m.version) });
      expect(pragmas.versions.slice(0, 7)).toEqual([1, 2, 4, 5, 6, 7, 8]);
      await expect(storage.write((q) => q.run("INSERT INTO history (id, incident_id, data) VALUES ('h', 'missing', '{}')"))).rejects.toThrow(/FOREIGN KEY/);
      await storage.close();
      // Reopening applies nothing twice.
      const again = openSqlite(dir);
      await again.close();
      const raw = new Database(join(dir, 'relay-desk-server.db'), { readonly: true });
      expect((raw.prepare('SELECT COUNT(*) AS n FROM categories').get() as { n: number }).n).toBe(19); // 6 roots (migration 2) and the desks' 13 default subcategories (migration 6)
      raw.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
