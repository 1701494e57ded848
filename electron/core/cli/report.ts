// Headless reports (issue 11, item 4), for cron and the like:
//   npm run report -- --from 2026-11-01 --to 2026-11-30 --format csv|xlsx|pdf --out FILE
//                     [--data-dir DIR] [--lang zh-CN|en] [--tz Asia/Shanghai]
// Opens the desk's data folder (no background sync) and runs the same export job the console runs,
// through the same router; the file is written whole (a temporary file beside it, then a rename) or not at all.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, reportQuerySchema, type ExportFormat, type ReportQuery } from '../../../shared/reports.js';
import { createDesk } from '../desk.js';
import { appRouter } from '../api/router.js';
import { createCallerFactory } from '../api/trpc.js';
import { CliError, deskDataDir, runCli, usageError } from './common.js';

const USAGE = 'usage: npm run report -- --from YYYY-MM-DD --to YYYY-MM-DD --format csv|xlsx|pdf --out FILE [--data-dir DIR] [--lang zh-CN|en] [--tz ZONE]';

interface ExportCalls {
  start(input: { query: ReportQuery; format: ExportFormat; lang: 'zh-CN' | 'en' }): Promise<{ jobId: string; fileName: string }>;
  progress(input: { jobId: string }): Promise<{ phase: string; done: number; total: number; message?: string } | null>;
  cancel(input: { jobId: string }): Promise<unknown>;
  file(input: { jobId: string }): Promise<{ path: string; fileName: string; bytes: number }>;
}

export interface ReportArgs { query: ReportQuery; format: ExportFormat; lang: 'zh-CN' | 'en'; out: string; dataDir: string | undefined }

/** The arguments, checked; a bad one is a usage error naming it. */
export function parseReportArgs(argv: string[]): ReportArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' },
        'data-dir': { type: 'string' }, lang: { type: 'string', default: 'zh-CN' }, tz: { type: 'string' }, help: { type: 'boolean' },
      },
      strict: true, allowPositionals: false,
    }));
  } catch (err) {
    throw usageError(`${(err as Error).message.split('\n')[0]} (${USAGE})`);
  }
  if (values.help) throw usageError(USAGE);
  for (const name of ['from', 'to', 'format', 'out'] as const) if (!values[name]) throw usageError(`--${name} is required (${USAGE})`);
  const format = String(values.format);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw usageError(`--format: "${format}" is not one of csv, xlsx, pdf`);
  const lang = String(values.lang);
  if (lang !== 'zh-CN' && lang !== 'en') throw usageError(`--lang: "${lang}" is not zh-CN or en`);
  const timeZone = String(values.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
  const query = { from: String(values.from), to: String(values.to), timeZone };
  const parsed = reportQuerySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? 'from');
    const flag = field === 'timeZone' ? '--tz' : `--${field}`;
    const given = field === 'timeZone' ? timeZone : (query as Record<string, string>)[field];
    throw usageError(`${flag}: ${issue.message} ("${given}")`);
  }
  return { query, format: format as ExportFormat, lang, out: path.resolve(String(values.out)), dataDir: values['data-dir'] as string | undefined };
}

/** The output path can be written: its folder exists and is writable, and it is not a folder itself. */
export function checkOutPath(out: string): void {
  const dir = path.dirname(out);
  let st: fs.Stats;
  try { st = fs.statSync(dir); } catch { throw new CliError(`--out: the folder ${dir} does not exist`); }
  if (!st.isDirectory()) throw new CliError(`--out: ${dir} is not a folder`);
  try { fs.accessSync(dir, fs.constants.W_OK); } catch { throw new CliError(`--out: cannot write in ${dir}`); }
  if (fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new CliError(`--out: ${out} is a folder`);
  if (fs.existsSync(out)) { try { fs.accessSync(out, fs.constants.W_OK); } catch { throw new CliError(`--out: cannot write ${out}`); } }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const args = parseReportArgs(process.argv.slice(2));
  checkOutPath(args.out);
  const dataDir = deskDataDir(args.dataDir);
  const desk = await createDesk({ dataDir, backgroundSync: false });
  try {
    const caller = createCallerFactory(appRouter)({ store: desk.store, sync: desk.sync });
    const exp = (caller as unknown as { export: Partial<ExportCalls> }).export;
    if (typeof exp.start !== 'function' || typeof exp.progress !== 'function' || typeof exp.file !== 'function') throw new CliError('this build has no report export yet');
    const calls = exp as ExportCalls;
    let jobId: string;
    try {
      ({ jobId } = await calls.start({ query: args.query, format: args.format, lang: args.lang }));
    } catch (err) {
      throw new CliError(`the report could not be started: ${(err as Error).message}`);
    }
    const tty = process.stderr.isTTY;
    for (;;) {
      const p = await calls.progress({ jobId });
      if (p && /fail|error|cancel/.test(p.phase)) throw new CliError(`the export failed: ${p.message ?? p.phase}`);
      if (!p || p.phase === 'done') break;
      if (tty) process.stderr.write(`\r${p.phase} ${p.done}/${p.total}   `);
      await sleep(100);
    }
    if (tty) process.stderr.write('\r\x1b[K');
    const file = await calls.file({ jobId });
    // Whole or not at all: copy beside the target, then rename over it.
    const tmp = path.join(path.dirname(args.out), `.${path.basename(args.out)}.${process.pid}.tmp`);
    try {
      fs.copyFileSync(file.path, tmp);
      fs.renameSync(tmp, args.out);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw new CliError(`--out: cannot write ${args.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (path.resolve(file.path) !== args.out) fs.rmSync(file.path, { force: true });
    process.stdout.write(`wrote ${args.out} (${fs.statSync(args.out).size} bytes)\n`);
  } finally {
    desk.close();
  }
}

if (process.argv[1] && /cli[\\/]report\.ts$/.test(process.argv[1])) runCli('report', main);
