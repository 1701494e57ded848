// Headless import (issue 11, item 4): `npm run import -- FILE [--data-dir DIR]` imports a file exactly
// as the import screen does (the same preview checks, the same commit: all-or-nothing, and a file
// imported twice adds nothing the second time). Imported incidents are history; `--live-open` makes
// the file's open ones live work, as the screen's "live work" choice does (issue 14, item 5).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDesk } from '../desk.js';
import { commitImport } from '../import/service.js';
import { DeskInputError, DeskNoUserError } from '../store/errors.js';
import { CliError, deskDataDir, runCli, usageError } from './common.js';

const USAGE = 'usage: npm run import -- FILE [--data-dir DIR] [--live-open]';

export function parseImportArgs(argv: string[]): { file: string; dataDir: string | undefined; liveOpen: boolean } {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, 'live-open': { type: 'boolean' }, help: { type: 'boolean' } }, strict: true, allowPositionals: true });
  } catch (err) {
    throw usageError(`${(err as Error).message.split('\n')[0]} (${USAGE})`);
  }
  if (parsed.values.help) throw usageError(USAGE);
  if (parsed.positionals.length !== 1) throw usageError(`${parsed.positionals.length ? 'one file at a time' : 'FILE is required'} (${USAGE})`);
  return { file: path.resolve(parsed.positionals[0]), dataDir: parsed.values['data-dir'] as string | undefined, liveOpen: parsed.values['live-open'] === true };
}

async function main() {
  const args = parseImportArgs(process.argv.slice(2));
  let bytes: Buffer;
  try { bytes = fs.readFileSync(args.file); } catch (err) {
    throw new CliError(`FILE: cannot read ${args.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (bytes.length === 0) throw new CliError(`FILE: ${args.file} is empty`);
  const dataDir = deskDataDir(args.dataDir);
  const desk = await createDesk({ dataDir, backgroundSync: false });
  try {
    const r = await commitImport(desk.store, { fileName: path.basename(args.file), contentBase64: bytes.toString('base64'), liveOpen: args.liveOpen });
    const live = args.liveOpen ? `; ${r.live} open ones made live work` : '';
    process.stdout.write(`imported ${r.created} incidents from ${path.basename(args.file)} (${r.skipped} already on this desk${live})\n`);
  } catch (err) {
    if (err instanceof DeskInputError) {
      const first = err.issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ');
      const more = err.issues.length > 3 ? `; and ${err.issues.length - 3} more` : '';
      throw new CliError(`nothing was imported: ${first}${more}`);
    }
    if (err instanceof DeskNoUserError) throw new CliError(`nothing was imported: ${err.message}`);
    throw err;
  } finally {
    desk.close();
  }
}

if (process.argv[1] && /cli[\\/]import\.ts$/.test(process.argv[1])) runCli('import', main);
