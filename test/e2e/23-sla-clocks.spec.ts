import { expect, test } from '@playwright/test';
import { apiData, createIncident, openBySearch, openDesk, revealRow, unique } from './helpers.js';

// Issue 13: both SLA clocks on business time, in the queue row and the incident detail, worded from
// the locale files in zh-CN and English.
test('the detail shows the response and resolution clocks (due, remaining or overdue business time, why paused); the queue row shows the response clock until the first response', async ({ page }) => {
  await openDesk(page);
  const tag = unique();
  // P1 runs round the clock: both clocks count now.
  const p1 = await createIncident(page, `核心交换机宕机 ${tag}`, { impact: 'high', urgency: 'high' });
  // A P3 back-filled from 20 days ago: both clocks already breached on the China business calendar.
  const reportedAt = new Date(Date.now() - 20 * 86_400_000).toISOString();
  const late = await createIncident(page, `纸面补录打印机故障 ${tag}`, { reportedAt, backfill: { reason: '断网期间纸面记录' } });
  await page.reload();

  const row = await revealRow(page, p1.number);
  await expect(row.getByTestId('sla-response')).toContainText(/^响应 \d+m/);
  await expect(row.getByTestId('sla')).toContainText(/剩余 \dh \d+m/);
  const lateRow = await revealRow(page, late.number);
  await expect(lateRow.getByTestId('sla-response')).toContainText(/^响应超时 \d+h \d+m/);
  await expect(lateRow.getByTestId('sla')).toHaveClass(/sla-breached/);

  await openBySearch(page, tag, p1.number);
  const detail = page.getByTestId('incident-detail');
  const response = detail.getByTestId('sla-clock-response');
  const resolution = detail.getByTestId('sla-clock-resolution');
  await expect(response).toHaveAttribute('data-state', 'running');
  await expect(response).toContainText('响应');
  await expect(response).toContainText(/剩余工作时间 \d+m/);
  await expect(response).toContainText('7×24 小时');
  await expect(resolution).toContainText(/到期 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);

  // Waiting for the requester: the resolution clock pauses and says why; the response was met.
  await apiData(page, 'incident.transition', { id: p1.id, to: 'pending', pendingReason: 'requester', reason: '等待用户确认' }, 'mutation');
  await page.reload();
  await openBySearch(page, tag, p1.number);
  await expect(resolution).toHaveAttribute('data-paused-by', 'pending');
  await expect(resolution).toContainText('挂起中暂停计时');
  await expect(response).toHaveAttribute('data-state', 'met');
  await expect((await revealRow(page, p1.number)).getByTestId('sla-response')).toHaveCount(0);

  await (await revealRow(page, late.number)).click();
  await expect(detail).toHaveAttribute('data-number', late.number);
  await expect(response).toHaveAttribute('data-state', 'breached');
  await expect(response).toContainText(/已超时工作时间 \d+h \d+m/);
  await expect(response).toContainText('中国大陆主要业务时段');

  await apiData(page, 'desk.setLocale', { locale: 'en' }, 'mutation');
  await page.reload();
  await (await revealRow(page, late.number)).click();
  await expect(detail).toHaveAttribute('data-number', late.number);
  await expect(response).toContainText('Response');
  await expect(response).toContainText('Breached');
  await expect(response).toContainText(/\d+h \d+m business time overdue/);
  await expect(resolution).toContainText('Resolution');
  await expect(resolution).toContainText('Mainland China business hours');
  await apiData(page, 'desk.setLocale', { locale: 'zh-CN' }, 'mutation');
});
