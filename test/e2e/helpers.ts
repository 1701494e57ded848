import { expect, type Locator, type Page } from '@playwright/test';

/** Calls the desk API from inside the page, as the renderer's own origin would (tRPC over HTTP, no batching). */
export async function callApi<T = unknown>(page: Page, path: string, input: unknown, kind: 'query' | 'mutation'): Promise<{ status: number; json: { result?: { data: T }; error?: { message: string; data?: { issues?: Array<{ path: string; message: string }> } } } }> {
  return page.evaluate(async ({ path, input, kind }) => {
    const res = kind === 'query'
      ? await fetch(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input ?? {}))}`)
      : await fetch(`/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input ?? {}) });
    return { status: res.status, json: await res.json() };
  }, { path, input, kind });
}

export async function apiData<T>(page: Page, path: string, input: unknown, kind: 'query' | 'mutation'): Promise<T> {
  const { json } = await callApi<T>(page, path, input, kind);
  if (!json.result) throw new Error(`${path} failed: ${json.error?.message}`);
  return json.result.data;
}

/** Open the desk; on a desk nobody has set up yet (a spec run on its own), set it up through the API. */
export async function openDesk(page: Page) {
  await page.goto('/');
  const info = await apiData<{ user: unknown; locale: string }>(page, 'desk.info', undefined, 'query');
  let reload = false;
  if (!info.user) {
    await apiData(page, 'desk.setup', { name: '测试员', role: 'agent', group: '服务台一组', locale: 'zh-CN' }, 'mutation');
    reload = true;
  }
  if (info.locale !== 'zh-CN') {
    await apiData(page, 'desk.setLocale', { locale: 'zh-CN' }, 'mutation');
    reload = true;
  }
  if (reload) await page.reload();
  await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);
}

export interface CreatedIncident { id: string; number: string; status: string }

export async function createIncident(page: Page, title: string, extra: Record<string, unknown> = {}): Promise<CreatedIncident> {
  return apiData<CreatedIncident>(page, 'incident.create', {
    channel: 'phone', requester: { name: '周敏', department: '人力资源部', phone: '13911112222' }, serviceType: 'fault',
    categoryId: 'hardware', title, description: '', impact: 'medium', urgency: 'medium', ...extra,
  }, 'mutation');
}

/** Keyboard only: press Tab until `target` has focus (fails if it never does). */
export async function tabTo(page: Page, target: Locator, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

export async function queueCount(page: Page): Promise<number> {
  const total = page.getByTestId('queue-total');
  await expect(total).toHaveAttribute('data-count', /\d+/);
  return Number(await total.getAttribute('data-count'));
}

/** Find an incident through the search box and open it. */
export async function openBySearch(page: Page, q: string, number: string) {
  await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);
  await page.keyboard.press('Control+k');
  const box = page.getByTestId('search-input');
  await expect(box).toBeFocused();
  await box.fill(q);
  const hit = page.locator(`[data-testid="search-hit"][data-number="${number}"]`);
  await expect(hit).toBeVisible();
  await hit.click();
  await expect(page.getByTestId('incident-detail')).toHaveAttribute('data-number', number);
}

export const unique = () => Math.random().toString(36).slice(2, 8);

/**
 * The queue row of an incident, brought into the rendered (virtualised) part of the list: specs run
 * one after another on one desk, so earlier specs' incidents (hundreds of sample ones) may come
 * first in the urgency order. Moves through the list by keyboard until the row is rendered.
 */
export async function revealRow(page: Page, number: string): Promise<Locator> {
  const row = page.locator(`[data-testid="queue-row"][data-number="${number}"]`);
  await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);
  if (await row.count()) return row;
  const list = page.getByTestId('queue-list');
  await list.focus();
  await page.keyboard.press('Home');
  await expect(async () => {
    if (await row.count()) return;
    await list.focus();
    await page.keyboard.press('PageDown');
    expect(await row.count()).toBeGreaterThan(0);
  }).toPass({ timeout: 30_000 });
  return row;
}
