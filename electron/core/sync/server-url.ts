import type { DeskStore } from '../store/desk-store.js';
import { DeskInputError, DeskNoUserError } from '../store/errors.js';

export type ServerUrlCheck = { ok: true; url: string } | { ok: false; code: 'insecure_url' | 'bad_url' };

/** Sentences for the two refusals, each starting with its code (the renderer localises by the code). */
export const SERVER_URL_MESSAGES = {
  insecure_url: 'insecure_url: plain http:// is allowed only to this computer (127.0.0.1, ::1, localhost); use https://, or a team lead or admin may allow insecure servers on this desk',
  bad_url: 'bad_url: not a server address (https://host[:port][/path], without a user name or password)',
} as const;

/**
 * Whether the desk may send a password and its token to `url`: https:// to any host; http:// only to
 * loopback (127.0.0.0/8, ::1 and IPv4-mapped 127.x, `localhost`) unless `allowInsecure`. Anything
 * else (other schemes, no host, credentials in the URL) is a bad URL. Hosts are compared after the
 * WHATWG parser has normalised them, so `http://127.1`, `http://0x7f000001` and `http://[0::1]` are
 * loopback and `http://127.0.0.1.example.com` is not. The URL returned is the input without
 * surrounding white space.
 */
export function checkServerUrl(url: string, opts: { allowInsecure: boolean }): ServerUrlCheck {
  const text = typeof url === 'string' ? url.trim() : '';
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return { ok: false, code: 'bad_url' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { ok: false, code: 'bad_url' };
  if (!parsed.hostname || parsed.username || parsed.password) return { ok: false, code: 'bad_url' };
  if (parsed.protocol === 'http:' && !opts.allowInsecure && !isLoopbackHost(parsed.hostname)) return { ok: false, code: 'insecure_url' };
  return { ok: true, url: text };
}

/** A hostname as `URL.hostname` gives it (IPv6 in brackets, IPv4 in dotted decimal). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  if (h === '[::1]') return true;
  // IPv4-mapped loopback (::ffff:127.x.y.z, which the parser writes as ::ffff:7fxx:xxxx).
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(h);
}

// ---- the desk setting ------------------------------------------------------------------------

const SETTING = 'allow_insecure_server';

/** Whether this desk allows plain http:// to hosts other than loopback (off unless a lead or admin turned it on). */
export function allowInsecureServer(store: DeskStore): boolean {
  return store.meta(SETTING) === '1';
}

/** Only a team lead or admin working at this desk may change it (DeskNoUserError if nobody is). */
export function setAllowInsecureServer(store: DeskStore, allow: boolean): boolean {
  const user = store.currentUser();
  if (!user) throw new DeskNoUserError();
  if (user.role !== 'admin' && user.role !== 'lead') {
    throw new DeskInputError([{ path: 'allow', message: `only a team lead or admin may allow insecure servers (your role: ${user.role})` }]);
  }
  store.setMeta(SETTING, allow ? '1' : '0');
  return allow;
}

/** The check as the engine's signIn needs it: the store's setting applied, a refusal naming `serverUrl`. */
export function requireServerUrl(store: DeskStore, url: string): string {
  const res = checkServerUrl(url, { allowInsecure: allowInsecureServer(store) });
  if (!res.ok) throw new DeskInputError([{ path: 'serverUrl', message: SERVER_URL_MESSAGES[res.code] }]);
  return res.url;
}
