import { expect, test } from '@playwright/test';
import { Central, signInThroughUi, startConsole, syncNow, type Console } from './world.js';

// The knowledge base offline: articles synced down from the central server are searched as you type
// with the server stopped; the new-incident form suggests articles from the title, and one opens over
// the form without losing what was typed.

test.describe.configure({ timeout: 60_000 });

let central: Central;
let desk: Console;

test.beforeAll(async () => {
  central = await new Central().start();
  await central.user('alice', 'alice-pass-1', 'agent');
  await central.kbArticle({ title: '打印机卡纸的处理步骤', body: '1. 关闭打印机电源。\n2. 打开前盖，取出硒鼓。\n3. 沿出纸方向轻轻拉出卡纸，勿撕裂。\n4. 装回硒鼓，开机打印测试页。', tags: ['打印机', '硬件'], categoryId: 'hardware' });
  await central.kbArticle({ title: 'VPN 无法连接（错误 809）', body: '检查防火墙是否放行 UDP 500/4500；家庭路由器需开启 IPSec 直通。', tags: ['VPN', '网络'], categoryId: 'network' });
  await central.kbArticle({ title: 'Outlook keeps asking for the password', body: 'Clear the cached credentials in Windows Credential Manager, then restart Outlook.', tags: ['email'], categoryId: 'software' });
  desk = await startConsole();
});
test.afterAll(async () => {
  await desk?.dispose();
  await central?.dispose();
});

test('knowledge base works offline: search as you type, open an article; the form suggests articles from the title and keeps its state', async ({ page }) => {
  await signInThroughUi(page, desk, central.url, 'alice', 'alice-pass-1');
  await syncNow(page);
  await central.stop();

  await page.keyboard.press('Alt+2');
  const kb = page.getByTestId('kb-view');
  await expect(kb).toBeVisible();
  await expect(page.getByTestId('kb-search')).toBeFocused();
  await page.keyboard.type('打印机');
  await expect(kb.getByTestId('kb-hit')).toHaveCount(1);
  await expect(kb.getByTestId('kb-hit').first()).toContainText('打印机卡纸的处理步骤');
  await page.keyboard.press('Enter');
  await expect(kb.getByTestId('kb-article-title')).toHaveText('打印机卡纸的处理步骤');
  await expect(kb.getByTestId('kb-article-body')).toContainText('沿出纸方向轻轻拉出卡纸');
  await page.screenshot({ path: test.info().outputPath('kb-view-zh-CN.png') });

  await page.getByTestId('kb-search').fill('outlook password');
  await expect(kb.getByTestId('kb-hit')).toHaveCount(1);
  await expect(kb.getByTestId('kb-hit').first()).toContainText('Outlook keeps asking');

  // New incident: suggestions from the title; opening one keeps the form as typed.
  await page.keyboard.press('Alt+N');
  const form = page.getByTestId('incident-form');
  await form.getByLabel('请求者姓名 *').fill('周敏');
  await form.getByLabel('标题 *').fill('VPN 连接失败 错误 809');
  const suggestion = form.getByTestId('kb-suggestion');
  await expect(suggestion).toHaveCount(1);
  await expect(suggestion).toHaveText('VPN 无法连接（错误 809）');
  await form.getByLabel('标题 *').press('Tab');
  await expect(form.getByTestId('kb-suggestion')).toBeFocused();
  await page.keyboard.press('Enter');
  const drawer = page.getByTestId('kb-drawer');
  await expect(drawer.getByTestId('kb-article-title')).toHaveText('VPN 无法连接（错误 809）');
  await expect(drawer).toBeFocused();
  await page.screenshot({ path: test.info().outputPath('kb-drawer-over-form-zh-CN.png') });
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(form).toBeVisible();
  await expect(form.getByLabel('标题 *')).toHaveValue('VPN 连接失败 错误 809');
  await expect(form.getByLabel('请求者姓名 *')).toHaveValue('周敏');
  await expect(form.getByTestId('kb-suggestion')).toBeFocused();
});
