import pg from 'pg';
import { createHash } from 'node:crypto';
import { POSTGRES_MIGRATIONS } from './migrations.js';
import type { Row, Sql, Storage } from './types.js';

// BIGINT columns hold seqs and epoch ms, well inside 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

const MIGRATION_LOCK = 4874_0001;

/**
 * PostgreSQL: a pool per process; several processes may share one database. Writers serialize on
 * the `change_counter` row (SELECT … FOR UPDATE at the start of every write transaction), which
 * makes change seqs commit in order and keeps read-check-write merges free of races.
 */
export async function openPostgres(url: string, opts: { poolSize?: number } = {}): Promise<Storage> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
  pool.on('error', () => { /* an idle client died; the pool replaces it */ });
  await migrate(pool);

  const numbered = new Map<string, { text: string; name: string }>();
  const prepare = (sql: string) => {
    let p = numbered.get(sql);
    if (!p) {
      let i = 0;
      const text = sql.replace(/\?/g, () => `$${++i}`);
      p = { text, name: 'rd_' + createHash('sha1').update(text).digest('hex').slice(0, 20) };
      numbered.set(sql, p);
    }
    return p;
  };
  const wrap = (c: pg.PoolClient | pg.Pool): Sql => ({
    dialect: 'postgres',
    async all<T = Row>(sql: string, params: unknown[] = []) {
      const p = prepare(sql);
      return (await c.query({ name: p.name, text: p.text, values: params })).rows as T[];
    },
    async get<T = Row>(sql: string, params: unknown[] = []) {
      const p = prepare(sql);
      return (await c.query({ name: p.name, text: p.text, values: params })).rows[0] as T | undefined;
    },
    async run(sql: string, params: unknown[] = []) {
      const p = prepare(sql);
      return (await c.query({ name: p.name, text: p.text, values: params })).rowCount ?? 0;
    },
  });

  return {
    kind: 'postgres',
    async write(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT v FROM change_counter WHERE id = 1 FOR UPDATE');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async read(fn) {
      const client = await pool.connect();
      try { return await fn(wrap(client)); } finally { client.release(); }
    },
    close: () => pool.end(),
  };
}

async function migrate(pool: pg.Pool) {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    // Several server processes may start at once on one database.
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const done = new Set((await c.query('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
    for (const m of POSTGRES_MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const stmt of m.up) await c.query(stmt);
      await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}
