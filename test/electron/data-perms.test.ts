// The desk's data is the user's: its folder 0700 and its files 0600 whatever the umask, for a new
// folder and for an existing one with wider permissions (issue 10, item 8). No-ops on Windows.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../electron/core/desk';
import { openDatabase, securePrivateDir } from '../../electron/core/db/connection';
import { startHost } from '../../electron/core/host/server';
import { tempDir } from '../helpers/desk';

const posix = process.platform !== 'win32';
const modeOf = (p: string) => fs.statSync(p).mode & 0o7777;
const dbFiles = (dir: string) => fs.readdirSync(dir).filter((n) => n.startsWith('relay-desk.db')).map((n) => path.join(dir, n));

// The widest umask a user could have: without the chmods every file would be world-writable.
let savedUmask = 0;
beforeAll(() => { savedUmask = process.umask(0); });
afterAll(() => { process.umask(savedUmask); });

const open: Desk[] = [];
afterEach(() => { while (open.length) open.pop()!.close(); });

describe.runIf(posix)('data folder 0700, files 0600', () => {
  it('a new data folder (and the missing folders above it) is 0700; the database, -wal and -shm 0600', async () => {
    const parent = path.join(tempDir(), 'config');
    const dir = path.join(parent, 'Relay Desk');
    const desk = await createDesk({ dataDir: dir, backgroundSync: false });
    open.push(desk);
    await desk.store.db.prepare("INSERT INTO meta (key, value) VALUES ('x', 'y')").run(); // the WAL has content
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(parent)).toBe(0o700);
    const files = dbFiles(dir);
    expect(files.map((f) => path.basename(f)).sort()).toEqual(['relay-desk.db', 'relay-desk.db-shm', 'relay-desk.db-wal']);
    for (const f of files) expect(modeOf(f), f).toBe(0o600);
  });

  it('an existing folder and files with wider permissions are tightened on start', async () => {
    const dir = tempDir();
    const first = await createDesk({ dataDir: dir, backgroundSync: false });
    first.close();
    fs.chmodSync(dir, 0o777);
    fs.chmodSync(path.join(dir, 'relay-desk.db'), 0o666);
    // A -wal and -shm left by a crash, world-readable.
    fs.writeFileSync(path.join(dir, 'relay-desk.db-wal'), '', { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'relay-desk.db-wal'), 0o644);
    const desk = await createDesk({ dataDir: dir, backgroundSync: false });
    open.push(desk);
    expect(modeOf(dir)).toBe(0o700);
    for (const f of dbFiles(dir)) expect(modeOf(f), f).toBe(0o600);
  });

  it('browser mode (--data-dir) gets the same', async () => {
    const dir = path.join(tempDir(), 'browser-data');
    const host = await startHost({ dataDir: dir, port: 0, staticDir: tempDir(), host: '127.0.0.1' });
    try {
      expect(modeOf(dir)).toBe(0o700);
      for (const f of dbFiles(dir)) expect(modeOf(f), f).toBe(0o600);
    } finally {
      await host.close();
    }
  });

  it('openDatabase alone makes its file 0600 and a folder it creates 0700', () => {
    const dir = path.join(tempDir(), 'fresh');
    const db = openDatabase(path.join(dir, 'other.db'));
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    expect(modeOf(dir)).toBe(0o700);
    for (const n of fs.readdirSync(dir)) expect(modeOf(path.join(dir, n)), n).toBe(0o600);
    db.close();
  });

  it('a shared folder with the sticky bit (like /tmp) is not closed', () => {
    const dir = path.join(tempDir(), 'shared');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o1777);
    const warn = console.warn;
    const warned: string[] = [];
    console.warn = (m: string) => warned.push(m);
    try { securePrivateDir(dir); } finally { console.warn = warn; }
    expect(modeOf(dir)).toBe(0o1777);
    expect(warned[0]).toMatch(/sticky bit/);
  });
});
