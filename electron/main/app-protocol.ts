// The app:// file server: answers protocol.handle requests with files from dist/renderer.
// Plain Node (fs + the fetch Response class), no 'electron', so tests can call it directly.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { appResponseHeaders, contentTypeFor, resolveAppAsset } from './security';

function refuse(status: number): Response {
  return new Response(status === 404 ? 'Not found' : 'Refused', {
    status,
    headers: appResponseHeaders('text/plain; charset=utf-8'),
  });
}

async function isInside(realRoot: string, candidate: string): Promise<string | null> {
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    return null;
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
  const stat = await fs.stat(real);
  return stat.isFile() ? real : null;
}

/**
 * Serves `request` from `rootDir`. Paths without an extension that match no file get index.html,
 * so a reload on a client-side route still lands in the app.
 */
export async function serveAppRequest(rootDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
  const resolved = resolveAppAsset(rootDir, request.url);
  if (!resolved.ok) return refuse(resolved.status);
  let realRoot: string;
  try {
    realRoot = await fs.realpath(rootDir);
  } catch {
    return refuse(404);
  }
  // The real path must stay inside the real root too: a symlink in dist/renderer must not
  // become a way out.
  let file = await isInside(realRoot, resolved.filePath);
  if (file === null && path.posix.extname(resolved.relativePath) === '') {
    file = await isInside(realRoot, path.join(rootDir, 'index.html'));
  }
  if (file === null) return refuse(404);
  const body = request.method === 'HEAD' ? null : await fs.readFile(file);
  return new Response(body, { status: 200, headers: appResponseHeaders(contentTypeFor(file)) });
}
