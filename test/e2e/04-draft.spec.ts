import { expect, test } from '@playwright/test';
import { openDesk, unique } from './helpers.js';

test('a half-typed new incident survives a reload and Esc, and is gone once saved', async ({ page }) => {
  await openDesk(page);
  const tag = unique();
  const title = `打印机卡纸 paper jam ${tag}`;

  await page.keyboard.press('F2');
  const form = page.getByTestId('incident-form');
  await form.getByLabel('请求者姓名 *').fill('孙丽');
  await form.getByLabel('标题 *').fill(title);
  await form.getByLabel('详细描述').fill('每打印三页卡一次');
  await expect(page.getByTestId('draft-status')).toHaveAttribute('data-state', 'saved');

  // The renderer goes away (reload stands in for a crash) without closing the form.
  await page.reload();
  await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);
  await expect(form).toHaveCount(0);
  await page.keyboard.press('F2');
  await expect(page.getByTestId('draft-restored')).toBeVisible();
  await expect(form.getByLabel('请求者姓名 *')).toHaveValue('孙丽');
  await expect(form.getByLabel('标题 *')).toHaveValue(title);
  await expect(form.getByLabel('详细描述')).toHaveValue('每打印三页卡一次');

  // Esc closes and keeps it.
  await form.getByLabel('详细描述').press('Escape');
  await expect(form).toHaveCount(0);
  await page.keyboard.press('Alt+N');
  await expect(form.getByLabel('标题 *')).toHaveValue(title);

  // Saving deletes the draft.
  await form.getByLabel('分类 *').selectOption({ label: '硬件' });
  await form.getByLabel('标题 *').press('Control+Enter');
  await expect(form).toHaveCount(0);
  await expect(page.locator('[data-testid="queue-row"]', { hasText: title })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);
  await page.keyboard.press('Alt+N');
  await expect(form.getByLabel('标题 *')).toHaveValue('');
  await expect(form.getByLabel('请求者姓名 *')).toHaveValue('');
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);
});
