import { expect, test, type Page } from '@playwright/test';
import { apiData, createIncident, openBySearch, unique } from './helpers.js';
import { Central, closePages, consolePage, signInThroughUi, startConsole, syncNow, type Console } from './world.js';

// Issue #3: two consoles on one central server, signed in through the UI. The server goes away,
// console A keeps working (records one incident, edits another), the server comes back, A syncs, and
// console B sees A's work with A's numbers.

test.describe.configure({ timeout: 90_000 });

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


test('offline on A, back online: B sees A’s new incident with its number and A’s edit; A’s status bar shows offline and the changes waiting', async ({ browser }) => {
  const tag = unique();
  const a = await consolePage(browser);
  const b = await consolePage(browser);

  await signInThroughUi(a, deskA, central.url, 'alice', 'alice-pass-1', test.info().outputPath('signin-zh-CN'));
  await signInThroughUi(b, deskB, central.url, 'bob', 'bob-pass-1');
  await expect(a.getByTestId('sync-pending')).toHaveAttribute('data-count', '0');

  // An incident recorded while online reaches the server.
  const existing = await createIncident(a, `打印机卡纸 printer jam ${tag}`);
  await syncNow(a);
  await expect(a.getByTestId('sync-pending')).toHaveAttribute('data-count', '0');

  // The server goes away. A's next round fails: offline, with the reason.
  await central.stop();
  await syncNow(a);
  await expect(a.getByTestId('sync-online')).toHaveAttribute('data-online', 'false');
  await expect(a.getByTestId('sync-online')).toHaveText('离线');
  await expect(a.getByTestId('sync-error')).toContainText('无法连接中心服务器');

  // Offline sign-in is offered when the server cannot be reached.
  await a.getByTestId('switch-user').click();
  const panel = a.getByTestId('signin-panel');
  await panel.getByTestId('signin-password').fill('alice-pass-1');
  await panel.getByTestId('signin-password').press('Enter');
  await expect(panel.getByTestId('offline-offer')).toBeVisible();
  await panel.screenshot({ path: test.info().outputPath('signin-offline-zh-CN.png') });
  await panel.getByTestId('signin-offline').click();
  await expect(panel).toHaveCount(0);

  // A records a new incident through the form…
  await a.keyboard.press('Alt+N');
  const form = a.getByTestId('incident-form');
  await form.getByLabel('请求者姓名 *').fill('韩梅梅');
  await form.getByLabel('分类 *').selectOption({ label: '网络' });
  const newTitle = `三楼无线网络断开 wifi down ${tag}`;
  await form.getByLabel('标题 *').fill(newTitle);
  await form.getByLabel('标题 *').press('Control+Enter');
  await expect(form).toHaveCount(0);
  const created = a.getByTestId('incident-detail');
  await expect(created.getByTestId('detail-title')).toHaveText(newTitle);
  const newNumber = (await created.getByTestId('detail-number').textContent())!.trim();

  // …and edits the one recorded before.
  const editedTitle = `打印机卡纸（已更换硒鼓）${tag}`;
  await openBySearch(a, tag, existing.number);
  await a.getByTestId('edit-incident').click();
  const edit = a.getByTestId('edit-form');
  await edit.getByLabel('标题 *').fill(editedTitle);
  await edit.getByLabel('标题 *').press('Control+Enter');
  await expect(a.getByTestId('detail-title')).toHaveText(editedTitle);

  // While the server is down: offline, and the changes are waiting.
  await expect(a.getByTestId('sync-online')).toHaveAttribute('data-online', 'false');
  await expect(a.getByTestId('sync-pending')).not.toHaveAttribute('data-count', '0');
  const waiting = Number(await a.getByTestId('sync-pending').getAttribute('data-count'));
  expect(waiting).toBeGreaterThanOrEqual(2);
  await expect(a.getByTestId('sync-pending')).toContainText(`待同步 ${waiting} 项`);
  await a.getByTestId('statusbar').screenshot({ path: test.info().outputPath('statusbar-offline-zh-CN.png') });

  // The server comes back on the same port and data; A syncs and nothing is left waiting.
  await central.start();
  await syncNow(a);
  await expect(a.getByTestId('sync-online')).toHaveAttribute('data-online', 'true');
  await expect(a.getByTestId('sync-pending')).toHaveAttribute('data-count', '0');
  await expect(a.getByTestId('sync-pending')).toHaveText('待同步 0 项');
  await expect(a.getByTestId('sync-error')).toHaveCount(0);

  // B pulls and sees both: A's number for the new one, A's edit on the other.
  await syncNow(b);
  await openBySearch(b, tag, newNumber);
  await expect(b.getByTestId('detail-title')).toHaveText(newTitle);
  await openBySearch(b, existing.number, existing.number);
  await expect(b.getByTestId('detail-title')).toHaveText(editedTitle);
  const onB = await apiData<{ incident: { number: string } }>(b, 'incident.get', { id: existing.id }, 'query');
  expect(onB.incident.number).toBe(existing.number);
});

test('a long first sync shows its phase and a progress bar in the status bar', async ({ browser }) => {
  const a = await consolePage(browser);
  await a.goto(deskA.url);
  // The desk's real status with a first sync in flight (a long pull cannot be held open on cue).
  await a.route(/\/trpc\/[^?]*sync\.status/, async (route) => {
    const res = await route.fetch().catch(() => null);
    if (!res) return route.abort();
    const calls = decodeURIComponent(new URL(route.request().url()).pathname.replace(/^\/trpc\//, '')).split(',');
    const body = await res.json() as Array<{ result: { data: Record<string, unknown> } }>;
    body[calls.indexOf('sync.status')].result.data.progress = { phase: 'pull', done: 37_500, total: 100_000 };
    await route.fulfill({ response: res, json: body });
  });
  await a.reload();
  const bar = a.getByTestId('sync-progress');
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute('data-phase', 'pull');
  await expect(bar).toContainText('正在接收');
  await expect(bar).toHaveAttribute('aria-valuenow', '37500');
  await a.getByTestId('statusbar').screenshot({ path: test.info().outputPath('statusbar-progress-zh-CN.png') });
});
