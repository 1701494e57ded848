// The central server in its own process, as it is deployed (the desks are other machines): benches
// measure the desk and the server without sharing one event loop. Seeds the bench user first.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HlcClock } from '../../shared/hlc.js';
import { upsertGroup, upsertUser } from '../../server/accounts.js';
import { openStorage } from '../../server/storage/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess { url: string; userId: string; cpuSeconds(): Promise<number>; close(): Promise<void> }

/**
 * Creates the user `name` (role agent, group Hotline) in the storage, then starts `server/main.ts`
 * on a free port. `BENCH_SERVER_PROF=dir` writes the server's CPU profile there.
 */
export async function startServerProcess(storage: string, dataDir: string, name: string, password: string): Promise<ServerProcess> {
  const store = await openStorage(storage, dataDir);
  const deps = { storage: store, now: () => new Date(), clock: new HlcClock('bench') };
  await upsertGroup(deps, { name: 'Hotline' });
  const user = await upsertUser(deps, { name, password, role: 'agent', groupName: 'Hotline', active: true });
  await store.close();
  const prof = process.env.BENCH_SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROF}`] : [];
  // The same V8 flag `npm run server` starts it with (package.json).
  const child: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=64', ...prof, '--import', 'tsx', path.join(root, 'server/main.ts'), '--port', '0', '--data-dir', dataDir], {
    cwd: root, env: { ...process.env, ...(storage === 'sqlite' ? { DATABASE_URL: '' } : { DATABASE_URL: storage }) }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => { out += b; const m = /on (http:\/\/\S+)/.exec(out); if (m) ok(m[1]); });
    child.once('exit', (code) => fail(new Error(`server exited with ${code}: ${out}`)));
  });
  /** CPU seconds the server process has used: /proc/<pid>/stat fields 14 and 15 (user, system), in ticks of 1/100 s. */
  const usage = async () => {
    try {
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) / 100;
    } catch { return NaN; }
  };
  return {
    url, userId: user.id, cpuSeconds: usage,
    close: () => new Promise<void>((ok) => { child.once('exit', () => ok()); child.kill('SIGTERM'); }),
  };
}
