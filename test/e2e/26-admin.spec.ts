import { expect, test, type Page } from '@playwright/test';
import { apiData, unique } from './helpers.js';
import { Central, closePages, consolePage, signInThroughUi, startConsole, type Console } from './world.js';

// Issue 12 item 9 and issue 13 item 1: the Administration section. An admin signed in on a console
// creates an L2 group, invites a technician into it (the server's password policy refuses a weak
// password first), sets an assignment rule, adds a holiday to the China calendar and changes the P3
// resolution target (a target of zero is refused naming the field first). An agent never sees the
// section; a console that never signed in says administration needs the central server.
// Screens in Chinese and English.

test.describe.configure({ timeout: 180_000 });

let central: Central;
let deskA: Console;
let deskB: Console;
let deskC: Console;

test.beforeAll(async () => {
  central = await new Central().start();
  await central.user('ada', 'ada-admin-pass-1', 'admin', '服务台一组');
  await central.user('alice', 'alice-pass-1', 'agent', '服务台一组');
  [deskA, deskB, deskC] = await Promise.all([startConsole(), startConsole(), startConsole()]);
});
test.afterEach(closePages);
test.afterAll(async () => {
  await deskA?.dispose();
  await deskB?.dispose();
  await deskC?.dispose();
  await central?.dispose();
});

const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });

test('an admin invites a technician into an L2 group, sets a rule, adds a holiday and changes the P3 target', async ({ browser }) => {
  const tag = unique();
  const groupName = `网络二线组${tag}`;
  const page = await consolePage(browser);
  await signInThroughUi(page, deskA, central.url, 'ada', 'ada-admin-pass-1');
  await page.keyboard.press('Alt+8');
  const view = page.getByTestId('admin-view');
  await expect(view.getByRole('heading', { name: '管理' })).toBeVisible();

  // Groups: a new L2 group (Enter saves).
  await view.getByTestId('admin-tab-groups').click();
  await view.getByTestId('admin-group-new').click();
  const gform = view.getByTestId('admin-group-form');
  await gform.getByLabel('名称').fill(groupName);
  await gform.getByLabel('层级').selectOption('L2');
  await gform.getByLabel('名称').press('Enter');
  await expect(gform).toHaveCount(0);
  await expect(view.getByTestId('admin-group').filter({ hasText: groupName })).toContainText('二线（L2）');

  // People: invite a technician into it; a guessable password is refused first, worded.
  await view.getByTestId('admin-tab-people').click();
  await view.getByTestId('admin-invite').click();
  const pform = view.getByTestId('admin-person-form');
  await pform.getByLabel('名称').fill('李伟');
  await pform.getByLabel('角色').selectOption('technician');
  await pform.getByLabel('所属组').selectOption(groupName);
  await pform.getByLabel('初始密码').fill('password1');
  await pform.getByLabel('初始密码').press('Enter');
  await expect(pform.getByTestId('admin-problems')).toContainText(/^密码：(太容易被猜到|太短)/);
  await shot(page, 'admin-people-refused-zh-CN');
  await pform.getByLabel('初始密码').fill('Cobalt-Harbor-Lantern-93');
  await pform.getByTestId('admin-person-save').click();
  await expect(pform).toHaveCount(0);
  const row = view.getByTestId('admin-person').filter({ hasText: '李伟' });
  await expect(row).toContainText('二线技术支持');
  await expect(row).toContainText(groupName);

  // Groups: 李伟 as a listed member too, and the rule network → the new group.
  await view.getByTestId('admin-tab-groups').click();
  await view.getByTestId('admin-group').filter({ hasText: groupName }).getByRole('button', { name: '修改' }).click();
  await view.getByTestId('admin-group-members').getByLabel('李伟').check();
  await view.getByTestId('admin-group-save').click();
  await expect(view.getByTestId('admin-group-form')).toHaveCount(0);
  await view.getByTestId('admin-rule-new').click();
  const rform = view.getByTestId('admin-rule-form');
  await rform.getByLabel('分类').selectOption('network');
  await rform.getByLabel('默认组').selectOption({ label: groupName });
  await rform.getByLabel('默认组').press('Enter');
  await expect(rform).toHaveCount(0);
  const grow = view.getByTestId('admin-group').filter({ hasText: groupName });
  await expect(grow).toContainText('李伟');
  await expect(grow).toContainText('网络');
  await shot(page, 'admin-groups-zh-CN');

  // SLA: the China calendar gets a holiday; a P3 target of zero is refused naming the field, then 16 h.
  await view.getByTestId('admin-tab-sla').click();
  const sla = view.getByTestId('admin-sla');
  await expect(sla.getByTestId('admin-sla-calendar')).not.toHaveValue('0');
  const holidays = sla.getByTestId('admin-holidays-row');
  const before = await holidays.count();
  await sla.getByTestId('admin-holiday-add').click();
  await expect(holidays).toHaveCount(before + 1);
  await holidays.last().getByTestId('admin-holidays-date').fill('2027-03-08');
  await holidays.last().getByTestId('admin-holidays-name').fill('妇女节');
  await sla.getByTestId('admin-sla-calendar').scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('admin-sla-calendar-zh-CN.png') });
  await sla.getByTestId('admin-target-P3-resolveMin').fill('0');
  await sla.getByTestId('admin-sla-save').click();
  await expect(sla.getByTestId('admin-problems')).toContainText('P3 解决时限：至少 1 分钟');
  await shot(page, 'admin-sla-refused-zh-CN');
  type Ov = { sla: { source: string; settings: { policy: { targets: { P3: { resolveMin: number } } }; calendars: Array<{ id: string; holidays: Array<{ date?: string; name?: string }> }> } } };
  expect((await apiData<Ov>(page, 'admin.overview', undefined, 'query')).sla.settings.policy.targets.P3.resolveMin).toBe(1440);
  await sla.getByTestId('admin-target-P3-resolveMin').fill('960');
  await sla.getByTestId('admin-target-P3-resolveMin').press('Enter');
  await expect(sla.getByTestId('admin-problems')).toHaveCount(0);
  await expect.poll(async () => (await apiData<Ov>(page, 'admin.overview', undefined, 'query')).sla.settings.policy.targets.P3.resolveMin).toBe(960);
  const ov = await apiData<Ov>(page, 'admin.overview', undefined, 'query');
  expect(ov.sla.source).toBe('server');
  expect(ov.sla.settings.calendars.flatMap((c) => c.holidays)).toContainEqual({ date: '2027-03-08', name: '妇女节' });
  await shot(page, 'admin-sla-zh-CN');
  expect(await page.evaluate(() => (window as unknown as { __missingKeys?: string[] }).__missingKeys ?? [])).toEqual([]);

  // English
  await apiData(page, 'desk.setLocale', { locale: 'en' }, 'mutation');
  await page.reload();
  await expect(page.getByTestId('nav-admin')).toHaveText('Administration'); // the console is up (its keys are live)
  await page.keyboard.press('Alt+8');
  await expect(view.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await view.getByTestId('admin-tab-groups').click();
  await expect(view.getByTestId('admin-group').filter({ hasText: groupName })).toContainText('Second line (L2)');
  await shot(page, 'admin-groups-en');
  await view.getByTestId('admin-tab-sla').click();
  await sla.getByTestId('admin-target-P3-responseMin').fill('0');
  await sla.getByTestId('admin-sla-save').click();
  await expect(sla.getByTestId('admin-problems')).toContainText('P3 response target: Give at least 1 minute');
  await shot(page, 'admin-sla-en');
  await sla.getByTestId('admin-target-P3-responseMin').press('Escape');
  await expect(sla.getByTestId('admin-target-P3-responseMin')).toHaveValue('240');
  await view.getByTestId('admin-tab-people').click();
  await expect(view.getByTestId('admin-person').filter({ hasText: '李伟' })).toContainText('Technician');
  await shot(page, 'admin-people-en');
  await view.getByTestId('admin-tab-categories').click();
  await expect(view.getByTestId('admin-categories')).toContainText('Network');
  await view.getByTestId('admin-category-new').click();
  await expect(view.getByTestId('admin-category-form')).toContainText('Parent category');
  await page.keyboard.press('Escape');
  await expect(view.getByTestId('admin-category-form')).toHaveCount(0);
  // every word on these screens came from the locale files
  expect(await page.evaluate(() => (window as unknown as { __missingKeys?: string[] }).__missingKeys ?? [])).toEqual([]);
  await apiData(page, 'desk.setLocale', { locale: 'zh-CN' }, 'mutation');
});

test('an agent never sees administration; a console that never signed in says it needs the central server', async ({ browser }) => {
  const agent = await consolePage(browser);
  await signInThroughUi(agent, deskB, central.url, 'alice', 'alice-pass-1');
  await expect(agent.getByTestId('nav-cmdb')).toBeVisible();
  await expect(agent.getByTestId('nav-admin')).toHaveCount(0);
  await agent.keyboard.press('Alt+8');
  await expect(agent.getByTestId('admin-view')).toHaveCount(0);

  const local = await consolePage(browser);
  await local.goto(deskC.url);
  await apiData(local, 'desk.setup', { name: '王经理', role: 'lead', group: '服务台', locale: 'zh-CN' }, 'mutation');
  await local.reload();
  await expect(local.getByTestId('nav-admin')).toBeVisible();
  await local.keyboard.press('Alt+8');
  await expect(local.getByTestId('admin-needs-server')).toContainText('管理设置写入中心服务器：请先登录');
  await shot(local, 'admin-needs-server-zh-CN');
});
