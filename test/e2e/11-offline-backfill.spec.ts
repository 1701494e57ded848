import { expect, test, type Page } from '@playwright/test';
import { apiData, unique } from './helpers.js';
import { openGrid, typeGridRow } from './grid.js';
import { Central, closePages, consolePage, gridTime, signInThroughUi, startConsole, syncNow, type Console } from './world.js';

// Issue #4: a technician works with the server down — three incidents recorded live, two back-filled
// from paper through the batch grid with yesterday's times — and after sync a second console sees all
// five with their numbers and times; the back-filled ones are marked 补录 and their SLA runs from the
// reported time (already overdue).

test.describe.configure({ timeout: 90_000 });

let central: Central;
let deskA: Console;
let deskB: Console;

test.beforeAll(async () => {
  central = await new Central().start();
  await central.user('zhang.tech', 'tech-pass-1', 'technician', '二线支持');
  await central.user('li.lead', 'lead-pass-1', 'lead', '服务台一组');
  [deskA, deskB] = await Promise.all([startConsole(), startConsole()]);
});
test.afterEach(closePages);
test.afterAll(async () => {
  await deskA?.dispose();
  await deskB?.dispose();
  await central?.dispose();
});


async function recordViaForm(page: Page, title: string, category: string): Promise<string> {
  await page.keyboard.press('Alt+N');
  const form = page.getByTestId('incident-form');
  await form.getByLabel('请求者姓名 *').fill('机房值班');
  await form.getByLabel('分类 *').selectOption({ label: category });
  await form.getByLabel('标题 *').fill(title);
  await form.getByLabel('标题 *').press('Control+Enter');
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId('detail-title')).toHaveText(title);
  return (await page.getByTestId('detail-number').textContent())!.trim();
}

test('offline: three recorded and two back-filled from paper; after sync the other console has all five, numbers, times, 补录 and overdue SLA', async ({ browser }) => {
  const tag = unique();
  const a = await consolePage(browser);
  const b = await consolePage(browser);
  await signInThroughUi(a, deskA, central.url, 'zhang.tech', 'tech-pass-1');
  await signInThroughUi(b, deskB, central.url, 'li.lead', 'lead-pass-1');

  await central.stop();
  await syncNow(a);
  await expect(a.getByTestId('sync-online')).toHaveAttribute('data-online', 'false');

  const live: string[] = [];
  live.push(await recordViaForm(a, `机房空调告警 ${tag}`, '硬件'));
  live.push(await recordViaForm(a, `分行VPN中断 ${tag}`, '网络'));
  live.push(await recordViaForm(a, `财务系统登录慢 ${tag}`, '软件'));

  // Two from the paper log, 20 days ago (P3's 24 h run on business hours, issue 13: overdue by now).
  const reported1 = await gridTime(a, 480);
  const reported2 = await gridTime(a, 477);
  await openGrid(a, '断网期间纸面记录');
  await typeGridRow(a, 0, { reported: reported1, occurred: await gridTime(a, 481), requester: '王芳', category: '硬件', title: `UPS电池告警（纸面）${tag}` });
  await a.keyboard.press('Enter');
  await typeGridRow(a, 1, { reported: reported2, requester: '赵敏', category: '网络', title: `交换机端口down（纸面）${tag}`, reason: '现场无网络，事后补录' });
  await a.keyboard.press('Control+Enter');
  await expect(a.getByTestId('batch-saved')).toBeVisible();
  const backfilled = (await a.getByTestId('batch-saved').textContent())!.replace(/^[^：:]*[：:]\s*/, '').split('、').map((x) => x.trim());
  expect(backfilled).toHaveLength(2);

  await expect(a.getByTestId('sync-pending')).not.toHaveAttribute('data-count', '0');
  await central.start();
  await syncNow(a);
  await expect(a.getByTestId('sync-pending')).toHaveAttribute('data-count', '0');
  await syncNow(b);

  // B: all five, A's numbers; the two back-filled marked 补录 and already overdue.
  await b.keyboard.press('Alt+1');
  for (const n of live) {
    const row = b.locator(`[data-testid="queue-row"][data-number="${n}"]`);
    await expect(row).toBeVisible();
    await expect(row.getByTestId('badge-backfilled')).toHaveCount(0);
  }
  for (const n of backfilled) {
    const row = b.locator(`[data-testid="queue-row"][data-number="${n}"]`);
    await expect(row.getByTestId('badge-backfilled')).toHaveText('补录');
    await expect(row.getByTestId('sla')).toContainText('超时');
    await expect(row.getByTestId('sla')).toHaveClass(/sla-breached/);
  }
  // The same reported/occurred times on both consoles, and the right reasons.
  type Got = { incident: { number: string; reportedAt: string; occurredAt: string | null; backfilled: boolean; backfillReason: string | null; title: string } };
  const rowsA = await apiData<{ rows: Array<{ id: string; number: string }> }>(a, 'incident.queue', { scope: 'all', limit: 50 }, 'query');
  for (const [k, n] of backfilled.entries()) {
    const id = rowsA.rows.find((r) => r.number === n)!.id;
    const onA = await apiData<Got>(a, 'incident.get', { id }, 'query');
    const onB = await apiData<Got>(b, 'incident.get', { id }, 'query');
    expect(onB.incident).toMatchObject({ number: n, reportedAt: onA.incident.reportedAt, occurredAt: onA.incident.occurredAt, backfilled: true });
    expect(onB.incident.backfillReason).toBe(k === 0 ? '断网期间纸面记录' : '现场无网络，事后补录');
  }
  const first = await apiData<Got>(b, 'incident.get', { id: rowsA.rows.find((r) => r.number === backfilled[0])!.id }, 'query');
  expect(first.incident.reportedAt.slice(0, 16)).toBe(await a.evaluate((t) => new Date(t.replace(' ', 'T')).toISOString().slice(0, 16), reported1));

  // Back-fill settings: the team lead chooses which roles may back-fill (on this desk).
  await b.keyboard.press('Alt+5');
  const settings = b.getByTestId('settings-view');
  await expect(settings.getByTestId('backfill-role-technician')).toBeChecked();
  await settings.getByTestId('backfill-role-agent').uncheck();
  await settings.getByTestId('save-backfill-roles').click();
  // Saved, not merely saving: the checkboxes come back (they are disabled while the save runs) and nothing is left to save.
  await expect(settings.getByTestId('backfill-role-agent')).toBeEnabled();
  await expect(settings.getByTestId('save-backfill-roles')).toBeDisabled();
  expect((await apiData<string[]>(b, 'desk.backfillRoles', undefined, 'query')).sort()).toEqual(['admin', 'lead', 'technician']);
  // Leads may not back-fill either now: the desk refuses the batch, and the refusal (`rows.0.backfill`)
  // lands on row 1's reason cell; nothing is saved.
  await settings.getByTestId('backfill-role-lead').uncheck();
  await settings.getByTestId('save-backfill-roles').click();
  await expect(settings.getByTestId('backfill-role-lead')).toBeEnabled();
  await expect(settings.getByTestId('save-backfill-roles')).toBeDisabled();
  const countBefore = (await apiData<{ incidentCount: number }>(b, 'desk.info', undefined, 'query')).incidentCount;
  await openGrid(b, '纸面记录');
  await typeGridRow(b, 0, { reported: await gridTime(b, 2), requester: '王芳', category: '硬件', title: `不应保存 ${tag}` });
  await b.keyboard.press('Control+Enter');
  const refused = b.locator('[data-testid="batch-error"][data-row="0"][data-col="reason"]');
  await expect(refused).toHaveText('第 1 行 · 补录原因：你的角色无权补录事件');
  await expect(b.getByTestId('cell-error-0-reason')).toBeVisible();
  expect((await apiData<{ incidentCount: number }>(b, 'desk.info', undefined, 'query')).incidentCount).toBe(countBefore);

  // A technician sees the setting but cannot change it.
  await a.keyboard.press('Alt+5');
  await expect(a.getByTestId('settings-readonly')).toBeVisible();
  await expect(a.getByTestId('backfill-role-agent')).toBeDisabled();
});
