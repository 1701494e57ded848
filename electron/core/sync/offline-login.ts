import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

// A user who signed in online once can sign in on this desk while it is offline: the desk keeps a
// scrypt verifier of the password (never the password), like the server does.
const PARAMS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function makeVerifier(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFKC'), salt, 32, PARAMS);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function checkVerifier(password: string, verifier: string): boolean {
  const [kind, salt, hash] = verifier.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const got = scryptSync(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, PARAMS);
  return timingSafeEqual(got, expected);
}
