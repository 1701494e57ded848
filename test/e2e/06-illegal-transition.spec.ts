import { expect, test } from '@playwright/test';
import { apiData, callApi, createIncident, openBySearch, openDesk, unique } from './helpers.js';

test('an illegal transition is refused naming `to`, and a closed incident offers no transitions', async ({ page }) => {
  await openDesk(page);
  const tag = unique();
  const inc = await createIncident(page, `门禁卡失效 badge ${tag}`);

  // new → closed is not in the status machine.
  const res = await callApi(page, 'incident.transition', { id: inc.id, to: 'closed' }, 'mutation');
  expect(res.status).toBe(400);
  const issues = res.json.error?.data?.issues ?? [];
  expect(issues.map((i) => i.path)).toEqual(['to']);
  expect(res.json.error?.message).toMatch(/^to: /);
  expect(res.json.error?.message).toContain('closed');

  // Nothing changed.
  const got = await apiData<{ incident: { status: string } }>(page, 'incident.get', { id: inc.id }, 'query');
  expect(got.incident.status).toBe('new');

  // Through to closed, then the UI offers nothing more.
  await apiData(page, 'incident.transition', { id: inc.id, to: 'in_progress' }, 'mutation');
  await apiData(page, 'incident.transition', { id: inc.id, to: 'resolved', resolution: '重新写卡' }, 'mutation');
  await apiData(page, 'incident.transition', { id: inc.id, to: 'closed' }, 'mutation');
  const again = await callApi(page, 'incident.transition', { id: inc.id, to: 'in_progress' }, 'mutation');
  expect(again.json.error?.data?.issues?.[0]?.path).toBe('to');

  await page.reload();
  await openBySearch(page, tag, inc.number);
  await expect(page.getByTestId('detail-status')).toHaveText('已关闭');
  await expect(page.getByTestId('no-transitions')).toHaveText('已关闭，没有可用的状态操作');
  await expect(page.getByTestId('incident-detail').locator('[data-testid^="transition-"]')).toHaveCount(0);
});
