import { expect, test, type Page } from '@playwright/test';
import { apiData, unique } from './helpers.js';
import { Central, closePages, consolePage, signInThroughUi, startConsole, syncNow, type Console } from './world.js';

// Issue 12, item 7: a team lead imports the configuration items from a CSV file on their console
// (through the central server); an agent on another console records a call and picks the affected
// system as they type (↓ and Enter), and sees its recent incidents. Screens in Chinese and English.

test.describe.configure({ timeout: 120_000 });

let central: Central;
let deskA: Console;
let deskB: Console;

test.beforeAll(async () => {
  central = await new Central().start();
  await central.user('lena', 'lena-pass-1', 'lead', '服务台一组');
  await central.user('alice', 'alice-pass-1', 'agent', '服务台一组');
  await central.user('bob', 'bob-pass-1', 'technician', '网络组');
  [deskA, deskB] = await Promise.all([startConsole(), startConsole()]);
});
test.afterEach(closePages);
test.afterAll(async () => {
  await deskA?.dispose();
  await deskB?.dispose();
  await central?.dispose();
});

const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`) });
const file = (text: string) => ({ name: 'cis.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${text}`, 'utf8') });

test('a lead imports CIs from CSV; an agent picks one as they type and sees its recent incidents', async ({ browser }) => {
  const tag = unique();
  const lead = await consolePage(browser);
  await signInThroughUi(lead, deskA, central.url, 'lena', 'lena-pass-1');
  await lead.getByTestId('nav-cmdb').click();
  const view = lead.getByTestId('cmdb-view');
  await expect(view.getByTestId('cmdb-empty')).toBeVisible();

  // A file with mistakes: nothing is imported, each problem named by line and column.
  await view.getByTestId('cmdb-file').setInputFiles(file('名称,类型,IP,位置,所属组,重要信息系统\nOA 办公系统,业务系统,10.1.2.999,机房 A,网络组,是\n,打印机,,,,\n'));
  await expect(view.getByTestId('cmdb-csv')).toHaveValue(/OA 办公系统/);
  await view.getByTestId('cmdb-import-run').click();
  const issues = view.getByTestId('cmdb-issues');
  await expect(issues).toContainText('未导入任何内容');
  await expect(issues).toContainText('第 2 行，“IP 地址”列：不是有效的 IP 地址');
  await expect(issues).toContainText('第 3 行，“名称”列：必填');
  await shot(lead, 'cmdb-refused-zh-CN');
  await expect(view.getByTestId('cmdb-empty')).toBeVisible();

  const csv = `名称,类型,IP,位置,所属组,重要信息系统\nOA 办公系统 ${tag},业务系统,10.1.2.3,机房 A,网络组,是\n核心交换机 ${tag},网络设备,10.0.0.1,机房 A,网络组,是\n"打印机, 3F ${tag}",打印机,,3 楼,,否\n`;
  await view.getByTestId('cmdb-file').setInputFiles(file(csv));
  await view.getByTestId('cmdb-import-run').click();
  await expect(view.getByTestId('cmdb-result')).toContainText('新增 3 项');
  await expect(view.getByTestId('cmdb-row')).toHaveCount(3);
  await expect(view.getByTestId('cmdb-table')).toContainText('重要信息系统');
  await shot(lead, 'cmdb-list-zh-CN');
  // The same file again changes nothing.
  await view.getByTestId('cmdb-import-run').click();
  await expect(view.getByTestId('cmdb-result')).toContainText('3 项无变化');

  // The agent's console pulls the list; a call about OA picks it as they type.
  const agent = await consolePage(browser);
  await signInThroughUi(agent, deskB, central.url, 'alice', 'alice-pass-1');
  await syncNow(agent);
  const record = async (title: string) => {
    await agent.keyboard.press('Alt+N');
    const form = agent.getByTestId('incident-form');
    await form.getByLabel('请求者姓名 *').fill('韩梅梅');
    await form.getByLabel('分类 *').selectOption({ label: '软件' });
    await form.getByLabel('标题 *').fill(title);
    const input = form.getByTestId('ci-input');
    await input.focus();
    await agent.keyboard.type('oa');
    const options = form.getByTestId('ci-options');
    await expect(options).toContainText(`OA 办公系统 ${tag}`);
    await expect(options.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
    return { form, input };
  };
  let { form, input } = await record(`OA 无法登录 ${tag}`);
  await shot(agent, 'ci-options-zh-CN');
  await agent.keyboard.press('ArrowDown'); // wraps round the single match and back
  await agent.keyboard.press('Enter');
  await expect(input).toHaveValue(`OA 办公系统 ${tag}`);
  await expect(form.getByTestId('ci-picked')).toContainText('重要信息系统');
  await expect(form.getByLabel('IP 地址')).toHaveValue('10.1.2.3');
  await expect(form).toBeVisible(); // Enter picked the item; it did not save the form
  await input.press('Control+Enter');
  await expect(form).toHaveCount(0);
  const detail = agent.getByTestId('incident-detail');
  const first = (await detail.getByTestId('detail-number').textContent())!.trim();

  // A second call about the same system shows the first among its recent incidents, and opens it.
  ({ form, input } = await record(`OA 审批很慢 ${tag}`));
  await agent.keyboard.press('Enter');
  const recent = form.getByTestId('ci-recent');
  await expect(recent).toContainText(first);
  await shot(agent, 'ci-picked-zh-CN');
  await recent.getByTestId('ci-recent-open').first().click();
  await expect(form).toHaveCount(0);
  await expect(detail.getByTestId('detail-number')).toHaveText(first);

  // The incident keeps the item's id: the server has it.
  await syncNow(agent);
  const serverCiId = async () => {
    const row = await central.server!.storage.read((q) => q.get<{ data: string }>('SELECT data FROM incidents WHERE number = ?', [first]));
    return row ? (JSON.parse(row.data) as { ciId: string | null }).ciId : undefined;
  };
  await expect.poll(serverCiId, { timeout: 15_000 }).toBeTruthy();
  const ciId = await serverCiId();
  const held = await central.server!.storage.read((q) => q.get<{ name: string }>('SELECT name FROM cis WHERE id = ?', [ciId]));
  expect(held?.name).toBe(`OA 办公系统 ${tag}`);

  // The detail's edit form picks another item the same way; the server gets the new item.
  await detail.getByTestId('edit-incident').click();
  const edit = agent.getByTestId('edit-form');
  await edit.getByTestId('ci-input').fill('');
  await agent.keyboard.type('核心');
  await expect(edit.getByTestId('ci-options')).toContainText(`核心交换机 ${tag}`);
  await agent.keyboard.press('Enter');
  await expect(edit.getByTestId('ci-picked')).toContainText('网络设备');
  await expect(edit).toBeVisible(); // Enter picked; it neither saved nor closed the edit
  await edit.getByTestId('save-edit').click();
  await expect(edit).toHaveCount(0);
  await expect(detail).toContainText(`核心交换机 ${tag}`);
  await syncNow(agent);
  const serverCiName = async () => {
    const id = await serverCiId();
    const row = id ? await central.server!.storage.read((q) => q.get<{ name: string }>('SELECT name FROM cis WHERE id = ?', [id])) : undefined;
    return row?.name;
  };
  await expect.poll(serverCiName, { timeout: 15_000 }).toBe(`核心交换机 ${tag}`);

  // English
  await apiData(agent, 'desk.setLocale', { locale: 'en' }, 'mutation');
  await agent.reload();
  await expect(agent.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/); // the console is up and listening
  await agent.keyboard.press('Alt+N');
  const formEn = agent.getByTestId('incident-form');
  // The call left for the recent incident was kept as a draft (with its pick): start the field again.
  await formEn.getByTestId('ci-input').fill('');
  await agent.keyboard.type('10.0.0'); // by IP: the switch, which the first incident names now
  await expect(formEn.getByTestId('ci-options')).toContainText('Network device · 10.0.0.1');
  await expect(formEn.getByTestId('ci-options')).toContainText('Critical system');
  await agent.keyboard.press('Enter');
  await expect(formEn.getByTestId('ci-recent')).toContainText('Recent incidents (1)');
  await shot(agent, 'ci-picked-en');
  await agent.keyboard.press('Escape');
  await apiData(agent, 'desk.setLocale', { locale: 'zh-CN' }, 'mutation');

  await apiData(lead, 'desk.setLocale', { locale: 'en' }, 'mutation');
  await lead.reload();
  await lead.getByTestId('nav-cmdb').click();
  await expect(lead.getByTestId('cmdb-table')).toContainText('Network device');
  await shot(lead, 'cmdb-list-en');
  await apiData(lead, 'desk.setLocale', { locale: 'zh-CN' }, 'mutation');
});
