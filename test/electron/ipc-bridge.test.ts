// relay:trpc end to end without Electron: a tRPC client whose fetch does what the preload does
// (shape check, structured clone across the process boundary), the main-process conversion, and
// the real desk on a temporary SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleTrpc } from '../../electron/core/api/handler';
import type { AppRouter } from '../../electron/core/api/router';
import { createDesk, type Desk } from '../../electron/core/desk';
import { relayTrpc, toFetchRequest } from '../../electron/main/ipc-bridge';
import { checkTrpcRequest, type TrpcIpcRequest, type TrpcIpcResponse } from '../../electron/preload/bridge-types';

let dir: string;
let desk: Desk;
const seen: TrpcIpcRequest[] = [];

/** What crosses ipcRenderer.invoke -> ipcMain.handle and back. */
async function ipc(payload: unknown): Promise<TrpcIpcResponse> {
  const res = await relayTrpc((request) => handleTrpc(desk, request), structuredClone(payload));
  return structuredClone(res);
}

/** The renderer side: a fetch that goes through the bridge (same shape as window.relayDesk.trpc). */
async function bridgeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((v, k) => {
    headers[k] = v;
  });
  const req = { url, method: init?.method ?? 'GET', headers, body: typeof init?.body === 'string' ? init.body : null };
  const checked = checkTrpcRequest(req);
  if (typeof checked === 'string') throw new TypeError(checked);
  seen.push(checked);
  const res = await ipc(checked);
  return new Response(res.body, { status: res.status, headers: res.headers });
}

function client(origin = 'app://desk') {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${origin}/trpc`, fetch: bridgeFetch })] });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'relay-ipc-'));
  desk = await createDesk({ dataDir: dir });
});

afterAll(() => {
  desk?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('relay:trpc round trip on the real desk', () => {
  it('runs queries and mutations, and the mutation lands in SQLite', async () => {
    const api = client();
    expect(await api.desk.setLocale.mutate({ locale: 'en' })).toEqual({ locale: 'en' });
    const info = await api.desk.info.query();
    expect(info.locale).toBe('en');
    expect(Array.isArray(await api.category.list.query())).toBe(true);
    expect(seen.some((r) => r.method === 'POST' && r.body !== null)).toBe(true);
    expect(seen.some((r) => r.method === 'GET' && r.body === null)).toBe(true);
  });

  it('batches several calls into one IPC message', async () => {
    const before = seen.length;
    const api = client();
    const [info, users] = await Promise.all([api.desk.info.query(), api.user.list.query()]);
    expect(info.locale).toBe('en');
    expect(Array.isArray(users)).toBe(true);
    expect(seen.length - before).toBe(1);
  });

  it('carries tRPC errors back as errors with their code', async () => {
    const err = await client()
      .desk.setLocale.mutate({ locale: 'fr' as 'en' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    expect((err as TRPCClientError<AppRouter>).data?.code).toBe('BAD_REQUEST');
  });

  it('ignores whatever origin the renderer put in the URL', async () => {
    // renderer/platform/transport.ts falls back to app://relay-desk when location.origin is "null"
    expect((await client('app://relay-desk').desk.info.query()).locale).toBe('en');
  });
});

describe('payload checks', () => {
  const good = { url: '/trpc/desk.info', method: 'GET', headers: { 'content-type': 'application/json' }, body: null };

  it.each([
    [null, 'request must be an object'],
    ['GET /trpc', 'request must be an object'],
    [{ ...good, url: 42 }, 'url must be a non-empty string'],
    [{ ...good, method: 'DELETE' }, 'method DELETE is not allowed'],
    [{ ...good, body: '{}' }, 'GET requests carry no body'],
    [{ ...good, method: 'POST', body: { a: 1 } }, 'body must be a string or null'],
    [{ ...good, headers: ['x'] }, 'headers must be a plain object'],
    [{ ...good, headers: { 'bad name': 'x' } }, 'bad header name "bad name"'],
    [{ ...good, headers: { 'x-a': 'a\r\nset-cookie: x' } }, 'bad value for header x-a'],
    [{ ...good, method: 'POST', body: 'x'.repeat(8 * 1024 * 1024 + 1) }, 'body is too large'],
  ])('refuses %j', async (payload, reason) => {
    expect(checkTrpcRequest(payload)).toBe(reason);
    const res = await ipc(payload);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.message).toBe(reason);
  });

  it('copies only the known fields', () => {
    const checked = checkTrpcRequest({ ...good, method: 'get', extra: 'x', headers: { 'Content-Type': 'application/json' } });
    expect(checked).toEqual({ url: '/trpc/desk.info', method: 'GET', headers: { 'content-type': 'application/json' }, body: null });
  });

  it('keeps requests on /trpc and rewrites them onto app://desk', () => {
    const req = (url: string) => toFetchRequest({ ...good, url });
    expect((req('/trpc/desk.info?input=%7B%7D') as Request).url).toBe('app://desk/trpc/desk.info?input=%7B%7D');
    expect((req('https://evil.example/trpc/desk.info') as Request).url).toBe('app://desk/trpc/desk.info');
    expect((req('app://desk/trpc/desk.info#frag') as Request).url).toBe('app://desk/trpc/desk.info');
    expect(req('/index.html')).toBe('url must be under /trpc');
    expect(req('/trpcx/desk.info')).toBe('url must be under /trpc');
    expect(req('//trpc/desk.info')).toBe('url must be under /trpc');
  });

  it('drops headers the renderer has no business setting', () => {
    const r = toFetchRequest({
      url: '/trpc/desk.info',
      method: 'GET',
      headers: { cookie: 'a=b', origin: 'https://evil.example', host: 'evil', 'trpc-accept': 'application/jsonl', 'x-trpc-source': 'renderer' },
      body: null,
    }) as Request;
    expect(r.headers.get('cookie')).toBeNull();
    expect(r.headers.get('origin')).toBeNull();
    expect(r.headers.get('host')).toBeNull();
    expect(r.headers.get('trpc-accept')).toBe('application/jsonl');
    expect(r.headers.get('x-trpc-source')).toBe('renderer');
  });

  it('turns a crash in the handler into a bare 500', async () => {
    const logged: unknown[] = [];
    const res = await relayTrpc(
      async () => {
        throw new Error('secret internals');
      },
      good,
      (err) => logged.push(err),
    );
    expect(res.status).toBe(500);
    expect(logged).toHaveLength(1);
    expect(res.body).not.toContain('secret');
  });
});
