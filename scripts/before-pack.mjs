// electron-builder beforePack hook (electron-builder.yml: npmRebuild false + this). node_modules
// stays built for Node; the app gets an Electron-ABI better-sqlite3 addon in
// dist/native/electron-<version>/, unpacked from the asar, which main/index.ts hands to createDesk.
// Runs once per target arch, so it always rebuilds (force) for the arch being packed.
import { ensureElectronSqlite } from './lib/native.mjs';

// electron-builder's Arch enum (builder-util): the numbers it passes in context.arch.
const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

export async function beforePack(context) {
  const electronVersion = context.packager.config.electronVersion ?? context.packager.info?.framework?.version;
  if (!electronVersion) throw new Error('beforePack: cannot tell which Electron version is being packaged');
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  if (arch === 'universal') throw new Error('beforePack: universal macOS builds need one addon per arch; build x64 and arm64 separately');
  if (process.env.RELAY_DESK_PACK_DRY_RUN === '1') {
    // Checking the package layout offline only; the result cannot open its database.
    console.warn('  • RELAY_DESK_PACK_DRY_RUN=1: skipping the Electron build of better-sqlite3');
    return;
  }
  // A packaging run that cannot build the addon must fail: an app without it cannot open its database.
  await ensureElectronSqlite({
    electronVersion,
    arch,
    platform: context.electronPlatformName,
    force: true,
    log: (m) => console.log(`  • ${m}`),
  });
}

export default beforePack;
