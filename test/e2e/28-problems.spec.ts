import { expect, test, type Page } from '@playwright/test';
import { apiData, createIncident, openBySearch, unique } from './helpers.js';
import { Central, closePages, consolePage, signInThroughUi, startConsole, syncNow, type Console } from './world.js';

// Issue 12, item 6: second line raises a problem from an incident it cannot solve, links a second
// incident with the picker (typed, never free text), plans a change with a window (an end before
// the start is refused naming the field), and resolves the problem: its linked open incidents are
// offered and resolved. Screens in Chinese and English.

test.describe.configure({ timeout: 120_000 });

let central: Central;
let desk: Console;

test.beforeAll(async () => {
  central = await new Central().start();
  await central.user('bob', 'bob-pass-1', 'technician', '网络组');
  desk = await startConsole();
});
test.afterEach(closePages);
test.afterAll(async () => {
  await desk?.dispose();
  await central?.dispose();
});

const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`) });
/** Opens an incident through the search box, then empties the box (its list would come back over the screen after the next write). */
async function open(page: Page, q: string, number: string) {
  await openBySearch(page, q, number);
  const box = page.getByTestId('search-input');
  await box.fill('');
  await box.press('Escape');
}

test('a problem raised from an incident, a second incident linked by picker, a change with a window, the problem resolved with its incidents', async ({ browser }) => {
  const tag = unique();
  const page = await consolePage(browser);
  await signInThroughUi(page, desk, central.url, 'bob', 'bob-pass-1');
  const one = await createIncident(page, `VPN 频繁掉线 ${tag}`);
  const two = await createIncident(page, `VPN 连接超时 ${tag}`);

  // Raise a problem from the first incident.
  await open(page, `频繁掉线 ${tag}`, one.number);
  const detail = page.getByTestId('incident-detail');
  await detail.getByTestId('raise-problem').click();
  const prompt = detail.getByTestId('raise-problem-prompt');
  await expect(prompt.getByTestId('raise-problem-title')).toHaveValue(`VPN 频繁掉线 ${tag}`);
  await prompt.getByTestId('raise-problem-title').fill(`VPN 网关证书过期 ${tag}`);
  await prompt.getByTestId('raise-problem-root-cause').fill('网关证书已过期');
  await prompt.getByTestId('raise-problem-workaround').fill('重新导入网关证书后重连');
  await shot(page, 'raise-problem-zh-CN');
  await prompt.getByTestId('raise-problem-workaround').press('Control+Enter');
  await expect(prompt).toHaveCount(0);
  const link = detail.getByTestId('detail-problem-open');
  await expect(link).toContainText(`VPN 网关证书过期 ${tag}`);
  const number = (await link.textContent())!.trim().split(' ')[0];
  expect(number).toMatch(/^PRB-[0-9A-Z]{6}-00001$/);
  await expect(detail.getByTestId('raise-problem')).toHaveCount(0); // one problem per incident

  // Link the second incident with the picker: typed, offered, Enter picks (it does not save).
  await open(page, `连接超时 ${tag}`, two.number);
  await detail.getByTestId('edit-incident').click();
  const edit = page.getByTestId('edit-form');
  await edit.getByTestId('edit-problem').fill('证书');
  await expect(edit.getByTestId('edit-problem-options')).toContainText(number);
  await edit.getByTestId('edit-problem-options').scrollIntoViewIfNeeded();
  await shot(page, 'problem-picker-zh-CN');
  await edit.getByTestId('edit-problem').press('Enter');
  await expect(edit.getByTestId('edit-problem-picked')).toContainText(number);
  await expect(edit).toBeVisible();
  await edit.getByTestId('save-edit').click();
  await expect(edit).toHaveCount(0);
  await expect(detail.getByTestId('detail-problem')).toContainText(number);

  // A change record with a planned window, linked to the problem (Alt+9: problems and changes).
  await page.keyboard.press('Alt+9');
  const view = page.getByTestId('problems-view');
  await expect(view).toBeVisible();
  await view.getByTestId('records-tab-changes').click();
  await view.getByTestId('change-new').click();
  const form = view.getByTestId('change-form');
  await form.getByTestId('change-title').fill(`更换 VPN 网关证书 ${tag}`);
  await form.getByTestId('change-start').fill('2026-12-10T22:00');
  await form.getByTestId('change-end').fill('2026-12-10T21:00');
  await form.getByTestId('change-problem-picker').fill(tag);
  await expect(form.getByTestId('change-problem-picker-options')).toContainText(number);
  await form.getByTestId('change-problem-picker').press('Enter');
  await expect(form.getByTestId('change-problem')).toContainText(number);
  await form.getByTestId('change-create').click();
  await expect(form).toContainText('计划结束：计划结束必须晚于计划开始');
  await shot(page, 'change-window-refused-zh-CN');
  await form.getByTestId('change-end').fill('2026-12-10T23:30');
  await form.getByTestId('change-create').click();
  const change = view.getByTestId('change-detail');
  await expect(change.getByTestId('change-number')).toHaveText(/^CHG-[0-9A-Z]{6}-00001$/);
  await expect(change.getByTestId('change-window')).toContainText('22:00');
  await expect(change.getByTestId('change-window')).toContainText('23:30');
  await expect(change.getByTestId('change-problems')).toContainText(number);
  await shot(page, 'change-zh-CN');

  // Resolve the problem: both linked open incidents are offered, checked, with the workaround as the text.
  await view.getByTestId('records-tab-problems').click();
  await view.locator(`[data-testid="problem-row"][data-number="${number}"]`).click();
  const problem = view.getByTestId('problem-detail');
  await expect(problem.getByTestId('linked-incident')).toHaveCount(2);
  await problem.getByTestId('problem-resolve').click();
  const dialog = problem.getByTestId('resolve-problem-dialog');
  await expect(dialog.getByTestId('resolve-incident')).toHaveCount(2);
  for (const box of await dialog.getByTestId('resolve-incident').all()) await expect(box).toBeChecked();
  await expect(dialog.getByTestId('resolve-problem-text')).toHaveValue('重新导入网关证书后重连');
  await shot(page, 'resolve-problem-zh-CN');
  await dialog.getByTestId('resolve-problem-confirm').click();
  await expect(dialog.getByTestId('resolve-result-ok')).toHaveCount(2);
  await shot(page, 'resolve-problem-done-zh-CN');
  await dialog.getByTestId('resolve-problem-close').click();
  await expect(problem).toHaveAttribute('data-status', 'resolved');
  await expect(problem.locator('[data-testid="linked-incident"][data-status="resolved"]')).toHaveCount(2);
  for (const inc of [one, two]) {
    const d = await apiData<{ incident: { status: string; resolution: string; problemId: string } }>(page, 'incident.get', { id: inc.id }, 'query');
    expect(d.incident).toMatchObject({ status: 'resolved', resolution: '重新导入网关证书后重连' });
  }

  // The server holds the same: the problem resolved, both incidents resolved and linked to it by id.
  await syncNow(page);
  const server = async () => central.server!.storage.read(async (q) => {
    const p = await q.get<{ id: string; status: string }>('SELECT id, status FROM problems WHERE number = ?', [number]);
    const incs = await q.all<{ data: string }>('SELECT data FROM incidents WHERE id IN (?, ?)', [one.id, two.id]);
    return { status: p?.status, linked: incs.map((r) => JSON.parse(r.data) as { status: string; problemId: string | null }).filter((i) => i.status === 'resolved' && i.problemId === p?.id).length };
  });
  await expect.poll(server, { timeout: 15_000 }).toEqual({ status: 'resolved', linked: 2 });

  const missing = () => page.evaluate(() => (window as unknown as { __missingKeys?: string[] }).__missingKeys ?? []);
  expect(await missing()).toEqual([]);

  // English
  await apiData(page, 'desk.setLocale', { locale: 'en' }, 'mutation');
  await page.reload();
  await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);
  await page.keyboard.press('Alt+9');
  await view.locator(`[data-testid="problem-row"][data-number="${number}"]`).click();
  await expect(problem).toContainText('Linked incidents (0 open of 2)');
  await expect(problem.getByTestId('problem-status')).toHaveText('Resolved');
  await expect(problem.getByTestId('record-history')).toContainText('bob');
  await shot(page, 'problem-en');
  await view.getByTestId('records-tab-changes').click();
  await view.locator('[data-testid="change-row"]').first().click();
  await expect(view.getByTestId('change-detail')).toContainText('Planned window');
  await shot(page, 'change-en');
  await page.keyboard.press('Alt+1');
  await open(page, `连接超时 ${tag}`, two.number);
  await expect(detail.getByTestId('detail-problem')).toContainText(number);
  await shot(page, 'incident-problem-en');
  expect(await missing()).toEqual([]);
  await apiData(page, 'desk.setLocale', { locale: 'zh-CN' }, 'mutation');
});
