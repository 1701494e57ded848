import { expect, type Page } from '@playwright/test';

export interface GridValues { reported: string; occurred?: string; requester: string; category: string; title: string; description?: string; reason?: string }

/** Types one row of the paper-log grid with the keyboard only, starting in its first cell. */
export async function typeGridRow(page: Page, row: number, v: GridValues) {
  await expect(page.getByTestId(`cell-${row}-reportedAt`)).toBeFocused();
  const k = page.keyboard;
  await k.type(v.reported); await k.press('Tab');
  await k.type(v.occurred ?? ''); await k.press('Tab');
  await k.type(v.requester); await k.press('Tab');
  await expect(page.getByTestId(`cell-${row}-channel`)).toBeFocused();
  await k.press('Tab');
  await k.type(v.category); await k.press('Tab');
  await expect(page.getByTestId(`cell-${row}-title`)).toBeFocused();
  await k.type(v.title); await k.press('Tab');
  await k.type(v.description ?? ''); await k.press('Tab');
  await k.press('Tab'); await k.press('Tab');
  await expect(page.getByTestId(`cell-${row}-reason`)).toBeFocused();
  if (v.reason) await k.type(v.reason);
}

/** Opens the grid (Alt+3) and types the batch's back-fill reason; Enter goes to the first cell. */
export async function openGrid(page: Page, reason: string) {
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('batch-grid')).toBeVisible();
  await page.getByTestId('batch-reason').focus();
  await page.getByTestId('batch-reason').fill(reason);
  await page.keyboard.press('Enter');
}
