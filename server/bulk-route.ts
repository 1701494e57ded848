import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape, TRPCError, type AnyTRPCRouter } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { guardJsonText } from './input-guard.js';

/**
 * The two bulk procedures, `sync.push` and `sync.pull`, carry megabytes per call. tRPC's standalone
 * adapter turns every Node request into a WHATWG Request and every answer into a Response, which for
 * these bodies cost more server CPU than the work itself (a stream per request body; a USV-string
 * scan and a separate UTF-8 encode of every response). Here they are read and written with Node's
 * own http, but still run through the router — the same procedure, middleware (auth), input schema
 * and error formatter — and answer in tRPC's wire format (`{"result":{"data":…}}` or
 * `{"error":{…}}` with tRPC's HTTP status), so clients cannot tell the difference. Any other call,
 * a batched call, or an unexpected method falls through to the standard adapter (returns false).
 * `auth.login` is served here too: under a flood of sign-ins most answers are quick refusals
 * (throttled, or the hashing line full), and the standard adapter's per-request streams made each
 * refusal cost more than the check itself.
 */
const BULK: Record<string, 'query' | 'mutation'> = { 'sync.push': 'mutation', 'sync.pull': 'query', 'auth.login': 'mutation' };

/**
 * A procedure's answer already serialised as JSON. A procedure may return it only when its
 * context says the caller is this route (`jsonText`); the route splices it into the response as is.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

export function serveBulk<Ctx>(
  router: AnyTRPCRouter,
  req: IncomingMessage,
  res: ServerResponse,
  opts: { maxBodySize: number; createContext: (req: IncomingMessage) => Ctx },
): boolean {
  const q = req.url?.indexOf('?') ?? -1;
  const path = (q < 0 ? req.url ?? '' : req.url!.slice(0, q)).replace(/^\/+/, '');
  const type = BULK[path];
  if (!type || req.method !== (type === 'query' ? 'GET' : 'POST')) return false;
  const params = new URLSearchParams(q < 0 ? '' : req.url!.slice(q + 1));
  if (params.has('batch')) return false;
  void answer(router, req, res, path, type, params, opts);
  return true;
}

async function answer<Ctx>(
  router: AnyTRPCRouter, req: IncomingMessage, res: ServerResponse, path: string, type: 'query' | 'mutation',
  params: URLSearchParams, opts: { maxBodySize: number; createContext: (req: IncomingMessage) => Ctx },
): Promise<void> {
  let input: unknown;
  let ctx: Ctx | undefined;
  try {
    const text = type === 'query' ? params.get('input') : await readBody(req, opts.maxBodySize);
    // NUL, lone surrogates and deep nesting are refused before parsing (input-guard.ts).
    guardJsonText(text);
    try {
      input = text ? JSON.parse(text) : undefined;
    } catch (cause) {
      throw new TRPCError({ code: 'PARSE_ERROR', message: type === 'query' ? 'the input parameter is not valid JSON' : 'the request body is not valid JSON', cause });
    }
    ctx = opts.createContext(req);
    const data = await callTRPCProcedure({ router, path, getRawInput: async () => input, ctx, type, signal: undefined, batchIndex: 0 });
    send(res, 200, data instanceof JsonText ? `{"result":{"data":${data.text}}}` : JSON.stringify({ result: { data } }));
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    const shape = getTRPCErrorShape({ config: router._def._config, error, type, path, input, ctx });
    // After a body too large the connection is closed once answered (its rest was drained or cut).
    send(res, getHTTPStatusCodeFromError(error), JSON.stringify({ error: shape }), error.code === 'PAYLOAD_TOO_LARGE');
  }
}

/** A JSON answer with its length (and `connection: close` when asked); nothing if one was sent already. */
export function send(res: ServerResponse, status: number, body: string, close = false): void {
  if (res.headersSent || res.destroyed) return;
  // Encoded once: Buffer.byteLength and then res.end(string) would each walk a multi-megabyte string.
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length, ...(close ? { connection: 'close' } : {}) });
  res.end(bytes);
}

/**
 * How much of a too-large body is read and thrown away before answering 413: a client (Node's
 * fetch among them) that is still sending when the server answers and closes sees EPIPE or a reset,
 * never the 413, so the server reads on — up to this multiple of the limit — and answers after.
 */
export const DRAIN_FACTOR = 4;

/**
 * The body as text, or PAYLOAD_TOO_LARGE once it passes `max` bytes — answered only after the rest
 * has been read and discarded (up to `DRAIN_FACTOR × max`), so the client can read the answer.
 */
export function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const tooLarge = () => new TRPCError({ code: 'PAYLOAD_TOO_LARGE' });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) {
        if (size > DRAIN_FACTOR * max) { req.removeAllListeners('data'); req.removeAllListeners('end'); req.pause(); fail(tooLarge()); }
        return;
      }
      if (size > max) { over = true; chunks.length = 0; return; }
      chunks.push(chunk);
    });
    req.on('end', () => (over ? fail(tooLarge()) : ok(Buffer.concat(chunks, size).toString('utf8'))));
    req.on('error', fail);
  });
}

/** Reads and discards a body (up to `cap` bytes), then calls `done` — or at once if it is larger. */
export function drainBody(req: IncomingMessage, cap: number, done: () => void): void {
  if (req.readableEnded) { done(); return; }
  let size = 0;
  let finished = false;
  const finish = () => { if (!finished) { finished = true; done(); } };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > cap) { req.removeAllListeners('data'); req.pause(); finish(); }
  });
  req.on('end', finish);
  req.on('error', finish);
}
