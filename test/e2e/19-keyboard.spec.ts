import { expect, test, type Page } from '@playwright/test';
import { apiData, createIncident, openBySearch, openDesk, tabTo, unique } from './helpers.js';

// Issue 14: every step of an incident by keyboard alone, in both languages. The mouse is never used
// (the page is driven through page.keyboard only; set-up data goes through the API). Each key press
// is counted: the figures are the ones the issue asks for (keys to record a P1 call with a known
// caller, key presses from the search box to the first queue row).

class Keys {
  presses = 0;
  typed = 0;
  constructor(private page: Page) {}
  async press(key: string) { this.presses++; await this.page.keyboard.press(key); }
  async type(text: string) { this.typed += [...text].length; await this.page.keyboard.type(text); }
  get total() { return this.presses + this.typed; }
}

const WORDS = {
  'zh-CN': { sheet: '键盘快捷键', dispatch: '分派', title: '服务器机房空调停机', note: '已通知机房值班', resolution: '重启空调并确认温度恢复' },
  en: { sheet: 'Keyboard shortcuts', dispatch: 'Dispatch', title: 'Server room air conditioning down', note: 'Called the on-duty technician', resolution: 'Restarted the unit, temperature back to normal' },
} as const;

for (const lang of ['zh-CN', 'en'] as const) {
  test(`keyboard only (${lang}): record a P1 call, find it in the queue, open, dispatch, work it to resolved and closed; ? opens the shortcut sheet`, async ({ page }, info) => {
    const w = WORDS[lang];
    await openDesk(page);
    // A known caller: someone who has called before.
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    await createIncident(page, `earlier call ${unique()}`, { requester: { name: lang === 'en' ? 'Zhou Min' : '周敏', department: '人力资源部', phone } });
    if (lang !== 'zh-CN') await apiData(page, 'desk.setLocale', { locale: lang }, 'mutation');
    await page.reload();
    await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);

    // 1. The shortcut sheet, worded in the desk's language.
    await page.keyboard.press('?');
    const sheet = page.getByTestId('shortcut-sheet');
    await expect(sheet).toBeVisible();
    await expect(sheet).toContainText(w.sheet);
    await expect(sheet.getByTestId('keys-detail')).toContainText(w.dispatch);
    await page.screenshot({ path: info.outputPath(`shortcuts-${lang}.png`) });
    // Every line of it from the locale files: no raw key, nothing missing.
    await expect(sheet).not.toContainText(/\b(keys|queueSort)\./);
    expect(await page.evaluate(() => (window as unknown as { __missingKeys?: string[] }).__missingKeys ?? [])).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();
    await page.keyboard.press('F1');
    await expect(sheet).toBeVisible();
    await page.keyboard.press('F1');
    await expect(sheet).toBeHidden();

    // 2. Record a P1 call with the known caller, counting every key.
    const keys = new Keys(page);
    await keys.press('Alt+N');
    const form = page.getByTestId('incident-form');
    await expect(page.getByTestId('caller-lookup')).toBeFocused();
    await keys.type(phone.slice(0, 7));
    await expect(page.locator('#lookup-list [role="option"]').first()).toBeVisible();
    await keys.press('Enter');
    await expect(form.locator('[data-path="requester.phone"]')).toHaveValue(phone);
    await expect(form.locator('[data-path="categoryId"]')).toBeFocused();
    await keys.press('ArrowDown');
    await expect(form.locator('[data-path="categoryId"]')).not.toHaveValue('');
    await keys.press('Alt+T');
    await expect(form.locator('[data-path="title"]')).toBeFocused();
    const title = `${w.title} ${unique()}`;
    await keys.type(title);
    await keys.press('Alt+I');
    await keys.press('ArrowUp');
    await keys.press('Alt+U');
    await keys.press('ArrowUp');
    await expect(page.getByTestId('live-priority')).toContainText('P1');
    await keys.press('Control+Enter');
    await expect(form).toBeHidden();
    const detail = page.getByTestId('incident-detail');
    await expect(page.getByTestId('detail-title')).toHaveText(title);
    const number = (await detail.getAttribute('data-number'))!;
    info.annotations.push({ type: `keys to record a P1 call with a known caller (${lang})`, description: `${keys.total} (${keys.presses} presses + ${keys.typed} typed characters, of which the title is ${[...title].length})` });
    console.log(`[${lang}] P1 call with a known caller: ${keys.total} keys = ${keys.presses} presses + ${keys.typed} typed characters (title ${[...title].length})`);
    expect(keys.presses).toBeLessThanOrEqual(10);

    // 3. Esc closes it; from the search box one shortcut reaches the first queue row, where the new P1 waits on top.
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();
    await page.keyboard.press('Control+k');
    await expect(page.getByTestId('search-input')).toBeFocused();
    const toQueue = new Keys(page);
    await toQueue.press('Alt+1');
    await expect(page.getByTestId('queue-list')).toBeFocused();
    const first = page.locator('[data-testid="queue-row"][data-index="0"]');
    await expect(first).toHaveClass(/\bactive\b/);
    // A new P1 waits on top (ours, or one of other specs' data that is due sooner).
    await expect(first.getByTestId('badge-hot')).toBeVisible();
    info.annotations.push({ type: `key presses from the search box to the first queue row (${lang})`, description: String(toQueue.total) });
    expect(toQueue.total).toBe(1);
    // For the record: the same by Tab alone (the sort headers are one Tab stop).
    await page.keyboard.press('Control+k');
    let tabs = 0;
    while (tabs < 40 && !(await page.getByTestId('queue-list').evaluate((el) => el === document.activeElement))) { await page.keyboard.press('Tab'); tabs++; }
    info.annotations.push({ type: `Tab presses from the search box to the queue list (${lang})`, description: String(tabs) });
    console.log(`[${lang}] Tab presses from the search box to the queue list: ${tabs}; with the shortcut: ${toQueue.total}`);
    await expect(page.getByTestId('queue-list')).toBeFocused();

    // ↓ / j / k move, Enter opens.
    await page.keyboard.press('j');
    await expect(page.locator('[data-testid="queue-row"][data-index="1"]')).toHaveClass(/\bactive\b/);
    await page.keyboard.press('k');
    await expect(first).toHaveClass(/\bactive\b/);
    const active = page.locator('[data-testid="queue-row"].active');
    for (let i = 0; i < 300 && (await active.getAttribute('data-number')) !== number; i++) {
      await expect(active.getByTestId('badge-hot')).toBeVisible(); // ours is among the waiting ones on top
      await page.keyboard.press('ArrowDown');
    }
    await expect(active).toHaveAttribute('data-number', number);
    await page.keyboard.press('Enter');
    await expect(detail).toHaveAttribute('data-number', number);
    await expect(detail).toHaveAttribute('data-status', 'new');

    // 4. Dispatch (D): the prompt takes the focus; Ctrl+Enter confirms.
    await page.keyboard.press('d');
    await expect(page.getByTestId('transition-prompt')).toBeVisible();
    await expect(page.getByTestId('transition-prompt').locator(':focus')).toHaveCount(1);
    await page.keyboard.press('Control+Enter');
    await expect(detail).toHaveAttribute('data-status', 'assigned');

    // 5. Start work (S), a work note (W), resolve (R) with its resolution, close (C).
    await page.keyboard.press('s');
    await expect(detail).toHaveAttribute('data-status', 'in_progress');
    await page.keyboard.press('w');
    await expect(page.getByTestId('worklog-input')).toBeFocused();
    await page.keyboard.type(w.note);
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('worklogs')).toContainText(w.note);
    await page.keyboard.press('Tab'); // out of the note field: letters are shortcuts again
    await page.keyboard.press('r');
    const prompt = page.getByTestId('transition-prompt');
    await expect(prompt.locator('textarea')).toBeFocused();
    await page.keyboard.press('Control+a');
    await page.keyboard.type(w.resolution);
    await page.keyboard.press('Control+Enter');
    await expect(detail).toHaveAttribute('data-status', 'resolved');
    await page.keyboard.press('c');
    // closing confirms with the requester (issue 12): who and how are pre-filled, Ctrl+Enter confirms
    await expect(page.getByTestId('transition-prompt').locator(':focus')).toHaveCount(1);
    await page.keyboard.press('Control+Enter');
    await expect(detail).toHaveAttribute('data-status', 'closed');
    await expect(page.getByTestId('detail-resolution')).toHaveText(w.resolution);

    // A step the status does not offer says so instead of doing nothing.
    await page.keyboard.press('d');
    await expect(page.getByTestId('toast').last()).toBeVisible();

    // 6. Esc: back to the list, with the focus in it.
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();
    await expect(page.getByTestId('queue-list')).toBeFocused();
    await page.screenshot({ path: info.outputPath(`keyboard-${lang}.png`) });
  });
}

test('queue: headers sort by keyboard and mouse, scope/filters/sort survive a reload, a new P1 waits on top until taken', async ({ page }) => {
  await openDesk(page);
  const tag = unique();
  await createIncident(page, `aaa ${tag}`, { impact: 'low', urgency: 'low' });
  await createIncident(page, `zzz ${tag}`);
  const rows = page.getByTestId('queue-row');
  // The rows on screen (the desk may hold other specs' incidents, sample data included).
  const shown = (attr: string) => rows.evaluateAll((els, a) => els.map((e) => (a === 'title' ? e.querySelector('.title-cell')?.lastChild?.textContent ?? '' : e.getAttribute(a) ?? '')), attr);
  type Row = { number: string; status: string; priority: string };
  const order = async () => (await apiData<{ rows: Row[] }>(page, 'incident.queue', { scope: 'all', limit: 1000 }, 'query')).rows;
  const hot = (r: Row) => r.status === 'new' && (r.priority === 'P1' || r.priority === 'P2');
  // A new P1 arrives after them: among the waiting ones on top, marked as waiting.
  const p1 = await createIncident(page, `P1 ${tag}`, { impact: 'high', urgency: 'high' });
  await page.reload();
  let all = await order();
  const at = all.findIndex((r) => r.number === p1.number);
  expect(at).toBeGreaterThanOrEqual(0);
  expect(all.slice(0, at).every(hot)).toBe(true);
  await expect(rows.first().getByTestId('badge-hot')).toBeVisible();

  // Number header by keyboard: the headers are one Tab stop (the sorted column); ← / → move, Enter sorts, Enter again reverses.
  const byNumber = page.getByTestId('sort-number');
  await page.getByTestId('scope-all').focus();
  await tabTo(page, page.getByTestId('sort-due'));
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('queue-list')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('sort-due')).toBeFocused();
  await page.keyboard.press('ArrowRight'); // wraps round: due → priority
  await page.keyboard.press('ArrowRight'); // → number
  await expect(byNumber).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('queue-sort')).toHaveAttribute('data-sort', 'number');
  await expect(byNumber).toHaveAttribute('aria-pressed', 'true');
  const sortedAsc = async (attr: string) => { const v = await shown(attr); return v.length > 1 && v.join('\n') === [...v].sort().join('\n'); };
  const sortedDesc = async (attr: string) => { const v = await shown(attr); return v.length > 1 && v.join('\n') === [...v].sort().reverse().join('\n'); };
  await expect.poll(() => sortedAsc('data-number')).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('queue-sort')).toHaveAttribute('data-dir', 'desc');
  await expect.poll(() => sortedDesc('data-number')).toBe(true);
  // Title by a click.
  await page.getByTestId('sort-title').click();
  await expect(page.getByTestId('queue-sort')).toHaveAttribute('data-sort', 'title');
  await expect.poll(() => sortedAsc('title')).toBe(true);

  // Scope, a filter and the sort are kept across a reload.
  await page.getByTestId('scope-mine').click();
  await page.getByTestId('filter-channel').selectOption('phone');
  await page.reload();
  await expect(page.getByTestId('scope-mine')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('filter-channel')).toHaveValue('phone');
  await expect(page.getByTestId('queue-sort')).toHaveAttribute('data-sort', 'title');
  await expect(page.getByTestId('sort-title')).toHaveAttribute('aria-pressed', 'true');

  // Back to the default order (the SLA column), and the P1 is taken: no longer on top by waiting.
  await page.getByTestId('sort-due').click();
  await expect(page.getByTestId('queue-sort')).toHaveAttribute('data-sort', 'urgency');
  await apiData(page, 'incident.transition', { id: p1.id, to: 'in_progress' }, 'mutation');
  all = await order();
  const taken = all.findIndex((r) => r.number === p1.number);
  expect(all.slice(taken + 1).some(hot)).toBe(false);
  expect(taken).toBeGreaterThanOrEqual(all.filter(hot).length);
});

test('call form: limits and formats named as typed (same words as the desk), recent incidents open, a long title wraps in the detail', async ({ page }) => {
  await openDesk(page);
  const phone = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const earlier = await createIncident(page, `先前的来电 ${unique()}`, { requester: { name: '吴刚', department: '财务部', phone } });
  await page.keyboard.press('Alt+N');
  const form = page.getByTestId('incident-form');
  await expect(page.getByTestId('caller-lookup')).toBeFocused();

  // A phone "abc" is refused at once, in the words the desk's own check uses.
  const phoneField = form.locator('[data-path="requester.phone"]');
  await phoneField.focus();
  await page.keyboard.type('abc');
  await expect(page.getByTestId('error-requester.phone')).toHaveText('电话：不是有效的电话号码');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('010-8888 6666');
  await expect(page.getByTestId('error-requester.phone')).toHaveCount(0);

  // The title stops at 200 characters and says how many are left.
  const titleField = form.locator('[data-path="title"]');
  await titleField.focus();
  await page.keyboard.insertText('长'.repeat(199) + 'ABCDEFG');
  await expect(titleField).toHaveValue('长'.repeat(199) + 'A');
  await expect(page.getByTestId('title-count')).toHaveText('200 / 200');

  // A known caller's recent incidents open with Enter (the form is kept as a draft).
  const lookup = page.getByTestId('caller-lookup');
  await lookup.focus();
  await page.keyboard.type(phone.slice(0, 8));
  await expect(page.locator('#lookup-list [role="option"]').first()).toBeVisible();
  await page.keyboard.press('Enter');
  const recent = form.locator(`[data-testid="recent-incident"][data-number="${earlier.number}"]`);
  await expect(recent).toBeVisible();
  await recent.focus();
  await page.keyboard.press('Enter');
  await expect(form).toBeHidden();
  await expect(page.getByTestId('incident-detail')).toHaveAttribute('data-number', earlier.number);

  // A long unbroken title wraps inside the detail header.
  const long = await createIncident(page, 'X'.repeat(200));
  await page.reload();
  await openBySearch(page, long.number.split('-')[1], long.number);
  const title = page.getByTestId('detail-title');
  await expect(title).toHaveText('X'.repeat(200));
  const fits = await page.evaluate(() => {
    const head = document.querySelector('.detail-head')!;
    const t = document.querySelector('[data-testid="detail-title"]')!;
    return { scroll: t.scrollWidth, client: t.clientWidth, headRight: head.getBoundingClientRect().right, titleRight: t.getBoundingClientRect().right, lines: Math.round(t.getBoundingClientRect().height / 20) };
  });
  expect(fits.scroll).toBeLessThanOrEqual(fits.client);
  expect(fits.titleRight).toBeLessThanOrEqual(fits.headRight);
  expect(fits.lines).toBeGreaterThan(1);

  // The draft came back with the form: the caller picked and the title typed.
  await page.keyboard.press('Alt+N');
  await expect(form.locator('[data-path="requester.phone"]')).toHaveValue(phone);
  await expect(form.locator('[data-path="title"]')).toHaveValue('长'.repeat(199) + 'A');
});
