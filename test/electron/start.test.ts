// `npm start` on a machine without the Electron binary: one line saying so, then the browser-mode
// host on 127.0.0.1 serving the renderer and the API, and a clean stop on Ctrl+C.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectron, hasDisplay } from '../../scripts/lib/electron.mjs';
import { repoRoot, userDataDir } from '../../scripts/lib/paths.mjs';

const MESSAGE = 'Electron is not available on this machine; starting Relay Desk in browser mode.';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'relay-start-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

// ELECTRON_OVERRIDE_DIST_PATH at an empty folder: "no binary" on every machine, even one that has it.
const noElectronEnv = () => ({ ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(tmp, 'no-electron') });

describe('Electron detection', () => {
  it('reports a missing binary without throwing', () => {
    const found = findElectron(noElectronEnv());
    expect(found.ok).toBe(false);
    expect(found.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('finds the binary the way the electron package does (path.txt + dist/, or the override)', () => {
    const pkg = path.join(tmp, 'fake-electron-pkg');
    mkdirSync(path.join(pkg, 'dist'), { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '41.7.1' }));
    expect(findElectron({}, pkg)).toMatchObject({ ok: false, reason: 'the Electron binary was never downloaded' });
    writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    expect(findElectron({}, pkg).ok).toBe(false);
    writeFileSync(path.join(pkg, 'dist', 'electron'), '');
    expect(findElectron({}, pkg)).toEqual({ ok: true, binary: path.join(pkg, 'dist', 'electron'), version: '41.7.1' });
    expect(findElectron({ ELECTRON_OVERRIDE_DIST_PATH: path.join(tmp, 'nowhere') }, pkg).ok).toBe(false);
    expect(findElectron({}, null)).toMatchObject({ ok: false, version: null });
  });

  it('treats Linux without X11 or Wayland as having no display', () => {
    expect(hasDisplay('linux', {})).toBe(false);
    expect(hasDisplay('linux', { DISPLAY: ':0' })).toBe(true);
    expect(hasDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(hasDisplay('win32', {})).toBe(true);
  });
});

describe('data folder', () => {
  it("matches Electron's userData for \"Relay Desk\"", () => {
    expect(userDataDir({ platform: 'linux', env: {}, home: '/home/li' })).toBe('/home/li/.config/Relay Desk');
    expect(userDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' }, home: '/home/li' })).toBe('/xdg/Relay Desk');
    expect(userDataDir({ platform: 'darwin', env: {}, home: '/Users/li' })).toBe('/Users/li/Library/Application Support/Relay Desk');
    expect(userDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\li\\AppData\\Roaming' }, home: 'C:\\Users\\li' })).toBe(
      'C:\\Users\\li\\AppData\\Roaming\\Relay Desk',
    );
  });
});

describe('npm start without Electron', () => {
  it('says so in one line and serves the desk over HTTP', { timeout: 240_000 }, async () => {
    const port = await freePort();
    const dataDir = path.join(tmp, 'data');
    const proc = spawn(process.execPath, ['scripts/start.mjs', '--data-dir', dataDir, '--port', String(port)], {
      cwd: repoRoot,
      env: noElectronEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (d) => (stdout += d));
    proc.stderr!.on('data', (d) => (stderr += d));

    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 200s\n${stdout}\n${stderr}`)), 200_000);
      proc.stdout!.on('data', () => {
        const m = stdout.match(/Relay Desk running at (http:\/\/127\.0\.0\.1:\d+\/)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`start.mjs exited (${code}) before serving\n${stdout}\n${stderr}`));
      });
    });

    expect(url).toBe(`http://127.0.0.1:${port}/`);
    if (process.platform !== 'win32') {
      // The data folder is the user's alone (issue 10): 0700, the database 0600.
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(dataDir, 'relay-desk.db')).mode & 0o777).toBe(0o600);
    }
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.filter((l) => /electron/i.test(l))).toEqual([MESSAGE]);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toMatch(/<div id="root">/);

    const api = await fetch(`${url}trpc/desk.info`);
    expect(api.status).toBe(200);
    expect((await api.json()).result.data).toHaveProperty('locale');

    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });
});
