// electron-builder.yml, run for real but offline: a stand-in Electron binary (carrying the fuse
// sentinel so the fuses step runs) and RELAY_DESK_PACK_DRY_RUN=1 so the beforePack hook skips the
// Electron build of better-sqlite3, which needs Electron's downloads. Checks what goes into
// app.asar and what stays out. The packaged app is not run.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../scripts/build.mjs';
import { repoRoot } from '../../scripts/lib/paths.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));
let tmp: string;
let files: string[] = [];
let appDir: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'relay-pack-'));
  await ensureBuilt();
  const electronDist = path.join(tmp, 'electron-dist');
  mkdirSync(electronDist);
  const { SENTINEL } = require('@electron/fuses/dist/constants');
  // sentinel, wire version 1, 8 fuses
  writeFileSync(path.join(electronDist, 'electron'), Buffer.concat([Buffer.from('#!/bin/true\n'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10011000')]));
  chmodSync(path.join(electronDist, 'electron'), 0o755);
  writeFileSync(path.join(electronDist, 'LICENSE'), '');

  const { build, Platform } = await import('electron-builder');
  const saved = process.env.RELAY_DESK_PACK_DRY_RUN;
  process.env.RELAY_DESK_PACK_DRY_RUN = '1';
  try {
    await build({
      projectDir: repoRoot,
      targets: Platform.LINUX.createTarget('dir'),
      publish: 'never',
      config: { electronDist, directories: { output: path.join(tmp, 'out') } } as never,
    });
  } finally {
    if (saved === undefined) delete process.env.RELAY_DESK_PACK_DRY_RUN;
    else process.env.RELAY_DESK_PACK_DRY_RUN = saved;
  }
  appDir = path.join(tmp, 'out', 'linux-unpacked');
  const asar = await import('@electron/asar');
  files = asar.listPackage(path.join(appDir, 'resources', 'app.asar'), { isPack: false }).map((f: string) => f.split(path.sep).join('/'));
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('packaged app (linux dir target, offline)', () => {
  it('has the bundles, the renderer and package.json', () => {
    for (const f of ['/package.json', '/dist/electron/main.cjs', '/dist/electron/preload.cjs', '/dist/renderer/index.html']) {
      expect(files).toContain(f);
    }
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/electron/main.cjs');
  });

  it("carries better-sqlite3's JavaScript but none of its Node-ABI build", () => {
    expect(files).toContain('/node_modules/better-sqlite3/lib/index.js');
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([]);
    expect(files.some((f) => f.startsWith('/node_modules/better-sqlite3/build'))).toBe(false);
    expect(files.some((f) => f.startsWith('/node_modules/better-sqlite3/deps'))).toBe(false);
  });

  it('leaves out what the desktop app does not run: other node_modules, host bundles, source maps', () => {
    const modules = new Set(files.filter((f) => f.startsWith('/node_modules/')).map((f) => f.split('/')[2]));
    expect([...modules]).toEqual(['better-sqlite3']);
    expect(files.some((f) => /\/dist\/host/.test(f))).toBe(false);
    expect(files.some((f) => f.endsWith('.map'))).toBe(false);
  });

  it('flips the fuses: no RunAsNode, NODE_OPTIONS or --inspect; asar only, integrity checked, cookies encrypted', () => {
    const { SENTINEL } = require('@electron/fuses/dist/constants');
    const binary = readFileSync(path.join(appDir, 'relay-desk'));
    const at = binary.indexOf(Buffer.from(SENTINEL)) + SENTINEL.length;
    // order: runAsNode, cookieEncryption, nodeOptions, nodeCliInspect, asarIntegrity,
    // onlyLoadAppFromAsar, browserV8Snapshot (left as shipped), grantFileProtocolExtraPrivileges
    expect(binary.subarray(at + 2, at + 10).toString()).toBe('01001100');
  });
});
