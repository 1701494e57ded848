// esbuild settings for the three Node-side bundles. build.mjs runs them; the preload test builds
// the preload with the same settings to check what it requires.
import path from 'node:path';
import { distDir, outputs, repoRoot } from './paths.mjs';

const common = {
  bundle: true,
  platform: 'node',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  absWorkingDir: repoRoot,
};

// Electron 41 ships Node 24; the host runs on the Node that runs npm (>= 20.19).
const ELECTRON_NODE_TARGET = 'node22';

/** Electron main: CommonJS (`main` in package.json). better-sqlite3 stays a real module: its addon is loaded by path. */
export function mainOptions() {
  return {
    ...common,
    entryPoints: [path.join(repoRoot, 'electron/main/index.ts')],
    outfile: outputs.main,
    format: 'cjs',
    target: ELECTRON_NODE_TARGET,
    external: ['electron', 'better-sqlite3'],
    // Core code written as ESM may use import.meta.url; give it the CommonJS equivalent.
    define: { 'import.meta.url': '__relayImportMetaUrl' },
    banner: { js: "const __relayImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  };
}

/**
 * Sandboxed preload: everything inlined; the sandbox's require knows only 'electron' and a few
 * polyfills, so nothing else may survive as a require() call.
 */
export function preloadOptions(outfile = outputs.preload) {
  return {
    ...common,
    entryPoints: [path.join(repoRoot, 'electron/preload/index.ts')],
    outfile,
    format: 'cjs',
    platform: 'browser',
    target: 'chrome130',
    external: ['electron'],
    sourcemap: false,
  };
}

// Bundled CommonJS dependencies call require(); ESM output has none, so make one.
const ESM_REQUIRE_BANNER = [
  "import { createRequire as __relayCreateRequire } from 'node:module';",
  'const require = __relayCreateRequire(import.meta.url);',
].join('\n');

function hostOptions(entry, outfile) {
  return {
    ...common,
    entryPoints: [path.join(repoRoot, entry)],
    outfile,
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    banner: { js: ESM_REQUIRE_BANNER },
  };
}

/** The browser-mode host CLI (`node dist/host.mjs --data-dir ... --port ...`). */
export function hostCliOptions() {
  return hostOptions('electron/core/host/cli.ts', outputs.host);
}

/**
 * The report worker (electron/core/reports/worker.ts), one bundle beside each bundle that starts it:
 * worker-pool.ts looks for report-worker.mjs / .cjs next to itself (dist/ for the host, dist/electron/
 * for Electron's main), so reports and exports run on their own thread in the built app too.
 */
export const reportWorkerOutputs = {
  host: path.join(distDir, 'report-worker.mjs'),
  electron: path.join(distDir, 'electron', 'report-worker.cjs'),
};
export function reportWorkerHostOptions() {
  return hostOptions('electron/core/reports/worker.ts', reportWorkerOutputs.host);
}
export function reportWorkerElectronOptions() {
  const main = mainOptions();
  return { ...main, entryPoints: [path.join(repoRoot, 'electron/core/reports/worker.ts')], outfile: reportWorkerOutputs.electron };
}

/** startHost() as a library, for scripts/start.mjs to run in its own process. */
export function hostServerOptions() {
  return hostOptions('electron/core/host/server.ts', outputs.hostServer);
}

export { distDir };
