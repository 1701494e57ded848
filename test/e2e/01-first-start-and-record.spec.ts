import { expect, test } from '@playwright/test';
import { tabTo } from './helpers.js';

test('first start asks who works at the desk, then an incident is recorded with the keyboard only and found in the queue and by search', async ({ page }) => {
  await page.goto('/');

  // First start: who works at this desk.
  await expect(page.getByRole('heading', { name: '欢迎使用中继服务台' })).toBeVisible();
  const setup = page.getByTestId('setup-form');
  await expect(setup.getByLabel('姓名 *')).toBeFocused();
  await page.keyboard.type('李娜');
  await tabTo(page, setup.getByLabel('处理组 *'));
  await page.keyboard.type('服务台一组');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: '加载示例数据？' })).toBeVisible();
  await page.getByRole('button', { name: '跳过，从空白开始' }).click();
  await expect(page.getByTestId('queue-total')).toHaveText('共 0 条');
  await expect(page.getByTestId('statusbar')).toContainText('李娜 · 服务台一组');
  await expect(page.getByTestId('sync-online')).toHaveText('离线');
  await expect(page.getByTestId('sync-pending')).toContainText('待同步');

  // The hotkey opens the form with the caller lookup focused.
  await expect(page.getByTestId('new-incident')).toContainText('Alt+N');
  await page.keyboard.press('Alt+N');
  const form = page.getByTestId('incident-form');
  await expect(form).toBeVisible();
  await expect(page.getByTestId('caller-lookup')).toBeFocused();

  await tabTo(page, form.getByLabel('请求者姓名 *'));
  await page.keyboard.type('陈静');
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('部门', { exact: true })).toBeFocused();
  await page.keyboard.type('财务部');
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('电话', { exact: true })).toBeFocused();
  await page.keyboard.type('010-8888 6666');

  const category = form.getByLabel('分类 *');
  await tabTo(page, category);
  await page.keyboard.press('ArrowDown');
  await expect(category).not.toHaveValue('');
  await tabTo(page, form.getByLabel('标题 *'));
  await page.keyboard.type('财务部碎纸机冒烟 shredder smoking');
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('详细描述')).toBeFocused();
  await page.keyboard.type('Shredder on floor 3 smells of smoke after jamming; 已断电。');

  // Priority follows impact × urgency live: high × medium = P2.
  await expect(page.getByTestId('live-priority')).toContainText('P3 普通');
  const impact = form.getByLabel('影响度');
  await tabTo(page, impact);
  await page.keyboard.press('ArrowUp');
  await expect(impact).toHaveValue('high');
  await expect(page.getByTestId('live-priority')).toContainText('P2 紧急');
  await expect(page.getByTestId('priority-reasons')).toContainText('影响度 高 × 紧急度 中 → P2');

  await page.keyboard.press('Control+Enter');
  await expect(form).toBeHidden();

  // The new number is shown, and the incident is in the queue.
  const detail = page.getByTestId('incident-detail');
  await expect(detail).toBeVisible();
  const number = (await page.getByTestId('detail-number').textContent())!.trim();
  expect(number).toMatch(/\S+-\d+/);
  await expect(page.getByTestId('toast')).toContainText(`已创建事件 ${number}`);
  await expect(page.getByTestId('detail-title')).toHaveText('财务部碎纸机冒烟 shredder smoking');
  const row = page.locator(`[data-testid="queue-row"][data-number="${number}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('P2');
  await expect(row.getByTestId('sla')).toContainText(/剩余 \d+h \d+m/);
  await expect(page.getByTestId('queue-total')).toHaveText('共 1 条');

  // Full-text search, Chinese and English.
  await page.keyboard.press('Escape');
  for (const word of ['碎纸机', 'shredder']) {
    await page.keyboard.press('Control+k');
    await expect(page.getByTestId('search-input')).toBeFocused();
    await page.keyboard.press('Control+a');
    await page.keyboard.type(word);
    await expect(page.locator(`[data-testid="search-hit"][data-number="${number}"]`)).toBeVisible();
    await page.keyboard.press('Escape');
  }
  // A word that is nowhere finds nothing.
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('zebracrossing');
  await expect(page.getByTestId('search-results')).toContainText('无结果');
});
