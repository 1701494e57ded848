import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

// A user who signed in online once can sign in on this desk while it is offline: the desk keeps a
// scrypt verifier of the password (never the password), like the server does.
// Test suites may lower the cost of new verifiers (RELAY_DESK_SCRYPT_LOG2N, 10…14), as on the server.
// Read when used, not at import: a test sets it before its first sign-in.
const costN = () => {
  const log2 = Number(process.env.RELAY_DESK_SCRYPT_LOG2N);
  return Number.isInteger(log2) && log2 >= 10 && log2 < 15 ? 1 << log2 : 1 << 15;
};
const PARAMS = { r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function makeVerifier(password: string): string {
  const salt = randomBytes(16);
  const N = costN();
  const hash = scryptSync(password.normalize('NFKC'), salt, 32, { ...PARAMS, N });
  return `scrypt$${N}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function checkVerifier(password: string, verifier: string): boolean {
  const [kind, n, salt, hash] = verifier.split('$');
  if (kind !== 'scrypt' || !salt || !hash || !(Number(n) >= 1024 && Number(n) <= 1 << 15)) return false;
  const expected = Buffer.from(hash, 'base64');
  const got = scryptSync(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, { ...PARAMS, N: Number(n) });
  return timingSafeEqual(got, expected);
}
