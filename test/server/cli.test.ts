import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClient } from './harness.js';

const root = new URL('../..', import.meta.url).pathname;
const env = { ...process.env, RELAY_DESK_SCRYPT_LOG2N: '10', DATABASE_URL: '' };

describe('npm run server (SQLite defaults)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rd-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('create-admin makes the first admin; the server starts, prints its URL, and that admin can sign in', async () => {
    const made = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', 'create-admin', '--name', 'boss', '--password', 'boss-password', '--data-dir', dir], { cwd: root, env, encoding: 'utf8' });
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(/admin boss created/);
    const again = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', 'create-admin', '--name', 'boss', '--password', 'x', '--data-dir', dir], { cwd: root, env, encoding: 'utf8' });
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
      const login = await makeClient(url).auth.login.mutate({ name: 'boss', password: 'boss-password' });
      expect(login.user).toMatchObject({ name: 'boss', role: 'admin', groupName: 'Service Desk' });
      expect((await makeClient(url).health.query()).storage).toBe('sqlite');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
