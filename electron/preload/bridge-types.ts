// The one object the preload puts on `window.relayDesk`, and the shape check both sides of the
// IPC boundary run. No 'electron' import here: the renderer `import type`s this file and the
// main-process tests load it under plain Node.

/** The IPC channel the preload invokes and the main process handles for every API call. */
export const TRPC_CHANNEL = 'relay:trpc';
/**
 * The only other one: save a finished report export where the user chooses (the main process shows
 * the save dialog). Takes `{ jobId }`, never a path; answers whether it was saved and the file's name.
 */
export const SAVE_EXPORT_CHANNEL = 'relay:save-export';
export type SaveExportAnswer = { saved: true; fileName: string } | { saved: false; reason: 'cancelled' | 'not_found' };
/**
 * An operating-system notification for a new notice (issue 13): `{ title, body }`, plain short text
 * the renderer has already worded. The main process shows it with Electron's Notification and
 * brings the window forward when it is clicked; it never opens anything the renderer names.
 */
export const NOTIFY_CHANNEL = 'relay:notify';
export interface NotifyRequest { title: string; body: string }
const NOTIFY_TITLE_MAX = 120;
const NOTIFY_BODY_MAX = 400;
/** A clean copy of a notify request, or a reason string. */
export function checkNotifyRequest(value: unknown): NotifyRequest | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'request must be an object';
  const v = value as Record<string, unknown>;
  if (typeof v.title !== 'string' || !v.title.trim() || v.title.length > NOTIFY_TITLE_MAX) return `title must be 1-${NOTIFY_TITLE_MAX} characters`;
  if (typeof v.body !== 'string' || v.body.length > NOTIFY_BODY_MAX) return `body must be at most ${NOTIFY_BODY_MAX} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(v.title + v.body)) return 'title and body must be plain text';
  return { title: v.title, body: v.body };
}

export type TrpcMethod = 'GET' | 'POST';

/** A tRPC HTTP request, flattened so it survives structured clone across the bridge. */
export interface TrpcIpcRequest {
  /** Path and query under `/trpc`, e.g. `/trpc/ticket.list?input=...`; absolute `app://desk/...` is accepted too. */
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface TrpcIpcResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RelayDeskBridge {
  readonly platform: 'electron';
  trpc(req: TrpcIpcRequest): Promise<TrpcIpcResponse>;
  saveExport(jobId: string): Promise<SaveExportAnswer>;
  notify(n: NotifyRequest): Promise<{ shown: boolean }>;
}

/** Generous: a batch of ticket edits is kilobytes, an attachment never travels this way. */
export const MAX_TRPC_BODY_CHARS = 8 * 1024 * 1024;
export const MAX_TRPC_URL_CHARS = 64 * 1024;
const MAX_HEADERS = 32;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Returns a clean copy of `value` if it is a well-formed request, else a reason string.
 * Copying (rather than passing the original through) drops extra properties and prototypes.
 */
export function checkTrpcRequest(value: unknown): TrpcIpcRequest | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'request must be an object';
  const v = value as Record<string, unknown>;
  if (typeof v.url !== 'string' || v.url.length === 0) return 'url must be a non-empty string';
  if (v.url.length > MAX_TRPC_URL_CHARS) return 'url is too long';
  if (typeof v.method !== 'string') return 'method must be a string';
  const method = v.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') return `method ${v.method} is not allowed`;
  if (v.body !== null && v.body !== undefined && typeof v.body !== 'string') return 'body must be a string or null';
  const body = (v.body as string | null | undefined) ?? null;
  if (body !== null && body.length > MAX_TRPC_BODY_CHARS) return 'body is too large';
  if (method === 'GET' && body !== null) return 'GET requests carry no body';
  const headers: Record<string, string> = {};
  if (v.headers !== undefined && v.headers !== null) {
    if (typeof v.headers !== 'object' || Array.isArray(v.headers)) return 'headers must be a plain object';
    const entries = Object.entries(v.headers as Record<string, unknown>);
    if (entries.length > MAX_HEADERS) return 'too many headers';
    for (const [name, val] of entries) {
      if (!HEADER_NAME.test(name)) return `bad header name ${JSON.stringify(name)}`;
      if (typeof val !== 'string' || /[\r\n\0]/.test(val)) return `bad value for header ${name}`;
      headers[name.toLowerCase()] = val;
    }
  }
  return { url: v.url, method, headers, body };
}
