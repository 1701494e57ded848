// Where things are, for the build and start scripts. Plain Node ESM, no dependencies.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PRODUCT_NAME = 'Relay Desk';
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const distDir = path.join(repoRoot, 'dist');
export const rendererOutDir = path.join(distDir, 'renderer');

/** Build outputs; start.mjs rebuilds when one is missing. */
export const outputs = {
  main: path.join(distDir, 'electron', 'main.cjs'),
  preload: path.join(distDir, 'electron', 'preload.cjs'),
  host: path.join(distDir, 'host.mjs'),
  hostServer: path.join(distDir, 'host-server.mjs'),
  rendererIndex: path.join(rendererOutDir, 'index.html'),
  stamp: path.join(distDir, '.build-stamp'),
};

/**
 * The folder Electron's app.getPath('userData') gives for PRODUCT_NAME (main/index.ts pins it to
 * appData + PRODUCT_NAME), so browser mode and the desktop app open the same SQLite file.
 */
export function userDataDir({
  platform = process.platform,
  env = process.env,
  home = os.homedir(),
} = {}) {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  if (platform === 'win32') {
    return join(env.APPDATA || join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  }
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), PRODUCT_NAME);
}
