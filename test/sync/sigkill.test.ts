process.env.RELAY_DESK_SCRYPT_LOG2N ??= '10';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { startWorld, type World } from '../server/harness.js';
import { tempDir } from '../helpers/desk.js';

const WORKER = path.resolve('test/sync/desk-worker.ts');

/** Runs the worker until `until(line, committed)` says kill, then SIGKILLs it. Returns the ids it reported committed. */
function runUntilKilled(args: string[], until: (line: string, committed: number) => boolean): Promise<{ committed: string[]; lines: string[] }> {
  return new Promise((resolve, reject) => {
    // node itself runs the worker (tsx as a loader), so SIGKILL hits the process that holds the database.
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: string[] = [];
    const lines: string[] = [];
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const m = /^committed (incident|worklog) (.+)$/.exec(line);
      if (m) committed.push(`${m[1]}:${m[2]}`);
      if (until(line, committed.length) && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve({ committed, lines }) : reject(new Error(`worker exited ${code}: ${err}`))));
  });
}

let w: World;
beforeAll(async () => { w = await startWorld('sqlite'); w.clock.ms = Date.now(); await w.user('field'); }); // desks run on the real clock
afterAll(async () => { await w?.close(); });

describe('a desk process killed with SIGKILL', () => {
  it('mid-write and mid-sync, loses nothing and doubles nothing on the real server', async () => {
    const dir = tempDir();
    const args = [dir, w.url, 'field', 'field-password'];
    const committed: string[] = [];
    // 1: killed in the middle of its writes (right after a local commit, before any push).
    committed.push(...(await runUntilKilled([...args, 'run1'], (line, n) => n >= 5 && line.startsWith('committed incident'))).committed);
    // 2: killed while a sync round is in flight.
    committed.push(...(await runUntilKilled([...args, 'run2'], (line) => line === 'sync-start')).committed);
    // 3: killed mid-sync again, after some rounds went through.
    let starts = 0;
    const run3 = await runUntilKilled([...args, 'run3'], (line) => line === 'sync-start' && ++starts === 3);
    committed.push(...run3.committed);
    expect(run3.lines).toContain('sync-done');

    // The desk restarts and syncs; a second desk pulls everything from the server.
    const desk = await createDesk({ dataDir: dir, backgroundSync: false });
    await desk.sync.syncNow();
    expect(desk.sync.status().pending).toBe(0);
    desk.close();
    const other = await createDesk({ dataDir: tempDir(), backgroundSync: false });
    const api = createCaller({ store: other.store, sync: other.sync });
    await api.sync.signIn({ serverUrl: w.url, name: 'field', password: 'field-password' });
    await other.sync.syncNow();
    const db = other.store.db;
    for (const c of committed) {
      const [kind, id] = c.split(':');
      const n = db.prepare(`SELECT count(*) FROM ${kind === 'incident' ? 'incidents' : 'work_logs'} WHERE id = ?`).pluck().get(id);
      expect(n, `${c} committed before the kill reaches the server exactly once`).toBe(1);
    }
    const total = db.prepare('SELECT count(*) FROM incidents').pluck().get() as number;
    expect(total).toBeGreaterThanOrEqual(committed.filter((c) => c.startsWith('incident')).length);
    expect(db.prepare('SELECT count(DISTINCT number) FROM incidents').pluck().get()).toBe(total);
    expect(db.prepare("SELECT count(*) FROM work_logs WHERE body LIKE 'run% log %'").pluck().get()).toBe(db.prepare("SELECT count(DISTINCT body) FROM work_logs WHERE body LIKE 'run% log %'").pluck().get());
    other.close();
  }, 120_000);
});
