import { expect, test } from '@playwright/test';
import { apiData, openDesk, unique } from './helpers.js';

// Issue #4: a big import's write phase keeps the console alive. While 20,000 rows are written
// (one transaction), the progress bar keeps moving through 写入 / writing instead of standing still
// until the end, and the result then shows every row created.

const incidentCount = async (page: import('@playwright/test').Page) =>
  (await apiData<{ incidentCount: number }>(page, 'desk.info', undefined, 'query')).incidentCount;

const HEAD = ['单号 / Number', '请求者 / Requester', '分类 / Category', '标题 / Title', '影响度 / Impact', '紧急度 / Urgency', '状态 / Status', '报告时间 / Reported', '关闭时间 / Closed'];
const N = 20_000;
function bigCsv(tag: string): Buffer {
  const lines = [HEAD.join(',')];
  for (let i = 0; i < N; i++) {
    const reported = Date.UTC(2024, 0, 1) + i * 900_000;
    // closed: history only, they do not fill the open queue of the specs after this one
    lines.push([`BIG-${tag}-${i}`, `用户${i % 300}`, ['硬件', 'software', '网络'][i % 3], `历史工单 ${i}`, '中', '中', '已关闭',
      new Date(reported).toISOString(), new Date(reported + 3_600_000).toISOString()].join(','));
  }
  return Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8');
}

test('import: the progress bar moves while 20,000 rows are written', async ({ page }) => {
  test.setTimeout(120_000);
  await openDesk(page);
  const tag = unique();
  const before = await incidentCount(page);

  await page.keyboard.press('Alt+4');
  const view = page.getByTestId('import-view');
  await view.getByTestId('import-file').setInputFiles({ name: `历史-${tag}.csv`, mimeType: 'text/csv', buffer: bigCsv(tag) });
  const preview = view.getByTestId('import-preview');
  await expect(preview).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  await expect(preview.getByTestId('count-create')).toHaveAttribute('data-count', String(N));

  await view.getByTestId('import-commit').click();
  const bar = view.getByTestId('import-progress');
  const result = view.getByTestId('import-result');
  // sample the bar until the result shows: the rows written so far, while the write is under way
  const seen = new Set<number>();
  while (!(await result.isVisible())) {
    const done = Number(await bar.getAttribute('aria-valuenow', { timeout: 1_000 }).catch(() => null));
    const text = await bar.textContent({ timeout: 1_000 }).catch(() => '');
    if (done > 0 && done < N && text?.includes('写入')) seen.add(done);
    await page.waitForTimeout(50);
  }
  expect(seen.size).toBeGreaterThanOrEqual(2);
  await expect(result).toHaveAttribute('data-created', String(N));
  expect(await incidentCount(page)).toBe(before + N);
});
