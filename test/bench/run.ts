// `npm run bench`: prints figures for the README. Each part runs beside its raw baseline in the same run.
import { benchDesk } from './desk.js';

const parts: Array<[string, () => Promise<Record<string, string | number>>]> = [['desk (issue #2)', benchDesk]];
const only = process.argv[2];
for (const [name, fn] of parts) {
  if (only && !name.startsWith(only)) continue;
  console.log(`\n== ${name}`);
  const res = await fn();
  for (const [k, v] of Object.entries(res)) console.log(`${k.padEnd(40)} ${v}`);
}
