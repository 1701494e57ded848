// Is there an Electron binary to run? Answered from the `electron` package's own files
// (path.txt + dist/), never by require('electron'), which throws when the download never happened.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './paths.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));

function electronPackageDir() {
  try {
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * @param pkgDir the electron package folder (tests point it elsewhere)
 * @returns {{ ok: true, binary: string, version: string } | { ok: false, version: string | null, reason: string }}
 */
export function findElectron(env = process.env, pkgDir = electronPackageDir()) {
  if (!pkgDir) return { ok: false, version: null, reason: 'the electron package is not installed' };
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return { ok: false, version, reason: 'the Electron binary was never downloaded' };
  const executable = fs.readFileSync(pathFile, 'utf8').trim();
  // Same lookup as node_modules/electron/index.js.
  const binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH || path.join(pkgDir, 'dist'), executable);
  if (!fs.existsSync(binary)) return { ok: false, version, reason: `no Electron binary at ${binary}` };
  return { ok: true, binary, version };
}

/** Linux without X11 or Wayland cannot show a window. */
export function hasDisplay(platform = process.platform, env = process.env) {
  return platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}
