// The renderer's only way to the desk core. In Electron the preload exposes `window.relayDesk.trpc`,
// a request/response bridge over IPC; in a plain browser (tests, browser mode) it is HTTP to /trpc.
import { httpBatchLink, type TRPCLink } from '@trpc/client';
import type { AppRouter } from '../../electron/core/api/router.js';

export interface BridgeRequest { url: string; method: string; headers: Record<string, string>; body: string | null }
export interface BridgeResponse { status: number; headers: Record<string, string>; body: string }
export interface RelayDeskBridge { trpc(req: BridgeRequest): Promise<BridgeResponse> }

declare global {
  interface Window { relayDesk?: RelayDeskBridge }
}

function headersToRecord(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (typeof Headers !== 'undefined' && h instanceof Headers) {
    h.forEach((v, k) => { out[k] = v; });
  } else if (Array.isArray(h)) {
    for (const [k, v] of h as [string, string][]) out[k] = v;
  } else {
    for (const [k, v] of Object.entries(h as Record<string, unknown>)) if (v != null) out[k] = String(v);
  }
  return out;
}

/** A fetch that goes through the preload bridge instead of the network. */
export function bridgeFetch(bridge: RelayDeskBridge) {
  return async (input: RequestInfo | URL | string, init?: { method?: string; headers?: unknown; body?: unknown }) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : (input as Request).url;
    const body = init?.body == null ? null : typeof init.body === 'string' ? init.body : String(init.body);
    const res = await bridge.trpc({ url, method: init?.method ?? 'GET', headers: headersToRecord(init?.headers), body });
    return new Response(res.body, { status: res.status, headers: res.headers });
  };
}

export function trpcUrl(): string {
  const origin = typeof location !== 'undefined' && location.origin && location.origin !== 'null' ? location.origin : 'app://relay-desk';
  return `${origin}/trpc`;
}

export function createLink(): TRPCLink<AppRouter> {
  const bridge = typeof window !== 'undefined' ? window.relayDesk : undefined;
  return httpBatchLink<AppRouter>(bridge
    ? { url: trpcUrl(), fetch: bridgeFetch(bridge) as never }
    : { url: trpcUrl() });
}
