import { describe, expect, it } from 'vitest';
import { addressKey, HashLimiter, hashPassword, LANE, throttleKeys, verifyPassword } from '../../server/auth.js';
import { passwordProblem } from '../../server/password-policy.js';

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

describe('sign-in hashing limiter', () => {
  it('runs at most `concurrency` at once, refuses beyond the queue, and serves returning users (known address) first, then clean addresses', async () => {
    const l = new HashLimiter(1, 3);
    const order: string[] = [];
    const tickets = ['a', 'b', 'c', 'd'].map(() => l.enter()!);
    expect(l.enter()).toBeNull(); // 1 running + 3 waiting: the fifth is refused at once
    expect(l.refused).toBe(1);
    const known = l.enter(LANE.returning, '10.0.0.1')!; // the other lines are not filled by strangers
    // An address just refused as busy is not "clean" (for a minute): it waits in the strangers' line.
    expect(l.enter(LANE.cleanAddress, '')).toBeNull();
    const clean = l.enter(LANE.cleanAddress, '10.0.0.2')!;
    expect(known).not.toBeNull();
    expect(clean).not.toBeNull();
    const run = async (t: NonNullable<ReturnType<HashLimiter['enter']>>, name: string) => {
      await t.start();
      order.push(name);
      await new Promise((r) => setTimeout(r, 5));
      t.release();
    };
    await Promise.all([run(tickets[0], 'first'), run(tickets[1], 'stranger-1'), run(tickets[2], 'stranger-2'), run(tickets[3], 'stranger-3'),
      run(clean, 'new address'), run(known, 'returning')]);
    expect(order).toEqual(['first', 'returning', 'new address', 'stranger-1', 'stranger-2', 'stranger-3']);
    expect(l.peakRunning).toBe(1);
    expect(l.enter()).not.toBeNull(); // all released: room again
  });
});

describe('throttle keys', () => {
  it('count IPv4 (also IPv4-mapped) per address and IPv6 per /64 network', () => {
    expect(throttleKeys(' Alice ', '::ffff:10.1.2.3')).toEqual({ userAddress: 'ua:alice|10.1.2.3', address: 'addr:10.1.2.3', user: 'user:alice', known: 'known:alice|10.1.2.3' });
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::5')).toBe(addressKey('2001:0db8:0001:0002:ffff::1'));
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('password policy', () => {
  it('refuses common and trivial passwords and says why; accepts a passphrase', () => {
    expect(passwordProblem('12345678', 'alice')).toMatch(/too short/);
    expect(passwordProblem('password', 'alice')).toMatch(/too short/);
    expect(passwordProblem('        ', 'alice')).toMatch(/whitespace/);
    expect(passwordProblem('          ', 'alice')).toMatch(/whitespace/);
    expect(passwordProblem('1234567890', 'alice')).toMatch(/common|sequence/);
    expect(passwordProblem('password12', 'alice')).toMatch(/common/);
    expect(passwordProblem('aaaaaaaaaaaa', 'alice')).toMatch(/repeated/);
    expect(passwordProblem('longusername', 'LongUserName')).toMatch(/user name/);
    expect(passwordProblem('my-alice-secret-99', 'alice')).toMatch(/user name/);
    expect(passwordProblem('amber-lantern-quietly-77', 'alice')).toBeNull();
  });
});
