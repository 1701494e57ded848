// The app:// file server on real files: what the window can and cannot load.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAppRequest } from '../../electron/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'relay-app-protocol-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(path.join(root, 'assets', 'app-1a2b.js'), 'console.log("desk")');
  writeFileSync(path.join(root, 'assets', 'app-1a2b.css'), 'body{}');
  writeFileSync(path.join(base, 'secret.txt'), 'outside the renderer');
  // A link inside the served folder that points out of it.
  symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'leak.txt'));
  symlinkSync(base, path.join(root, 'up'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => serveAppRequest(root, new Request(url, { method }));

describe('serveAppRequest', () => {
  it('serves index.html with the CSP header', async () => {
    const res = await get('app://desk/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('id="root"');
  });

  it('serves assets with their content type', async () => {
    const js = await get('app://desk/assets/app-1a2b.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const css = await get('app://desk/assets/app-1a2b.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers client-side routes with the app, missing assets with 404', async () => {
    const route = await get('app://desk/incidents/42');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('id="root"');
    const missing = await get('app://desk/assets/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses traversal, encoded or not', async () => {
    expect((await get('app://desk/..%2fsecret.txt')).status).toBe(403);
    expect((await get('app://desk/assets/..%2F..%2Fsecret.txt')).status).toBe(403);
    expect((await get('app://desk/..%5csecret.txt')).status).toBe(400);
    // literal ../ is folded by URL parsing and lands inside the root, where there is no such file
    const folded = await get('app://desk/../secret.txt');
    expect(folded.status).toBe(404);
    expect(await folded.text()).not.toContain('outside');
  });

  it('does not follow symlinks out of the renderer folder', async () => {
    const viaFile = await get('app://desk/assets/leak.txt');
    expect(viaFile.status).toBe(404);
    expect(await viaFile.text()).not.toContain('outside');
    const viaDir = await get('app://desk/up/secret.txt');
    expect(viaDir.status).toBe(404);
  });

  it('serves only app://desk and only GET/HEAD', async () => {
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://desk/index.html', 'POST')).status).toBe(405);
    const head = await get('app://desk/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
