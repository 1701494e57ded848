// `npx tsx test/bench/login.ts`: what sign-in throttling and the bound on
// password hashing give (issue 10). The server runs in its own process with the production scrypt
// cost (N=2^15) and the real clock; clients come from chosen loopback addresses (127.0.x.y), so
// "one address" and "many addresses" are real source addresses to the server.
//  1. guesses per second a parallel attacker gets against one account: 40 requests in flight for
//     10 s, from one address, then from 200 addresses; a guess counts when its password was checked
//     (answered "wrong password"), not when it was refused before hashing;
//  2. a real sign-in's latency while 40 parallel fake sign-ins run (unknown names from 200 addresses,
//     every one hashed), beside the same sign-in with no load: from the address the user signed in
//     from before (served first) and from a new address each time.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HlcClock } from '../../shared/hlc.js';
import { upsertUser } from '../../server/accounts.js';
import { openStorage } from '../../server/storage/index.js';
import { startServerProcess } from './server-process.js';

delete process.env.RELAY_DESK_SCRYPT_LOG2N; // the production cost
const PASSWORD = 'amber-lantern-quietly-77';
const SECONDS = Number(process.env.BENCH_LOGIN_SECONDS ?? 10);
const PARALLEL = 40;

const agents = new Map<string, http.Agent>();
const agentFor = (from: string) => {
  let a = agents.get(from);
  if (!a) { a = new http.Agent({ keepAlive: true, localAddress: from } as http.AgentOptions); agents.set(from, a); }
  return a;
};

interface Answer { status: number; code: string; message: string; ms: number }
function signIn(url: string, name: string, password: string, from: string): Promise<Answer> {
  const t0 = performance.now();
  const body = JSON.stringify({ name, password });
  return new Promise((ok) => {
    const req = http.request(`${url}/auth.login`, { method: 'POST', agent: agentFor(from), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let code = 'OK', message = '';
        try { const j = JSON.parse(text); if (j.error) { code = j.error.data.code; message = j.error.message; } } catch { code = `HTTP ${res.statusCode}`; }
        ok({ status: res.statusCode ?? 0, code, message, ms: performance.now() - t0 });
      });
    });
    req.on('error', (e) => ok({ status: 0, code: 'NETWORK', message: e.message, ms: performance.now() - t0 }));
    req.end(body);
  });
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : NaN; };
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);
const f1 = (x: number) => x.toFixed(1);

/** PARALLEL loops for `seconds`, each calling `make(i, n)`; returns every answer. */
async function flood(seconds: number, make: (worker: number, n: number) => Promise<Answer>, stop?: { stopped: boolean }): Promise<Answer[]> {
  const until = performance.now() + seconds * 1000;
  const out: Answer[] = [];
  await Promise.all(Array.from({ length: PARALLEL }, async (_, w) => {
    for (let n = 0; performance.now() < until && !stop?.stopped; n++) out.push(await make(w, n));
  }));
  return out;
}
const tally = (answers: Answer[]) => {
  const t: Record<string, number> = {};
  for (const a of answers) {
    const key = a.code === 'TOO_MANY_REQUESTS' ? (/busy/.test(a.message) ? 'refused: server busy' : 'refused: throttled') : a.code;
    t[key] = (t[key] ?? 0) + 1;
  }
  return t;
};

const dataDir = mkdtempSync(path.join(tmpdir(), 'rd-bench-login-'));
const server = await startServerProcess('sqlite', dataDir, 'victim', PASSWORD);
try {
  {
    const store = await openStorage('sqlite', dataDir);
    await upsertUser({ storage: store, now: () => new Date(), clock: new HlcClock('bench') }, { name: 'worker', password: PASSWORD, role: 'agent', groupName: 'Hotline', active: true });
    await store.close();
  }
  const url = server.url;
  console.log(`login bench: server in its own process (SQLite), scrypt N=2^15; ${PARALLEL} requests in flight, ${SECONDS} s per attack`);

  // 1. Guessing one account.
  const one = await flood(SECONDS, () => signIn(url, 'victim', 'wrong-guess', '127.0.0.50'));
  const oneChecked = one.filter((a) => a.code === 'UNAUTHORIZED').length;
  console.log(`attacker, one address, one account: ${f1(oneChecked / SECONDS)} guesses/s checked (${oneChecked} in ${SECONDS} s; ${one.length} requests: ${JSON.stringify(tally(one))})`);
  const many = await flood(SECONDS, (w, n) => signIn(url, 'victim', 'wrong-guess', `127.0.1.${((w * 97 + n) % 200) + 1}`));
  const manyChecked = many.filter((a) => a.code === 'UNAUTHORIZED').length;
  console.log(`attacker, 200 addresses, one account: ${f1(manyChecked / SECONDS)} guesses/s checked (${manyChecked} in ${SECONDS} s; ${many.length} requests: ${JSON.stringify(tally(many))})`);

  // 2. A real sign-in, without and with 40 parallel fake sign-ins.
  const KNOWN = '127.0.0.60';
  let fresh = 0;
  const freshAddress = () => `127.0.4.${++fresh}`;
  await signIn(url, 'worker', PASSWORD, KNOWN); // the user's usual address, known from now on
  const sample = async (from: () => string, n: number) => {
    const out: Answer[] = [];
    for (let i = 0; i < n; i++) { out.push(await signIn(url, 'worker', PASSWORD, from())); await new Promise((r) => setTimeout(r, 150)); }
    return out;
  };
  const quietKnown = await sample(() => KNOWN, 10);
  const quietFresh = await sample(freshAddress, 10);
  const stop = { stopped: false };
  const load = flood(SECONDS * 3, (w, n) => signIn(url, `nobody-${w}-${n}`, 'fake-password', `127.0.3.${((w * 31 + n) % 200) + 1}`), stop);
  await new Promise((r) => setTimeout(r, 1000)); // the flood is under way
  const busyKnown = await sample(() => KNOWN, 15);
  const busyFresh = await sample(freshAddress, 15);
  stop.stopped = true;
  const fakes = await load;
  const ok = (xs: Answer[]) => xs.filter((a) => a.code === 'OK').map((a) => a.ms);
  const line = (label: string, quiet: Answer[], busy: Answer[]) => {
    const q = ok(quiet), b = ok(busy);
    const refused = busy.length - b.length;
    console.log(`real sign-in, ${label}: no load median ${f1(median(q))} ms, max ${f1(max(q))} ms; under ${PARALLEL} parallel fake sign-ins median ${f1(median(b))} ms, max ${f1(max(b))} ms`
      + ` (ratio ${(median(b) / median(q)).toFixed(1)}× median, ${(max(b) / max(q)).toFixed(1)}× max)${refused ? `; ${refused} of ${busy.length} refused: ${JSON.stringify(tally(busy.filter((a) => a.code !== 'OK')))}` : ''}`);
  };
  line('from the address the user signed in from before, 40 fakes looping', quietKnown, busyKnown);
  line('from a new address each time, 40 fakes looping', quietFresh, busyFresh);
  // The issue's scenario: a burst of 40 parallel fake sign-ins, the real one sent with them.
  const burst = async (from: () => string) => {
    const out: Answer[] = [];
    for (let i = 0; i < 8; i++) {
      const fakes = Array.from({ length: PARALLEL }, (_, k) => signIn(url, `burst-${i}-${k}`, 'fake-password', `127.0.5.${((i * PARALLEL + k) % 200) + 1}`));
      out.push(await signIn(url, 'worker', PASSWORD, from()));
      await Promise.all(fakes);
      await new Promise((r) => setTimeout(r, 300));
    }
    return out;
  };
  line('from the known address, sent with a burst of 40 fakes', quietKnown, await burst(() => KNOWN));
  line('from a new address, sent with a burst of 40 fakes', quietFresh, await burst(freshAddress));
  const hashed = fakes.filter((a) => a.code === 'UNAUTHORIZED').length;
  const span = fakes.length ? (SECONDS * 3) : 1;
  console.log(`fake sign-ins meanwhile: ${fakes.length} requests, ${hashed} hashed (≈${f1(hashed / span)} /s at most), ${JSON.stringify(tally(fakes))}`);
} finally {
  await server.close();
  for (const a of agents.values()) a.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}
