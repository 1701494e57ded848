import { expect, test, type Page } from '@playwright/test';
import { apiData, unique } from './helpers.js';
import { Central, closePages, consolePage, signInThroughUi, startConsole, syncNow, type Console } from './world.js';

// Issue 13 item 1: the priority matrix in the administration section. A lead changes one cell
// (impact medium × urgency medium: P3 → P2); a new call with that impact and urgency gets P2 on the
// lead's desk at once, and on a second console (signed in before the change) after its next sync,
// in the form as it is typed and in the saved incident; the server agrees. Screens in Chinese and English.

test.describe.configure({ timeout: 180_000 });

let central: Central;
let deskA: Console;
let deskB: Console;

test.beforeAll(async () => {
  central = await new Central().start();
  await central.user('lena', 'lena-lead-pass-1', 'lead', '服务台一组');
  await central.user('alice', 'alice-pass-1', 'agent', '服务台一组');
  [deskA, deskB] = await Promise.all([startConsole(), startConsole()]);
});
test.afterEach(closePages);
test.afterAll(async () => {
  await deskA?.dispose();
  await deskB?.dispose();
  await central?.dispose();
});

const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });

/** A new call through the form (impact and urgency left at medium × medium); returns the live priority text and the saved number. */
async function newCall(page: Page, title: string, liveText: string, shotName?: string): Promise<string> {
  await page.keyboard.press('Alt+N');
  const form = page.getByTestId('incident-form');
  await expect(form).toBeVisible();
  await form.getByLabel('请求者姓名 *').fill('陈静');
  await form.getByLabel('分类 *').selectOption({ index: 1 });
  await form.getByLabel('标题 *').fill(title);
  await expect(form.getByLabel('影响度')).toHaveValue('medium');
  await expect(form.getByLabel('紧急度')).toHaveValue('medium');
  await expect(page.getByTestId('live-priority')).toContainText(liveText);
  if (shotName) await shot(page, shotName);
  await form.getByLabel('标题 *').press('Control+Enter');
  await expect(form).toBeHidden();
  const number = (await page.getByTestId('detail-number').textContent())!.trim();
  expect(number).toMatch(/\S+-\d+/);
  return number;
}

/** The priority a desk holds for an incident, found by the title's tag. */
const priorityOf = async (page: Page, number: string, tag: string) => {
  const hits = await apiData<{ rows: Array<{ number: string; priority: string }> }>(page, 'incident.search', { q: tag }, 'query');
  return hits.rows.find((h) => h.number === number)?.priority;
};

test('a lead changes one cell; a new call with that impact and urgency gets the new priority on the desk and on a second console', async ({ browser }) => {
  const tag = unique();
  const b = await consolePage(browser);
  await signInThroughUi(b, deskB, central.url, 'alice', 'alice-pass-1'); // signed in before the change: holds the shipped matrix

  const a = await consolePage(browser);
  await signInThroughUi(a, deskA, central.url, 'lena', 'lena-lead-pass-1');
  await a.keyboard.press('Alt+8');
  const view = a.getByTestId('admin-view');
  await expect(view.getByRole('heading', { name: '管理' })).toBeVisible();
  await view.getByTestId('admin-tab-priority').click();
  const tab = view.getByTestId('admin-priority');
  await expect(tab.getByRole('heading', { name: '影响度 × 紧急度 → 优先级' })).toBeVisible();
  const cell = tab.getByLabel('影响度 中 × 紧急度 中');
  await expect(cell).toHaveValue('P3');
  await shot(a, 'priority-matrix-shipped-zh-CN');

  // Esc puts the draft back; then P2, saved with Enter on the list.
  await cell.selectOption('P1');
  await cell.press('Escape');
  await expect(cell).toHaveValue('P3');
  await cell.selectOption('P2');
  await expect(tab.getByTestId('admin-matrix-medium-medium')).toHaveValue('P2');
  await expect(tab.locator('td.admin-matrix-changed')).toContainText('（默认 P3）');
  await cell.press('Enter');
  await expect(a.getByTestId('toast').filter({ hasText: '优先级矩阵已保存' })).toBeVisible();
  await expect(tab.getByTestId('admin-problems')).toHaveCount(0);
  type Ov = { sla: { source: string; settings: { priorityMatrix?: Record<string, Record<string, string>> } } };
  await expect.poll(async () => (await apiData<Ov>(a, 'admin.overview', undefined, 'query')).sla.settings.priorityMatrix?.medium.medium).toBe('P2');
  await shot(a, 'priority-matrix-zh-CN');
  expect(await a.evaluate(() => (window as unknown as { __missingKeys?: string[] }).__missingKeys ?? [])).toEqual([]);

  // On the lead's desk: a new call medium × medium is P2 as it is typed and once saved.
  await a.keyboard.press('Alt+1');
  const onA = await newCall(a, `会议室投影仪无信号 ${tag}`, 'P2 紧急', 'new-call-p2-zh-CN');
  await expect(a.locator(`[data-testid="queue-row"][data-number="${onA}"]`)).toContainText('P2');
  expect(await priorityOf(a, onA, tag)).toBe('P2');
  await syncNow(a);

  // The second console gets the matrix with its next sync: its new call is P2 too, and A's call arrives as P2.
  await syncNow(b);
  const onB = await newCall(b, `打印机脱机 ${tag}`, 'P2 紧急', 'new-call-p2-second-console-zh-CN');
  expect(await priorityOf(b, onB, tag)).toBe('P2');
  await syncNow(b);
  await syncNow(a);
  expect(await priorityOf(b, onA, tag)).toBe('P2');
  expect(await priorityOf(a, onB, tag)).toBe('P2');
  // the server agrees
  const held = await central.server!.storage.read((q) => q.all<{ number: string; data: string }>('SELECT number, data FROM incidents'));
  const byNumber = new Map(held.map((r) => [r.number, JSON.parse(r.data) as { priority: string; matrixCell: string }]));
  expect(byNumber.get(onA)).toMatchObject({ priority: 'P2', matrixCell: 'medium/medium:P2' });
  expect(byNumber.get(onB)).toMatchObject({ priority: 'P2', matrixCell: 'medium/medium:P2' });

  // English
  await apiData(a, 'desk.setLocale', { locale: 'en' }, 'mutation');
  await a.reload();
  await expect(a.getByTestId('nav-admin')).toHaveText('Administration');
  await a.keyboard.press('Alt+8');
  await view.getByTestId('admin-tab-priority').click();
  await expect(tab.getByRole('heading', { name: 'Impact × urgency → priority' })).toBeVisible();
  await expect(tab.getByLabel('Impact Medium × urgency Medium')).toHaveValue('P2');
  await expect(tab.locator('td.admin-matrix-changed')).toContainText('(shipped: P3)');
  await shot(a, 'priority-matrix-en');
  expect(await a.evaluate(() => (window as unknown as { __missingKeys?: string[] }).__missingKeys ?? [])).toEqual([]);
  await apiData(a, 'desk.setLocale', { locale: 'zh-CN' }, 'mutation');
});
