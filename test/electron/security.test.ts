// The main process's security decisions, checked as plain functions (security.ts imports no electron).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  CSP_DIRECTIVES,
  appResponseHeaders,
  electronSqliteBindingPath,
  externalUrlToOpen,
  isAppUrl,
  isNavigationAllowed,
  isTrustedIpcSender,
  resolveAppAsset,
  secureWebPreferences,
} from '../../electron/main/security';

describe('webPreferences', () => {
  const prefs = secureWebPreferences('/app/dist/electron/preload.cjs');

  it('isolates and sandboxes the renderer', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.spellcheck).toBe(false);
    expect(prefs.preload).toBe('/app/dist/electron/preload.cjs');
  });

  it('registers app: as a secure standard scheme without CSP bypass', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
    expect(APP_ENTRY_URL).toBe('app://desk/index.html');
  });
});

describe('content security policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('is the agreed policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
    expect(directives.size).toBe(CSP_DIRECTIVES.length);
  });

  it('allows scripts only from the app itself', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/\*|https?:|blob:/);
    // 'unsafe-inline' only for styles
    expect(
      [...directives].filter(([, v]) => v.includes("'unsafe-inline'")).map(([k]) => k),
    ).toEqual(['style-src']);
  });

  it('shuts plugins, <base>, framing and form posts', () => {
    for (const d of ['object-src', 'base-uri', 'frame-ancestors', 'form-action']) {
      expect(directives.get(d)).toEqual(["'none'"]);
    }
  });

  it('goes on every app:// response', () => {
    const headers = appResponseHeaders('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('navigation and external links', () => {
  it('stays on app://desk', () => {
    expect(isNavigationAllowed('app://desk/index.html')).toBe(true);
    expect(isNavigationAllowed('app://desk/index.html#/incidents/42')).toBe(true);
    expect(isNavigationAllowed('app://desk/tickets?x=1')).toBe(true);
  });

  it.each([
    'https://example.com/',
    'http://127.0.0.1:4873/',
    'file:///etc/passwd',
    'app://other/index.html',
    'app://desk.evil.com/index.html',
    'app://desk:8080/index.html',
    'app://user:pw@desk/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isNavigationAllowed(url)).toBe(false);
    expect(isAppUrl(url)).toBe(false);
  });

  it('opens only https links outside, in the OS browser', () => {
    expect(externalUrlToOpen('https://example.com/kb/1?x=2')).toBe('https://example.com/kb/1?x=2');
    expect(externalUrlToOpen('http://example.com/')).toBeNull();
    expect(externalUrlToOpen('file:///C:/Windows/System32/calc.exe')).toBeNull();
    expect(externalUrlToOpen('javascript:alert(1)')).toBeNull();
    expect(externalUrlToOpen('smb://server/share')).toBeNull();
    expect(externalUrlToOpen('https://user:pw@example.com/')).toBeNull();
    expect(externalUrlToOpen('app://desk/index.html')).toBeNull();
  });
});

describe('IPC sender check', () => {
  const WINDOW = 7;
  const ours = { webContentsId: WINDOW, frame: { url: 'app://desk/index.html#/queue', isMainFrame: true } };

  it('accepts the main frame of our window showing our page', () => {
    expect(isTrustedIpcSender(ours, WINDOW)).toBe(true);
  });

  it('refuses a sub-frame, even on our origin', () => {
    expect(isTrustedIpcSender({ ...ours, frame: { ...ours.frame, isMainFrame: false } }, WINDOW)).toBe(false);
  });

  it('refuses a missing (destroyed or navigated-away) frame', () => {
    expect(isTrustedIpcSender({ webContentsId: WINDOW, frame: null }, WINDOW)).toBe(false);
  });

  it('refuses other webContents and a closed window', () => {
    expect(isTrustedIpcSender({ ...ours, webContentsId: WINDOW + 1 }, WINDOW)).toBe(false);
    expect(isTrustedIpcSender(ours, undefined)).toBe(false);
  });

  it.each(['https://evil.example/', 'app://other/index.html', 'file:///tmp/x.html', 'about:blank', 'http://127.0.0.1:4873/'])(
    'refuses a main frame on %s',
    (url) => {
      expect(isTrustedIpcSender({ webContentsId: WINDOW, frame: { url, isMainFrame: true } }, WINDOW)).toBe(false);
    },
  );
});

describe('app:// path resolution', () => {
  const root = path.resolve('/srv/relay/dist/renderer');
  const ok = (url: string) => {
    const r = resolveAppAsset(root, url);
    if (!r.ok) throw new Error(`${url} refused with ${r.status}`);
    expect(r.filePath === root || r.filePath.startsWith(root + path.sep)).toBe(true);
    return path.relative(root, r.filePath).split(path.sep).join('/');
  };
  const status = (url: string) => {
    const r = resolveAppAsset(root, url);
    return r.ok ? 200 : r.status;
  };

  it('maps URLs to files under the renderer folder', () => {
    expect(ok('app://desk/')).toBe('index.html');
    expect(ok('app://desk/index.html')).toBe('index.html');
    expect(ok('app://desk/assets/index-abc123.js')).toBe('assets/index-abc123.js');
    expect(ok('app://desk/assets/index.js?v=2#x')).toBe('assets/index.js');
    expect(ok('app://desk/locales/zh-CN/%E5%B7%A5%E5%8D%95.json')).toBe('locales/zh-CN/工单.json');
    expect(ok('app://desk/assets/')).toBe('assets/index.html');
  });

  it('never leaves the folder with literal ../ (URL parsing folds it at the root)', () => {
    expect(ok('app://desk/../../../etc/passwd')).toBe('etc/passwd');
    expect(ok('app://desk/assets/../../../../etc/passwd')).toBe('etc/passwd');
    expect(ok('app://desk/%2e%2e/%2e%2e/etc/passwd')).toBe('etc/passwd');
  });

  it.each([
    'app://desk/..%2f..%2f..%2fetc%2fpasswd',
    'app://desk/assets/..%2F..%2F..%2Fetc%2Fpasswd',
    'app://desk/%2e%2e%2f%2e%2e%2fetc/passwd',
    'app://desk/assets/%2E%2E%2Findex.html',
    'app://desk/.%2f.%2findex.html',
  ])('refuses encoded traversal %s', (url) => {
    expect(status(url)).toBe(403);
  });

  it.each([
    'app://desk/..%5c..%5cwindows%5cwin.ini',
    'app://desk/assets%5c..%5c..%5csecret',
    'app://desk/index.html%00.png',
    'app://desk/%E0%A4%A',
  ])('refuses malformed path %s', (url) => {
    expect(status(url)).toBe(400);
  });

  it('refuses other hosts and schemes', () => {
    expect(status('app://other/index.html')).toBe(404);
    expect(status('file:///srv/relay/dist/renderer/index.html')).toBe(404);
    expect(status('https://desk/index.html')).toBe(404);
  });
});

describe('Electron-ABI sqlite addon path', () => {
  it('sits in dist/native next to dist/electron', () => {
    const p = electronSqliteBindingPath(path.join('/opt/relay', 'dist', 'electron'), '41.7.1');
    expect(p).toBe(path.join('/opt/relay', 'dist', 'native', 'electron-41.7.1', 'better_sqlite3.node'));
  });

  it('is read from app.asar.unpacked in a packaged app', () => {
    const p = electronSqliteBindingPath('/opt/Relay Desk/resources/app.asar/dist/electron', '41.7.1');
    expect(p).toBe('/opt/Relay Desk/resources/app.asar.unpacked/dist/native/electron-41.7.1/better_sqlite3.node');
  });
});
