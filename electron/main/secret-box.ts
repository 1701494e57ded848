// The desk's SecretBox on Electron's safeStorage, as a plain function of the safeStorage object so
// test/electron/secrets.test.ts can check it under Node (this file must not import 'electron').
import type { SecretBox } from '../core/secrets';

/** The part of Electron's `safeStorage` the desk uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  /** Linux only (and only meaningful after 'ready'). */
  getSelectedStorageBackend?(): string;
}

/**
 * Linux backends that are not a keyring: `basic_text` seals with a password written into Chromium
 * itself (anyone who can read the file can open it), `unknown` means asked before 'ready'. Sealing
 * with them would only pretend; the secret store keeps the value as text, saying so, instead.
 */
const NOT_A_KEYRING = new Set(['basic_text', 'unknown']);

export function safeStorageBox(safe: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretBox {
  return {
    available() {
      if (!safe.isEncryptionAvailable()) return false;
      if (platform === 'linux' && safe.getSelectedStorageBackend && NOT_A_KEYRING.has(safe.getSelectedStorageBackend())) return false;
      return true;
    },
    encrypt: (plain) => safe.encryptString(plain),
    decrypt: (sealed) => safe.decryptString(sealed),
  };
}
