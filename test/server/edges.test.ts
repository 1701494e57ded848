import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { HlcClock } from '../../shared/hlc.js';
import { upsertGroup, upsertUser } from '../../server/accounts.js';
import { startServer, type ServerRouter } from '../../server/app.js';
import { errorOf, freshStore, makeClient, startWorld, TestClock, type Backend, type World } from './harness.js';

/**
 * One test per finding of issue 10 that is the server's (items 4–9 of its list): each failed on the
 * code before the fix. Real server over real HTTP; SQLite and PostgreSQL where storage matters.
 */

interface Answer { status: number; text: string; json: any }
/** A raw HTTP(S) request, optionally from a chosen loopback source address (127.0.0.x). */
function request(url: string, opts: { method?: string; body?: string | Buffer; token?: string; from?: string; ca?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((ok, fail) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(u, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      localAddress: opts.from,
      ca: opts.ca,
      agent: false,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(opts.body)) } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => { let json: any; try { json = JSON.parse(text); } catch { json = undefined; } ok({ status: res.statusCode ?? 0, text, json }); });
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}
const login = (url: string, name: string, password: string, from?: string) =>
  request(`${url}/auth.login`, { body: JSON.stringify({ name, password }), from });
const codeOf = (a: Answer) => a.json?.error?.data?.code ?? (a.status === 200 ? 'OK' : `HTTP ${a.status}`);
const count = (answers: Answer[]) => {
  const out: Record<string, number> = {};
  for (const a of answers) out[codeOf(a)] = (out[codeOf(a)] ?? 0) + 1;
  return out;
};
const GOOD = 'amber-lantern-quietly-77';

function perBackend(backend: Backend) {
  describe(`issue 10 edges (${backend})`, () => {
    let w: World;
    beforeAll(async () => { w = await startWorld(backend); });
    afterAll(async () => { await w?.close(); });
    const adminToken = async () => (await makeClient(w.url).auth.login.mutate({ name: 'root', password: 'root-password' })).token;

    // ---- finding 5: admin writes validated as a whole ----------------------------------------
    it('5: refuses reference rows a desk could not apply (missing, self or nested parent; SLA targets; KB category), naming the field', async () => {
      const a = w.admin.admin;
      const bad = async (p: Promise<unknown>, field: RegExp) => {
        const e = await errorOf(p);
        expect(e.code).toBe('BAD_REQUEST');
        expect(e.message).toMatch(field);
        return e;
      };
      await bad(a.upsertCategory.mutate({ id: 'orphan', parentId: 'no-such-root', code: 'x', nameZh: '孤', nameEn: 'Orphan' }), /^parentId: no category no-such-root/);
      await bad(a.upsertCategory.mutate({ id: 'loop', parentId: 'loop', code: 'x', nameZh: '环', nameEn: 'Loop' }), /^parentId: .*own parent/);
      await a.upsertCategory.mutate({ id: 'hardware.pc', parentId: 'hardware', code: 'hardware', nameZh: '台式机', nameEn: 'PC' });
      await bad(a.upsertCategory.mutate({ id: 'deep', parentId: 'hardware.pc', code: 'x', nameZh: '深', nameEn: 'Deep' }), /^parentId: .*two levels/);
      // A root with subcategories cannot become a subcategory (that would make three levels, or a cycle).
      await bad(a.upsertCategory.mutate({ id: 'hardware', parentId: 'software', code: 'hardware', nameZh: '硬件', nameEn: 'Hardware' }), /^parentId: hardware has subcategories/);
      const sla = (p2: { responseMin: number; resolveMin: number }, warnFraction?: number) => ({
        P1: { responseMin: 15, resolveMin: 240 }, P2: p2, P3: { responseMin: 60, resolveMin: 1440 }, P4: { responseMin: 240, resolveMin: 4320 }, ...(warnFraction === undefined ? {} : { warnFraction }),
      });
      const e = await bad(a.setSlaPolicy.mutate({ policy: sla({ responseMin: 120, resolveMin: 60 }) }), /^policy\.P2\.resolveMin: shorter than the response target/);
      expect(e.data.issues).toEqual([{ path: 'policy.P2.resolveMin', message: expect.any(String) }]);
      await bad(a.setSlaPolicy.mutate({ policy: sla({ responseMin: 0, resolveMin: 60 }) }), /^policy\.P2\.responseMin: must be at least 1 minute/);
      await bad(a.setSlaPolicy.mutate({ policy: sla({ responseMin: 30, resolveMin: 60 }, 0) }), /^policy\.warnFraction: /);
      await bad(a.setSlaPolicy.mutate({ policy: sla({ responseMin: 30, resolveMin: 60 }, 1) }), /^policy\.warnFraction: /);
      await bad(a.upsertKbArticle.mutate({ title: 'Printer', body: 'b', categoryId: 'no-such-category' }), /^categoryId: no category no-such-category/);
      // Valid rows still go through, and nothing refused reached the change log that desks pull.
      expect((await a.setSlaPolicy.mutate({ policy: sla({ responseMin: 30, resolveMin: 480 }, 0.75) })).policy.warnFraction).toBe(0.75);
      expect((await a.upsertKbArticle.mutate({ title: 'PC', body: 'b', categoryId: 'hardware.pc' })).categoryId).toBe('hardware.pc');
      const ids = await w.server.storage.read((q) => q.all<{ entity_id: string }>("SELECT entity_id FROM changes WHERE entity = 'category'"));
      expect(ids.map((r) => r.entity_id)).not.toContain('orphan');
      expect(ids.map((r) => r.entity_id)).not.toContain('loop');
      expect(ids.map((r) => r.entity_id)).not.toContain('deep');
    });

    it('5: renaming a group takes its members along (no user is left in a group that does not exist)', async () => {
      const g = await w.admin.admin.upsertGroup.mutate({ name: 'Field A' });
      const u = await w.admin.admin.upsertUser.mutate({ name: 'fielder', role: 'technician', groupName: 'Field A', password: GOOD });
      await w.admin.admin.upsertGroup.mutate({ id: g.id, name: 'Field North' });
      const row = await w.server.storage.read((q) => q.get<{ group_name: string }>('SELECT group_name FROM users WHERE id = ?', [u.id]));
      expect(row?.group_name).toBe('Field North');
    });

    // ---- finding 6: password policy -------------------------------------------------------------
    it('6: the admin API refuses common and trivial passwords, naming `password` and saying why', async () => {
      const create = (name: string, password: string) => errorOf(w.admin.admin.upsertUser.mutate({ name, role: 'agent', groupName: 'Hotline', password }));
      const cases: [string, RegExp][] = [
        ['12345678', /too short/], ['password', /too short/], ['        ', /whitespace/], ['1234567890', /common|sequence/],
        ['password123', /common/], ['zzzzzzzzzzzz', /repeated/], ['weakling', /too short/], ['the-weakling-2026!', /user name/], ['qwertyuiop', /keyboard|common/],
      ];
      for (const [pw, why] of cases) {
        const e = await create('weakling', pw);
        expect(e.code, pw).toBe('BAD_REQUEST');
        expect(e.message, pw).toMatch(/^password: /);
        expect(e.message, pw).toMatch(why);
      }
      expect((await w.admin.admin.upsertUser.mutate({ name: 'weakling', role: 'agent', groupName: 'Hotline', password: GOOD })).name).toBe('weakling');
      expect((await makeClient(w.url).auth.login.mutate({ name: 'weakling', password: GOOD })).user.name).toBe('weakling');
    });

    // ---- finding 8 (server): NUL, lone surrogates, deep JSON, instants ----------------------------
    it('8: NUL bytes, lone surrogates and deep JSON are refused with 400 naming the field, on both routes, never a 500', async () => {
      const token = await adminToken();
      const push = (body: string) => request(`${w.url}/sync.push`, { body, token });
      // The title goes in as raw JSON text (an escaped NUL or surrogate), as a hostile client would send it.
      const withTitle = (title: string) => JSON.stringify({ deviceId: 'd1', deviceSecret: 'x'.repeat(43), mutations: [{ deviceId: 'd1', seq: 1, name: 'incident.create', version: 1, hlc: '0', userId: 'u', args: { incident: { title: 'TITLE' } } }] })
        .replace('"TITLE"', title);
      for (const [title, message] of [['"a\\u0000b"', 'contains a NUL character'], ['"a\\ud800b"', 'lone surrogate'], ['"\\udc00"', 'lone surrogate']] as const) {
        const r = await push(withTitle(title));
        expect(r.status, title).toBe(400);
        expect(r.json.error.code).toBe(-32600);
        expect(r.json.error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, path: 'sync.push' });
        expect(r.json.error.data.issues[0].path).toBe('mutations.0.args.incident.title');
        expect(r.json.error.message).toMatch(new RegExp(`^mutations\\.0\\.args\\.incident\\.title: .*${message}`));
      }
      // A NUL in a sign-in name (PostgreSQL answered 500) and in a key.
      const nulName = await request(`${w.url}/auth.login`, { body: '{"name":"ro\\u0000ot","password":"x"}' });
      expect(nulName.status).toBe(400);
      expect(nulName.json.error.message).toBe('name: contains a NUL character');
      const nulKey = await request(`${w.url}/admin.upsertKbArticle`, { body: '{"title":"t","body":"b","x\\u0000":1}', token });
      expect(nulKey.status).toBe(400);
      expect(nulKey.json.error.message).toMatch(/a key contains a NUL character/);
      // The standard adapter's route, GET with the input in the URL, and a batch (the issue names its call).
      const kb = await request(`${w.url}/admin.upsertKbArticle`, { body: JSON.stringify({ title: 'x', body: 'ok', tags: ['fine', 'bad\u0000tag'] }), token });
      expect(kb.status).toBe(400);
      expect(kb.json.error.message).toBe('tags.1: contains a NUL character');
      const pull = await request(`${w.url}/sync.pull?input=${encodeURIComponent('{"deviceId":"d\\u0000","cursor":0}')}`, { token });
      expect(pull.status).toBe(400);
      expect(pull.json.error.data.issues).toEqual([{ path: 'deviceId', message: 'contains a NUL character' }]);
      const batch = await request(`${w.url}/health,auth.me?batch=1&input=${encodeURIComponent('{"1":{"x":"\\u0000"}}')}`, { token });
      expect(batch.status).toBe(400);
      expect(batch.json[1].error.message).toBe('x: contains a NUL character');
      // 100,000 levels deep: refused before parsing, on both routes.
      for (const path of ['/sync.push', '/admin.upsertKbArticle']) {
        const deep = await request(`${w.url}${path}`, { body: `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, token });
        expect(deep.status, path).toBe(400);
        expect(deep.json.error.message, path).toMatch(/^a(\.0)+: nested deeper than 64 levels/);
      }
      // The server still works, and nothing was logged as an internal error.
      expect((await makeClient(w.url).health.query()).ok).toBe(true);
      const stored = await w.server.storage.read((q) => q.all('SELECT id FROM kb_articles WHERE title = ?', ['x']));
      expect(stored).toEqual([]);
    });

    it('8: instants outside 1970–2200 (clientTime year 0001 gave a 500, year 9999 was stored as a negative year) are refused naming the field', async () => {
      const token = await adminToken();
      for (const clientTime of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '1969-12-31T23:59:59Z', '2201-01-01T00:00:00Z']) {
        const r = await request(`${w.url}/sync.push`, { body: JSON.stringify({ deviceId: 'd1', deviceSecret: 'x'.repeat(43), mutations: [], clientTime }), token });
        expect(r.status, clientTime).toBe(400);
        expect(r.json.error.data.issues, clientTime).toContainEqual({ path: 'clientTime', message: 'must be between the years 1970 and 2200' });
      }
      const ok = await request(`${w.url}/sync.push`, { body: JSON.stringify({ deviceId: 'd1', mutations: [], clientTime: '2200-12-31T23:59:59Z' }), token });
      expect(ok.json.error?.data?.issues ?? []).not.toContainEqual(expect.objectContaining({ path: 'clientTime' }));
    });
  });
}

perBackend('sqlite');
perBackend('postgres');

// ---- finding 6: sign-in throttling, batching, bounded hashing ---------------------------------
describe('issue 10 edges: sign-in (sqlite)', () => {
  let w: World;
  beforeAll(async () => { w = await startWorld('sqlite'); });
  afterAll(async () => { await w?.close(); });

  it('6: 39 parallel guesses from one address: the attempts are counted before hashing, so only the free ones are checked', async () => {
    await w.user('par');
    const answers = await Promise.all(Array.from({ length: 39 }, () => login(w.url, 'par', 'wrong-guess', '127.0.0.11')));
    const c = count(answers);
    // Three free attempts, and the fourth, which starts the lock (as one at a time would).
    expect(c.UNAUTHORIZED).toBeLessThanOrEqual(4);
    expect(c.TOO_MANY_REQUESTS).toBeGreaterThanOrEqual(35);
    // The right password from the same address now waits too.
    const locked = await login(w.url, 'par', 'par-password', '127.0.0.11');
    expect(locked.json.error.data.code).toBe('TOO_MANY_REQUESTS');
    expect(locked.json.error.message).toMatch(/try again in \d+ s/);
    w.clock.advance(2_000);
    expect((await login(w.url, 'par', 'par-password', '127.0.0.11')).status).toBe(200);
  });

  it('6: sign-in cannot be batched: a batch with auth.login is refused with 400 before any password is checked', async () => {
    await w.user('batched');
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [String(i), { name: 'batched', password: `guess-${i}` }])));
    const r = await request(`${w.url}/${Array(30).fill('auth.login').join(',')}?batch=1`, { body, from: '127.0.0.12' });
    expect(r.status).toBe(400);
    expect(r.json).toHaveLength(30);
    expect(r.json[0].error.data).toMatchObject({ code: 'BAD_REQUEST', path: 'auth.login' });
    expect(r.json[0].error.message).toMatch(/cannot be batched/);
    const mixed = await request(`${w.url}/health,auth.login?batch=1`, { body: '{"1":{"name":"batched","password":"x"}}', from: '127.0.0.12' });
    expect(mixed.status).toBe(400);
    // tRPC's own batching client gets the refusal too.
    const batching = createTRPCClient<ServerRouter>({ links: [httpBatchLink({ url: w.url })] });
    const all = await Promise.allSettled([1, 2, 3].map((i) => batching.auth.login.mutate({ name: 'batched', password: `guess-${i}` })));
    expect(all.every((s) => s.status === 'rejected' && /cannot be batched/.test(String((s.reason as Error).message)))).toBe(true);
    // None of those guesses was counted: the free attempts are all still there.
    for (let i = 0; i < 3; i++) expect(codeOf(await login(w.url, 'batched', 'nope', '127.0.0.12'))).toBe('UNAUTHORIZED');
    expect((await login(w.url, 'batched', 'batched-password', '127.0.0.12')).status).toBe(200);
  });

  it('6: a stranger cannot lock a user out everywhere; from many addresses a guesser gets about one guess a second', async () => {
    await w.user('shared');
    // The user signs in once from the office (a known address from then on).
    expect((await login(w.url, 'shared', 'shared-password', '127.0.0.21')).status).toBe(200);
    // A stranger fails 10 times from elsewhere: locked there, and only there.
    for (let i = 0; i < 10; i++) await login(w.url, 'shared', `guess-${i}`, '127.0.0.22');
    expect(codeOf(await login(w.url, 'shared', 'shared-password', '127.0.0.22'))).toBe('TOO_MANY_REQUESTS');
    expect((await login(w.url, 'shared', 'shared-password', '127.0.0.21')).status).toBe(200);
    expect((await login(w.url, 'shared', 'shared-password', '127.0.0.23')).status).toBe(200);
    // 60 parallel guesses from 60 addresses: after the account's free attempts only one a second.
    const spread = await Promise.all(Array.from({ length: 60 }, (_, i) => login(w.url, 'shared', `spread-${i}`, `127.0.1.${i + 1}`)));
    const c = count(spread);
    expect(c.UNAUTHORIZED).toBeLessThanOrEqual(20);
    expect(c.TOO_MANY_REQUESTS).toBeGreaterThanOrEqual(40);
    const spaced = await login(w.url, 'shared', 'another', '127.0.1.200');
    expect(spaced.json.error.message).toMatch(/try again in 1 s/);
    // …which is a spacing, not a lockout: the user signs in at once from a known address, and a second later from a new one.
    expect((await login(w.url, 'shared', 'shared-password', '127.0.0.21')).status).toBe(200);
    w.clock.advance(1_000);
    expect((await login(w.url, 'shared', 'shared-password', '127.0.1.201')).status).toBe(200);
  });

  it('6: an office behind one NAT address is not locked out by its mistakes; an address guessing at many names is slowed after 100', async () => {
    await w.user('office');
    const from = '127.0.0.31';
    for (let i = 0; i < 30; i++) expect(codeOf(await login(w.url, `typo-${i}`, 'x', from))).toBe('UNAUTHORIZED');
    expect((await login(w.url, 'office', 'office-password', from)).status).toBe(200);
    for (let i = 30; i < 101; i++) await login(w.url, `typo-${i}`, 'x', from);
    const slowed = await login(w.url, 'office', 'office-password', from);
    expect(codeOf(slowed)).toBe('TOO_MANY_REQUESTS');
    w.clock.advance(1_000);
    expect(codeOf(await login(w.url, 'typo-x', 'x', from))).toBe('UNAUTHORIZED');
    expect((await login(w.url, 'office', 'office-password', from)).json.error.message).toMatch(/try again in 2 s/);
    w.clock.advance(2_000);
    expect((await login(w.url, 'office', 'office-password', from)).status).toBe(200);
  });
});

describe('issue 10 edges: bounded sign-in hashing', () => {
  it('6: at most `concurrency` sign-in hashes run at once and a bounded number wait; the rest are refused at once, not queued without end', async () => {
    const store = await freshStore('sqlite');
    const clock = new TestClock();
    const server = await startServer({ storage: store.storage, dataDir: store.dataDir, port: 0, now: clock.now, loginHashing: { concurrency: 1, queue: 2 } });
    try {
      const deps = { storage: server.storage, now: clock.now, clock: new HlcClock('seed') };
      await upsertGroup(deps, { name: 'G' });
      const saved = process.env.RELAY_DESK_SCRYPT_LOG2N;
      process.env.RELAY_DESK_SCRYPT_LOG2N = '14'; // ~30 ms a hash, so the calls overlap
      try {
        for (let i = 0; i < 12; i++) await upsertUser(deps, { name: `h${i}`, password: `${GOOD}-${i}`, role: 'agent', groupName: 'G', active: true });
      } finally {
        process.env.RELAY_DESK_SCRYPT_LOG2N = saved;
      }
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login(server.url, `h${i}`, 'wrong-password')));
      const c = count(answers);
      const busy = answers.filter((a) => /busy/.test(a.json?.error?.message ?? ''));
      expect(busy.length).toBeGreaterThan(0);
      expect(c.UNAUTHORIZED).toBeLessThan(12);
      expect(c.UNAUTHORIZED + busy.length).toBe(12);
      // A busy refusal is not counted against anyone: every one of those users still signs in.
      for (let i = 0; i < 12; i++) expect((await login(server.url, `h${i}`, `${GOOD}-${i}`)).status).toBe(200);
    } finally {
      await server.close();
      await store.drop();
    }
  });
});

// ---- finding 4 (server side): a too-large body gets a readable 413 -------------------------------
describe('issue 10 edges: too-large bodies', () => {
  let w: World;
  beforeAll(async () => { w = await startWorld('sqlite'); });
  afterAll(async () => { await w?.close(); });

  it('4: a 6 MB POST gets a 413 that a plain fetch can read (declared length and chunked, bulk and standard routes)', async () => {
    const body = JSON.stringify({ deviceId: 'd', mutations: [{ pad: 'x'.repeat(6 * 1024 * 1024) }] });
    for (const path of ['/sync.push', '/admin.upsertKbArticle']) {
      const r = await fetch(w.url + path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      expect(r.status, path).toBe(413);
      const json = await r.json() as { error: { message: string; data: { code: string } } };
      expect(json.error.data.code).toBe('PAYLOAD_TOO_LARGE');
      expect(json.error.message).toMatch(/limit is 5 MB/);
      // Chunked (no content-length): read until over the limit, drained, then answered.
      const bytes = new TextEncoder().encode(body);
      const stream = new ReadableStream<Uint8Array>({
        start(c) { for (let i = 0; i < bytes.length; i += 256 * 1024) c.enqueue(bytes.subarray(i, i + 256 * 1024)); c.close(); },
      });
      const chunked = await fetch(w.url + path, { method: 'POST', body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
      expect(chunked.status, `${path} chunked`).toBe(413);
      expect(((await chunked.json()) as { error: { data: { code: string } } }).error.data.code).toBe('PAYLOAD_TOO_LARGE');
    }
    // Sent at network pace (the desk's 6.1 MB batch over a real link): the old server answered and
    // closed while the body was still coming, and the client saw EPIPE instead of the 413.
    const paced = (path: string, size: number) => new Promise<string>((ok) => {
      const req = http.request(w.url + path, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': size } }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; });
        res.on('end', () => ok(`${res.statusCode} ${JSON.parse(text).error.data.code}`));
      });
      req.on('error', (e: NodeJS.ErrnoException) => ok(`error ${e.code}`));
      const chunk = Buffer.alloc(64 * 1024, 0x78);
      let sent = 0;
      const pump = () => {
        if (sent >= size) { req.end(); return; }
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        req.write(chunk.subarray(0, n));
        setTimeout(pump, 1);
      };
      pump();
    });
    for (let i = 0; i < 3; i++) expect(await paced('/sync.push', 6 * 1024 * 1024)).toBe('413 PAYLOAD_TOO_LARGE');
    expect((await makeClient(w.url).health.query()).ok).toBe(true);
  });
});

// ---- finding 7 (server side): TLS -----------------------------------------------------------------
describe('issue 10 edges: TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rd-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('7: given a certificate and key the server serves HTTPS only; a client trusting the CA signs in over it', async () => {
    execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'));
    const store = await freshStore('sqlite');
    const server = await startServer({ storage: store.storage, dataDir: store.dataDir, port: 0, tls: { cert, key: readFileSync(join(dir, 'key.pem')) } });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const deps = { storage: server.storage, now: () => new Date(), clock: new HlcClock('seed') };
      await upsertGroup(deps, { name: 'G' });
      await upsertUser(deps, { name: 'tls-user', password: GOOD, role: 'agent', groupName: 'G', active: true });
      const health = await request(`${server.url}/health`, { ca: cert });
      expect(health.json.result.data.ok).toBe(true);
      const signedIn = await request(`${server.url}/auth.login`, { body: JSON.stringify({ name: 'tls-user', password: GOOD }), ca: cert });
      expect(signedIn.json.result.data.user.name).toBe('tls-user');
      // Without the CA the certificate is not trusted; plain HTTP to the port gets no answer in clear.
      await expect(request(`${server.url}/health`)).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
      const plain = await request(`${server.url.replace('https:', 'http:')}/health`).catch((e: Error) => e);
      expect(plain instanceof Error || plain.status === 400).toBe(true);
    } finally {
      await server.close();
      await store.drop();
    }
  });
});

describe('issue 10 edges: behind a reverse proxy', () => {
  it('7: with trustProxy, sign-in throttling counts the client named by the proxy; the header from anyone else is ignored', async () => {
    const store = await freshStore('sqlite');
    const clock = new TestClock();
    const server = await startServer({ storage: store.storage, dataDir: store.dataDir, port: 0, now: clock.now, trustProxy: ['127.0.0.1'] });
    try {
      const deps = { storage: server.storage, now: clock.now, clock: new HlcClock('seed') };
      await upsertGroup(deps, { name: 'G' });
      await upsertUser(deps, { name: 'proxied', password: GOOD, role: 'agent', groupName: 'G', active: true });
      const via = (client: string, password: string, from = '127.0.0.1') => request(`${server.url}/auth.login`,
        { body: JSON.stringify({ name: 'proxied', password }), from, headers: { 'x-forwarded-for': `203.0.113.250, ${client}` } });
      // A guesser behind the proxy locks only their own address out, not every user of the proxy.
      for (let i = 0; i < 5; i++) await via('198.51.100.7', `guess-${i}`);
      expect(codeOf(await via('198.51.100.7', GOOD))).toBe('TOO_MANY_REQUESTS');
      expect((await via('198.51.100.8', GOOD)).status).toBe(200);
      // Not from the proxy: the header is ignored, the socket's address counts.
      for (let i = 0; i < 5; i++) await via('198.51.100.9', `guess-${i}`, '127.0.0.9');
      expect(codeOf(await via('198.51.100.10', GOOD, '127.0.0.9'))).toBe('TOO_MANY_REQUESTS');
    } finally {
      await server.close();
      await store.drop();
    }
  });
});
