import { expect, test, type Page } from '@playwright/test';
import { createIncident, openBySearch, unique } from './helpers.js';
import { Central, closePages, consolePage, signInThroughUi, startConsole, syncNow, type Console } from './world.js';

// Issue #4.5: the same field edited on two consoles while one of them is offline. The later edit wins
// on the server; the console whose edit lost shows what it lost, by whom, and one action applies it
// again, after which both consoles have it.

test.describe.configure({ timeout: 90_000, mode: 'serial' });

let central: Central;
let deskA: Console;
let deskB: Console;

test.beforeAll(async () => {
  central = await new Central().start();
  await central.user('alice', 'alice-pass-1', 'agent');
  await central.user('bob', 'bob-pass-1', 'agent');
  [deskA, deskB] = await Promise.all([startConsole(), startConsole()]);
});
test.afterEach(closePages);
test.afterAll(async () => {
  await deskA?.dispose();
  await deskB?.dispose();
  await central?.dispose();
});


async function editTitle(page: Page, title: string) {
  await page.getByTestId('edit-incident').click();
  const edit = page.getByTestId('edit-form');
  await edit.getByLabel('标题 *').fill(title);
  await edit.getByLabel('标题 *').press('Control+Enter');
  await expect(page.getByTestId('detail-title')).toHaveText(title);
}

test('a lost concurrent edit is shown on the losing console with the lost value and who made it; "apply again" restores it on both', async ({ browser }) => {
  const tag = unique();
  const a = await consolePage(browser);
  const b = await consolePage(browser);
  await signInThroughUi(a, deskA, central.url, 'alice', 'alice-pass-1');
  await signInThroughUi(b, deskB, central.url, 'bob', 'bob-pass-1');

  const inc = await createIncident(a, `邮件无法发送 mail stuck ${tag}`);
  await syncNow(a);
  await syncNow(b);
  await openBySearch(a, inc.number, inc.number);
  await openBySearch(b, inc.number, inc.number);

  // A edits offline; B edits later, online, and syncs first.
  await central.stop();
  await syncNow(a);
  await expect(a.getByTestId('sync-online')).toHaveAttribute('data-online', 'false');
  const mine = `邮件队列堵塞，已重启服务 ${tag}`;
  const theirs = `邮件无法发送（待厂商） ${tag}`;
  await editTitle(a, mine);
  await central.start();
  await editTitle(b, theirs);
  await syncNow(b);
  await expect(b.getByTestId('sync-pending')).toHaveAttribute('data-count', '0');

  // A syncs: its edit loses to B's later one, and A is told.
  await syncNow(a);
  await expect(a.getByTestId('detail-title')).toHaveText(theirs);
  const conflicts = a.getByTestId('conflicts');
  await expect(conflicts).toContainText('你的修改被更新的修改覆盖');
  const row = conflicts.locator('[data-testid="conflict-field"][data-field="title"]');
  await expect(row).toContainText('alice 对“标题”的修改被覆盖');
  await expect(row.getByTestId('conflict-lost')).toContainText(mine);
  await expect(row.getByTestId('conflict-won')).toContainText(theirs);
  await a.getByTestId('incident-detail').screenshot({ path: test.info().outputPath('conflict-zh-CN.png') });

  // One action applies it again, here and, after sync, on B.
  await row.getByTestId('conflict-reapply').click();
  await expect(a.getByTestId('detail-title')).toHaveText(mine);
  await expect(row).toHaveAttribute('data-restored', 'true');
  await expect(row.getByTestId('conflict-done')).toHaveText('已重新应用');
  await syncNow(a);
  await expect(a.getByTestId('sync-pending')).toHaveAttribute('data-count', '0');
  await syncNow(b);
  await expect(b.getByTestId('detail-title')).toHaveText(mine);
  await expect(a.getByTestId('detail-title')).toHaveText(mine);
  // B's edit did not lose anything: no conflict panel there (the history has the row).
  await expect(b.getByTestId('conflicts')).toHaveCount(0);
  await expect(b.getByTestId('history')).toContainText('同步冲突');
});

test('a transition that met another status is shown with the reason it was refused; "change again" runs it with its prompt', async ({ browser }) => {
  const tag = unique();
  const a = await consolePage(browser);
  const b = await consolePage(browser);
  await a.goto(deskA.url);
  await b.goto(deskB.url);
  const inc = await createIncident(a, `门禁读卡器失灵 card reader ${tag}`);
  await syncNow(a);
  await syncNow(b);
  await openBySearch(a, inc.number, inc.number);
  await openBySearch(b, inc.number, inc.number);

  // A puts it on hold offline; meanwhile B starts work on it online.
  await central.stop();
  await syncNow(a);
  await a.getByTestId('transition-pending').click();
  await a.getByTestId('pending-reason-vendor').check();
  await a.getByTestId('pending-text').fill('等待厂商寄送读卡器');
  await a.getByTestId('confirm-transition').click();
  await expect(a.getByTestId('incident-detail')).toHaveAttribute('data-status', 'pending');
  await central.start();
  await b.getByTestId('transition-in_progress').click();
  await expect(b.getByTestId('incident-detail')).toHaveAttribute('data-status', 'in_progress');
  await syncNow(b);

  // A syncs: its change is refused, undone, and A is told why — on the incident and in the status bar.
  await syncNow(a);
  await expect(a.getByTestId('incident-detail')).toHaveAttribute('data-status', 'in_progress');
  const row = a.getByTestId('conflict-transition');
  await expect(row).toHaveAttribute('data-to', 'pending');
  await expect(row).toContainText('alice 将状态从“新建”变更为“挂起”时，服务器上已是“处理中”');
  const badge = a.getByTestId('rejections-badge');
  await expect(badge).toHaveText('1 项被拒绝');
  await badge.click();
  const list = a.getByTestId('rejections');
  await expect(list.getByTestId('rejection')).toHaveCount(1);
  await expect(list.getByTestId('rejection')).toContainText('状态变更');
  await expect(list.getByTestId('rejection-reason')).toHaveText('状态冲突：服务器上已是“处理中”（不是“新建”），变更为“挂起”未执行');
  await a.screenshot({ path: test.info().outputPath('rejections-and-transition-conflict-zh-CN.png') });
  await a.keyboard.press('Escape');
  await expect(list).toHaveCount(0);

  // "Change to pending again": the same prompt as the transition buttons, then it reaches B.
  await row.getByTestId('conflict-retransition').click();
  const prompt = a.getByTestId('transition-prompt');
  // pending names what it waits for (issue 12): the first reason has the focus
  await expect(prompt.getByTestId('pending-reason-requester')).toBeFocused();
  await prompt.getByTestId('pending-reason-vendor').check();
  await prompt.getByTestId('pending-text').fill('等待厂商寄送读卡器');
  await a.keyboard.press('Control+Enter');
  await expect(a.getByTestId('incident-detail')).toHaveAttribute('data-status', 'pending');
  await syncNow(a);
  await expect(a.getByTestId('sync-pending')).toHaveAttribute('data-count', '0');
  await syncNow(b);
  await expect(b.getByTestId('incident-detail')).toHaveAttribute('data-status', 'pending');
});
