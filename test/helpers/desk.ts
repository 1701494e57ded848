import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDesk, type Desk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';

/** A settable clock for tests. */
export function testClock(start = '2026-11-22T02:00:00.000Z') {
  let t = Date.parse(start);
  return { now: () => new Date(t), set: (iso: string) => { t = Date.parse(iso); }, advance: (ms: number) => { t += ms; } };
}

// Every temp folder of a test process lives under one root, removed when the process exits.
let root: string | null = null;
export function tempDir(prefix = 'relay-desk-'): string {
  if (!root) {
    root = fs.mkdtempSync(path.join(os.tmpdir(), `relay-test-${process.pid}-`));
    const dir = root;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return fs.mkdtempSync(path.join(root, prefix));
}

/** A real desk on a real SQLite file in a temp folder, with the renderer's API as a caller. */
export async function openTestDesk(opts: { dataDir?: string; now?: () => Date; user?: boolean } = {}) {
  const dataDir = opts.dataDir ?? tempDir();
  const desk: Desk = await createDesk({ dataDir, now: opts.now });
  const api = createCaller({ store: desk.store, sync: desk.sync });
  if (opts.user !== false && !desk.store.currentUser()) await api.desk.setup({ name: '王芳', role: 'agent', group: '服务台', locale: 'zh-CN' });
  const count = (table: string) => desk.store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return { desk, api, dataDir, count, close: () => desk.close() };
}

export const baseIncident = {
  channel: 'phone' as const,
  requester: { name: '李雷', department: '财务部', phone: '138 0013 8000', serviceLevel: 'normal' as const },
  serviceType: 'fault' as const,
  categoryId: 'network.vpn',
  title: 'VPN 连接不上 after password change',
  description: '出差在外无法连接 VPN，提示证书错误。',
  impact: 'medium' as const,
  urgency: 'medium' as const,
};
