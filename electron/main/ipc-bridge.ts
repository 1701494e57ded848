// relay:trpc payload <-> fetch Request/Response, so the tRPC fetch adapter serves IPC exactly as
// it serves HTTP in browser mode. No 'electron' import: the sender check happens in index.ts
// (with security.ts), everything after it is here and testable under Node.
import {
  checkTrpcRequest,
  type TrpcIpcRequest,
  type TrpcIpcResponse,
} from '../preload/bridge-types';
import { APP_ORIGIN } from './security';

// The renderer has no business setting these; the rest (content-type, trpc-accept, ...) pass.
const DROPPED_REQUEST_HEADERS = new Set([
  'host',
  'origin',
  'referer',
  'cookie',
  'authorization',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
]);

/**
 * A checked IPC request as a fetch Request on app://desk/trpc/..., or a reason it can't be.
 * Only the path and query of the renderer's URL count: whatever origin it wrote (location.origin,
 * a placeholder), the request never leaves this process.
 */
export function toFetchRequest(req: TrpcIpcRequest): Request | string {
  let given: URL;
  try {
    given = new URL(req.url, `${APP_ORIGIN}/`);
  } catch {
    return 'url does not parse';
  }
  const url = new URL(`${APP_ORIGIN}/`);
  url.pathname = given.pathname;
  url.search = given.search;
  if (url.pathname !== '/trpc' && !url.pathname.startsWith('/trpc/')) return 'url must be under /trpc';
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (!DROPPED_REQUEST_HEADERS.has(name.toLowerCase())) headers.set(name, value);
  }
  return new Request(url.toString(), {
    method: req.method,
    headers,
    body: req.method === 'GET' ? null : req.body,
  });
}

export async function fromFetchResponse(res: Response): Promise<TrpcIpcResponse> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  return { status: res.status, headers, body: await res.text() };
}

function errorResponse(status: number, message: string): TrpcIpcResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: { message, code: status === 400 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }),
  };
}

/**
 * The whole relay:trpc handler once the sender has been trusted: check the payload, run it
 * through `handle` (handleTrpc bound to the desk), flatten the answer for structured clone.
 */
export async function relayTrpc(
  handle: (request: Request) => Promise<Response>,
  payload: unknown,
  onError: (err: unknown) => void = (err) => console.error('relay:trpc handler failed', err),
): Promise<TrpcIpcResponse> {
  const checked = checkTrpcRequest(payload);
  if (typeof checked === 'string') return errorResponse(400, checked);
  const request = toFetchRequest(checked);
  if (typeof request === 'string') return errorResponse(400, request);
  try {
    return await fromFetchResponse(await handle(request));
  } catch (err) {
    // The API turns its own errors into tRPC responses; reaching here is a bug. Log it in the
    // main process, give the renderer nothing internal.
    onError(err);
    return errorResponse(500, 'Internal error');
  }
}
