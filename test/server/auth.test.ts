import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../server/auth.js';

describe('password hashing', () => {
  it('uses scrypt N=2^15, r=8, p=1 with a random salt by default, and verifies in constant time', async () => {
    const saved = process.env.RELAY_DESK_SCRYPT_LOG2N;
    delete process.env.RELAY_DESK_SCRYPT_LOG2N;
    try {
      const h1 = await hashPassword('correct horse');
      const h2 = await hashPassword('correct horse');
      expect(h1).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
      expect(h1).not.toBe(h2);
      expect(await verifyPassword('correct horse', h1)).toBe(true);
      expect(await verifyPassword('correct horsE', h1)).toBe(false);
      expect(await verifyPassword('x', 'plain')).toBe(false);
    } finally {
      if (saved !== undefined) process.env.RELAY_DESK_SCRYPT_LOG2N = saved;
    }
  });
});
