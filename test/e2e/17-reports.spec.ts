import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startHost, type Host } from '../../electron/core/host/server.js';
import { apiData } from './helpers.js';
import { STATIC_DIR } from './world.js';

// Issue 11, browser end-to-end: a team lead opens last month's report (the default range), clicks a
// chart bar and sees exactly those incidents, opens one in the usual detail, exports CSV, XLSX and
// PDF (each a complete download), and a large export shows its progress and can be cancelled.
// The desk runs in its own host whose clock the spec sets: incidents are recorded "last month".

test.describe.configure({ mode: 'serial' });

const SHOTS = 'test-results/reports';
let host: Host;
let dataDir: string;
let clock: Date | null = null;
let page: Page;

/** The 15th of last month, 12:00 in Shanghai (the browser's zone in playwright.config.ts). */
function lastMonthNoon(): { at: Date; from: string; to: string } {
  const now = new Date();
  const sh = new Date(now.getTime() + 8 * 3_600_000);
  let y = sh.getUTCFullYear();
  let m = sh.getUTCMonth(); // 0-based: this month; last month is m - 1
  if (m === 0) { y -= 1; m = 12; }
  const pad = (n: number) => String(n).padStart(2, '0');
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { at: new Date(Date.UTC(y, m - 1, 15, 4, 0)), from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(last)}` };
}
const month = lastMonthNoon();

const CHANNELS = ['phone', 'phone', 'phone', 'email', 'email', 'web'] as const;

test.beforeAll(async ({ browser }) => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'rd-e2e-reports-'));
  host = await startHost({ dataDir, port: 0, staticDir: STATIC_DIR, now: () => clock ?? new Date() });
  page = await browser.newPage({ acceptDownloads: true });
  await page.goto(host.url);
  await apiData(page, 'desk.setup', { name: '王经理', role: 'lead', group: '服务台一组', locale: 'zh-CN' }, 'mutation');
  // six incidents recorded on the 15th of last month, by channel: phone ×3, email ×2, web ×1
  for (const [i, channel] of CHANNELS.entries()) {
    clock = new Date(month.at.getTime() + i * 600_000);
    await apiData(page, 'incident.create', {
      channel, requester: { name: `请求者${i}`, department: i % 2 ? '财务部' : '人力资源部', phone: '13911112222' }, serviceType: 'fault',
      categoryId: i < 4 ? 'hardware' : 'network', title: `上月事件 ${i + 1}（${channel}）`, description: '', impact: 'medium', urgency: i === 0 ? 'high' : 'medium',
    }, 'mutation');
  }
  clock = null;
});

test.afterAll(async () => {
  await page?.close();
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function openReports(p: Page) {
  await p.goto(host.url);
  await expect(p.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);
  await p.keyboard.press('Alt+6');
  await expect(p.getByTestId('reports-view')).toBeVisible();
}

/** Clicks the bar of `key` where echarts drew it (the chart lists its marks' positions in data-marks). */
async function clickBar(p: Page, testId: string, key: string) {
  const chart = p.getByTestId(testId);
  await expect(chart).toHaveAttribute('data-marks', new RegExp(`"key":"${key}"`));
  const marks = JSON.parse((await chart.getAttribute('data-marks'))!) as Array<{ key: string; x: number; y: number }>;
  const mark = marks.find((m) => m.key === key)!;
  await chart.click({ position: { x: mark.x, y: mark.y } });
}

test('a lead opens last month\'s report, clicks a chart bar and sees those incidents', async () => {
  await openReports(page);
  const view = page.getByTestId('reports-view');
  await expect(view.getByTestId('range-lastMonth')).toHaveAttribute('aria-checked', 'true');
  await expect(view.getByTestId('range-from')).toHaveValue(month.from);
  await expect(view.getByTestId('range-to')).toHaveValue(month.to);
  await expect(view.getByTestId('kpi-totals-created')).toContainText('6');
  await expect(view.getByTestId('chart-channel').locator('canvas')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/reports-zh-CN.png`, fullPage: false });

  await clickBar(page, 'chart-channel', 'phone');
  const drill = view.getByTestId('drill');
  await expect(drill.getByTestId('drill-title')).toContainText('按来源 · 热线电话');
  await expect(drill.getByTestId('drill-row')).toHaveCount(3);
  await expect(drill.getByTestId('drill-total')).toContainText('3');
  for (const row of await drill.getByTestId('drill-row').all()) await expect(row).toContainText('phone');

  await clickBar(page, 'chart-channel', 'email');
  await expect(drill.getByTestId('drill-row')).toHaveCount(2);
  // the same figures as buttons under the chart (keyboard)
  const figures = view.getByTestId('chart-channel-figures').getByRole('button');
  await expect(figures).toHaveText(['热线电话 3', '邮件 2', 'Web 1']);
  await figures.nth(2).focus();
  await page.keyboard.press('Enter');
  await expect(drill.getByTestId('drill-title')).toContainText('按来源 · Web');
  await expect(drill.getByTestId('drill-row')).toHaveCount(1);
  await clickBar(page, 'chart-channel', 'email');
  await expect(drill.getByTestId('drill-row')).toHaveCount(2);

  // an incident opens in the usual detail
  const first = drill.getByTestId('drill-row').first();
  const number = (await first.locator('td').first().textContent())!;
  await first.click();
  await expect(page.getByTestId('incident-detail')).toHaveAttribute('data-number', number);
  await drill.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/reports-drill-zh-CN.png` });
});

test('exports CSV, XLSX and PDF as complete downloads', async () => {
  const view = page.getByTestId('reports-view');
  for (const format of ['csv', 'xlsx', 'pdf'] as const) {
    const downloaded = page.waitForEvent('download', { timeout: 30_000 });
    await view.getByTestId(`export-${format}`).click();
    const dl = await downloaded;
    expect(dl.suggestedFilename()).toBe(`relay-desk-report_${month.from}_${month.to}.${format}`);
    const file = (await dl.path())!;
    expect(await dl.failure()).toBeNull();
    const bytes = readFileSync(file);
    expect(statSync(file).size).toBeGreaterThan(format === 'csv' ? 200 : 1000);
    if (format === 'csv') {
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8');
      for (let i = 1; i <= 6; i++) expect(text).toContain(`上月事件 ${i}`);
    } else {
      expect(bytes.subarray(0, 4).toString('latin1')).toBe(format === 'pdf' ? '%PDF' : 'PK\u0003\u0004');
    }
    await expect(view.getByTestId('export-progress')).toBeHidden();
  }
});

test('in English: the same report worded in English', async () => {
  await apiData(page, 'desk.setLocale', { locale: 'en' }, 'mutation');
  await openReports(page);
  const view = page.getByTestId('reports-view');
  await expect(view.getByTestId('range-lastMonth')).toHaveText('Last month');
  await expect(view.getByTestId('kpi-totals-created')).toContainText('Created');
  await expect(view.getByTestId('chart-channel').locator('canvas')).toBeVisible();
  await clickBar(page, 'chart-channel', 'web');
  await expect(view.getByTestId('drill-title')).toContainText('By channel · Web');
  await expect(view.getByTestId('drill-row')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/reports-en.png` });
  await apiData(page, 'desk.setLocale', { locale: 'zh-CN' }, 'mutation');
});

test('a large export shows its progress and can be cancelled', async () => {
  test.setTimeout(180_000);
  // 80,000 closed incidents of last month, imported (counted only when "imported" is ticked)
  const N = 80_000;
  const head = ['单号 / Number', '请求者 / Requester', '分类 / Category', '标题 / Title', '影响度 / Impact', '紧急度 / Urgency', '状态 / Status', '报告时间 / Reported', '关闭时间 / Closed'];
  const lines = [head.join(',')];
  for (let i = 0; i < N; i++) {
    const reported = month.at.getTime() - 10 * 86_400_000 + i * 20_000;
    lines.push([`RPT-${i}`, `用户${i % 300}`, ['硬件', 'software', '网络'][i % 3], `历史工单 ${i}`, '中', '中', '已关闭', new Date(reported).toISOString(), new Date(reported + 3_600_000).toISOString()].join(','));
  }
  const csv = Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8');
  const r = await apiData<{ created: number }>(page, 'import.commit', { fileName: 'big.csv', contentBase64: csv.toString('base64') }, 'mutation');
  expect(r.created).toBe(N);

  await openReports(page);
  const view = page.getByTestId('reports-view');
  await view.getByTestId('origin-import').check();
  await expect(view.getByTestId('kpi-backfill-imported')).toContainText(N.toLocaleString('zh-CN'));
  let downloads = 0;
  page.on('download', () => { downloads++; });
  await view.getByTestId('export-xlsx').click();
  const bar = view.getByTestId('export-progress');
  await expect(bar).toBeVisible();
  // the count moves while the rows are written
  const count = view.getByTestId('export-count');
  // (the report is computed first, a phase of its own; then the rows are counted as they are written)
  const counted = async () => (await count.textContent().catch(() => null) ?? '0/0').split('/').map((x) => Number(x.replace(/,/g, '')));
  await expect.poll(async () => { const [d, n] = await counted(); return d > 0 && n > 1 && d < n; }, { timeout: 60_000 }).toBe(true);
  const [done, total] = await counted();
  expect(done).toBeLessThan(total);
  await expect(count).not.toHaveText(`${done.toLocaleString('zh-CN')}/${total.toLocaleString('zh-CN')}`, { timeout: 10_000 });
  await page.screenshot({ path: `${SHOTS}/reports-export-progress-zh-CN.png` });
  await view.getByTestId('export-cancel').click();
  await expect(bar).toBeHidden();
  await expect(page.getByTestId('toast').filter({ hasText: '已取消导出' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/reports-export-cancelled-zh-CN.png` });
  // nothing half-written: no temporary file left, no download
  await expect.poll(() => readdirSync(path.join(dataDir, 'exports')).filter((n) => n.endsWith('.part')).length, { timeout: 10_000 }).toBe(0);
  await page.waitForTimeout(500);
  expect(downloads).toBe(0);
  // the console stays usable: the queue still answers
  await page.keyboard.press('Alt+1');
  await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);
});
