process.env.RELAY_DESK_SCRYPT_LOG2N ??= '10';
// Real SQLite files, on tmpfs where there is one: the runs test sync logic, not the disk's fsync.
import { existsSync } from 'node:fs';
if (!process.env.SIM_TMPDIR_KEEP && existsSync('/dev/shm')) process.env.TMPDIR = '/dev/shm';
import { describe, expect, it } from 'vitest';
import { runSeed } from './simulation.js';

// Hundreds of seeded runs within the suite's budget; `npx tsx test/sync/soak.ts` runs longer by hand.
const SEEDS = Number(process.env.SIM_SEEDS ?? 200);
const FIRST = Number(process.env.SIM_FIRST_SEED ?? 1);

describe('deterministic simulation: desks, server and faults', () => {
  it(`${SEEDS} seeds converge with nothing lost, doubled or diverging`, async () => {
    const failures: string[] = [];
    const totals: Record<string, number> = {};
    for (let seed = FIRST; seed < FIRST + SEEDS; seed++) {
      const res = await runSeed(seed);
      for (const [k, v] of Object.entries(res.faults)) totals[k] = (totals[k] ?? 0) + v;
      if (res.problems.length) failures.push(`seed ${seed}:\n  ${res.problems.slice(0, 5).join('\n  ')}`);
    }
    // Every fault kind actually happened, so the invariants were tested under it.
    for (const k of ['push request dropped', 'push response dropped', 'push duplicated', 'old push replayed first', 'pull response dropped', 'desk killed and reopened', 'killed while applying a page', 'server restart']) {
      expect(totals[k] ?? 0, k).toBeGreaterThan(0);
    }
    expect(failures).toEqual([]);
  }, 400_000);
});
