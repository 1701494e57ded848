// `npm run bench [-- part]`: prints the figures for the README. Each part measures beside its raw
// baseline in the same run; parts run one after another in their own processes so they do not share
// caches or event loops. Parts: desk (issue #2), sync-server and sync-desk (issue #3), import (issue #4),
// first-sign-in (issue 9), login (issue 10), export (issue 11: CSV/XLSX/PDF of 200,000 incidents),
// reports (issue 11: a month's and a year's report over 1,000,000 incidents).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const parts: Array<[string, string, string[]]> = [
  ['desk', 'desk-main.ts', []],
  ['sync-server', 'sync-server.ts', []],
  ['sync-desk', 'sync-desk.ts', []],
  ['import', 'import.ts', []],
  ['first-sign-in', 'first-sign-in.ts', []],
  ['login', 'login.ts', []],
  ['export', 'export.ts', []],
  ['reports', 'reports.ts', []],
  ['calendar', 'calendar.ts', []],
];
const only = process.argv.slice(2);
for (const [name, file, args] of parts) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n== ${name}`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, file), ...args], { stdio: 'inherit' });
  if (res.status !== 0) console.log(`(${name} exited with ${res.status})`);
}
