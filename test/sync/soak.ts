// Long soak of the sync simulation, by hand: `npx tsx test/sync/soak.ts [seeds] [first] [desks] [ops]`;
// SOAK_BACKEND=postgres runs the server on PostgreSQL (127.0.0.1:5432) instead of SQLite.
process.env.RELAY_DESK_SCRYPT_LOG2N ??= '10';
import { existsSync } from 'node:fs';
if (existsSync('/dev/shm')) process.env.TMPDIR = '/dev/shm';
const { runSeed } = await import('./simulation.js');
const [seeds = 1000, first = 1000, desks = 4, ops = 80] = process.argv.slice(2).map(Number);
const t = performance.now();
let bad = 0;
const totals: Record<string, number> = {};
for (let s = first; s < first + seeds; s++) {
  const r = await runSeed(s, { desks, ops, backend: process.env.SOAK_BACKEND === 'postgres' ? 'postgres' : 'sqlite' });
  for (const [k, v] of Object.entries(r.faults)) totals[k] = (totals[k] ?? 0) + v;
  if (r.problems.length) { bad++; console.log(`seed ${s}:`, r.problems.slice(0, 5)); }
}
console.log(`${seeds} seeds (${desks} desks, ${ops} steps each): ${bad} with problems, ${((performance.now() - t) / seeds).toFixed(0)} ms/seed`);
console.log('faults injected:', totals);
