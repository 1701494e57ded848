import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';
import type { Storage } from './types.js';

export type { Storage, Sql, Row } from './types.js';
export { allocateSeqs } from './types.js';

/** `'sqlite'` opens the embedded store in `dataDir`; anything else is a PostgreSQL URL. */
export async function openStorage(storage: 'sqlite' | string, dataDir: string): Promise<Storage> {
  return storage === 'sqlite' ? openSqlite(dataDir) : openPostgres(storage);
}
