import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { ROLES } from '../shared/enums.js';
import { HlcClock } from '../shared/hlc.js';
import { upsertGroup, upsertUser } from './accounts.js';
import { DEFAULT_DATA_DIR, DEFAULT_PORT, startServer } from './app.js';
import { openStorage } from './storage/index.js';

/**
 * `npm run server` — starts the sync server (SQLite in ./.data/server, or PostgreSQL when
 * DATABASE_URL is set). `npm run server -- create-admin --name X --password Y [--group G]`
 * creates an admin account.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' },
    name: { type: 'string' }, password: { type: 'string' }, group: { type: 'string' },
  },
});
const storageOpt = process.env.DATABASE_URL || 'sqlite';
const dataDir = resolve(values['data-dir'] ?? DEFAULT_DATA_DIR);

if (positionals[0] === 'create-admin') {
  if (!values.name || !values.password) {
    console.error('usage: npm run server -- create-admin --name NAME --password PASSWORD [--group GROUP] [--data-dir DIR]');
    process.exit(2);
  }
  const storage = await openStorage(storageOpt, dataDir);
  const deps = { storage, now: () => new Date(), clock: new HlcClock('server-cli') };
  const groupName = values.group ?? 'Service Desk';
  try {
    await upsertGroup(deps, { name: groupName });
    const user = await upsertUser(deps, { name: values.name, password: values.password, role: 'admin' satisfies (typeof ROLES)[number], groupName, active: true });
    console.log(`admin ${user.name} created (id ${user.id}, group ${groupName})`);
  } catch (e) {
    console.error(`create-admin failed: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await storage.close();
  }
} else if (positionals.length) {
  console.error(`unknown command ${positionals[0]}; commands: create-admin`);
  process.exit(2);
} else {
  const server = await startServer({
    storage: storageOpt, dataDir, port: values.port ? Number(values.port) : DEFAULT_PORT, host: values.host ?? '127.0.0.1',
  });
  console.log(`Relay Desk sync server on ${server.url} (${storageOpt === 'sqlite' ? `SQLite in ${dataDir}` : 'PostgreSQL'})`);
  const stop = async () => { await server.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
