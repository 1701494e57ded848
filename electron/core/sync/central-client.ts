import type { PullOutput, PushInput, PushOutput } from '../../../shared/index.js';
import type { DeskUser } from '../../../shared/index.js';

/** What the desk needs from the central server. One HTTP implementation; tests wrap it to inject faults. */
export interface CentralClient {
  login(input: { name: string; password: string }): Promise<{ token: string; expiresAt: string; user: DeskUser; serverTime: string }>;
  register(token: string, input: { deviceId: string; code: string; name?: string; deviceSecret?: string }): Promise<{ deviceId: string; code: string; ackedThrough: number; deviceSecret: string }>;
  push(token: string, input: PushInput): Promise<PushOutput>;
  pull(token: string, input: { deviceId: string; deviceSecret: string; cursor: number; limit: number; count?: boolean }): Promise<PullOutput>;
  /** Any other call as the signed-in user (administration: `admin.saveGroup`, …); the server checks the role and the input again. */
  admin<T = unknown>(kind: 'query' | 'mutation', path: string, input: unknown, token: string): Promise<T>;
}

const closedConnection = (err: unknown) => ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'].includes((err as { cause?: { code?: string } })?.cause?.code ?? '');

/** An error the server answered with (as opposed to the network failing): not retried blindly. */
export class CentralError extends Error {
  constructor(message: string, readonly code: string, readonly httpStatus: number, readonly data: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CentralError';
  }
}

type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body?: Uint8Array<ArrayBuffer>; signal?: AbortSignal }) => Promise<{ status: number; text(): Promise<string> }>;

/**
 * The central server speaks tRPC over HTTP. The desk talks to it with plain fetch in tRPC's wire
 * format (no batching), so the desktop shares only `shared/` with the server, not its code.
 */
export function httpCentralClient(baseUrl: string, opts: { fetch?: Fetch; timeoutMs?: number } = {}): CentralClient {
  const f: Fetch = opts.fetch ?? ((url, init) => fetch(url, init));
  const base = baseUrl.replace(/\/+$/, '');
  async function call<T>(kind: 'query' | 'mutation', path: string, input: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const signal = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
    const request = kind === 'query'
      ? () => f(`${base}/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { method: 'GET', headers, signal })
      // The body goes as UTF-8 bytes: a multi-megabyte string body costs fetch a USV-string scan and a second encode.
      : ((body) => () => f(`${base}/${path}`, { method: 'POST', headers, body, signal }))(Buffer.from(JSON.stringify(input)));
    let res;
    try {
      res = await request();
    } catch (err) {
      // A kept-alive connection the server had closed meanwhile (it restarted): no answer came, so
      // the call is made once more on a new connection. Every call here may be repeated: pushes are
      // applied once per seq, pulls only read, registering again returns the same device.
      if (!closedConnection(err)) throw err;
      res = await request();
    }
    const text = await res.text();
    let body: { result?: { data: T }; error?: { message: string; data?: { code?: string; httpStatus?: number } & Record<string, unknown> } };
    try { body = JSON.parse(text); } catch { throw new Error(`central server answered ${res.status} with a non-JSON body`); }
    if (body.error) throw new CentralError(body.error.message, body.error.data?.code ?? 'UNKNOWN', body.error.data?.httpStatus ?? res.status, body.error.data ?? {});
    if (!body.result) throw new Error(`central server answered ${res.status} without a result`);
    return body.result.data;
  }
  return {
    login: (input) => call('mutation', 'auth.login', input),
    register: (token, input) => call('mutation', 'device.register', input, token),
    push: (token, input) => call('mutation', 'sync.push', input, token),
    pull: (token, input) => call('query', 'sync.pull', input, token),
    admin: (kind, path, input, token) => call(kind, path, input, token),
  };
}
