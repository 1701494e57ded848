import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClient } from './harness.js';

const root = new URL('../..', import.meta.url).pathname;
const env = { ...process.env, RELAY_DESK_SCRYPT_LOG2N: '10', DATABASE_URL: '' };
const PASSWORD = 'granite-harbour-violet-42';

describe('npm run server (SQLite defaults)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rd-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('create-admin on a terminal prompts twice without echoing the password', async () => {
    // `script` gives the command a pseudo-terminal, as a person at a shell would have.
    const child = spawn('/usr/bin/script', ['-qec', `${process.execPath} --import tsx server/main.ts create-admin --name ttyadmin --data-dir ${dir}`, '/dev/null'],
      { cwd: root, env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const waitFor = async (re: RegExp) => { while (!re.test(out)) await new Promise((r) => setTimeout(r, 50)); };
    child.stdout!.on('data', (c) => { out += String(c); });
    await waitFor(/password for ttyadmin: /);
    child.stdin!.write(`${PASSWORD}\r`);
    await waitFor(/the same password again: /);
    child.stdin!.write(`${PASSWORD}\r`);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(out).toMatch(/admin ttyadmin created/);
    expect(out).not.toContain(PASSWORD);
  }, 30_000);

  it('create-admin makes the first admin; the server starts, prints its URL, and that admin can sign in', async () => {
    const run = (args: string[], input?: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', 'create-admin', ...args, '--data-dir', dir], { cwd: root, env, encoding: 'utf8', input });
    // The password never goes on the command line (shell history, process list): refused, saying why.
    const onArgv = run(['--name', 'boss', '--password', PASSWORD]);
    expect(onArgv.status).not.toBe(0);
    expect(onArgv.stderr).toMatch(/--password is not accepted: .*shell history/);
    // A weak password from standard input is refused by the password policy.
    const weak = run(['--name', 'boss'], 'password\n');
    expect(weak.status).not.toBe(0);
    expect(weak.stderr).toMatch(/password: too short/);
    // From standard input when it is not a terminal (`echo pw | npm run server -- create-admin --name boss`).
    const made = run(['--name', 'boss'], `${PASSWORD}\n`);
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(/admin boss created/);
    const again = run(['--name', 'boss'], `${PASSWORD}\n`);
    expect(again.status).not.toBe(0);

    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', '0', '--data-dir', dir], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let out = '';
      let url = '';
      for await (const chunk of child.stdout!) {
        out += String(chunk);
        const m = /on (http:\/\/127\.0\.0\.1:\d+) \(SQLite in /.exec(out);
        if (m) { url = m[1]; break; }
      }
      const login = await makeClient(url).auth.login.mutate({ name: 'boss', password: PASSWORD });
      expect(login.user).toMatchObject({ name: 'boss', role: 'admin', groupName: 'Service Desk' });
      expect((await makeClient(url).health.query()).storage).toBe('sqlite');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
