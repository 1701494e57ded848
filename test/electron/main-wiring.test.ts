// The built main process (dist-style main.cjs) run under Node against a stand-in 'electron'
// module. Not Electron: it checks the wiring in electron/main/index.ts (what is registered
// before 'ready', the window's webPreferences, which handler answers which event, the IPC sender
// check on real frames' fields) against the real desk on a temporary SQLite file.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, secureWebPreferences } from '../../electron/main/security';
import { createDesk } from '../../electron/core/desk';
import { mainOptions, reportWorkerElectronOptions } from '../../scripts/lib/bundles.mjs';
import { repoRoot } from '../../scripts/lib/paths.mjs';

type Listener = (...args: any[]) => any;

class Emitter {
  listeners = new Map<string, Listener[]>();
  on(event: string, fn: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  once(event: string, fn: Listener) {
    return this.on(event, fn);
  }
  emit(event: string, ...args: unknown[]) {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }
}

function fakeElectron(appData: string, { lock = true } = {}) {
  const calls: string[] = [];
  let ready!: () => void;
  const readyPromise = new Promise<void>((r) => (ready = r));
  const paths: Record<string, string> = { appData, downloads: path.join(appData, 'Downloads') };
  /** What the next save dialogs answer (cancelled when empty), and what they were shown. */
  const saveAnswers: Array<{ canceled: boolean; filePath?: string }> = [];
  const saveShown: Array<{ withWindow: boolean; options: { defaultPath?: string; filters?: unknown } }> = [];
  const app = Object.assign(new Emitter(), {
    isReady: false,
    isPackaged: false,
    enableSandbox: () => calls.push('enableSandbox'),
    setName: (n: string) => calls.push(`setName:${n}`),
    setPath: (name: string, p: string) => {
      calls.push(`setPath:${name}`);
      paths[name] = p;
    },
    getPath: (name: string) => paths[name],
    requestSingleInstanceLock: () => {
      calls.push('requestSingleInstanceLock');
      return lock;
    },
    whenReady: () => readyPromise,
    getLocale: () => 'zh-CN',
    quit: () => calls.push('quit'),
    exit: (code: number) => calls.push(`exit:${code}`),
  });
  const protocol = {
    schemes: [] as unknown[],
    handlers: new Map<string, (req: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged(list: unknown[]) {
      calls.push(`registerSchemesAsPrivileged:ready=${app.isReady}`);
      this.schemes.push(...list);
    },
    handle(scheme: string, fn: (req: Request) => Promise<Response>) {
      this.handlers.set(scheme, fn);
    },
  };
  const session = {
    defaultSession: {
      permissionRequest: null as Listener | null,
      permissionCheck: null as Listener | null,
      devicePermission: null as Listener | null,
      setPermissionRequestHandler(fn: Listener) {
        this.permissionRequest = fn;
      },
      setPermissionCheckHandler(fn: Listener) {
        this.permissionCheck = fn;
      },
      setDevicePermissionHandler(fn: Listener) {
        this.devicePermission = fn;
      },
    },
  };
  const ipcMain = { handlers: new Map<string, Listener>(), handle(ch: string, fn: Listener) { this.handlers.set(ch, fn); } };
  const opened: string[] = [];
  const windows: FakeWindow[] = [];
  let nextId = 1;
  class FakeContents extends Emitter {
    id = nextId++;
    windowOpenHandler: Listener | null = null;
    mainFrame = { url: 'app://desk/index.html', parent: null, processId: 4, frameToken: `main-${this.id}` };
    setWindowOpenHandler(fn: Listener) {
      this.windowOpenHandler = fn;
    }
  }
  class FakeWindow extends Emitter {
    webContents = new FakeContents();
    loaded: string | null = null;
    constructor(public options: Record<string, any>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    static getAllWindows() {
      return windows;
    }
  }
  const electron = {
    app,
    protocol,
    session,
    ipcMain,
    BrowserWindow: FakeWindow,
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => calls.push(`menu:${m ? 'set' : 'none'}`) },
    shell: { openExternal: async (url: string) => opened.push(url) },
    // issue 13: OS notifications for new notices
    Notification: class extends Emitter {
      static isSupported() { return true; }
      constructor(readonly options: { title: string; body: string }) { super(); }
      show() { calls.push(`notification:${this.options.title}:${this.options.body}`); }
    },
    dialog: {
      showErrorBox: (title: string, body: string) => calls.push(`error:${title}:${body}`),
      showSaveDialog: async (...args: unknown[]) => {
        calls.push(`showSaveDialog:${args.length}`);
        saveShown.push({ withWindow: args.length === 2, options: args[args.length - 1] as { defaultPath?: string } });
        return saveAnswers.shift() ?? { canceled: true };
      },
    },
    // A keychain that really transforms the bytes (XOR + marker), as safeStorage does.
    safeStorage: {
      isEncryptionAvailable: () => (calls.push('safeStorage.isEncryptionAvailable'), true),
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.concat([Buffer.from('KEYCHAIN:'), Buffer.from(Buffer.from(plain).map((b) => b ^ 0x5a))]),
      decryptString: (sealed: Buffer) => Buffer.from(sealed.subarray(9).map((b) => b ^ 0x5a)).toString(),
    },
  };
  return {
    electron,
    calls,
    windows,
    opened,
    saveAnswers,
    saveShown,
    ready: () => {
      app.isReady = true;
      ready();
    },
  };
}

let tmp: string;
let fake: ReturnType<typeof fakeElectron>;
let mainFile: string;
const flush = () => new Promise((r) => setTimeout(r, 50));

/** Runs main.cjs as Electron would, with `env` as the only RELAY_DESK_* variables, then fires 'ready'. */
async function loadMain(env: Record<string, string> = {}, options: { lock?: boolean } = {}) {
  const f = fakeElectron(path.join(tmp, 'appData'), options);
  const realRequire = createRequire(path.join(repoRoot, 'package.json'));
  const requireShim = (name: string) => (name === 'electron' ? f.electron : realRequire(name));
  const module = { exports: {} };
  const keys = ['RELAY_DESK_DATA_DIR', 'RELAY_DESK_SQLITE_BINDING'];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  for (const k of keys) delete process.env[k];
  Object.assign(process.env, env);
  const originalWarn = console.warn;
  const originalError = console.error;
  console.warn = () => {}; // "No Electron build of better-sqlite3": expected under Node
  console.error = () => {};
  try {
    new Function('require', 'module', 'exports', '__filename', '__dirname', readFileSync(mainFile, 'utf8'))(
      requireShim,
      module,
      module.exports,
      mainFile,
      path.dirname(mainFile),
    );
    f.ready();
    await flush();
  } finally {
    console.warn = originalWarn;
    console.error = originalError;
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
  return f;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'relay-main-'));
  // Same layout as dist/: electron/main.cjs next to renderer/.
  mainFile = path.join(tmp, 'dist', 'electron', 'main.cjs');
  await esbuild.build({ ...mainOptions(), outfile: mainFile, sourcemap: false });
  // the report worker's bundle sits beside main.cjs, as in dist/ (exports run on it); the thread
  // resolves better-sqlite3 itself, from node_modules above it as in the app
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
  await esbuild.build({ ...reportWorkerElectronOptions(), outfile: path.join(tmp, 'dist', 'electron', 'report-worker.cjs'), sourcemap: false });
  mkdirSync(path.join(tmp, 'dist', 'renderer'), { recursive: true });
  writeFileSync(path.join(tmp, 'dist', 'renderer', 'index.html'), '<!doctype html><div id="root"></div>');
  fake = await loadMain();
});

afterAll(() => {
  fake?.electron.app.emit('will-quit');
  rmSync(tmp, { recursive: true, force: true });
});

describe('before ready', () => {
  it('registers the app: scheme, sandboxes everything and pins userData before taking the lock', () => {
    const c = fake.calls;
    expect(c).toContain('registerSchemesAsPrivileged:ready=false');
    expect(c).toContain('enableSandbox');
    expect(c.indexOf('setPath:userData')).toBeLessThan(c.indexOf('requestSingleInstanceLock'));
    expect(fake.electron.app.getPath('userData')).toBe(path.join(tmp, 'appData', 'Relay Desk'));
    expect(fake.electron.protocol.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
  });
});

describe('after ready', () => {
  it('started without an error box and opened one window on app://desk', () => {
    expect(fake.calls.filter((c) => c.startsWith('error:'))).toEqual([]);
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0].loaded).toBe('app://desk/index.html');
    expect(fake.calls).toContain('menu:set');
  });

  it('gives the window the locked-down webPreferences and the bundled preload', () => {
    const prefs = fake.windows[0].options.webPreferences;
    expect(prefs).toEqual(secureWebPreferences(path.join(tmp, 'dist', 'electron', 'preload.cjs')));
  });

  it('serves dist/renderer on app:// with the CSP header', async () => {
    const handler = fake.electron.protocol.handlers.get('app')!;
    const res = await handler(new Request('app://desk/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await handler(new Request('app://desk/..%2f..%2fmain.cjs'))).status).toBe(403);
  });

  it('denies every permission request and check', () => {
    const ses = fake.electron.session.defaultSession;
    const answers: boolean[] = [];
    ses.permissionRequest!({}, 'media', (granted: boolean) => answers.push(granted), {});
    ses.permissionRequest!({}, 'notifications', (granted: boolean) => answers.push(granted), {});
    expect(answers).toEqual([false, false]);
    expect(ses.permissionCheck!(null, 'clipboard-read', 'app://desk', {})).toBe(false);
    expect(ses.devicePermission!({})).toBe(false);
  });

  it('keeps navigation on app://desk and sends only https links to the OS browser', () => {
    const contents = fake.windows[0].webContents;
    const nav = (event: string, url: string) => {
      let prevented = false;
      contents.emit(event, { url, preventDefault: () => (prevented = true) });
      return prevented;
    };
    for (const ev of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(nav(ev, 'https://evil.example/')).toBe(true);
      expect(nav(ev, 'file:///etc/passwd')).toBe(true);
      expect(nav(ev, 'app://desk/index.html#/queue')).toBe(false);
    }
    let webview = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webview = true) }, {}, {});
    expect(webview).toBe(true);

    expect(contents.windowOpenHandler!({ url: 'https://kb.example/article/1' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'http://kb.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'app://desk/index.html' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://kb.example/article/1']);
  });
});

describe('relay:trpc', () => {
  const payload = { url: 'app://desk/trpc/desk.info', method: 'GET', headers: {}, body: null };
  const handler = () => fake.electron.ipcMain.handlers.get('relay:trpc')!;
  const event = (frame: Record<string, unknown> | null, senderId?: number) => {
    const contents = fake.windows[0].webContents;
    return { sender: { id: senderId ?? contents.id }, senderFrame: frame };
  };

  it('answers our main frame from the real desk', async () => {
    const res = await handler()(event(fake.windows[0].webContents.mainFrame), payload);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).result.data).toHaveProperty('locale');
  });

  it('refuses sub-frames, missing frames, other pages and other webContents', async () => {
    const main = fake.windows[0].webContents.mainFrame;
    await expect(handler()(event({ ...main, parent: main }), payload)).rejects.toThrow(/sender refused/);
    await expect(handler()(event({ ...main, frameToken: 'other' }), payload)).rejects.toThrow(/sender refused/);
    await expect(handler()(event(null), payload)).rejects.toThrow(/sender refused/);
    await expect(handler()(event({ ...main, url: 'https://evil.example/' }), payload)).rejects.toThrow(/sender refused/);
    await expect(handler()(event(main, 999), payload)).rejects.toThrow(/sender refused/);
  });
});

describe('relay:notify (issue 13)', () => {
  const handler = () => fake.electron.ipcMain.handlers.get('relay:notify')!;
  const event = (frame: Record<string, unknown> | null, senderId?: number) => ({ sender: { id: senderId ?? fake.windows[0].webContents.id }, senderFrame: frame });

  it('shows an OS notification for our own window only, plain short text only', async () => {
    const main = fake.windows[0].webContents.mainFrame;
    await expect(handler()(event({ ...main, parent: main }), { title: 'x', body: 'y' })).rejects.toThrow(/relay:notify: sender refused/);
    await expect(handler()(event({ ...main, url: 'https://evil.example/' }), { title: 'x', body: 'y' })).rejects.toThrow(/sender refused/);
    await expect(handler()(event(main, 999), { title: 'x', body: 'y' })).rejects.toThrow(/sender refused/);
    await expect(handler()(event(main), { title: '', body: 'y' })).rejects.toThrow(/title/);
    expect(fake.calls.filter((c) => c.startsWith('notification:'))).toEqual([]);
    expect(await handler()(event(main), { title: 'SLA 已超时', body: 'K7Q2M9-00042 打印机' })).toEqual({ shown: true });
    expect(fake.calls.filter((c) => c.startsWith('notification:'))).toEqual(['notification:SLA 已超时:K7Q2M9-00042 打印机']);
  });
});

describe('relay:save-export', () => {
  const handler = () => fake.electron.ipcMain.handlers.get('relay:save-export')!;
  const event = (frame: Record<string, unknown> | null, senderId?: number) => ({ sender: { id: senderId ?? fake.windows[0].webContents.id }, senderFrame: frame });

  it('is registered with the same sender check as relay:trpc', async () => {
    const main = fake.windows[0].webContents.mainFrame;
    await expect(handler()(event({ ...main, parent: main }), { jobId: 'x' })).rejects.toThrow(/relay:save-export: sender refused/);
    await expect(handler()(event({ ...main, url: 'https://evil.example/' }), { jobId: 'x' })).rejects.toThrow(/sender refused/);
    await expect(handler()(event(main, 999), { jobId: 'x' })).rejects.toThrow(/sender refused/);
  });

  it('takes a job id, never a path; an unknown job shows no dialog', async () => {
    const main = fake.windows[0].webContents.mainFrame;
    await expect(handler()(event(main), { jobId: '../../etc/passwd' })).rejects.toThrow(/short id/);
    await expect(handler()(event(main), '/tmp/x.csv')).rejects.toThrow(/must be an object/);
    expect(await handler()(event(main), { jobId: 'no-such-job' })).toEqual({ saved: false, reason: 'not_found' });
    expect(fake.calls.some((c) => c.startsWith('showSaveDialog'))).toBe(false);
  });

  it('shows the save dialog over our window for a finished export and copies the file where the user chose', async () => {
    const main = fake.windows[0].webContents.mainFrame;
    const api = fake.electron.ipcMain.handlers.get('relay:trpc')!;
    const call = async (p: string, input: unknown, method: 'GET' | 'POST') => {
      const url = method === 'GET' ? `app://desk/trpc/${p}?input=${encodeURIComponent(JSON.stringify(input))}` : `app://desk/trpc/${p}`;
      const res = await api(event(main), { url, method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? JSON.stringify(input) : null });
      return JSON.parse(res.body).result?.data;
    };
    if (!(await call('desk.info', {}, 'GET')).user) await call('desk.setup', { name: '王经理', role: 'lead', group: '服务台一组', locale: 'zh-CN' }, 'POST');
    const { jobId, fileName } = await call('export.start', { query: { from: '2026-11-01', to: '2026-11-30', timeZone: 'Asia/Shanghai' }, format: 'csv', lang: 'zh-CN' }, 'POST');
    // the export runs on a worker thread: wait for it in real time (bounded), not in event-loop turns
    for (let i = 0; i < 300 && (await call('export.progress', { jobId }, 'GET'))?.state !== 'done'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await call('export.progress', { jobId }, 'GET')).toMatchObject({ state: 'done' });

    // cancelled: nothing written
    expect(await handler()(event(main), { jobId })).toEqual({ saved: false, reason: 'cancelled' });
    const shown = fake.saveShown.at(-1)!;
    expect(shown.withWindow).toBe(true);
    expect(shown.options.defaultPath).toBe(path.join(tmp, 'appData', 'Downloads', fileName));
    expect(shown.options.filters).toEqual([{ name: 'CSV', extensions: ['csv'] }]);

    const target = path.join(tmp, '保存的报告.csv');
    fake.saveAnswers.push({ canceled: false, filePath: target });
    expect(await handler()(event(main), { jobId })).toEqual({ saved: true, fileName: '保存的报告.csv' });
    expect([...readFileSync(target).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readdirSync(tmp).filter((n) => n.endsWith('.part'))).toEqual([]);
  });
});

describe('quitting', () => {
  it('closes the desk on will-quit; late IPC gets an error, not a closed database', async () => {
    fake.electron.app.emit('will-quit');
    const main = fake.windows[0].webContents.mainFrame;
    const handler = fake.electron.ipcMain.handlers.get('relay:trpc')!;
    await expect(
      handler({ sender: { id: fake.windows[0].webContents.id }, senderFrame: main }, { url: '/trpc/desk.info', method: 'GET', headers: {}, body: null }),
    ).rejects.toThrow(/desk is closed/);
  });
});

describe('startup edge cases', () => {
  it('a second instance quits without opening anything', async () => {
    const second = await loadMain({}, { lock: false });
    expect(second.calls).toContain('quit');
    expect(second.windows).toHaveLength(0);
    expect(second.electron.protocol.handlers.size).toBe(0);
  });

  it('a desk that cannot open shows an error box and exits 1', async () => {
    const blocker = path.join(tmp, 'not-a-folder');
    writeFileSync(blocker, '');
    const broken = await loadMain({ RELAY_DESK_DATA_DIR: path.join(blocker, 'data') });
    expect(broken.calls.some((c) => c.startsWith('error:Relay Desk could not start:'))).toBe(true);
    expect(broken.calls).toContain('exit:1');
    expect(broken.windows).toHaveLength(0);
  });

  it('keeps userData private (0700, database 0600) and seals secrets with safeStorage', async () => {
    const dir = path.join(tmp, 'old-desk');
    // An older desk's folder: world-readable, its token in a plain meta row.
    const old = await createDesk({ dataDir: dir, backgroundSync: false });
    old.store.db.prepare('DELETE FROM secrets').run();
    old.store.setMeta('sync_token', 'rdt_live_wiring_token_0123456789');
    old.close();
    chmodSync(dir, 0o755);
    chmodSync(path.join(dir, 'relay-desk.db'), 0o644);
    const f = await loadMain({ RELAY_DESK_DATA_DIR: dir });
    expect(f.windows).toHaveLength(1);
    expect(f.calls).toContain('safeStorage.isEncryptionAvailable');
    if (process.platform !== 'win32') {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const file of readdirSync(dir).filter((n) => n.startsWith('relay-desk.db'))) expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    }
    f.electron.app.emit('will-quit');
    const bytes = Buffer.concat(readdirSync(dir).filter((n) => n.startsWith('relay-desk.db')).map((n) => readFileSync(path.join(dir, n))));
    expect(bytes.includes(Buffer.from('rdt_live_wiring_token'))).toBe(false);
    expect(bytes.includes(Buffer.from('KEYCHAIN:'))).toBe(true);
  });

  it('RELAY_DESK_DATA_DIR (npm start --data-dir) becomes userData', async () => {
    const dir = path.join(tmp, 'custom-data');
    const custom = await loadMain({ RELAY_DESK_DATA_DIR: dir });
    expect(custom.electron.app.getPath('userData')).toBe(dir);
    expect(custom.windows).toHaveLength(1);
    custom.electron.app.emit('will-quit');
  });
});
