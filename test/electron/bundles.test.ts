// What the esbuild bundles may require, and which code may import 'electron' at all.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainOptions, preloadOptions } from '../../scripts/lib/bundles.mjs';
import { repoRoot } from '../../scripts/lib/paths.mjs';

let out: string;
let preload: string;
let main: string;

function requiredModules(code: string): string[] {
  return [...code.matchAll(/\brequire\s*\(([^)]*)\)/g)].map((m) => m[1].trim());
}

beforeAll(async () => {
  out = mkdtempSync(path.join(os.tmpdir(), 'relay-bundles-'));
  await esbuild.build(preloadOptions(path.join(out, 'preload.cjs')));
  await esbuild.build({ ...mainOptions(), outfile: path.join(out, 'main.cjs'), sourcemap: false });
  preload = readFileSync(path.join(out, 'preload.cjs'), 'utf8');
  main = readFileSync(path.join(out, 'main.cjs'), 'utf8');
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('preload bundle', () => {
  it("requires nothing but 'electron' (a sandboxed preload can't)", () => {
    const required = requiredModules(preload);
    expect(required.length).toBeGreaterThan(0);
    expect(new Set(required)).toEqual(new Set(['"electron"']));
    expect(preload).not.toMatch(/\bimport\s*\(/);
    expect(preload).not.toMatch(/\bprocess\.(binding|dlopen)\b/);
  });

  it('exposes exactly { platform, trpc, saveExport, notify } as relayDesk; trpc only ever invokes relay:trpc, saveExport only relay:save-export with { jobId }, notify only relay:notify with { title, body }', async () => {
    const exposed: Record<string, unknown> = {};
    const invoked: Array<[string, unknown]> = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => {
          exposed[key] = api;
        },
      },
      ipcRenderer: {
        invoke: async (channel: string, arg: unknown) => {
          invoked.push([channel, arg]);
          return { status: 200, headers: {}, body: '[]' };
        },
      },
    };
    // A context with no Node globals, and a require that knows only 'electron', like the sandbox.
    const sandboxRequire = (name: string) => {
      if (name === 'electron') return electron;
      throw new Error(`sandboxed preload cannot require ${name}`);
    };
    vm.runInNewContext(preload, { require: sandboxRequire, module: { exports: {} }, exports: {} }, { filename: 'preload.cjs' });

    expect(Object.keys(exposed)).toEqual(['relayDesk']);
    const bridge = exposed.relayDesk as { platform: string; trpc: (r: unknown) => Promise<unknown>; saveExport: (id: unknown) => Promise<unknown>; notify: (n: unknown) => Promise<unknown> };
    expect(Object.keys(bridge).sort()).toEqual(['notify', 'platform', 'saveExport', 'trpc']);
    expect(bridge.platform).toBe('electron');

    const ok = await bridge.trpc({ url: '/trpc/desk.info', method: 'get', headers: { Accept: 'application/json' }, body: null, extra: 1 });
    expect(ok).toEqual({ status: 200, headers: {}, body: '[]' });
    expect(invoked).toEqual([
      ['relay:trpc', { url: '/trpc/desk.info', method: 'GET', headers: { accept: 'application/json' }, body: null }],
    ]);

    await expect(bridge.trpc({ url: '/trpc/x', method: 'DELETE', headers: {}, body: null })).rejects.toThrow(/not allowed/);
    await expect(bridge.trpc('GET /trpc/x')).rejects.toThrow(/must be an object/);
    expect(invoked).toHaveLength(1);

    await bridge.saveExport('job_1-A');
    expect(invoked[1]).toEqual(['relay:save-export', { jobId: 'job_1-A' }]);
    await expect(bridge.saveExport('../../etc/passwd')).rejects.toThrow(/short id/);
    await expect(bridge.saveExport({ jobId: 'x' })).rejects.toThrow(/short id/);
    expect(invoked).toHaveLength(2);

    // issue 13: an OS notification for a new notice, plain short text only
    await bridge.notify({ title: 'SLA 已超时', body: 'K7Q2M9-00042 打印机', extra: 1 });
    expect(invoked[2]).toEqual(['relay:notify', { title: 'SLA 已超时', body: 'K7Q2M9-00042 打印机' }]);
    await expect(bridge.notify({ title: '', body: 'x' })).rejects.toThrow(/title/);
    await expect(bridge.notify({ title: 'x'.repeat(500), body: 'x' })).rejects.toThrow(/title/);
    await expect(bridge.notify({ title: 'a', body: 'b\u0007' })).rejects.toThrow(/plain text/);
    expect(invoked).toHaveLength(3);
  });
});

describe('main bundle', () => {
  it('is CommonJS and leaves only electron, better-sqlite3 and Node built-ins outside', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const external = requiredModules(main)
      .map((arg) => arg.replace(/^["']|["']$/g, ''))
      .filter((name) => !builtins.has(name));
    expect(new Set(external)).toEqual(new Set(['electron', 'better-sqlite3']));
  });
});

describe("who imports 'electron'", () => {
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : sources(p);
      return /\.(ts|tsx|mts|js|mjs)$/.test(name) ? [p] : [];
    });
  }
  const importsElectron = (file: string) =>
    /(from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\))/.test(readFileSync(file, 'utf8'));

  it('is only electron/main/index.ts and electron/preload/index.ts', () => {
    const roots = ['electron', 'renderer', 'shared', 'server'].map((d) => path.join(repoRoot, d));
    const offenders = roots
      .flatMap((r) => {
        try {
          return sources(r);
        } catch {
          return [];
        }
      })
      .filter(importsElectron)
      .map((f) => path.relative(repoRoot, f).split(path.sep).join('/'))
      .sort();
    expect(offenders).toEqual(['electron/main/index.ts', 'electron/preload/index.ts']);
  });
});
