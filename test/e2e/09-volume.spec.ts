import { expect, test } from '@playwright/test';
import { apiData, openDesk } from './helpers.js';

// Runs last: it fills the desk with sample data.
test('sample data: a long queue is virtualised, pages load as it scrolls, filters narrow it', async ({ page }) => {
  test.setTimeout(60_000);
  await openDesk(page);
  await apiData(page, 'desk.loadSample', { incidents: 1000 }, 'mutation');
  await page.reload();

  const total = page.getByTestId('queue-total');
  await expect(total).toHaveAttribute('data-count', /\d{3,}/);
  const count = Number(await total.getAttribute('data-count'));
  expect(count).toBeGreaterThan(200); // more than one page of 200

  // Only the visible window is in the DOM.
  const rows = page.getByTestId('queue-row');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(80);

  // Sorted by urgency (issue 14): new P1/P2 nobody has taken first, then the nearer of the response
  // (until the first response) and resolution due times, most overdue first.
  const dues = await page.evaluate(async () => {
    const res = await fetch(`/trpc/incident.queue?input=${encodeURIComponent(JSON.stringify({ scope: 'all', offset: 0, limit: 50 }))}`);
    const json = await res.json();
    type R = { status: string; priority: string; firstResponseAt: string | null; responseDueAt: string; resolveDueAt: string };
    return (json.result.data.rows as R[]).map((r) => {
      const hot = r.status === 'new' && (r.priority === 'P1' || r.priority === 'P2') ? 0 : 1;
      const due = !r.firstResponseAt && r.responseDueAt < r.resolveDueAt ? r.responseDueAt : r.resolveDueAt;
      return hot * 1e13 + Date.parse(due);
    });
  });
  expect(dues).toEqual([...dues].sort((a, b) => a - b));

  // Keyboard: End jumps to the last row, which arrives with the page it is on.
  await page.getByTestId('queue-list').focus();
  await page.keyboard.press('End');
  await expect(page.locator(`[data-testid="queue-row"][data-index="${count - 1}"]`)).toBeVisible();
  expect(await rows.count()).toBeLessThan(80);

  // Filtering narrows the queue.
  await page.getByTestId('filter-priority').selectOption('P1');
  await expect(async () => {
    const n = Number(await total.getAttribute('data-count'));
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(count);
  }).toPass();
  await expect(rows.first().locator('.prio')).toHaveText('P1');
  for (const badge of await page.locator('[data-testid="queue-row"] .prio').allTextContents()) expect(badge).toBe('P1');
  await page.getByTestId('filter-priority').selectOption('');
  await page.getByTestId('filter-status').selectOption('closed');
  await expect(page.locator('[data-testid="queue-row"]').first()).toHaveAttribute('data-status', 'closed');

  // Screenshots of the queue and of the form for the report (test-results/e2e/…).
  await page.getByTestId('filter-status').selectOption('');
  await expect(rows.first()).toBeVisible();
  const queueShot = test.info().outputPath('queue-zh-CN.png');
  await page.screenshot({ path: queueShot });
  await test.info().attach('queue-zh-CN', { path: queueShot, contentType: 'image/png' });
  // Caller lookup by phone prefix fills the requester and shows their recent incidents.
  await page.keyboard.press('Alt+N');
  const form = page.getByTestId('incident-form');
  await expect(page.getByTestId('caller-lookup')).toBeFocused();
  await page.keyboard.type('1');
  const first = page.locator('#lookup-list [role=option]').first();
  await expect(first).toBeVisible();
  const picked = (await first.locator('strong').textContent())!.trim();
  await page.keyboard.press('Enter');
  await expect(form.getByLabel('请求者姓名 *')).toHaveValue(picked);
  await expect(form.getByLabel('电话', { exact: true })).toHaveValue(/^\+?\d/);
  await expect(page.getByTestId('recent-incidents')).toBeVisible();
  await expect(form.getByLabel(/^分类 \*/)).toBeFocused();
  const formShot = test.info().outputPath('new-incident-zh-CN.png');
  await page.screenshot({ path: formShot });
  await test.info().attach('new-incident-zh-CN', { path: formShot, contentType: 'image/png' });
});
