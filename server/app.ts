import { getTRPCErrorShape, TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { HlcClock } from '../shared/hlc.js';
import { MAX_BODY_BYTES } from '../shared/sync.js';
import { DEFAULT_LOGIN_HASH_LIMITS, setLoginHashLimits, type LoginHashLimits } from './auth.js';
import { drainBody, DRAIN_FACTOR, readBody, send, serveBulk } from './bulk-route.js';
import { refusal, scanJson } from './input-guard.js';
import { appRouter, type Context } from './router.js';
import { openStorage, type Storage } from './storage/index.js';
import type { SyncDeps } from './sync.js';
import { sweepNotices } from './notifications.js';

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
  /** Serve HTTPS with this certificate chain and private key (PEM); the url is then `https://…`. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * Addresses of reverse proxies in front of the server (e.g. `['127.0.0.1']`): for a request from
   * one of them, the client's address is the last entry of `X-Forwarded-For` (what that proxy saw).
   * Never trusted from anyone else, since any client can send the header.
   */
  trustProxy?: string[];
  /** Every so many ms, raise the SLA notices due now that no desk raised (server/notifications.ts); off when absent (tests sweep by hand). */
  noticeSweepMs?: number;
  /** Bound on sign-in password hashing (default: 2 at once, 16 waiting; more are refused at once). */
  loginHashing?: LoginHashLimits;
}
export interface RunningServer { url: string; storage: Storage; close(): Promise<void> }

/** A tRPC error answer (the same shape the router's error formatter gives any call). */
function errorBody(error: TRPCError, path: string | undefined, type: 'query' | 'mutation' | 'unknown') {
  return { error: getTRPCErrorShape({ config: appRouter._def._config, error, type, path, input: undefined, ctx: undefined }) };
}
const sendJson = (res: http.ServerResponse, status: number, body: unknown, close = false) => send(res, status, JSON.stringify(body), close);

/** The procedure paths of a tRPC URL (`/a.b,c.d?batch=1` → ['a.b', 'c.d']) and whether it is a batch. */
function callsOf(url: string): { paths: string[]; batch: boolean; params: URLSearchParams } {
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  let paths: string[];
  try { paths = decodeURIComponent(pathname).replace(/^\/+/, '').split(','); } catch { paths = [pathname]; }
  return { paths, batch: params.has('batch'), params };
}

/**
 * The input of a (possibly batched) call, refused as a whole if the guard finds NUL, a lone
 * surrogate or deep nesting; a batch answers one error per call, naming the path within that call.
 */
function guardInput(text: string | null, paths: string[], batch: boolean, type: 'query' | 'mutation'): unknown[] | null {
  if (!text) return null;
  const issue = scanJson(text);
  if (!issue) return null;
  if (!batch) return [errorBody(refusal([issue]), paths[0], type)];
  const index = Number(issue.path[0]);
  const inner = { path: issue.path.slice(1), message: issue.message };
  return paths.map((p, i) => errorBody(refusal([i === index || Number.isNaN(index) ? inner : { path: [], message: 'refused with another call of this batch' }]), p, type));
}

const plainAddress = (a: string) => a.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const storage = await openStorage(opts.storage, resolve(opts.dataDir ?? DEFAULT_DATA_DIR));
  const now = opts.now ?? (() => new Date());
  const deps: SyncDeps = { storage, now, clock: new HlcClock(`server-${randomBytes(4).toString('hex')}`, () => now().getTime()) };
  setLoginHashLimits(deps, opts.loginHashing ?? DEFAULT_LOGIN_HASH_LIMITS);
  const proxies = new Set((opts.trustProxy ?? []).map(plainAddress));
  const clientAddress = (req: http.IncomingMessage) => {
    const peer = req.socket.remoteAddress ?? 'unknown';
    const forwarded = req.headers['x-forwarded-for'];
    if (!proxies.has(plainAddress(peer)) || typeof forwarded !== 'string') return peer;
    const last = forwarded.split(',').map((a) => a.trim()).filter(Boolean).pop() ?? '';
    return isIP(last) ? last : peer;
  };
  const createContext = (req: http.IncomingMessage): Context => {
    const auth = req.headers.authorization;
    return { deps, ip: clientAddress(req), token: auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null };
  };
  const handler = createHTTPHandler({ router: appRouter, maxBodySize: MAX_BODY_BYTES, createContext: ({ req }) => createContext(req) });
  const tooLarge = (res: http.ServerResponse, path: string | undefined) =>
    sendJson(res, 413, errorBody(new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }), path, 'unknown'), true);

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const { paths, batch, params } = callsOf(req.url ?? '/');
    const type = req.method === 'GET' ? 'query' : 'mutation';
    // Sign-in is one call per request: a batch would let one request carry many guesses.
    if (paths.includes('auth.login') && (batch || paths.length > 1)) {
      const error = new TRPCError({ code: 'BAD_REQUEST', message: 'auth.login cannot be batched: send each sign-in as a request of its own' });
      drainBody(req, DRAIN_FACTOR * MAX_BODY_BYTES, () => sendJson(res, 400, paths.map((p) => errorBody(error, p, type)), true));
      return;
    }
    // Too large by its declared length: read and drop the body (so the client can read the answer), then 413.
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_BODY_BYTES) {
      if (length > DRAIN_FACTOR * MAX_BODY_BYTES) { tooLarge(res, paths[0]); return; }
      drainBody(req, DRAIN_FACTOR * MAX_BODY_BYTES, () => tooLarge(res, paths[0]));
      return;
    }
    if (serveBulk(appRouter, req, res, { maxBodySize: MAX_BODY_BYTES, createContext: (r) => ({ ...createContext(r), jsonText: true }) })) return;
    // Everything else goes to tRPC's adapter, but its input is guarded first (and its body read here,
    // with the same limit and the same readable 413 as the bulk route).
    if (type === 'query') {
      const refused = guardInput(params.get('input'), paths, batch, type);
      if (refused) { sendJson(res, 400, batch ? refused : refused[0]); return; }
      handler(req, res);
      return;
    }
    readBody(req, MAX_BODY_BYTES).then((text) => {
      const refused = guardInput(text, paths, batch, type);
      if (refused) { sendJson(res, 400, batch ? refused : refused[0]); return; }
      (req as http.IncomingMessage & { body?: string }).body = text;
      handler(req, res);
    }, (e: unknown) => {
      if (e instanceof TRPCError && e.code === 'PAYLOAD_TOO_LARGE') tooLarge(res, paths[0]);
      else res.destroy();
    });
  };
  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, listener) : http.createServer(listener);
  server.keepAliveTimeout = 5_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(opts.port ?? DEFAULT_PORT, host, () => ok()); });
  const { port } = server.address() as AddressInfo;
  // The server's own notice sweep: a notice falls due even when no desk is running. One at a time.
  let sweeping = false;
  const sweepTimer = opts.noticeSweepMs ? setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweepNotices(storage, now()).catch((e: unknown) => console.error('notice sweep failed', e)).finally(() => { sweeping = false; });
  }, opts.noticeSweepMs) : null;
  sweepTimer?.unref();
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    storage,
    async close() {
      if (sweepTimer) clearInterval(sweepTimer);
      await new Promise<void>((ok) => { server.close(() => ok()); server.closeAllConnections(); });
      await storage.close();
    },
  };
}
