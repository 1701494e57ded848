// In-process central server and desk hosts for the multi-console specs: a real server (SQLite) that
// can be stopped and brought back on the same port and data directory, and browser-mode desks, each
// with its own data directory, serving the built renderer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { HlcClock } from '../../shared/hlc.js';
import { upsertGroup, upsertUser } from '../../server/accounts.js';
import { upsertKbArticle } from '../../server/admin.js';
import { startServer, type RunningServer } from '../../server/app.js';
import { startHost, type Host } from '../../electron/core/host/server.js';

// Cheap password hashes for test users.
process.env.RELAY_DESK_SCRYPT_LOG2N = '10';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STATIC_DIR = path.resolve(root, process.env.E2E_STATIC_DIR ?? 'dist/renderer');

export class Central {
  server: RunningServer | null = null;
  port = 0;
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'rd-e2e-server-'));
  get url() { return `http://127.0.0.1:${this.port}`; }
  async start() {
    this.server = await startServer({ storage: 'sqlite', dataDir: this.dataDir, port: this.port });
    this.port = Number(new URL(this.server.url).port);
    return this;
  }
  async stop() { await this.server?.close(); this.server = null; }
  private deps() { return { storage: this.server!.storage, now: () => new Date(), clock: new HlcClock('e2e') }; }
  async user(name: string, password: string, role: 'agent' | 'technician' | 'lead' | 'admin' = 'agent', group = '服务台一组') {
    await upsertGroup(this.deps(), { name: group });
    return upsertUser(this.deps(), { name, password, role, groupName: group, active: true });
  }
  async kbArticle(a: { title: string; body: string; tags?: string[]; categoryId?: string | null }) {
    return upsertKbArticle(this.deps(), { tags: [], categoryId: null, ...a });
  }
  async dispose() { await this.stop(); rmSync(this.dataDir, { recursive: true, force: true }); }
}

export interface Console { host: Host; url: string; dataDir: string; dispose(): Promise<void> }

export async function startConsole(): Promise<Console> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rd-e2e-desk-'));
  const host = await startHost({ dataDir, port: 0, staticDir: STATIC_DIR });
  return { host, url: host.url, dataDir, dispose: async () => { await host.close(); rmSync(dataDir, { recursive: true, force: true }); } };
}

/** First start of a desk, signed in through the UI with a central-server account. */
export async function signInThroughUi(page: Page, desk: Console, serverUrl: string, name: string, password: string, shot?: string) {
  await page.goto(desk.url);
  await expect(page.getByTestId('setup-form')).toBeVisible();
  if (shot) await page.screenshot({ path: `${shot}-setup.png` });
  await page.getByTestId('setup-signin').click();
  const panel = page.getByTestId('signin-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('signin-server').fill(serverUrl);
  await panel.getByTestId('signin-name').fill(name);
  await panel.getByTestId('signin-password').fill(password);
  if (shot) await page.screenshot({ path: `${shot}-panel.png` });
  await panel.getByTestId('signin-password').press('Enter');
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);
  await expect(page.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
}

export async function syncNow(page: Page) {
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-now')).toBeEnabled();
}

/** Wall-clock text as the batch grid takes it, `hoursAgo` before now, in the page's zone. */
export async function gridTime(page: Page, hoursAgo: number): Promise<string> {
  return page.evaluate((h) => {
    const d = new Date(Date.now() - h * 3_600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, hoursAgo);
}

const contexts: BrowserContext[] = [];
/** A page of its own (own storage) as one console's window; closed by `closePages` after each test. */
export async function consolePage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  contexts.push(ctx);
  return ctx.newPage();
}
export async function closePages() {
  for (const c of contexts.splice(0)) await c.close();
}
