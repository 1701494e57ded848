// Electron main process: the only code that imports 'electron'. It wires the desk (plain Node,
// electron/core) to one sandboxed window. Every decision worth testing lives in security.ts,
// app-protocol.ts and ipc-bridge.ts; this file only connects them to Electron's events.
import fs from 'node:fs';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  protocol,
  safeStorage,
  session,
  shell,
  type MenuItemConstructorOptions,
  type WebContents,
} from 'electron';
import { createDesk } from '../core/desk';
import { securePrivateDir } from '../core/db/connection';
import { handleTrpc } from '../core/api/handler';
import { NOTIFY_CHANNEL, SAVE_EXPORT_CHANNEL, TRPC_CHANNEL, checkNotifyRequest } from '../preload/bridge-types';
import { finishedExport } from '../core/host/export-download';
import { saveExport } from './save-export';
import { serveAppRequest } from './app-protocol';
import { relayTrpc } from './ipc-bridge';
import { safeStorageBox } from './secret-box';
import { menuLabels } from './menu-labels';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  electronSqliteBindingPath,
  externalUrlToOpen,
  isNavigationAllowed,
  isTrustedIpcSender,
  secureWebPreferences,
} from './security';

type Desk = Awaited<ReturnType<typeof createDesk>>;

const PRODUCT_NAME = 'Relay Desk';
// dist/electron/main.cjs sits next to preload.cjs; the renderer build is dist/renderer.
const RENDERER_DIR = path.join(__dirname, '..', 'renderer');
const PRELOAD_PATH = path.join(__dirname, 'preload.cjs');

let desk: Desk | null = null;
let mainWindow: BrowserWindow | null = null;

// Must all happen before 'ready'. userData is pinned to the product name so an unpackaged run
// (package.json name "relay-desk") uses the same folder as the installed app and browser mode.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME_PRIVILEGES.scheme, privileges: { ...APP_SCHEME_PRIVILEGES.privileges } },
]);
app.enableSandbox();
app.setName(PRODUCT_NAME);
app.setPath('userData', process.env.RELAY_DESK_DATA_DIR || path.join(app.getPath('appData'), PRODUCT_NAME));
// The data folder is the user's alone (0700), before Chromium writes its first file there; createDesk
// checks it again. A failure here is reported by createDesk's own attempt, through fail().
try {
  securePrivateDir(app.getPath('userData'));
} catch (err) {
  console.warn(`Could not restrict ${app.getPath('userData')}: ${(err as Error).message}`);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) {
      if (desk) createWindow(); // macOS: app still running with its window closed
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (desk && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('will-quit', () => {
    desk?.close();
    desk = null;
  });
  app.whenReady().then(start).catch(fail);
}

async function start(): Promise<void> {
  lockDownSession();
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(RENDERER_DIR, request));
  // The sync token and device secret are sealed with the OS keychain (safeStorage, usable after 'ready').
  desk = await createDesk({ dataDir: app.getPath('userData'), sqliteBinding: sqliteBinding(), secretBox: safeStorageBox(safeStorage) });
  ipcMain.handle(TRPC_CHANNEL, async (event, payload: unknown) => {
    const current = trustedDesk(TRPC_CHANNEL, event);
    return relayTrpc((request) => handleTrpc(current, request), payload);
  });
  // A finished report export, saved where the user chooses (the renderer never names a path).
  ipcMain.handle(SAVE_EXPORT_CHANNEL, async (event, payload: unknown) => {
    const current = trustedDesk(SAVE_EXPORT_CHANNEL, event);
    return saveExport({
      find: (jobId) => finishedExport(current, jobId),
      downloadsDir: app.getPath('downloads'),
      ask: async (suggested, ext) => {
        const win = mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined;
        const options = { defaultPath: suggested, filters: [{ name: ext.toUpperCase(), extensions: [ext] }] };
        const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
        return r.canceled ? undefined : r.filePath;
      },
    }, payload);
  });
  // A new notice as an operating-system notification (issue 13): worded by the renderer; a click brings the window forward.
  ipcMain.handle(NOTIFY_CHANNEL, async (event, payload: unknown) => {
    trustedDesk(NOTIFY_CHANNEL, event);
    const n = checkNotifyRequest(payload);
    if (typeof n === 'string') throw new TypeError(`${NOTIFY_CHANNEL}: ${n}`);
    if (!Notification.isSupported()) return { shown: false };
    const note = new Notification({ title: n.title, body: n.body, silent: false });
    note.on('click', () => {
      const win = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
      if (win) { if (win.isMinimized()) win.restore(); win.focus(); }
    });
    note.show();
    return { shown: true };
  });
  Menu.setApplicationMenu(buildMenu());
  createWindow();
}

/** The desk, if the IPC call came from the main frame of our own window showing our own page; else it throws. */
function trustedDesk(channel: string, event: Electron.IpcMainInvokeEvent): Desk {
  const win = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
  const frame = event.senderFrame;
  const main = win?.webContents.mainFrame;
  const trusted = isTrustedIpcSender(
    {
      webContentsId: event.sender.id,
      frame: frame
        ? {
            url: frame.url,
            isMainFrame:
              !!main &&
              frame.parent === null &&
              frame.processId === main.processId &&
              frame.frameToken === main.frameToken,
          }
        : null,
    },
    win?.webContents.id,
  );
  if (!trusted) throw new Error(`${channel}: sender refused`);
  const current = desk;
  if (!current) throw new Error(`${channel}: desk is closed`);
  return current;
}

function fail(err: unknown): void {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  console.error(err);
  dialog.showErrorBox(`${PRODUCT_NAME} could not start`, message);
  app.exit(1);
}

/** The Electron-ABI addon built by scripts/lib/native.mjs; undefined means better-sqlite3's own lookup. */
function sqliteBinding(): string | undefined {
  const fromEnv = process.env.RELAY_DESK_SQLITE_BINDING;
  if (fromEnv) return fromEnv;
  const built = electronSqliteBindingPath(__dirname, process.versions.electron);
  if (fs.existsSync(built)) return built;
  if (app.isPackaged) throw new Error(`Missing ${built}: this package was built without its database module.`);
  console.warn(`No Electron build of better-sqlite3 at ${built}; falling back to node_modules.`);
  return undefined;
}

function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/** Applied to every webContents, ours or any that something manages to create. */
function guardWebContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlToOpen(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
}

function createWindow(): void {
  const win = new BrowserWindow({
    title: PRODUCT_NAME,
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: secureWebPreferences(PRELOAD_PATH),
  });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(APP_ENTRY_URL);
}

function buildMenu(): Menu {
  const t = menuLabels(app.getLocale());
  const dev = !app.isPackaged;
  const template: MenuItemConstructorOptions[] = [
    { label: t.file, submenu: [{ role: 'quit', label: t.quit }] },
    {
      label: t.edit,
      submenu: [
        { role: 'undo', label: t.undo },
        { role: 'redo', label: t.redo },
        { type: 'separator' },
        { role: 'cut', label: t.cut },
        { role: 'copy', label: t.copy },
        { role: 'paste', label: t.paste },
        { role: 'selectAll', label: t.selectAll },
      ],
    },
    {
      label: t.view,
      submenu: [
        ...(dev
          ? ([
              { role: 'reload', label: t.reload },
              { role: 'toggleDevTools', label: t.devTools },
              { type: 'separator' },
            ] as MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom', label: t.actualSize },
        { role: 'zoomIn', label: t.zoomIn },
        { role: 'zoomOut', label: t.zoomOut },
        { type: 'separator' },
        { role: 'togglefullscreen', label: t.fullScreen },
      ],
    },
    {
      label: t.window,
      submenu: [
        { role: 'minimize', label: t.minimize },
        { role: 'close', label: t.close },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
