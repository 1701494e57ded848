import { expect, test } from '@playwright/test';
import { createIncident, openDesk, unique } from './helpers.js';

test('an incident is assigned, worked, resolved, rated and closed, with every step in the history', async ({ page }) => {
  await openDesk(page);
  const tag = unique();
  const inc = await createIncident(page, `会议室投影仪无画面 projector ${tag}`);
  await page.reload();

  const row = page.locator(`[data-testid="queue-row"][data-number="${inc.number}"]`);
  await row.click();
  const detail = page.getByTestId('incident-detail');
  await expect(detail).toHaveAttribute('data-number', inc.number);
  await expect(page.getByTestId('detail-status')).toHaveText('新建');

  // Exactly the transitions the status machine allows from "new".
  await expect(page.getByTestId('transitions').getByRole('button')).toHaveText(['→ 已分派', '→ 处理中', '→ 挂起', '→ 已解决']);

  // Dispatch to second line: the prompt asks for tier, group, person.
  await page.getByTestId('transition-assigned').click();
  const prompt = page.getByTestId('transition-prompt');
  await prompt.getByLabel('分派层级').selectOption('L2');
  await prompt.getByLabel('处理组').fill('二线支持');
  await page.getByTestId('confirm-transition').click();
  await expect(page.getByTestId('detail-status')).toHaveText('已分派');
  await expect(row).toContainText('二线支持');

  await page.getByTestId('transition-in_progress').click();
  await expect(page.getByTestId('detail-status')).toHaveText('处理中');

  // A work-log entry.
  await page.getByTestId('worklog-input').fill('已更换 HDMI 线缆 replaced HDMI cable');
  await page.getByTestId('worklog-input').press('Control+Enter');
  await expect(page.getByTestId('worklogs')).toContainText('已更换 HDMI 线缆 replaced HDMI cable');

  // Resolving needs a resolution: refused without one, with a clear message.
  await page.getByTestId('transition-resolved').click();
  await page.getByTestId('confirm-transition').click();
  await expect(page.getByTestId('detail-error')).toContainText('解决方案：必填');
  await expect(page.getByTestId('detail-status')).toHaveText('处理中');
  await page.getByTestId('transition-prompt').getByLabel('解决方案 *').fill('更换线缆后投影恢复正常');
  await page.getByTestId('transition-prompt').getByLabel('解决方案 *').press('Control+Enter');
  await expect(page.getByTestId('detail-status')).toHaveText('已解决');
  await expect(page.getByTestId('detail-resolution')).toHaveText('更换线缆后投影恢复正常');
  await expect(page.getByTestId('detail-error')).toHaveCount(0);
  await expect(page.getByTestId('transitions').getByRole('button')).toHaveText(['→ 已关闭', '→ 重新打开']);

  // End-user feedback.
  await page.getByTestId('edit-incident').click();
  await page.getByTestId('edit-satisfaction').selectOption('5');
  await page.getByTestId('save-edit').click();
  await expect(page.getByTestId('detail-satisfaction')).toContainText('★★★★★');

  // Closing confirms with the requester first (issue 12): who (pre-filled), how.
  await page.getByTestId('transition-closed').click();
  await page.getByTestId('confirm-via-phone').check();
  await page.getByTestId('confirm-transition').click();
  await expect(page.getByTestId('detail-status')).toHaveText('已关闭');
  await expect(page.getByTestId('no-transitions')).toBeVisible();
  await expect(page.getByTestId('transitions')).toHaveCount(0);

  // The history shows who did what, old → new, and whether the desk was online.
  const history = page.getByTestId('history');
  await expect(history).toContainText('已解决 → 已关闭');
  await expect(history).toContainText('处理中 → 已解决');
  await expect(history).toContainText('新建 → 已分派');
  await expect(history).toContainText('离线');
  // Closed work leaves the open queue.
  await expect(row).toHaveCount(0);
});
