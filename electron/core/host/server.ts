import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createDesk, type Desk } from '../desk.js';
import { handleTrpc } from '../api/handler.js';
import { exportDownloadHeaders, finishedExport } from './export-download.js';

export const BROWSER_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};
// Imports send whole files (a 50,000-row list is ~15 MB as base64).
const MAX_BODY = 64 * 1024 * 1024;

export interface HostOptions { dataDir: string; port: number; staticDir: string; host?: string; now?: () => Date }
export interface Host { url: string; desk: Desk; close(): Promise<void> }

/**
 * Browser mode: the main process's API served over local HTTP instead of IPC, plus the built
 * renderer. Loopback only; requests from another origin (a web page trying to reach the desk) and
 * foreign Host headers (DNS rebinding) are refused.
 */
export async function startHost(opts: HostOptions): Promise<Host> {
  const desk = await createDesk({ dataDir: opts.dataDir, now: opts.now });
  const hostName = opts.host ?? '127.0.0.1';
  const staticRoot = path.resolve(opts.staticDir);
  let origin = '';
  let allowedHosts = new Set<string>();

  const server = http.createServer(async (req, res) => {
    try {
      if (!req.headers.host || !allowedHosts.has(req.headers.host)) return send(res, 421, 'text/plain', 'unknown host');
      const url = new URL(req.url ?? '/', origin);
      if (url.pathname.startsWith('/trpc/') || url.pathname === '/trpc') {
        const from = req.headers.origin;
        if (from && from !== origin && !allowedHosts.has(from.replace(/^https?:\/\//, ''))) return send(res, 403, 'text/plain', 'cross-origin request refused');
        const body = req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(await readBody(req));
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
        const response = await handleTrpc(desk, new Request(url, { method: req.method, headers, body }));
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
        return;
      }
      const exportJob = /^\/exports\/([^/]+)$/.exec(url.pathname);
      if (exportJob) {
        // A finished report export as a download (issue 11). Same origin only: a page elsewhere may not
        // make the desk hand it a file (Sec-Fetch-Site from browsers that send it, Origin from the rest).
        if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
        const site = req.headers['sec-fetch-site'];
        const from = req.headers.origin;
        if ((typeof site === 'string' && site !== 'same-origin' && site !== 'none') || (from && from !== origin && !allowedHosts.has(from.replace(/^https?:\/\//, '')))) {
          return send(res, 403, 'text/plain', 'cross-origin request refused');
        }
        let jobId: string;
        try { jobId = decodeURIComponent(exportJob[1]); } catch { return send(res, 400, 'text/plain', 'bad path'); }
        const file = await finishedExport(desk, jobId);
        if (!file) return send(res, 404, 'text/plain', 'no finished export with this id');
        res.writeHead(200, exportDownloadHeaders(file));
        if (req.method === 'HEAD') { res.end(); return; }
        fs.createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
        return;
      }
      serveStatic(staticRoot, url.pathname, res);
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      send(res, status, 'text/plain', status === 413 ? 'request too large' : 'internal error');
      if (status === 500) console.error(err);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, hostName, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${hostName}:${port}`;
  allowedHosts = new Set([`${hostName}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    url: `${origin}/`,
    desk,
    close: () => new Promise<void>((resolve) => {
      server.close(() => { desk.close(); resolve(); });
      server.closeAllConnections();
    }),
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer) {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse) {
  let rel: string;
  try { rel = decodeURIComponent(pathname); } catch { return send(res, 400, 'text/plain', 'bad path'); }
  const file = path.resolve(root, '.' + (rel === '/' ? '/index.html' : rel));
  if (file !== root && !file.startsWith(root + path.sep)) return send(res, 403, 'text/plain', 'forbidden');
  // Unknown paths get the app (client-side routes); missing assets a 404.
  const target = fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.extname(file) ? null : path.join(root, 'index.html');
  if (!target || !fs.existsSync(target)) return send(res, 404, 'text/plain', 'not found (is the renderer built? run npm run build)');
  res.writeHead(200, {
    'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
    'content-security-policy': BROWSER_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': target.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
  });
  fs.createReadStream(target).pipe(res);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { req.destroy(); reject(Object.assign(new Error('too large'), { status: 413 })); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
