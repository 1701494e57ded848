import { expect, test, type Page } from '@playwright/test';
import { HlcClock } from '../../shared/hlc.js';
import { saveGroup, setAssignmentRule } from '../../server/admin.js';
import { openBySearch, unique } from './helpers.js';
import { Central, closePages, consolePage, signInThroughUi, startConsole, syncNow, type Console } from './world.js';

// Issue 12: first line (A) records a network incident and dispatches it by category; second line (B)
// returns it with a reason; it shows in A's "my group" queue with the reason; A dispatches it again;
// B accepts it. Two consoles on one central server, signed in through the UI.

test.describe.configure({ timeout: 120_000 });

let central: Central;
let deskA: Console;
let deskB: Console;

test.beforeAll(async () => {
  central = await new Central().start();
  await central.user('alice', 'alice-pass-1', 'agent', '服务台一组');
  await central.user('bob', 'bob-pass-1', 'technician', '网络组');
  await central.user('carol', 'carol-pass-1', 'technician', '桌面组');
  const deps = { storage: central.server!.storage, now: () => new Date(), clock: new HlcClock('e2e21') };
  // The groups exist (made with their people); give them their tiers and network its default group.
  const net = await saveGroup(deps, { id: await groupId('网络组'), name: '网络组', tier: 'L2', active: true });
  await saveGroup(deps, { id: await groupId('桌面组'), name: '桌面组', tier: 'L2', active: true });
  await setAssignmentRule(deps, { categoryId: 'network', groupId: net.id });
  [deskA, deskB] = await Promise.all([startConsole(), startConsole()]);
});
test.afterEach(closePages);
test.afterAll(async () => {
  await deskA?.dispose();
  await deskB?.dispose();
  await central?.dispose();
});

async function groupId(name: string): Promise<string> {
  const row = await central.server!.storage.read((q) => q.get<{ id: string }>('SELECT id FROM groups WHERE name = ?', [name]));
  return row!.id;
}

const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`) });

test('dispatch by category, return with a reason to the dispatching group, dispatch again, accept', async ({ browser }) => {
  const tag = unique();
  const a = await consolePage(browser);
  const b = await consolePage(browser);
  await signInThroughUi(a, deskA, central.url, 'alice', 'alice-pass-1');
  await signInThroughUi(b, deskB, central.url, 'bob', 'bob-pass-1');

  // A records a network incident (keyboard, as on a call).
  await a.keyboard.press('Alt+N');
  const form = a.getByTestId('incident-form');
  await form.getByLabel('请求者姓名 *').fill('韩梅梅');
  await form.getByLabel('分类 *').selectOption({ label: '网络' });
  const title = `三楼无线网络断开 wifi down ${tag}`;
  await form.getByLabel('标题 *').fill(title);
  await form.getByLabel('标题 *').press('Control+Enter');
  await expect(form).toHaveCount(0);
  const detailA = a.getByTestId('incident-detail');
  await expect(detailA.getByTestId('detail-title')).toHaveText(title);
  const number = (await detailA.getByTestId('detail-number').textContent())!.trim();

  // Dispatch: the category's default group is suggested; only its members are listed; keyboard only.
  await a.getByTestId('transition-assigned').click();
  const dialog = a.getByTestId('dispatch-dialog');
  await expect(dialog.getByTestId('dispatch-chosen')).toContainText('网络组');
  await expect(dialog.getByTestId('dispatch-chosen')).toContainText('二线 L2');
  await expect(dialog.locator('[data-testid="dispatch-group-option"][data-name="网络组"] [data-testid="dispatch-suggested"]')).toBeVisible();
  await expect(dialog.getByTestId('dispatch-people')).toContainText('bob');
  await expect(dialog.getByTestId('dispatch-people')).not.toContainText('carol');
  await expect(dialog.getByTestId('dispatch-group-filter')).toBeFocused();
  await shot(a, 'a-dispatch-zh-CN');
  await a.keyboard.press('Enter'); // keeps the suggested group, on to the people
  await expect(dialog.getByTestId('dispatch-person-filter')).toBeFocused();
  await a.keyboard.type('bo');
  await a.keyboard.press('Enter');
  await expect(dialog.getByTestId('dispatch-person')).toContainText('bob');
  await expect(dialog.getByTestId('confirm-dispatch')).toBeFocused();
  await a.keyboard.press('Enter');
  await expect(detailA).toHaveAttribute('data-status', 'assigned');
  await syncNow(a);

  // B: in its queue; returns it with a reason code and a text.
  await syncNow(b);
  await openBySearch(b, tag, number);
  await expect(b.getByTestId('accept-incident')).toBeVisible();
  await b.getByTestId('transition-returned').click();
  const ret = b.getByTestId('return-dialog');
  await expect(ret).toContainText('服务台一组');
  // refused without a code: the field is named, nothing changes
  await ret.getByTestId('return-text').fill('是账号被锁，不是网络故障，请一线重置密码');
  await ret.getByTestId('return-text').press('Control+Enter');
  await expect(ret.getByRole('alert')).toContainText('请选择退回原因');
  await expect(b.getByTestId('incident-detail')).toHaveAttribute('data-status', 'assigned');
  await ret.getByTestId('return-reason-wrong_category').check();
  await shot(b, 'b-return-zh-CN');
  await ret.getByTestId('return-text').press('Control+Enter');
  await expect(b.getByTestId('incident-detail')).toHaveAttribute('data-status', 'returned');
  await syncNow(b);

  // A: in "my group" with the reason, which also heads the incident.
  await syncNow(a);
  await a.getByTestId('scope-group').click();
  const row = a.locator(`[data-testid="queue-row"][data-number="${number}"]`);
  await expect(row.getByTestId('badge-returned')).toHaveText('退回 · 分类错误');
  await row.click();
  await expect(a.getByTestId('return-banner')).toContainText('二线退回：分类错误');
  await expect(a.getByTestId('return-note')).toHaveText('是账号被锁，不是网络故障，请一线重置密码');
  await shot(a, 'a-returned-zh-CN');

  // The same in English.
  await a.getByTestId('language').selectOption('en');
  await expect(row.getByTestId('badge-returned')).toHaveText('Returned · Wrong category');
  await expect(a.getByTestId('return-banner')).toContainText('Returned by second line: Wrong category');
  await shot(a, 'a-returned-en');

  // A dispatches again (English now), Ctrl+Enter from the dialog.
  await a.getByTestId('transition-assigned').click();
  await expect(a.getByTestId('dispatch-chosen')).toContainText('To 网络组 · L2');
  await a.getByTestId('dispatch-person-filter').fill('bob');
  await a.getByTestId('dispatch-person-filter').press('Enter');
  await shot(a, 'a-dispatch-en');
  await a.keyboard.press('Control+Enter');
  await expect(a.getByTestId('incident-detail')).toHaveAttribute('data-status', 'assigned');
  await expect(a.getByTestId('return-banner')).toHaveCount(0);
  await syncNow(a);

  // B accepts it: in progress, recorded as accepted.
  await syncNow(b);
  await openBySearch(b, tag, number);
  await b.getByTestId('accept-incident').click();
  await expect(b.getByTestId('incident-detail')).toHaveAttribute('data-status', 'in_progress');
  await expect(b.getByTestId('history')).toContainText('已受理');
  await expect(b.getByTestId('history')).toContainText('分类错误');
  await shot(b, 'b-accepted-zh-CN');
  await syncNow(b);
  await syncNow(a);
  await openBySearch(a, tag, number);
  await expect(a.getByTestId('incident-detail')).toHaveAttribute('data-status', 'in_progress');
  await expect(a.getByTestId('history')).toContainText('Accepted');
  await shot(a, 'a-accepted-en');
});
