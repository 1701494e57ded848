// `npm run build`: renderer (vite) -> dist/renderer, then the Node-side bundles with esbuild:
//   electron/main/index.ts    -> dist/electron/main.cjs
//   electron/preload/index.ts -> dist/electron/preload.cjs
//   electron/core/host/cli.ts -> dist/host.mjs (browser-mode host; server.ts -> dist/host-server.mjs)
// Flags: --no-renderer skips vite (the Node bundles alone take well under a second).
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { hostCliOptions, hostServerOptions, mainOptions, preloadOptions } from './lib/bundles.mjs';
import { outputs, rendererOutDir, repoRoot } from './lib/paths.mjs';

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? cmd)} ${args.slice(1).join(' ')} failed (${signal ?? code})`)),
    );
  });
}

export async function buildRenderer() {
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--logLevel', 'warn']);
  await fs.access(path.join(rendererOutDir, 'index.html')).catch(() => {
    throw new Error(`vite build finished but ${path.relative(repoRoot, rendererOutDir)}/index.html is missing (check vite.config.ts outDir)`);
  });
}

export async function buildNode() {
  await Promise.all(
    [mainOptions(), preloadOptions(), hostCliOptions(), hostServerOptions()].map((o) => esbuild.build(o)),
  );
}

export async function build({ renderer = true } = {}) {
  const started = Date.now();
  if (renderer) await buildRenderer();
  await buildNode();
  await fs.writeFile(outputs.stamp, `${new Date().toISOString()}\n`);
  return Date.now() - started;
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
