import { expect, test } from '@playwright/test';
import { openDesk, unique } from './helpers.js';

test('a back-filled incident (补录) needs a reason, keeps its real reported time, and is marked in the queue', async ({ page }) => {
  await openDesk(page);
  const tag = unique();
  const title = `机房UPS告警 UPS alarm ${tag}`;
  // 20 days ago in the page's own zone, as an agent would type it into the form (P3's 24 h are business
  // hours on the China calendar, issue 13: 20 days hold more than 3.2 working days even over a holiday).
  const reported = await page.evaluate(() => {
    const d = new Date(Date.now() - 20 * 24 * 3_600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  });

  await page.keyboard.press('Alt+N');
  const form = page.getByTestId('incident-form');
  await form.getByLabel('请求者姓名 *').fill('何军');
  await form.getByLabel('分类 *').selectOption({ label: '硬件' });
  await form.getByLabel('标题 *').fill(title);
  await form.getByLabel('发生时间', { exact: true }).fill(reported);
  await form.getByLabel('报告时间', { exact: true }).fill(reported);
  await page.getByTestId('backfill-toggle').check();
  await form.getByLabel('标题 *').press('Control+Enter');
  await expect(page.getByTestId('error-backfill.reason')).toHaveText('补录原因：必填');

  await form.getByLabel(/^补录原因 \*/).fill('断网期间纸面记录');
  await form.getByLabel(/^补录原因 \*/).press('Control+Enter');
  await expect(form).toHaveCount(0);

  await expect(page.getByTestId('detail-backfilled')).toHaveText('补录');
  await expect(page.getByTestId('detail-backfill')).toHaveText('断网期间纸面记录');
  const number = (await page.getByTestId('detail-number').textContent())!.trim();
  const row = page.locator(`[data-testid="queue-row"][data-number="${number}"]`);
  await expect(row.getByTestId('badge-backfilled')).toHaveText('补录');
  // P3 resolves within 24 business hours of the real report time: 20 days ago means already overdue.
  await expect(row.getByTestId('sla')).toContainText('超时');
  await expect(row.getByTestId('sla')).toHaveClass(/sla-breached/);
});
