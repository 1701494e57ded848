// Secrets (the sync token, the device secret) through the OS keychain: a fake box that really
// transforms the bytes stands in for Electron's safeStorage, and the SQLite file's bytes are read to
// show the token is never there in plain text when a box is available.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../electron/core/desk';
import { openDatabase } from '../../electron/core/db/connection';
import { SecretStore, type SecretBox } from '../../electron/core/secrets';
import { safeStorageBox } from '../../electron/main/secret-box';
import { tempDir } from '../helpers/desk';

const MARK = Buffer.from('FAKE-KEYCHAIN:');
const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));

/** Seals like safeStorage would: the bytes change (XOR) and carry a marker; a foreign blob throws. */
function fakeBox(opts: { available?: () => boolean } = {}): SecretBox & { sealed: number; opened: number } {
  const box = {
    sealed: 0,
    opened: 0,
    available: opts.available ?? (() => true),
    encrypt(plain: string) {
      box.sealed++;
      return Buffer.concat([MARK, xor(Buffer.from(plain, 'utf8'))]);
    },
    decrypt(sealed: Buffer) {
      if (!sealed.subarray(0, MARK.length).equals(MARK)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      box.opened++;
      return xor(sealed.subarray(MARK.length)).toString('utf8');
    },
  };
  return box;
}

const TOKEN = 'rdt_live_7c1e0f7e3b2a4d5f9a8b6c4d2e0f1a3b';
const DEVICE_SECRET = 'ds_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

/** Every byte the desk's SQLite file and its companions hold right now. */
function fileBytes(dataDir: string): Buffer {
  const parts = fs.readdirSync(dataDir).filter((f) => f.startsWith('relay-desk.db')).map((f) => fs.readFileSync(path.join(dataDir, f)));
  return Buffer.concat(parts);
}
const holds = (bytes: Buffer, text: string) => bytes.includes(Buffer.from(text, 'utf8'));

const open: Desk[] = [];
async function desk(dataDir: string, secretBox?: SecretBox) {
  const d = await createDesk({ dataDir, backgroundSync: false, secretBox });
  open.push(d);
  return d;
}
function close(d: Desk) {
  d.close();
  open.splice(open.indexOf(d), 1);
}
afterEach(() => { while (open.length) open.pop()!.close(); });

const row = (d: Desk, key: string) => d.store.db.prepare('SELECT value, sealed FROM secrets WHERE key = ?').get(key) as { value: Buffer | string; sealed: number } | undefined;

describe('with the OS keychain (a box is available)', () => {
  it('stores the token sealed: it never appears in the SQLite file, open or closed, and reads back', async () => {
    const dir = tempDir();
    const box = fakeBox();
    const d = await desk(dir, box);
    d.secrets.set('sync_token', TOKEN);
    d.secrets.set('device_secret', DEVICE_SECRET);
    expect(box.sealed).toBe(2);
    expect(row(d, 'sync_token')!.sealed).toBe(1);
    expect(Buffer.isBuffer(row(d, 'sync_token')!.value)).toBe(true);
    expect(d.secrets.get('sync_token')).toBe(TOKEN);
    // While the desk is open (the WAL holds the latest pages) and after it closed.
    let bytes = fileBytes(dir);
    expect(holds(bytes, TOKEN) || holds(bytes, DEVICE_SECRET)).toBe(false);
    expect(bytes.includes(MARK)).toBe(true); // the sealed form is what is there
    close(d);
    bytes = fileBytes(dir);
    expect(holds(bytes, TOKEN) || holds(bytes, DEVICE_SECRET)).toBe(false);

    const again = await desk(dir, fakeBox());
    expect(again.secrets.get('sync_token')).toBe(TOKEN);
    expect(again.secrets.get('device_secret')).toBe(DEVICE_SECRET);
    again.secrets.delete('device_secret');
    expect(again.secrets.get('device_secret')).toBeNull();
    expect(again.secrets.get('never-set')).toBeNull();
  });

  it('moves a plain sync_token / device_secret meta row of an older desk into the store and deletes the row', async () => {
    const dir = tempDir();
    const old = await desk(dir); // an older desk: the engine wrote the token into meta, more than once (sign-ins)
    for (const t of ['rdt_live_old_token_one_000000000000', 'rdt_live_old_token_two_000000000000', TOKEN]) old.store.setMeta('sync_token', t);
    old.store.setMeta('device_secret', DEVICE_SECRET);
    old.store.db.prepare('DELETE FROM secrets').run(); // as before the secret store existed
    close(old);
    expect(holds(fileBytes(dir), TOKEN)).toBe(true);

    const d = await desk(dir, fakeBox());
    expect(d.store.meta('sync_token')).toBeNull();
    expect(d.store.meta('device_secret')).toBeNull();
    expect(d.secrets.get('sync_token')).toBe(TOKEN);
    expect(d.secrets.get('device_secret')).toBe(DEVICE_SECRET);
    expect(row(d, 'sync_token')!.sealed).toBe(1);
    const bytes = fileBytes(dir);
    for (const t of ['rdt_live_old_token_one', 'rdt_live_old_token_two', TOKEN, DEVICE_SECRET]) expect(holds(bytes, t), t).toBe(false);
    close(d);
    expect(holds(fileBytes(dir), TOKEN)).toBe(false);
  });

  it('seals a value stored as text (no keychain then) once a keychain is available, leaving no plain copy', async () => {
    const dir = tempDir();
    const plain = await desk(dir);
    plain.secrets.set('sync_token', TOKEN);
    close(plain);
    expect(holds(fileBytes(dir), TOKEN)).toBe(true);
    const d = await desk(dir, fakeBox());
    expect(row(d, 'sync_token')!.sealed).toBe(1);
    expect(d.secrets.get('sync_token')).toBe(TOKEN);
    expect(holds(fileBytes(dir), TOKEN)).toBe(false);
  });

  it('a value sealed by a keychain that is gone reads as absent (sign in again), and can be replaced', async () => {
    const dir = tempDir();
    const d = await desk(dir, fakeBox());
    d.secrets.set('sync_token', TOKEN);
    close(d);
    const noKeychain = await desk(dir, fakeBox({ available: () => false }));
    expect(noKeychain.secrets.get('sync_token')).toBeNull();
    close(noKeychain);
    const browser = await desk(dir); // browser mode opening the Electron desk's folder
    expect(browser.secrets.get('sync_token')).toBeNull();
    browser.secrets.set('sync_token', 'rdt_live_new_token');
    expect(browser.secrets.get('sync_token')).toBe('rdt_live_new_token');
    close(browser);

    // A box whose decrypt throws (another user's keychain) never takes the desk down.
    const db = openDatabase(path.join(tempDir(), 'x.db'));
    new SecretStore(db).set('k', 'v');
    db.prepare("UPDATE secrets SET value = x'00010203', sealed = 1").run();
    expect(new SecretStore(db, fakeBox()).get('k')).toBeNull();
    db.close();
  });
});

describe('without a keychain (browser mode, Linux without a keyring)', () => {
  it('stores the value as text, says so in the row, and reads it back', async () => {
    const dir = tempDir();
    const d = await desk(dir);
    d.secrets.set('sync_token', TOKEN);
    expect(row(d, 'sync_token')).toEqual({ value: TOKEN, sealed: 0 });
    expect(d.secrets.get('sync_token')).toBe(TOKEN);
    d.secrets.set('sync_token', 'rdt_live_second');
    expect(d.secrets.get('sync_token')).toBe('rdt_live_second');
    close(d);
    const again = await desk(dir, fakeBox({ available: () => false }));
    expect(again.secrets.get('sync_token')).toBe('rdt_live_second');
    expect(row(again, 'sync_token')!.sealed).toBe(0);
  });

  it('moves legacy meta rows too (as text), so the engine finds them in one place', async () => {
    const dir = tempDir();
    const old = await desk(dir);
    old.store.setMeta('sync_token', TOKEN);
    close(old);
    const d = await desk(dir);
    expect(d.store.meta('sync_token')).toBeNull();
    expect(d.secrets.get('sync_token')).toBe(TOKEN);
  });
});

describe('the box on Electron safeStorage', () => {
  const fakeSafe = (available: boolean, backend?: string) => ({
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => Buffer.concat([MARK, xor(Buffer.from(s))]),
    decryptString: (b: Buffer) => xor(b.subarray(MARK.length)).toString(),
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
  });

  it('is available where safeStorage has a real keychain', () => {
    expect(safeStorageBox(fakeSafe(true), 'darwin').available()).toBe(true);
    expect(safeStorageBox(fakeSafe(true), 'win32').available()).toBe(true);
    expect(safeStorageBox(fakeSafe(true, 'gnome_libsecret'), 'linux').available()).toBe(true);
    expect(safeStorageBox(fakeSafe(true, 'kwallet5'), 'linux').available()).toBe(true);
    expect(safeStorageBox(fakeSafe(false), 'darwin').available()).toBe(false);
  });

  it("is not available on Linux's basic_text backend (a password built into Chromium) or before ready", () => {
    expect(safeStorageBox(fakeSafe(true, 'basic_text'), 'linux').available()).toBe(false);
    expect(safeStorageBox(fakeSafe(true, 'unknown'), 'linux').available()).toBe(false);
  });

  it('seals and opens through safeStorage', () => {
    const box = safeStorageBox(fakeSafe(true), 'darwin');
    const sealed = box.encrypt(TOKEN);
    expect(holds(sealed, TOKEN)).toBe(false);
    expect(box.decrypt(sealed)).toBe(TOKEN);
  });
});
