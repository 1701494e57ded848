import { expect, test, type Page } from '@playwright/test';
import { apiData, createIncident, openDesk, unique } from './helpers.js';

// Issue 14, item 5 and issue 11: an imported event log is history, not live work — out of Mine and
// My group, after the live work in All with an "Imported" badge and no SLA clock — unless the person
// importing makes its open cases live; and each imported event shows its own source columns in the
// incident's history, worded in zh-CN and in English.

const HEAD = 'Case ID,Timestamp,Status,Sub status,Group,Owner,Impact,Product,Org line,Role,Country,Owner country,Ticket channel';
/** Two cases of the log: H-1 still open (waiting on the user) in the desk's own group, H-2 closed elsewhere. */
function log(tag: string, group: string): Buffer {
  const rows = [
    `H1-${tag},2026-09-01T08:00:00+08:00,Queued,Awaiting Assignment,${group},Anna,Medium,PRODH${tag},Org line A,A2_1,cn,China,phone`,
    `H1-${tag},2026-09-01T09:30:00+08:00,Accepted,Wait - User,${group},Björn,Medium,PRODH${tag},Org line B,A2_4,se,Sweden,`,
    `H2-${tag},2026-09-02T08:00:00+08:00,Accepted,In Progress,V5 2nd,Chen,Low,PRODH${tag},Org line C,B1,fr,France,mail`,
    `H2-${tag},2026-09-02T11:00:00+08:00,Completed,Closed,V5 2nd,Chen,Low,PRODH${tag},Org line C,B1,fr,France,mail`,
  ];
  return Buffer.from([HEAD, ...rows].join('\r\n') + '\r\n', 'utf8');
}

async function importLog(page: Page, name: string, content: Buffer, live: boolean) {
  await page.getByTestId('nav-import').click();
  const view = page.getByTestId('import-view');
  await view.getByTestId('import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: content });
  const preview = view.getByTestId('import-preview');
  await expect(preview).toHaveAttribute('data-ok', 'true');
  await expect(preview.getByTestId('count-create')).toHaveAttribute('data-count', '2');
  const liveBox = view.getByTestId('import-live-open');
  await expect(liveBox).not.toBeChecked(); // history is the default
  if (live) await liveBox.check();
  return view;
}

/** The incident an import made from a case: found through search by its unique product (the title is `PRODH… · H1-…`). */
async function numberOf(page: Page, tag: string, caseId: string): Promise<string> {
  const hits = await apiData<{ rows: Array<{ number: string; title: string }> }>(page, 'incident.search', { q: `PRODH${tag}`, limit: 10 }, 'query');
  const hit = hits.rows.find((r) => r.title.endsWith(caseId));
  if (!hit) throw new Error(`no incident for ${caseId}`);
  return hit.number;
}

const row = (page: Page, number: string) => page.locator(`[data-testid="queue-row"][data-number="${number}"]`);
/** To the end of the (virtualised) list by keyboard, where imported history follows the live work. */
async function toEnd(page: Page) {
  // the list as filtered (scope, status and sort are kept across reloads): pages loaded, then to its end
  const total = page.getByTestId('queue-total');
  await expect(total).toHaveAttribute('data-count', /\d+/);
  const want = Number(await total.getAttribute('data-count'));
  await expect(page.getByTestId('queue-row').first()).toBeVisible();
  await expect(async () => {
    await page.getByTestId('queue-list').focus();
    await page.keyboard.press('Home'); // (End alone does nothing when the last row is already the active one)
    await page.keyboard.press('End');
    const last = await page.getByTestId('queue-row').evaluateAll((els) => Math.max(...els.map((e) => Number(e.getAttribute('data-index')))));
    expect(last).toBe(want - 1);
  }).toPass({ timeout: 15_000 });
}
/** The rendered rows in list order: number and SLA cell. */
const rendered = (page: Page) => page.getByTestId('queue-row').evaluateAll((els) => els
  .map((e) => ({ index: Number(e.getAttribute('data-index')), number: e.getAttribute('data-number'), sla: e.querySelector('[data-testid="sla"]')?.textContent ?? '' }))
  .sort((a, b) => a.index - b.index));
async function showScope(page: Page, scope: 'mine' | 'group' | 'all') {
  await page.getByTestId(`scope-${scope}`).click();
  await expect(page.getByTestId(`scope-${scope}`)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);
}

test('imported history stays out of Mine and My group, follows live work in All, and shows each event\'s source columns in zh-CN and English', async ({ page }) => {
  await openDesk(page);
  const tag = unique();
  const info = await apiData<{ user: { groupName: string } }>(page, 'desk.info', undefined, 'query');
  const group = info.user.groupName;
  // live work of the same kind: pending on its requester, in the desk user's group
  const live = await createIncident(page, `在办事件 ${tag}`);
  await apiData(page, 'incident.transition', { id: live.id, to: 'pending', pendingReason: 'requester', reason: '等待用户回复' }, 'mutation');

  // 1. the default: history
  const view = await importLog(page, `history-${tag}.csv`, log(tag, group), false);
  await page.screenshot({ path: test.info().outputPath('import-history-choice-zh-CN.png'), fullPage: true });
  await view.getByTestId('import-commit').click();
  await expect(view.getByTestId('import-result')).toHaveAttribute('data-created', '2');
  const h1 = await numberOf(page, tag, `H1-${tag}`);

  await page.getByTestId('nav-queue').click();
  await page.getByTestId('filter-status').selectOption('pending'); // a short list: the imported open case waits on its user
  await showScope(page, 'mine');
  await expect(row(page, h1)).toHaveCount(0);
  await showScope(page, 'group'); // its group is the desk user's own, and still it is not "my group"'s work
  await expect(row(page, h1)).toHaveCount(0);
  await showScope(page, 'all');
  await toEnd(page);
  await expect(row(page, h1)).toBeVisible();
  await expect(row(page, h1).getByTestId('badge-imported')).toHaveText('导入');
  await expect(row(page, h1).getByTestId('sla')).toHaveText('历史'); // not "已超时 …"
  // after every live pending incident: from the first history row on, only history
  const list = await rendered(page);
  const first = list.findIndex((r) => r.sla === '历史');
  expect(list.slice(first).every((r) => r.sla === '历史')).toBe(true);
  expect(list.findIndex((r) => r.number === h1)).toBeGreaterThanOrEqual(first);
  // the whole list, as the queue pages it: the live pending incident before the imported one, history last
  const all = (await apiData<{ rows: Array<{ number: string; origin: string; ownerId: string }> }>(page, 'incident.queue',
    { scope: 'all', statuses: ['pending'], offset: 0, limit: 1000 }, 'query')).rows;
  const hist = (r: { origin: string; ownerId: string }) => r.origin === 'import' && r.ownerId !== 'import:live';
  expect(all.findIndex((r) => r.number === live.number)).toBeLessThan(all.findIndex((r) => r.number === h1));
  expect(all.slice(all.findIndex(hist)).every(hist)).toBe(true);
  await page.screenshot({ path: test.info().outputPath('import-history-queue-zh-CN.png'), fullPage: true });

  // 2. the history's source facts, in zh-CN
  await page.getByTestId('filter-status').selectOption('pending');
  await toEnd(page);
  await row(page, h1).click();
  const detail = page.getByTestId('incident-detail');
  await expect(detail).toHaveAttribute('data-number', h1);
  const facts = detail.getByTestId('history-source');
  await expect(facts).toHaveCount(2);
  await expect(facts.nth(0)).toContainText('组织线Org line A');
  await expect(facts.nth(0)).toContainText('处理人国家China');
  await expect(facts.nth(0)).toContainText('其他列Ticket channel: phone');
  await expect(facts.nth(1)).toContainText('子状态Wait - User');
  await expect(facts.nth(1)).toContainText('组织线Org line B');
  await expect(facts.nth(1)).toContainText('职能A2_4');
  await expect(detail.getByTestId('detail-owner')).toHaveText('Björn（源系统）');
  await facts.nth(1).scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('import-history-detail-zh-CN.png') });

  // … and in English
  await apiData(page, 'desk.setLocale', { locale: 'en' }, 'mutation');
  await page.reload();
  await page.getByTestId('scope-all').click();
  await page.getByTestId('filter-status').selectOption('pending');
  await toEnd(page);
  await expect(row(page, h1).getByTestId('badge-imported')).toHaveText('Imported');
  await expect(row(page, h1).getByTestId('sla')).toHaveText('History');
  await row(page, h1).click();
  await expect(detail).toHaveAttribute('data-number', h1);
  await expect(facts.nth(1)).toContainText('Org lineOrg line B');
  await expect(facts.nth(1)).toContainText('Owner countrySweden');
  await expect(facts.nth(1)).toContainText('FunctionA2_4');
  await expect(detail.getByTestId('detail-owner')).toHaveText('Björn (in the source)');
  await facts.nth(1).scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('import-history-detail-en.png') });

  // 3. chosen live: the open case of a second log is live work of its group
  const tag2 = unique();
  const view2 = await importLog(page, `live-${tag2}.csv`, log(tag2, group), true);
  await view2.getByTestId('import-commit').click();
  await expect(view2.getByTestId('import-result')).toHaveAttribute('data-created', '2');
  await expect(view2.getByTestId('import-result')).toContainText('open incidents made live work: 1');
  const liveH1 = await numberOf(page, tag2, `H1-${tag2}`);
  await page.getByTestId('nav-queue').click();
  await page.getByTestId('filter-status').selectOption('pending');
  await showScope(page, 'group');
  await expect(row(page, liveH1)).toBeVisible();
  await expect(row(page, liveH1).getByTestId('sla')).not.toHaveText('History'); // a live SLA clock
  await expect(row(page, h1)).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('import-live-group-en.png'), fullPage: true });
  await apiData(page, 'desk.setLocale', { locale: 'zh-CN' }, 'mutation');
});
