import type Database from 'better-sqlite3';
import type { Db } from './db/connection.js';

/**
 * Seals small secrets with a key the operating system keeps (Electron's `safeStorage`: Keychain on
 * macOS, DPAPI on Windows, the Secret Service / KWallet on Linux). electron/core never imports
 * 'electron': the main process builds one of these and passes it to createDesk.
 */
export interface SecretBox {
  /** Whether sealing works right now (false on Linux without a keyring, and in browser mode). */
  available(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

/** What the desk keeps in the secret store. */
export const SECRET_KEYS = { syncToken: 'sync_token', deviceSecret: 'device_secret' } as const;

/** Meta rows that held secrets in plain text before the secret store existed. */
const LEGACY_META_KEYS = [SECRET_KEYS.syncToken, SECRET_KEYS.deviceSecret];

interface SecretRow { value: Buffer | string; sealed: number }

/**
 * Secrets (the sync token, the device secret) in the desk's `secrets` table: sealed bytes through the
 * OS keychain when a box is available, plain text otherwise (browser mode, Linux without a keyring),
 * with `sealed` saying which. A plain value is sealed as soon as a box is available (on open and on
 * the next write). A sealed value that can no longer be opened (another user's keychain, a reset
 * keyring, browser mode reading an Electron desk's folder) reads as absent: the user signs in again.
 *
 * Deletes and overwrites run with secure_delete, so a replaced plain value does not linger in the
 * file's free pages.
 */
export class SecretStore {
  private readonly box: SecretBox | null;

  private readonly stmt: {
    get: Database.Statement;
    set: Database.Statement;
    del: Database.Statement;
  };

  constructor(private readonly db: Db, box?: SecretBox) {
    this.box = box ?? null;
    this.stmt = {
      get: db.prepare('SELECT value, sealed FROM secrets WHERE key = ?'),
      set: db.prepare(`INSERT INTO secrets (key, value, sealed, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(key) DO UPDATE SET value = excluded.value, sealed = excluded.sealed, updated_at = excluded.updated_at`),
      del: db.prepare('DELETE FROM secrets WHERE key = ?'),
    };
    if (this.sealing()) this.sealPlainRows();
  }

  /** Whether new values are stored sealed. */
  sealing(): boolean {
    try {
      return !!this.box && this.box.available();
    } catch {
      return false;
    }
  }

  get(key: string): string | null {
    const row = this.stmt.get.get(key) as SecretRow | undefined;
    if (!row) return null;
    if (!row.sealed) return typeof row.value === 'string' ? row.value : Buffer.from(row.value).toString('utf8');
    if (!this.sealing()) return null;
    try {
      return this.box!.decrypt(Buffer.from(row.value as Buffer));
    } catch {
      return null;
    }
  }

  set(key: string, value: string): void {
    const sealed = this.sealing();
    const stored = sealed ? this.box!.encrypt(value) : value;
    this.secureDelete(() => this.stmt.set.run(key, stored, sealed ? 1 : 0, new Date().toISOString()));
  }

  delete(key: string): void {
    this.secureDelete(() => this.stmt.del.run(key));
  }

  /**
   * Moves secrets an older desk kept in plain meta rows (`sync_token`, `device_secret`) into this
   * store and deletes the meta rows, in one transaction; an existing store value wins. The WAL is
   * then checkpointed and truncated, so the plain text leaves the -wal file as well (secure_delete
   * zeroes it in the database file). Returns the keys moved.
   */
  adoptLegacyMeta(keys: readonly string[] = LEGACY_META_KEYS): string[] {
    const moved = this.secureDelete(() => this.db.transaction(() => {
      const out: string[] = [];
      for (const key of keys) {
        const value = this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
        if (value === undefined) continue;
        if (this.get(key) === null) this.set(key, value);
        this.db.prepare('DELETE FROM meta WHERE key = ?').run(key);
        out.push(key);
      }
      return out;
    })());
    if (moved.length) this.scrubWal();
    return moved;
  }

  private sealPlainRows(): void {
    const plain = this.db.prepare('SELECT key, value FROM secrets WHERE sealed = 0').all() as Array<{ key: string; value: Buffer | string }>;
    if (!plain.length) return;
    this.db.transaction(() => {
      for (const row of plain) this.set(row.key, typeof row.value === 'string' ? row.value : Buffer.from(row.value).toString('utf8'));
    })();
    this.scrubWal();
  }

  /**
   * Runs `fn` with secure_delete on (SQLite zeroes what it deletes or overwrites instead of leaving
   * it in free space), only around secret writes: the store's own bulk deletes keep their speed.
   */
  private secureDelete<T>(fn: () => T): T {
    const before = this.db.pragma('secure_delete', { simple: true }) as number;
    if (before === 1) return fn();
    this.db.pragma('secure_delete = ON');
    try {
      return fn();
    } finally {
      this.db.pragma(`secure_delete = ${before}`);
    }
  }

  /** Copies the WAL into the database and truncates it (a no-op when another connection reads). */
  private scrubWal(): void {
    if (this.db.memory) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
