import { expect, test } from '@playwright/test';
import { apiData, callApi, openDesk, queueCount } from './helpers.js';

test('a missing required field is named in a clear message and nothing is saved', async ({ page }) => {
  await openDesk(page);
  const before = await queueCount(page);
  const { incidentCount } = await apiData<{ incidentCount: number }>(page, 'desk.info', undefined, 'query');

  await page.keyboard.press('Alt+N');
  const form = page.getByTestId('incident-form');
  await form.getByLabel('请求者姓名 *').fill('郑洁');
  await form.getByLabel('请求者姓名 *').press('Control+Enter');

  await expect(page.getByTestId('error-title')).toHaveText('标题：必填');
  await expect(page.getByTestId('error-categoryId')).toHaveText('分类：必填');
  await expect(page.getByTestId('form-error')).toContainText('请修正标出的字段后再保存');
  // The first field in error, in screen order, has the focus.
  await expect(form.getByLabel(/^分类 \*/)).toBeFocused();
  await expect(form).toBeVisible();

  // A wrong phone number is named too.
  await form.getByLabel('电话', { exact: true }).fill('call me maybe');
  await form.getByRole('button', { name: /保存/ }).click();
  await expect(page.getByTestId('error-requester.phone')).toHaveText('电话：不是有效的电话号码');

  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  expect(await queueCount(page)).toBe(before);
  const after = await apiData<{ incidentCount: number }>(page, 'desk.info', undefined, 'query');
  expect(after.incidentCount).toBe(incidentCount);

  // The API refuses the same input on its own, naming the fields.
  const res = await callApi(page, 'incident.create', { channel: 'phone', requester: { name: '郑洁' }, serviceType: 'fault', categoryId: 'hardware', title: '  ', impact: 'low', urgency: 'low' }, 'mutation');
  expect(res.status).toBe(400);
  expect(res.json.error?.data?.issues).toContainEqual({ path: 'title', message: 'required', code: 'required' });

  // Leave no draft behind for other specs.
  await page.keyboard.press('Alt+N');
  await page.getByRole('button', { name: '丢弃草稿' }).click();
  await expect(form.getByLabel('请求者姓名 *')).toHaveValue('');
});
