import { expect, test } from '@playwright/test';
import { apiData, openDesk, unique } from './helpers.js';
import { openGrid, typeGridRow } from './grid.js';
import { gridTime } from './world.js';

// Issue #4.2: paper-log batch entry. Keyboard only; the draft survives a reload; a row with a time in
// the future is refused naming its row and cell and nothing at all is saved; fixed, every row saves.

const incidentCount = async (page: import('@playwright/test').Page) =>
  (await apiData<{ incidentCount: number }>(page, 'desk.info', undefined, 'query')).incidentCount;

test('batch grid: a future time is refused by row and cell, nothing saved; fixed, all rows save at once', async ({ page }) => {
  await openDesk(page);
  const tag = unique();
  const before = await incidentCount(page);

  await openGrid(page, '停电期间纸面登记');
  await typeGridRow(page, 0, { reported: await gridTime(page, 5), occurred: await gridTime(page, 6), requester: '周敏', category: '硬件', title: `显示器黑屏 ${tag}`, description: '三楼东侧' });
  await page.keyboard.press('Enter');
  const future = await gridTime(page, -26);
  await typeGridRow(page, 1, { reported: future, requester: '李雷', category: 'network', title: `网口无信号 ${tag}` });
  await page.keyboard.press('Enter');
  await typeGridRow(page, 2, { reported: await gridTime(page, 3), requester: '韩梅梅', category: '软件', title: `打印驱动报错 ${tag}`, reason: '值班本补记' });
  await expect(page.getByTestId('batch-count')).toHaveAttribute('data-count', '3');

  // The draft survives a reload.
  await expect(page.getByTestId('cell-2-reason')).toHaveValue('值班本补记');
  await expect.poll(() => page.evaluate(() => new Promise<string | null>((resolve) => {
    const req = indexedDB.open('relay-desk-drafts');
    req.onsuccess = () => {
      const get = req.result.transaction('drafts').objectStore('drafts').get('batch-grid');
      get.onsuccess = () => { resolve(get.result?.data?.rows?.[2]?.reason ?? null); req.result.close(); };
      get.onerror = () => resolve(null);
    };
    req.onerror = () => resolve(null);
  }))).toBe('值班本补记');
  await page.reload();
  await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('batch-restored')).toBeVisible();
  await expect(page.getByTestId('grid-row')).toHaveCount(3);
  await expect(page.getByTestId('cell-1-title')).toHaveValue(`网口无信号 ${tag}`);
  await expect(page.getByTestId('batch-reason')).toHaveValue('停电期间纸面登记');

  // Save: row 2's reported time is in the future — named by row and cell; nothing is saved.
  await page.getByTestId('cell-2-title').focus();
  await page.keyboard.press('Control+Enter');
  const errors = page.getByTestId('batch-errors');
  await expect(errors).toBeVisible();
  const err = errors.locator('[data-testid="batch-error"][data-row="1"][data-col="reportedAt"]');
  await expect(err).toHaveText('第 2 行 · 报告时间：不能晚于当前时间');
  await expect(page.getByTestId('cell-error-1-reportedAt')).toBeVisible();
  await expect(page.getByTestId('cell-1-reportedAt')).toBeFocused();
  await expect(page.getByTestId('cell-1-reportedAt')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('batch-grid').screenshot({ path: test.info().outputPath('batch-grid-errors-zh-CN.png') });
  expect(await incidentCount(page)).toBe(before);

  // Fixed: every row saves, back-filled, each with its reason.
  await page.keyboard.press('Control+a');
  await page.keyboard.type(await gridTime(page, 4));
  await expect(page.getByTestId('cell-error-1-reportedAt')).toHaveCount(0);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('batch-saved')).toBeVisible();
  await expect(page.getByTestId('batch-errors')).toHaveCount(0);
  expect(await incidentCount(page)).toBe(before + 3);
  const numbers = (await page.getByTestId('batch-saved').textContent())!.replace(/^[^：:]*[：:]\s*/, '').split('、').map((x) => x.trim());
  expect(numbers).toHaveLength(3);
  await expect(page.getByTestId('grid-row')).toHaveCount(1);
  await expect(page.getByTestId('cell-0-reportedAt')).toBeFocused();

  const hits = await apiData<{ rows: Array<{ id: string; number: string; title: string }> }>(page, 'incident.search', { q: tag }, 'query');
  expect(hits.rows.map((r) => r.number).sort()).toEqual([...numbers].sort());
  const byTitle = new Map(hits.rows.map((r) => [r.title, r.id]));
  const third = await apiData<{ incident: { backfilled: boolean; backfillReason: string; categoryId: string } }>(page, 'incident.get', { id: byTitle.get(`打印驱动报错 ${tag}`)! }, 'query');
  expect(third.incident).toMatchObject({ backfilled: true, backfillReason: '值班本补记', categoryId: 'software' });
  const second = await apiData<{ incident: { backfilled: boolean; backfillReason: string; categoryId: string } }>(page, 'incident.get', { id: byTitle.get(`网口无信号 ${tag}`)! }, 'query');
  expect(second.incident).toMatchObject({ backfilled: true, backfillReason: '停电期间纸面登记', categoryId: 'network' });

  // The saved grid leaves no draft behind.
  await page.reload();
  await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('grid-row')).toHaveCount(1);
  await expect(page.getByTestId('batch-restored')).toHaveCount(0);
});
