// `npm run build`: renderer (vite) -> dist/renderer, then the Node-side bundles with esbuild:
//   electron/main/index.ts    -> dist/electron/main.cjs
//   electron/preload/index.ts -> dist/electron/preload.cjs
//   electron/core/host/cli.ts -> dist/host.mjs (browser-mode host; server.ts -> dist/host-server.mjs)
//   electron/core/reports/worker.ts -> dist/report-worker.mjs and dist/electron/report-worker.cjs (reports off the event loop)
// Flags: --no-renderer skips vite (the Node bundles alone take about a second).
// Builds take dist/.build-lock, so `npm start`, tests and `npm run build` running at once take
// turns instead of emptying dist/renderer under each other.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import {
  hostCliOptions, hostServerOptions, mainOptions, preloadOptions, reportWorkerElectronOptions, reportWorkerHostOptions, reportWorkerOutputs,
} from './lib/bundles.mjs';
import { distDir, outputs, rendererOutDir, repoRoot } from './lib/paths.mjs';

const LOCK = path.join(distDir, '.build-lock');
const LOCK_WAIT_MS = 5 * 60_000;
const LOCK_STALE_MS = 10 * 60_000;

/** Sources whose change makes dist/ stale. */
const SOURCES = [
  'electron',
  'renderer',
  'shared',
  'scripts/build.mjs',
  'scripts/lib',
  'vite.config.ts',
  'package.json',
  'package-lock.json',
];

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? cmd)} ${args.slice(1).join(' ')} failed (${signal ?? code})`)),
    );
  });
}

async function withBuildLock(fn) {
  await fs.mkdir(distDir, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await fs.mkdir(LOCK);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const st = await fs.stat(LOCK).catch(() => null);
      if (st && Date.now() - st.mtimeMs > LOCK_STALE_MS) {
        await fs.rm(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another build has held ${LOCK} for minutes; remove it if none is running`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(LOCK, { recursive: true, force: true });
  }
}

async function buildRenderer() {
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--logLevel', 'warn']);
  await fs.access(path.join(rendererOutDir, 'index.html')).catch(() => {
    throw new Error(`vite build finished but ${path.relative(repoRoot, rendererOutDir)}/index.html is missing (check vite.config.ts outDir)`);
  });
}

async function buildNode() {
  await Promise.all(
    [mainOptions(), preloadOptions(), hostCliOptions(), hostServerOptions(), reportWorkerHostOptions(), reportWorkerElectronOptions()].map((o) => esbuild.build(o)),
  );
}

async function buildUnlocked({ renderer }) {
  const started = Date.now();
  if (renderer) await buildRenderer();
  await buildNode();
  // A Node-only build leaves the renderer as it was; it only counts as complete if one is there.
  await fs.writeFile(outputs.stamp, `${new Date().toISOString()}\n`);
  return Date.now() - started;
}

/** Builds dist/. Resolves to the milliseconds it took. */
export function build({ renderer = true } = {}) {
  return withBuildLock(() => buildUnlocked({ renderer }));
}

async function newestMtime(paths) {
  let newest = 0;
  async function visit(p) {
    const st = await fs.stat(p).catch(() => null);
    if (!st) return;
    if (!st.isDirectory()) {
      newest = Math.max(newest, st.mtimeMs);
      return;
    }
    if (path.basename(p) === 'node_modules') return;
    for (const name of await fs.readdir(p)) await visit(path.join(p, name));
  }
  for (const p of paths) await visit(path.join(repoRoot, p));
  return newest;
}

export async function isStale() {
  for (const file of [...Object.values(outputs), ...Object.values(reportWorkerOutputs)]) {
    if (!(await fs.stat(file).catch(() => null))) return true;
  }
  const built = (await fs.stat(outputs.stamp)).mtimeMs;
  return (await newestMtime(SOURCES)) > built;
}

/**
 * Builds only if an output is missing or a source is newer than the last build. Decided under
 * the lock, so concurrent callers build once. Resolves to whether it built.
 */
export function ensureBuilt({ log = () => {} } = {}) {
  return withBuildLock(async () => {
    if (!(await isStale())) return false;
    log('Building Relay Desk...');
    await buildUnlocked({ renderer: true });
    return true;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const renderer = !process.argv.includes('--no-renderer');
  build({ renderer }).then(
    (ms) => console.log(`Relay Desk built in ${(ms / 1000).toFixed(1)}s -> dist/`),
    (err) => {
      console.error(`Build failed: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
