import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { HlcClock } from '../shared/hlc.js';
import { MAX_BODY_BYTES } from '../shared/sync.js';
import { serveBulk } from './bulk-route.js';
import { appRouter, type Context } from './router.js';
import { openStorage, type Storage } from './storage/index.js';
import type { SyncDeps } from './sync.js';

export type { ServerRouter } from './router.js';

export const DEFAULT_PORT = 4874;
export const DEFAULT_DATA_DIR = './.data/server';

export interface ServerOptions {
  /** `'sqlite'` (embedded, in `dataDir`) or a PostgreSQL URL. */
  storage: 'sqlite' | string;
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Injected clock (tests skew it and drive login throttling with it). */
  now?: () => Date;
}
export interface RunningServer { url: string; storage: Storage; close(): Promise<void> }

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const storage = await openStorage(opts.storage, resolve(opts.dataDir ?? DEFAULT_DATA_DIR));
  const now = opts.now ?? (() => new Date());
  const deps: SyncDeps = { storage, now, clock: new HlcClock(`server-${randomBytes(4).toString('hex')}`, () => now().getTime()) };
  const createContext = (req: http.IncomingMessage): Context => {
    const auth = req.headers.authorization;
    return { deps, ip: req.socket.remoteAddress ?? 'unknown', token: auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null };
  };
  const handler = createHTTPHandler({ router: appRouter, maxBodySize: MAX_BODY_BYTES, createContext: ({ req }) => createContext(req) });
  const server = http.createServer((req, res) => {
    // Refuse an oversized body before reading it; chunked bodies are cut by tRPC's maxBodySize.
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_BODY_BYTES) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { message: `request body too large (${length} bytes): the limit is ${MAX_BODY_BYTES / 1024 / 1024} MB; send fewer mutations per push`, code: -32013, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } } }));
      req.resume();
      return;
    }
    if (serveBulk(appRouter, req, res, { maxBodySize: MAX_BODY_BYTES, createContext: (r) => ({ ...createContext(r), jsonText: true }) })) return;
    handler(req, res);
  });
  server.keepAliveTimeout = 5_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(opts.port ?? DEFAULT_PORT, host, () => ok()); });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    storage,
    async close() {
      await new Promise<void>((ok) => { server.close(() => ok()); server.closeAllConnections(); });
      await storage.close();
    },
  };
}
