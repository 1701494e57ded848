// Headless reports (issue 11, item 4), for cron and the like:
//   npm run report -- --from 2026-11-01 --to 2026-11-30 --format csv|xlsx|pdf --out FILE
//                     [--data-dir DIR] [--lang zh-CN|en] [--tz Asia/Shanghai]
// Opens the desk's data folder (no background sync) and runs the same export job the console runs,
// with its path = FILE: the file is written whole (a temporary file beside it, then a rename) or not at all.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, reportQuerySchema, type ExportFormat, type ReportQuery } from '../../../shared/reports.js';
import { createDesk } from '../desk.js';
import { exportProgress, startExport, waitForExport } from '../reports/export/job.js';
import { DeskInputError } from '../store/errors.js';
import { CliError, deskDataDir, runCli, usageError } from './common.js';

const USAGE = 'usage: npm run report -- --from YYYY-MM-DD --to YYYY-MM-DD --format csv|xlsx|pdf --out FILE [--data-dir DIR] [--lang zh-CN|en] [--tz ZONE]';

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

async function main() {
  const args = parseReportArgs(process.argv.slice(2));
  checkOutPath(args.out);
  const dataDir = deskDataDir(args.dataDir);
  const desk = await createDesk({ dataDir, backgroundSync: false });
  try {
    let jobId: string;
    try {
      ({ jobId } = startExport(desk.store, { query: args.query, format: args.format, lang: args.lang, path: args.out, user: desk.store.currentUser()?.name ?? '' }));
    } catch (err) {
      if (err instanceof DeskInputError) {
        const i = err.issues[0];
        const flag = i.path === 'path' ? '--out' : i.path.startsWith('query.') ? `--${i.path.slice(6).replace('timeZone', 'tz')}` : i.path;
        throw new CliError(`${flag}: ${i.message}`, i.path === 'path' ? 1 : 2);
      }
      throw err;
    }
    const tty = process.stderr.isTTY;
    const timer = tty ? setInterval(() => {
      const p = exportProgress(jobId);
      if (p) process.stderr.write(`\r${p.phase} ${p.done}/${p.total}   `);
    }, 200) : null;
    const end = await waitForExport(jobId);
    if (timer) { clearInterval(timer); process.stderr.write('\r\x1b[K'); }
    if (end.state !== 'done') throw new CliError(`the export ${end.state}${end.error ? `: ${end.error}` : ''}; nothing was written`);
    process.stdout.write(`wrote ${args.out} (${fs.statSync(args.out).size} bytes)\n`);
  } finally {
    desk.close();
  }
}

if (process.argv[1] && /cli[\\/]report\.ts$/.test(process.argv[1])) runCli('report', main);
