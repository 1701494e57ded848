import type { ChangeMeta, SyncEntity } from '../shared/sync.js';
import { allocateSeqs, type Sql } from './storage/index.js';

/** Entities whose older change rows are dropped when a newer snapshot is written (pull sends the latest only). */
const SNAPSHOT_ENTITIES = new Set<SyncEntity>(['incident', 'requester', 'user', 'group', 'category', 'sla_policy', 'sla_settings', 'kb_article', 'ci', 'problem', 'change_record']);

/**
 * Entities whose snapshot the pull reads from their own table (joined on id) instead of a copy in
 * `changes`: only the latest change of such an entity is kept, so the row is that snapshot.
 */
export const JOINED_ENTITIES = new Set<SyncEntity>(['incident']);

interface Pending { entity: SyncEntity; id: string; data: unknown; audience: string | null; meta: ChangeMeta | null; fresh: boolean }

const chunk = <T>(xs: T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};
const placeholderText = new Map<string, string>();
/** `(?, ?), (?, ?)` for `rows` rows of `cols` columns; built once per shape (statements are cached by their text). */
const placeholders = (rows: number, cols: number) => {
  const key = `${rows}x${cols}`;
  let text = placeholderText.get(key);
  if (!text) placeholderText.set(key, (text = Array.from({ length: rows }, () => `(${Array.from({ length: cols }, () => '?').join(', ')})`).join(', ')));
  return text;
};

/** Multi-row INSERT in chunks that stay under both dialects' parameter limits. */
export async function insertRows(q: Sql, head: string, cols: number, rows: unknown[][], tail = ''): Promise<void> {
  const per = Math.floor(900 / cols);
  for (let i = 0; i < rows.length; i += per) {
    const n = Math.min(per, rows.length - i);
    const params: unknown[] = new Array(n * cols);
    for (let r = 0; r < n; r++) for (let c = 0; c < cols; c++) params[r * cols + c] = rows[i + r][c];
    await q.run(`${head} VALUES ${placeholders(n, cols)} ${tail}`, params);
  }
}
/**
 * Many narrow rows in one statement. On PostgreSQL each column goes as one array parameter
 * (`INSERT … SELECT * FROM unnest($1::text[], …)`): a 500-row batch is one statement with a
 * handful of parameters instead of several with hundreds each, which halves its cost there. Wide
 * text columns (JSON documents) gain nothing from it, as array literals escape every quote; they
 * stay on insertRows. SQLite takes multi-row VALUES.
 */
export async function insertColumns(q: Sql, table: string, columns: Array<[name: string, pgType: 'text' | 'bigint']>, rows: unknown[][], tail = ''): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  if (q.dialect === 'sqlite') return insertRows(q, `INSERT INTO ${table} (${names})`, columns.length, rows, tail);
  const arrays = columns.map((_, j) => rows.map((r) => r[j]));
  await q.run(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${columns.map(([, type]) => `?::${type}[]`).join(', ')}) ${tail}`, arrays);
}

/** Same, returning what the statement's RETURNING clause yields. */
export async function insertRowsReturning<T>(q: Sql, head: string, cols: number, rows: unknown[][], tail: string): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunk(rows, Math.floor(900 / cols))) {
    out.push(...(await q.all<T>(`${head} VALUES ${placeholders(part.length, cols)} ${tail}`, part.flat())));
  }
  return out;
}

/**
 * Changes written by one writer transaction. They are buffered and written at the end, with seqs
 * allocated from the counter row in one step; within the buffer a later snapshot of the same
 * entity replaces an earlier one.
 */
export class ChangeBuffer {
  private pending = new Map<string, Pending>();
  private n = 0;

  /** `fresh`: the entity is new in this transaction, so no older change row can exist. */
  add(entity: SyncEntity, id: string, data: unknown, opts: { audience?: string | null; meta?: ChangeMeta | null; fresh?: boolean } = {}): void {
    const key = SNAPSHOT_ENTITIES.has(entity) ? `${entity}\u0000${id}` : `#${this.n++}`;
    const fresh = !!opts.fresh || !!this.pending.get(key)?.fresh;
    this.pending.delete(key);
    this.pending.set(key, { entity, id, data, audience: opts.audience ?? null, meta: opts.meta ?? null, fresh });
  }

  get size() { return this.pending.size; }

  async flush(q: Sql): Promise<void> {
    const list = [...this.pending.values()];
    this.pending.clear();
    if (list.length === 0) return;
    const first = await allocateSeqs(q, list.length);
    const byEntity = new Map<string, string[]>();
    for (const c of list) {
      if (!SNAPSHOT_ENTITIES.has(c.entity) || c.fresh) continue;
      const ids = byEntity.get(c.entity) ?? [];
      ids.push(c.id);
      byEntity.set(c.entity, ids);
    }
    for (const [entity, ids] of byEntity) {
      for (const part of chunk(ids, 500)) {
        await q.run(`DELETE FROM changes WHERE entity = ? AND entity_id IN (${part.map(() => '?').join(', ')})`, [entity, ...part]);
      }
    }
    await insertColumns(q, 'changes', [['seq', 'bigint'], ['entity', 'text'], ['entity_id', 'text'], ['audience', 'text'], ['data', 'text'], ['meta', 'text']],
      list.map((c, i) => {
        if (!JOINED_ENTITIES.has(c.entity)) return [first + i, c.entity, c.id, c.audience, JSON.stringify(c.data), c.meta ? JSON.stringify(c.meta) : null];
        const { fieldHlc: _derived, ...meta } = c.meta ?? {};
        return [first + i, c.entity, c.id, c.audience, null, Object.keys(meta).length ? JSON.stringify(meta) : null];
      }));
  }
}
