// The desk refuses plain HTTP to anything but loopback unless a team lead or admin of the desk allows
// it (issue 10, item 7).
import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { checkServerUrl, isLoopbackHost, requireServerUrl, SERVER_URL_MESSAGES } from '../../electron/core/sync/server-url';
import { openTestDesk } from '../helpers/desk';

const strict = { allowInsecure: false };
const lax = { allowInsecure: true };

describe('checkServerUrl', () => {
  it('accepts https:// to any host, returning the URL without surrounding space', () => {
    for (const url of ['https://desk.example.com', 'https://desk.example.com:8443/relay', 'https://10.0.0.5/', 'https://[2001:db8::1]:443/']) {
      expect(checkServerUrl(url, strict)).toEqual({ ok: true, url });
    }
    expect(checkServerUrl('  https://desk.example.com/  ', strict)).toEqual({ ok: true, url: 'https://desk.example.com/' });
  });

  it('accepts http:// to loopback only: 127.0.0.0/8, ::1, localhost', () => {
    for (const url of [
      'http://127.0.0.1:4874', 'http://127.8.9.10/', 'http://localhost:4874', 'http://LOCALHOST', 'http://localhost.:4874',
      'http://[::1]:4874', 'http://[0:0:0:0:0:0:0:1]/', 'http://[::ffff:127.0.0.1]:4874',
      // other spellings of 127.0.0.1 the URL parser normalises
      'http://127.1:4874', 'http://0x7f000001/', 'http://2130706433/',
    ]) {
      expect(checkServerUrl(url, strict), url).toEqual({ ok: true, url });
    }
  });

  it('refuses http:// to any other host as insecure_url', () => {
    for (const url of [
      'http://desk.example.com', 'http://10.0.0.5:4874', 'http://192.168.1.20/', 'http://0.0.0.0:4874', 'http://[2001:db8::1]/',
      'http://127.0.0.1.example.com/', 'http://localhost.example.com/', 'http://foo.localhost/', 'http://[::ffff:10.0.0.1]/', 'http://128.0.0.1/',
    ]) {
      expect(checkServerUrl(url, strict), url).toEqual({ ok: false, code: 'insecure_url' });
    }
  });

  it('allows http:// anywhere once the desk setting allows insecure servers', () => {
    expect(checkServerUrl('http://desk.example.com:4874', lax)).toEqual({ ok: true, url: 'http://desk.example.com:4874' });
    expect(checkServerUrl('http://10.0.0.5', lax)).toEqual({ ok: true, url: 'http://10.0.0.5' });
  });

  it('refuses what is not a server address as bad_url, whatever the setting', () => {
    for (const opts of [strict, lax]) {
      for (const url of ['', '   ', 'desk.example.com', '//desk.example.com', 'ftp://desk.example.com', 'file:///etc/passwd', 'ws://127.0.0.1',
        'javascript:alert(1)', 'https://', 'http://user:pw@127.0.0.1/', 'https://admin@desk.example.com/', 'https://[::1', 'not a url']) {
        expect(checkServerUrl(url, opts), url).toEqual({ ok: false, code: 'bad_url' });
      }
    }
    expect(checkServerUrl(undefined as unknown as string, strict)).toEqual({ ok: false, code: 'bad_url' });
  });

  it('knows loopback host names as URL.hostname gives them', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(false); // not a URL hostname (no brackets)
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('127.0.0.1.nip.io')).toBe(false);
  });
});

const opened: Array<{ close(): void }> = [];
afterEach(() => { while (opened.length) opened.pop()!.close(); });
async function deskAs(role: 'agent' | 'technician' | 'lead' | 'admin') {
  const d = await openTestDesk({ user: false });
  opened.push(d);
  await d.api.desk.setup({ name: `${role} user`, role, group: '服务台', locale: 'zh-CN' });
  return d;
}
async function refusal(p: Promise<unknown>) {
  try { await p; } catch (e) { return e as TRPCError; }
  throw new Error('expected a refusal');
}

describe('the desk setting allow_insecure_server', () => {
  it('is off by default; a lead or admin may turn it on and off, and the check follows it', async () => {
    for (const role of ['lead', 'admin'] as const) {
      const { api, desk } = await deskAs(role);
      expect(await api.desk.allowInsecureServer()).toBe(false);
      expect(() => requireServerUrl(desk.store, 'http://desk.example.com')).toThrow(/^serverUrl: insecure_url: /);
      expect(await api.desk.setAllowInsecureServer({ allow: true })).toBe(true);
      expect(await api.desk.allowInsecureServer()).toBe(true);
      expect(requireServerUrl(desk.store, 'http://desk.example.com')).toBe('http://desk.example.com');
      expect(await api.desk.setAllowInsecureServer({ allow: false })).toBe(false);
      expect(await api.desk.allowInsecureServer()).toBe(false);
    }
  });

  it('is refused to agents and technicians, naming the field, and changes nothing', async () => {
    for (const role of ['agent', 'technician'] as const) {
      const { api } = await deskAs(role);
      const err = await refusal(api.desk.setAllowInsecureServer({ allow: true }));
      expect(err.code).toBe('BAD_REQUEST');
      expect((err.cause as unknown as { issues: unknown }).issues).toEqual([{ path: 'allow', message: expect.stringMatching(/only a team lead or admin/) }]);
      expect(await api.desk.allowInsecureServer()).toBe(false);
    }
  });

  it('is refused on a desk nobody works at, and takes only a boolean', async () => {
    const d = await openTestDesk({ user: false });
    opened.push(d);
    expect((await refusal(d.api.desk.setAllowInsecureServer({ allow: true }))).code).toBe('PRECONDITION_FAILED');
    const { api } = await deskAs('admin');
    expect((await refusal(api.desk.setAllowInsecureServer({ allow: 'yes' } as never))).code).toBe('BAD_REQUEST');
    expect(await api.desk.allowInsecureServer()).toBe(false);
  });

  it('words each refusal after its code', () => {
    expect(SERVER_URL_MESSAGES.insecure_url).toMatch(/^insecure_url: /);
    expect(SERVER_URL_MESSAGES.bad_url).toMatch(/^bad_url: /);
    const d = { meta: () => null } as never;
    expect(() => requireServerUrl(d, 'ftp://x')).toThrow(/^serverUrl: bad_url: /);
  });
});
