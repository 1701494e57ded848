/**
 * Storage behind one interface, two implementations: SQLite (better-sqlite3, embedded default)
 * and PostgreSQL (pg). Callers write portable SQL with `?` placeholders; the PostgreSQL
 * implementation numbers them. Each dialect has its own numbered migrations.
 */
export type Row = Record<string, unknown>;

export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  all<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** Returns the number of rows affected. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in a transaction that is the only writer at a time, across server processes too:
   * SQLite takes its write lock (BEGIN IMMEDIATE); PostgreSQL first locks the `change_counter`
   * row, which it holds until commit. Change seqs are allocated under that lock, so they commit in
   * seq order and a pull cursor can never step over a change that commits late.
   */
  write<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  /** Plain reads outside a writer transaction. */
  read<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface Migration { version: number; name: string; up: string[] }

/** Reserves `n` change seqs inside a `write` transaction; returns the first. */
export async function allocateSeqs(q: Sql, n: number): Promise<number> {
  const row = await q.get<{ v: number }>('UPDATE change_counter SET v = v + ? WHERE id = 1 RETURNING v', [n]);
  if (!row) throw new Error('change_counter row missing');
  return Number(row.v) - n + 1;
}
