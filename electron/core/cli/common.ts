import fs from 'node:fs';
import path from 'node:path';
import { userDataDir } from '../../../scripts/lib/paths.mjs';

/** A one-line error for the user: printed as `relay-desk <command>: <message>` with the exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) { super(message); this.name = 'CliError'; }
}

/** Bad arguments exit with 2, everything else with 1. */
export const usageError = (message: string) => new CliError(message, 2);

/** The desk's data folder: `--data-dir`, else the one the desktop app and `npm start` use. It must already hold a desk. */
export function deskDataDir(given: string | undefined): string {
  const dir = path.resolve(given ?? userDataDir());
  let stat: fs.Stats;
  try { stat = fs.statSync(dir); } catch { throw new CliError(`--data-dir: no data folder at ${dir}`); }
  if (!stat.isDirectory()) throw new CliError(`--data-dir: ${dir} is not a folder`);
  if (!fs.existsSync(path.join(dir, 'relay-desk.db'))) throw new CliError(`--data-dir: ${dir} holds no desk (relay-desk.db is missing; start the console once, or pass --data-dir)`);
  return dir;
}

/** Runs a command's main and turns any failure into one line on stderr and a non-zero exit code. */
export function runCli(name: string, main: () => Promise<void>): void {
  main().then(() => process.exit(0), (err: unknown) => {
    const code = err instanceof CliError ? err.exitCode : 1;
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${name}: ${msg.replace(/\s*\n\s*/g, ' ')}\n`);
    process.exit(code);
  });
}
