// `npm start`: the desktop app when an Electron binary is here, otherwise the same app in the
// browser, served from 127.0.0.1 with the same data folder.
//   --browser         browser mode even if Electron is available
//   --port N          browser mode port (default 4873, or the next free one)
//   --data-dir DIR    data folder (default: the OS's per-user app folder, "Relay Desk")
//   --no-build        don't rebuild dist/ even if sources changed
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuilt } from './build.mjs';
import { findElectron, hasDisplay } from './lib/electron.mjs';
import { ensureElectronSqlite } from './lib/native.mjs';
import { outputs, repoRoot, userDataDir } from './lib/paths.mjs';

const DEFAULT_PORT = 4873;
const PORT_TRIES = 20;
const HOST = '127.0.0.1';

function fail(message) {
  console.error(message);
  process.exit(2);
}

function parseFlags() {
  try {
    const { values } = parseArgs({
      options: {
        browser: { type: 'boolean', default: false },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'no-build': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    return values;
  } catch (err) {
    return fail(`${err.message}\nusage: npm start -- [--browser] [--port N] [--data-dir DIR] [--no-build]`);
  }
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: HOST, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

async function choosePort(requested) {
  if (requested !== undefined) {
    const port = Number(requested);
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port: not a port number: ${requested}`);
    if (!(await portIsFree(port))) fail(`Port ${port} on ${HOST} is already in use; pick another with --port.`);
    return port;
  }
  for (let port = DEFAULT_PORT; port < DEFAULT_PORT + PORT_TRIES; port++) {
    if (await portIsFree(port)) return port;
  }
  return fail(`Ports ${DEFAULT_PORT}-${DEFAULT_PORT + PORT_TRIES - 1} on ${HOST} are all in use; pick one with --port.`);
}

async function startBrowserMode(flags, dataDir) {
  const port = await choosePort(flags.port);
  const { startHost } = await import(pathToFileURL(outputs.hostServer).href);
  const host = await startHost({ dataDir, port, staticDir: path.dirname(outputs.rendererIndex), host: HOST });
  console.log(`Relay Desk running at ${host.url}  (data: ${dataDir}; Ctrl+C to stop)`);
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130); // a second Ctrl+C doesn't wait
    stopping = true;
    host.close().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
}

function startElectron(electron, dataDir) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would turn the app into a plain Node process
  if (dataDir) env.RELAY_DESK_DATA_DIR = dataDir;
  // repoRoot holds package.json, whose "main" is dist/electron/main.cjs.
  const child = spawn(electron.binary, [repoRoot], { stdio: 'inherit', env });
  const forward = (signal) => () => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  process.on('SIGHUP', forward('SIGHUP'));
  child.on('error', (err) => fail(`Could not start Electron: ${err.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main() {
  const flags = parseFlags();
  if (flags.help) {
    console.log('usage: npm start -- [--browser] [--port N] [--data-dir DIR] [--no-build]');
    return;
  }
  if (!flags['no-build']) await ensureBuilt({ log: (m) => console.log(m) });

  const electron = findElectron();
  let fallback = null;
  if (flags.browser) {
    fallback = 'Starting Relay Desk in browser mode (--browser).';
  } else if (!electron.ok) {
    fallback = 'Electron is not available on this machine; starting Relay Desk in browser mode.';
  } else if (!hasDisplay()) {
    fallback = 'No graphical display found; starting Relay Desk in browser mode.';
  } else {
    try {
      await ensureElectronSqlite({ electronVersion: electron.version, log: (m) => console.log(m) });
    } catch (err) {
      fallback = `Could not build the database module for Electron (${err.message.split('\n')[0]}); starting Relay Desk in browser mode.`;
    }
  }

  const dataDir = path.resolve(flags['data-dir'] ?? userDataDir());
  if (fallback === null) return startElectron(electron, flags['data-dir'] ? dataDir : undefined);
  console.log(fallback);
  // The user's alone: 0700. createDesk (in startHost) also sets an existing folder to 0700 whatever
  // the umask, and its database files to 0600.
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  await startBrowserMode(flags, dataDir);
}

main().catch((err) => {
  console.error(`Relay Desk could not start: ${err.stack ?? err.message}`);
  process.exit(1);
});
