// Every security decision the main process makes, as plain functions. This file must not import
// 'electron' (index.ts does the wiring), so test/electron/*.test.ts can check it under Node.
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
/** Written out because Node's URL gives `origin === 'null'` for non-special schemes like app:. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Same shape as Electron's CustomScheme, for protocol.registerSchemesAsPrivileged. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: {
    // standard: relative URLs, localStorage/IndexedDB (Dexie drafts) and a real origin.
    standard: true,
    // secure: counts as a secure context, like https.
    secure: true,
    supportFetchAPI: true,
    codeCache: true,
    // Deliberately not bypassCSP, allowServiceWorkers or stream, nor corsEnabled: without it
    // Electron refuses cross-origin reads of app:// (same-origin module scripts still load).
  },
} as const;

export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  // React and the component library set style attributes; no script can be injected this way.
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  // tRPC goes over IPC, not fetch; 'self' only covers app://desk files such as locale JSON.
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'none'"],
];

export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.map(([k, v]) => `${k} ${v}`).join('; ');

/** Headers on every app:// response, including errors. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
}

/** webPreferences for the one window. Spelled out even where they match Electron's defaults. */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  } as const;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for app://desk/... and nothing else (not app://other, not app://desk@evil). */
export function isAppUrl(url: string): boolean {
  const u = parseUrl(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  );
}

/** will-navigate / will-redirect / will-frame-navigate: stay inside the app. */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/** A link the window wanted to open: handed to the OS browser only if it is https. */
export function externalUrlToOpen(url: string): string | null {
  const u = parseUrl(url);
  if (u === null || u.protocol !== 'https:' || u.username !== '' || u.password !== '') return null;
  return u.toString();
}

/** What index.ts reads off an IpcMainInvokeEvent. */
export interface IpcSenderInfo {
  /** event.sender.id */
  webContentsId: number;
  /** event.senderFrame, null when the frame is gone (navigated away or destroyed). */
  frame: { url: string; isMainFrame: boolean } | null;
}

/**
 * Only the main frame of our own window, showing our own page, may call the API.
 * `expectedWebContentsId` is undefined while no window exists.
 */
export function isTrustedIpcSender(sender: IpcSenderInfo, expectedWebContentsId: number | undefined): boolean {
  if (expectedWebContentsId === undefined || sender.webContentsId !== expectedWebContentsId) return false;
  const frame = sender.frame;
  if (frame === null || !frame.isMainFrame) return false;
  return isAppUrl(frame.url);
}

export type AssetResolution =
  | { ok: true; filePath: string; relativePath: string }
  | { ok: false; status: 400 | 403 | 404 | 405 };

/**
 * Maps an app:// request URL onto a file under `rootDir` without touching the disk.
 * Refuses other hosts, `..` in any spelling, backslashes, NUL, and anything that would land
 * outside rootDir. (app-protocol.ts additionally checks the real path, for symlinks.)
 */
export function resolveAppAsset(rootDir: string, requestUrl: string): AssetResolution {
  const u = parseUrl(requestUrl);
  if (u === null || !isAppUrl(requestUrl)) return { ok: false, status: 404 };
  // URL parsing already folds literal and %2e dot-segments at the root; what survives it is an
  // encoded slash (`..%2f..%2f`), which only shows up once decoded.
  let decoded: string;
  try {
    decoded = decodeURIComponent(u.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 400 };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { ok: false, status: 403 };
  let relativePath = segments.filter((s) => s.length > 0).join('/');
  if (relativePath === '' || decoded.endsWith('/')) relativePath = path.posix.join(relativePath, 'index.html');
  const root = path.resolve(rootDir);
  const filePath = path.resolve(root, ...relativePath.split('/'));
  if (filePath !== root && !filePath.startsWith(root + path.sep)) return { ok: false, status: 403 };
  // Windows: "C:" or a drive-relative segment would have escaped above; belt and braces.
  if (path.isAbsolute(relativePath) || /^[a-zA-Z]:/.test(relativePath)) return { ok: false, status: 403 };
  return { ok: true, filePath, relativePath };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Where the Electron-ABI better-sqlite3 addon lives: dist/native/electron-<version>/, next to
 * dist/electron/. In a packaged app dist/ is inside app.asar and the addon is unpacked beside it.
 */
export function electronSqliteBindingPath(mainDir: string, electronVersion: string): string {
  const p = path.join(mainDir, '..', 'native', `electron-${electronVersion}`, 'better_sqlite3.node');
  return p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
