import { expect, test } from '@playwright/test';
import { apiData, openDesk, unique } from './helpers.js';

test.afterEach(async ({ page }) => {
  await apiData(page, 'desk.setLocale', { locale: 'zh-CN' }, 'mutation');
});

test('after a reload the incident, its work log, its status and the chosen language are all still there', async ({ page }) => {
  await openDesk(page);
  const tag = unique();

  await page.getByTestId('new-incident').click();
  const form = page.getByTestId('incident-form');
  await form.getByLabel('请求者姓名 *').fill('吴刚');
  await form.getByLabel('分类 *').selectOption({ label: '网络' });
  await form.getByLabel('标题 *').fill(`无线网络频繁掉线 wifi drops ${tag}`);
  await form.getByRole('button', { name: /保存/ }).click();
  await expect(form).toBeHidden();
  const number = (await page.getByTestId('detail-number').textContent())!.trim();

  await page.getByTestId('transition-in_progress').click();
  await expect(page.getByTestId('detail-status')).toHaveText('处理中');
  await page.getByTestId('worklog-input').fill(`重启了 AP-3F-02 ${tag}`);
  await page.getByTestId('add-worklog').click();
  await expect(page.getByTestId('worklogs')).toContainText(`重启了 AP-3F-02 ${tag}`);

  await page.getByTestId('language').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();

  await page.reload();
  // Language remembered by the desk.
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
  const row = page.locator(`[data-testid="queue-row"][data-number="${number}"]`);
  await expect(row).toContainText(`wifi drops ${tag}`);
  await expect(row).toContainText('In progress');
  await row.click();
  await expect(page.getByTestId('detail-status')).toHaveText('In progress');
  await expect(page.getByTestId('worklogs')).toContainText(`重启了 AP-3F-02 ${tag}`);
  await expect(page.getByTestId('history')).toContainText('New → In progress');

  // The incident is the desk user's own, in their group.
  await page.getByTestId('scope-mine').click();
  await expect(row).toBeVisible();
  await page.getByTestId('scope-group').click();
  await expect(row).toBeVisible();
  await page.getByTestId('scope-all').click();

  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.getByRole('heading', { name: '事件队列' })).toBeVisible();
});
