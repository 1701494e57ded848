// Browser mode's download of a finished report export (GET /exports/<jobId>): the file whole, as an
// attachment with its name; refused to other origins, other hosts, unknown or unfinished jobs.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../electron/core/host/server';

let host: Host;
const dir = mkdtempSync(path.join(os.tmpdir(), 'rd-export-dl-'));
const staticDir = mkdtempSync(path.join(os.tmpdir(), 'rd-export-static-'));

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const u = new URL(host.url);
  return new Promise((resolve, reject) => {
    http.get({ host: u.hostname, port: u.port, path: pathname, headers: { host: u.host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}
async function trpc<T>(p: string, input: unknown, method: 'GET' | 'POST'): Promise<T> {
  const url = method === 'GET' ? `${host.url}trpc/${p}?input=${encodeURIComponent(JSON.stringify(input))}` : `${host.url}trpc/${p}`;
  const res = await fetch(url, method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const json = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!json.result) throw new Error(JSON.stringify(json.error));
  return json.result.data;
}

let jobId: string;
let fileName: string;
beforeAll(async () => {
  host = await startHost({ dataDir: dir, port: 0, staticDir });
  host.desk.store.setup({ name: '王经理', role: 'lead', group: '服务台一组', locale: 'zh-CN' });
  ({ jobId, fileName } = await trpc<{ jobId: string; fileName: string }>('export.start', { query: { from: '2026-11-01', to: '2026-11-30', timeZone: 'Asia/Shanghai' }, format: 'csv', lang: 'zh-CN' }, 'POST'));
  for (let i = 0; i < 100; i++) {
    const p = await trpc<{ state: string } | null>('export.progress', { jobId }, 'GET');
    if (p?.state === 'done') break;
    await new Promise((r) => setTimeout(r, 50));
  }
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(staticDir, { recursive: true, force: true });
});

describe('GET /exports/<jobId>', () => {
  it('sends the finished file as an attachment named as the export', async () => {
    const r = await get(`/exports/${jobId}`, { 'sec-fetch-site': 'same-origin' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect([...r.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses other origins, other sites and foreign Host headers', async () => {
    expect((await get(`/exports/${jobId}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(`/exports/${jobId}`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await get(`/exports/${jobId}`, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await get(`/exports/${jobId}`, { host: 'evil.example' })).status).toBe(421);
  });

  it('answers 404 for unknown ids and anything shaped like a path', async () => {
    expect((await get('/exports/no-such-job')).status).toBe(404);
    expect((await get('/exports/..%2Frelay-desk.db')).status).toBe(404);
    expect((await get('/exports/%2e%2e')).status).toBe(404);
  });
});
