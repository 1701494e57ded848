// Playwright's webServer: the browser-mode host on a fresh, empty data directory, serving the built
// renderer. A fresh directory per run means the first spec meets a desk on its first start.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const port = process.env.E2E_PORT ?? '4879';
// E2E_STATIC_DIR lets a developer test a private build while others rebuild dist/ in the same tree.
const staticDir = path.resolve(root, process.env.E2E_STATIC_DIR ?? 'dist/renderer');

if (process.env.E2E_BUILD === '1' || !existsSync(path.join(staticDir, 'index.html'))) {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', staticDir], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'relay-desk-e2e-'));
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/core/host/cli.ts'),
  '--data-dir', dataDir, '--port', port, '--static', staticDir], { cwd: root, stdio: 'inherit' });

const cleanup = () => { try { rmSync(dataDir, { recursive: true, force: true }); } catch { /* best effort */ } };
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { child.kill('SIGTERM'); });
child.on('exit', (code) => { cleanup(); process.exit(code ?? 0); });
