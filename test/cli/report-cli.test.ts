// The headless commands (issue 11, item 4) as cron would run them: `npm run report` and
// `npm run import` spawned on a desk's data folder; one-line errors and exit codes for bad input.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createDesk } from '../../electron/core/desk';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = path.join(root, 'test/fixtures/import/incidents-list.csv');
const BAD_FIXTURE = path.join(root, 'test/fixtures/import/incidents-list-bad-line-7.csv');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'rd-cli-'));
const deskDir = path.join(tmp, 'desk');

function run(cmd: 'report' | 'import', args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `electron/core/cli/${cmd}.ts`, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const oneLine = (s: string) => s.trim().split('\n').length === 1;
const count = async () => {
  const d = await createDesk({ dataDir: deskDir, backgroundSync: false });
  try { return d.store.incidentCount(); } finally { d.close(); }
};

beforeAll(async () => {
  const desk = await createDesk({ dataDir: deskDir, backgroundSync: false });
  desk.store.setup({ name: '王经理', role: 'lead', group: '服务台一组', locale: 'zh-CN' });
  desk.close();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm run import', () => {
  it('imports the fixture all at once, and a second run adds nothing', async () => {
    const first = run('import', [FIXTURE, '--data-dir', deskDir]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^imported 7 incidents from incidents-list\.csv \(0 already on this desk\)\n$/);
    expect(await count()).toBe(7);
    const again = run('import', [FIXTURE, '--data-dir', deskDir]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/imported 0 incidents .*\(7 already on this desk\)/);
    expect(await count()).toBe(7);
  });

  it('a file with a bad row imports nothing and names the line and column', async () => {
    const r = run('import', [BAD_FIXTURE, '--data-dir', deskDir]);
    expect(r.code).toBe(1);
    expect(oneLine(r.err)).toBe(true);
    expect(r.err).toMatch(/^import: nothing was imported: line 7 · 报告时间 \/ Reported: not a date/);
    expect(await count()).toBe(7);
  });

  it.each([
    [[], 2, /FILE is required/],
    [[FIXTURE, FIXTURE], 2, /one file at a time/],
    [[FIXTURE, '--bogus'], 2, /bogus/],
    [[path.join(tmp, 'nope.csv'), '--data-dir', deskDir], 1, /FILE: cannot read .*nope\.csv: ENOENT/],
    [[FIXTURE, '--data-dir', path.join(tmp, 'no-such-desk')], 1, /--data-dir: no data folder at .*no-such-desk/],
  ])('%j → exit %i, one line', (args, code, re) => {
    const r = run('import', args as string[]);
    expect(r.code).toBe(code);
    expect(oneLine(r.err)).toBe(true);
    expect(r.err).toMatch(re);
  });

  it('a folder without a desk is refused, not created', () => {
    const empty = path.join(tmp, 'empty');
    mkdirSync(empty);
    const r = run('import', [FIXTURE, '--data-dir', empty]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/holds no desk/);
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe('npm run report', () => {
  const base = () => ['--from', '2025-03-01', '--to', '2025-03-31', '--tz', 'Asia/Shanghai', '--data-dir', deskDir];

  it.each([
    [['--to', '2025-03-31', '--format', 'csv', '--out', 'x.csv'], /--from is required/],
    [['--from', '2025-03-01', '--to', '2025-03-31', '--format', 'docx', '--out', 'x.docx'], /--format: "docx" is not one of csv, xlsx, pdf/],
    [['--from', '2025-02-30', '--to', '2025-03-31', '--format', 'csv', '--out', 'x.csv'], /--from: not a calendar date \("2025-02-30"\)/],
    [['--from', '2025-03-31', '--to', '2025-03-01', '--format', 'csv', '--out', 'x.csv'], /--to: the range ends before it starts/],
    [['--from', '2000-01-01', '--to', '2025-03-01', '--format', 'csv', '--out', 'x.csv'], /--to: the range is longer than ten years/],
    [['--from', '2025-03-01', '--to', '2025-03-31', '--format', 'csv', '--out', 'x.csv', '--lang', 'fr'], /--lang: "fr" is not zh-CN or en/],
    [['--from', '2025-03-01', '--to', '2025-03-31', '--format', 'csv', '--out', 'x.csv', '--tz', 'Mars/Olympus'], /--tz: unknown time zone/],
    [['--from', '2025-03-01', '--to', '2025-03-31', '--format', 'csv', '--out', 'x.csv', '--colour'], /colour/],
  ])('bad arguments %j → exit 2, one line naming the argument', (args, re) => {
    const r = run('report', args as string[]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toBe(true);
    expect(r.err).toMatch(re);
  });

  it('a missing data folder and an unwritable path exit 1 with one line, writing nothing', () => {
    const missing = run('report', [...base().slice(0, -2), '--data-dir', path.join(tmp, 'gone'), '--format', 'csv', '--out', path.join(tmp, 'a.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^report: --data-dir: no data folder at /);
    const noFolder = run('report', [...base(), '--format', 'csv', '--out', path.join(tmp, 'no', 'such', 'a.csv')]);
    expect(noFolder.code).toBe(1);
    expect(oneLine(noFolder.err)).toBe(true);
    expect(noFolder.err).toMatch(/--out: the folder .*such does not exist/);
    if (process.getuid?.() !== 0) {
      const ro = path.join(tmp, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      const r = run('report', [...base(), '--format', 'csv', '--out', path.join(ro, 'a.csv')]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/--out: cannot write in /);
      expect(readdirSync(ro)).toEqual([]);
    }
    const dir = run('report', [...base(), '--format', 'csv', '--out', tmp]);
    expect(dir.code).toBe(1);
    expect(dir.err).toMatch(/--out: .* is a folder/);
  });

  it('writes the CSV of a month: BOM, CRLF, headers in the language, no partial file left', () => {
    const out = path.join(tmp, '报告-2025-03.csv');
    const r = run('report', [...base(), '--format', 'csv', '--out', out, '--lang', 'zh-CN']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${out} (${statSync(out).size} bytes)\n`);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text).toContain('\r\n');
    const rows = parse(text) as string[][];
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows[0].join(',')).toMatch(/[\u4e00-\u9fff]/);
    expect(readdirSync(tmp).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('writes XLSX and PDF files from the same folder', () => {
    for (const format of ['xlsx', 'pdf'] as const) {
      const out = path.join(tmp, `report.${format}`);
      const r = run('report', [...base(), '--format', format, '--out', out, '--lang', 'en']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(existsSync(out)).toBe(true);
      const head = readFileSync(out).subarray(0, 4).toString('latin1');
      expect(head).toBe(format === 'pdf' ? '%PDF' : 'PK\u0003\u0004');
    }
  });
});
