// relay:save-export's decisions without Electron: what the renderer may send, what reaches the
// dialog, and that the chosen file is written whole.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSaveExportRequest, saveExport } from '../../electron/main/save-export';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'rd-save-export-'));
const source = path.join(tmp, 'job.csv');
writeFileSync(source, '\ufeff编号,标题\r\n');
const file = { path: source, fileName: '报告 2026-11.csv', bytes: 20 };

describe('checkSaveExportRequest', () => {
  it('accepts { jobId } with a short plain id and drops anything else', () => {
    expect(checkSaveExportRequest({ jobId: 'abc_1-2', path: '/etc/passwd' })).toEqual({ jobId: 'abc_1-2' });
  });
  it.each([null, 'x', [], {}, { jobId: '' }, { jobId: '../x' }, { jobId: 'a/b' }, { jobId: 'x'.repeat(65) }, { jobId: 7 }])('refuses %j', (v) => {
    expect(typeof checkSaveExportRequest(v)).toBe('string');
  });
});

describe('saveExport', () => {
  it('suggests the file name in Downloads with its extension, and copies the file to the chosen path', async () => {
    const asked: Array<[string, string]> = [];
    const target = path.join(tmp, 'chosen.csv');
    const r = await saveExport({ find: async (id) => (id === 'j1' ? file : null), downloadsDir: '/home/u/Downloads', ask: async (s, e) => { asked.push([s, e]); return target; } }, { jobId: 'j1' });
    expect(asked).toEqual([[path.join('/home/u/Downloads', '报告 2026-11.csv'), 'csv']]);
    expect(r).toEqual({ saved: true, fileName: 'chosen.csv' });
    expect(readFileSync(target, 'utf8')).toBe('\ufeff编号,标题\r\n');
    expect(readdirSync(tmp).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('a cancelled dialog writes nothing; an unknown job asks nothing', async () => {
    let asked = 0;
    const deps = { find: async (id: string) => (id === 'j1' ? file : null), downloadsDir: tmp, ask: async () => { asked++; return undefined; } };
    expect(await saveExport(deps, { jobId: 'j1' })).toEqual({ saved: false, reason: 'cancelled' });
    expect(await saveExport(deps, { jobId: 'j2' })).toEqual({ saved: false, reason: 'not_found' });
    expect(asked).toBe(1);
  });

  it('a path that cannot be written fails and leaves no partial file', async () => {
    const target = path.join(tmp, 'missing-folder', 'x.csv');
    await expect(saveExport({ find: async () => file, downloadsDir: tmp, ask: async () => target }, { jobId: 'j1' })).rejects.toThrow();
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a malformed request before looking anything up', async () => {
    let looked = 0;
    await expect(saveExport({ find: async () => { looked++; return file; }, downloadsDir: tmp, ask: async () => undefined }, { jobId: '../x' })).rejects.toThrow(/short id/);
    expect(looked).toBe(0);
  });
});
