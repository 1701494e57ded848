import { expect, test, type Page } from '@playwright/test';
import { apiData, unique } from './helpers.js';
import { Central, closePages, consolePage, signInThroughUi, startConsole, syncNow, type Console } from './world.js';

// Issue 13, notification centre: an agent's console shows the SLA warning of their own incident; the
// team lead's console shows the breach of another, once, though both desks raised it; opening a
// notice opens its incident. Two consoles on one central server, signed in through the UI.

test.describe.configure({ timeout: 120_000 });

let central: Central;
let deskA: Console;
let deskB: Console;
const SHOTS = process.env.E2E_SHOTS ?? 'test-results/e2e';

test.beforeAll(async () => {
  central = await new Central().start();
  await central.user('alice', 'alice-pass-1', 'agent', '服务台一组');
  await central.user('lena', 'lena-pass-1', 'lead', '服务台一组');
  [deskA, deskB] = await Promise.all([startConsole(), startConsole()]);
});
test.afterEach(closePages);
test.afterAll(async () => {
  await deskA?.dispose();
  await deskB?.dispose();
  await central?.dispose();
});

/** A P1 incident (round the clock: response due 60 minutes after it was reported) reported `minutesAgo`. */
async function p1(page: Page, title: string, minutesAgo: number) {
  const reportedAt = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  return apiData<{ id: string; number: string; priority: string }>(page, 'incident.create', {
    channel: 'phone', requester: { name: '周敏', department: '人力资源部', phone: '13911112222' }, serviceType: 'fault',
    categoryId: 'hardware', title, description: '', impact: 'high', urgency: 'high', reportedAt,
  }, 'mutation');
}

async function openBell(page: Page) {
  await page.getByTestId('notif-bell').click();
  await expect(page.getByTestId('notif-panel')).toBeVisible();
}

test('a warning for my incident, a breach for the lead, each once; opening one opens the incident (zh-CN and English)', async ({ browser }) => {
  const tag = unique();
  const a = await consolePage(browser);
  await signInThroughUi(a, deskA, central.url, 'alice', 'alice-pass-1');
  // 50 of 60 minutes gone: past the 75 % warning share of the response clock, not yet due
  const warned = await p1(a, `核心交换机丢包 switch loss ${tag}`, 50);
  // 90 minutes: the response clock is breached
  const breached = await p1(a, `财务系统无法登录 finance login ${tag}`, 90);
  expect([warned.priority, breached.priority]).toEqual(['P1', 'P1']);
  await a.reload();

  // Alice (owner, an agent): the warning only; the breach is for the team leads
  await expect(a.getByTestId('notif-count')).toHaveText('1');
  await openBell(a);
  const items = a.getByTestId('notif-item');
  await expect(items).toHaveCount(1);
  await expect(items.first()).toHaveAttribute('data-kind', 'sla_warning');
  await expect(items.first()).toContainText('SLA 即将超时');
  await expect(items.first()).toContainText(warned.number);
  await expect(items.first()).toContainText('响应时限将于');
  await a.screenshot({ path: `${SHOTS}/23-notifications-zh-CN.png` });
  await items.first().getByRole('button').click();
  await expect(a.getByTestId('incident-detail')).toHaveAttribute('data-number', warned.number);
  await expect(a.getByTestId('notif-count')).toHaveCount(0); // read once opened
  await syncNow(a); // the notices raised here (and the read) go to the server

  // The lead's console: the breach, once (raised by desk A, pulled, and raised again by this desk's own sweep)
  const b = await consolePage(browser);
  await signInThroughUi(b, deskB, central.url, 'lena', 'lena-pass-1');
  await syncNow(b);
  await b.reload();
  await expect(b.getByTestId('notif-count')).toHaveText('1');
  await openBell(b);
  const lead = b.getByTestId('notif-item');
  await expect(lead).toHaveCount(1);
  await expect(lead.first()).toHaveAttribute('data-kind', 'sla_breach');
  await expect(lead.first()).toContainText('SLA 已超时');
  await expect(lead.first()).toContainText(breached.number);

  // English
  await apiData(b, 'desk.setLocale', { locale: 'en' }, 'mutation');
  await b.reload();
  await openBell(b);
  await expect(b.getByTestId('notif-item').first()).toContainText('SLA breached');
  await expect(b.getByTestId('notif-item').first()).toContainText('Response was due');
  await b.screenshot({ path: `${SHOTS}/23-notifications-en.png` });
  await b.getByTestId('notif-item').first().getByRole('button').click();
  await expect(b.getByTestId('incident-detail')).toHaveAttribute('data-number', breached.number);
  await expect(b.getByTestId('notif-count')).toHaveCount(0);
});
