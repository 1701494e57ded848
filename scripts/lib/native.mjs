// better-sqlite3 for Electron, without touching node_modules (kept built for Node: tests need it).
// Copies the package into a scratch folder inside dist/ (so its own dependencies, such as
// prebuild-install, still resolve from the repo's node_modules), rebuilds it there with
// @electron/rebuild (prebuilt binary if one is published, else node-gyp against Electron headers)
// and keeps only the addon: dist/native/electron-<version>/better_sqlite3.node.
// Needs to reach Electron's header/prebuild downloads; callers treat failure as "no desktop app".
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { distDir, repoRoot } from './paths.mjs';

const MODULE = 'better-sqlite3';

export function electronSqliteDir(electronVersion) {
  return path.join(distDir, 'native', `electron-${electronVersion}`);
}

async function readJson(file) {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * @param {{ electronVersion: string, arch?: string, platform?: string, force?: boolean, log?: (msg: string) => void }} opts
 * @returns {Promise<string>} path of the Electron-ABI better_sqlite3.node
 */
export async function ensureElectronSqlite({
  electronVersion,
  arch = process.arch,
  platform = process.platform,
  force = false,
  log = () => {},
}) {
  const srcDir = path.join(repoRoot, 'node_modules', MODULE);
  const moduleVersion = (await readJson(path.join(srcDir, 'package.json')))?.version;
  if (!moduleVersion) throw new Error(`${MODULE} is not installed in node_modules`);
  const outDir = electronSqliteDir(electronVersion);
  const addon = path.join(outDir, 'better_sqlite3.node');
  const wanted = { module: MODULE, moduleVersion, electronVersion, platform, arch };
  const have = await readJson(path.join(outDir, 'build.json'));
  if (!force && have && JSON.stringify(have) === JSON.stringify(wanted)) {
    try {
      await fs.access(addon);
      return addon;
    } catch {
      // fall through and rebuild
    }
  }

  log(`Building ${MODULE} ${moduleVersion} for Electron ${electronVersion} (${platform}-${arch})...`);
  await fs.mkdir(distDir, { recursive: true });
  const scratch = await fs.mkdtemp(path.join(distDir, '.native-build-'));
  try {
    const modDir = path.join(scratch, 'node_modules', MODULE);
    await fs.cp(srcDir, modDir, {
      recursive: true,
      filter: (src) => !src.startsWith(path.join(srcDir, 'build') + path.sep) && src !== path.join(srcDir, 'build'),
    });
    await fs.writeFile(
      path.join(scratch, 'package.json'),
      JSON.stringify({ name: 'relay-desk-native', version: '0.0.0', private: true, dependencies: { [MODULE]: moduleVersion } }),
    );
    const { rebuild } = await import('@electron/rebuild');
    await rebuild({
      buildPath: scratch,
      electronVersion,
      arch,
      platform,
      force: true,
      onlyModules: [MODULE],
      mode: 'sequential',
    });
    const built = path.join(modDir, 'build', 'Release', 'better_sqlite3.node');
    await fs.access(built).catch(() => {
      throw new Error(`@electron/rebuild finished but produced no ${path.relative(scratch, built)}`);
    });
    await fs.mkdir(outDir, { recursive: true });
    await fs.copyFile(built, addon);
    await fs.writeFile(path.join(outDir, 'build.json'), JSON.stringify(wanted));
    log(`Built ${path.relative(repoRoot, addon)}`);
    return addon;
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}
