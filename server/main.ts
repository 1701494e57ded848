import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { ROLES } from '../shared/enums.js';
import { HlcClock } from '../shared/hlc.js';
import { upsertGroup, upsertUser } from './accounts.js';
import { DEFAULT_DATA_DIR, DEFAULT_PORT, startServer } from './app.js';
import { passwordProblem } from './password-policy.js';
import { openStorage } from './storage/index.js';

/**
 * `npm run server [-- --port P --host H --data-dir D --tls-cert FILE --tls-key FILE]` — starts the
 * sync server (SQLite in ./.data/server, or PostgreSQL when DATABASE_URL is set; HTTPS given a
 * certificate and key, also as RELAY_DESK_TLS_CERT / RELAY_DESK_TLS_KEY; `--trust-proxy ADDR[,ADDR]`
 * (RELAY_DESK_TRUST_PROXY): reverse proxies whose X-Forwarded-For names the client).
 * `npm run server -- create-admin --name X [--group G]` creates an admin account; the password is
 * read from a prompt that does not echo it, or from standard input when that is not a terminal
 * (`printf '%s\n' "$PW" | npm run server -- create-admin --name X`). Never from the command line.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' },
    'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'trust-proxy': { type: 'string' },
    name: { type: 'string' }, password: { type: 'string' }, group: { type: 'string' },
  },
});
const storageOpt = process.env.DATABASE_URL || 'sqlite';
const dataDir = resolve(values['data-dir'] ?? DEFAULT_DATA_DIR);

/** Reads one line without echoing it (a terminal), or the first line of standard input (a pipe). */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) {
      text += String(chunk);
      if (text.includes('\n')) break;
    }
    return text.split(/\r?\n/)[0];
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((ok, fail) => {
    let line = '';
    const onData = (s: string) => {
      for (const ch of s) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') { done(); ok(line); return; }
        if (ch === '\u0003') { done(); fail(new Error('cancelled')); return; }
        if (ch === '\u007f' || ch === '\b') line = [...line].slice(0, -1).join('');
        else if (ch >= ' ') line += ch;
      }
    };
    const done = () => { stdin.off('data', onData); stdin.setRawMode(false); stdin.pause(); process.stderr.write('\n'); };
    stdin.on('data', onData);
  });
}

if (positionals[0] === 'create-admin') {
  if (values.password !== undefined) {
    console.error('create-admin: --password is not accepted: a password on the command line stays in the shell history and is visible to every user in the process list. '
      + 'Leave it out and type it at the prompt, or pipe it on standard input: printf \'%s\\n\' "$PASSWORD" | npm run server -- create-admin --name NAME');
    process.exit(2);
  }
  if (!values.name) {
    console.error('usage: npm run server -- create-admin --name NAME [--group GROUP] [--data-dir DIR]  (the password is asked for, or read from standard input)');
    process.exit(2);
  }
  let password: string;
  try {
    password = await readPassword(`password for ${values.name}: `);
    if (process.stdin.isTTY && password) {
      const again = await readPassword('the same password again: ');
      if (again !== password) { console.error('create-admin: the two passwords differ; nothing was created'); process.exit(1); }
    }
  } catch (e) {
    console.error(`create-admin: ${(e as Error).message}`);
    process.exit(1);
  }
  const problem = password ? passwordProblem(password, values.name) : 'is missing (type it at the prompt or pipe it on standard input)';
  if (problem) {
    console.error(`create-admin: password: ${problem}; nothing was created`);
    process.exit(1);
  }
  const storage = await openStorage(storageOpt, dataDir);
  const deps = { storage, now: () => new Date(), clock: new HlcClock('server-cli') };
  const groupName = values.group ?? 'Service Desk';
  try {
    await upsertGroup(deps, { name: groupName });
    const user = await upsertUser(deps, { name: values.name, password, role: 'admin' satisfies (typeof ROLES)[number], groupName, active: true });
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
  const certFile = values['tls-cert'] ?? process.env.RELAY_DESK_TLS_CERT;
  const keyFile = values['tls-key'] ?? process.env.RELAY_DESK_TLS_KEY;
  if (!certFile !== !keyFile) {
    console.error('--tls-cert and --tls-key go together (or RELAY_DESK_TLS_CERT and RELAY_DESK_TLS_KEY): give both to serve HTTPS, neither for plain HTTP');
    process.exit(2);
  }
  const server = await startServer({
    storage: storageOpt, dataDir, port: values.port ? Number(values.port) : DEFAULT_PORT, host: values.host ?? '127.0.0.1',
    tls: certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : undefined,
    trustProxy: (values['trust-proxy'] ?? process.env.RELAY_DESK_TRUST_PROXY ?? '').split(',').map((a) => a.trim()).filter(Boolean),
    noticeSweepMs: 60_000,
  });
  console.log(`Relay Desk sync server on ${server.url} (${storageOpt === 'sqlite' ? `SQLite in ${dataDir}` : 'PostgreSQL'})`);
  if (!certFile && !['127.0.0.1', '::1', 'localhost'].includes(values.host ?? '127.0.0.1')) {
    console.error('warning: plain HTTP on a network address: passwords and tokens cross the network in clear. Give --tls-cert/--tls-key, or put a TLS-terminating reverse proxy in front and listen on loopback.');
  }
  const stop = async () => { await server.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
