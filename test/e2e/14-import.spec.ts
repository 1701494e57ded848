import { expect, test } from '@playwright/test';
import { apiData, openDesk, unique } from './helpers.js';

// Issue #4.3: import from a file. A file with one bad row shows that row's line and column, and its
// import is refused (nothing written); the fixed file previews clean and imports every row.

const incidentCount = async (page: import('@playwright/test').Page) =>
  (await apiData<{ incidentCount: number }>(page, 'desk.info', undefined, 'query')).incidentCount;

const HEAD = ['单号 / Number', '请求者 / Requester', '部门 / Department', '分类 / Category', '标题 / Title', '影响度 / Impact', '紧急度 / Urgency', '状态 / Status', '报告时间 / Reported', '关闭时间 / Closed'];
const rows = (tag: string, badReported = false) => [
  [`OLD-${tag}-1`, '李雷', '财务部', '硬件', '打印机卡纸', '高', '中', '已关闭', '2025-03-03 09:00', '2025-03-03 12:00'],
  [`OLD-${tag}-2`, '韩梅梅', '销售部', '软件', '邮箱无法登录', '中', '中', '新建', badReported ? '昨天上午' : '2025-03-04 10:00', ''],
  [`OLD-${tag}-3`, 'Zhao Min', 'IT', 'network', 'VPN drops every hour', 'low', 'low', 'closed', '2025-03-05 14:00', '2025-03-06 09:00'],
];
const csv = (r: string[][]) => Buffer.from('\uFEFF' + [HEAD, ...r].map((x) => x.join(',')).join('\r\n') + '\r\n', 'utf8');

test('import: one bad row is named by line and column and nothing is imported; fixed, every row imports', async ({ page }) => {
  await openDesk(page);
  const tag = unique();
  const before = await incidentCount(page);

  await page.keyboard.press('Alt+4');
  const view = page.getByTestId('import-view');
  await expect(view).toBeVisible();
  // The template, in Chinese, as XLSX.
  const [download] = await Promise.all([page.waitForEvent('download'), view.getByTestId('template-xlsx-zh').click()]);
  expect(download.suggestedFilename()).toBe('事件导入模板.xlsx');

  await view.getByTestId('import-file').setInputFiles({ name: `旧系统导出-${tag}.csv`, mimeType: 'text/csv', buffer: csv(rows(tag, true)) });

  const preview = view.getByTestId('import-preview');
  await expect(preview).toHaveAttribute('data-ok', 'false');
  await expect(preview.getByTestId('count-errors')).toHaveAttribute('data-count', '1');
  await expect(preview.getByTestId('count-create')).toHaveAttribute('data-count', '0');
  const bad = preview.getByTestId('import-error');
  await expect(bad).toHaveCount(1);
  await expect(bad).toHaveAttribute('data-line', '3');
  await expect(bad).toHaveAttribute('data-column', '报告时间 / Reported');
  await expect(bad).toContainText('昨天上午');
  await expect(view.getByTestId('import-commit')).toBeDisabled();
  await page.screenshot({ path: test.info().outputPath('import-preview-errors-zh-CN.png'), fullPage: true });
  expect(await incidentCount(page)).toBe(before);

  // The fixed file: a clean preview, then the import with its result counts.
  await view.getByTestId('import-file').setInputFiles({ name: `旧系统导出-${tag}.csv`, mimeType: 'text/csv', buffer: csv(rows(tag)) });
  await expect(preview).toHaveAttribute('data-ok', 'true');
  await expect(preview.getByTestId('count-create')).toHaveAttribute('data-count', '3');
  await expect(preview.getByTestId('count-errors')).toHaveAttribute('data-count', '0');
  await expect(preview.getByTestId('import-sample').locator('tbody tr')).toHaveCount(3);
  await expect(preview.getByTestId('map-title')).toHaveValue('标题 / Title');
  await page.screenshot({ path: test.info().outputPath('import-preview-zh-CN.png'), fullPage: true });
  await view.getByTestId('import-commit').click();
  const result = view.getByTestId('import-result');
  await expect(result).toHaveAttribute('data-created', '3');
  await expect(result).toHaveAttribute('data-skipped', '0');
  expect(await incidentCount(page)).toBe(before + 3);
  // After the import the same file previews as already imported.
  await expect(preview.getByTestId('count-duplicates')).toHaveAttribute('data-count', '3');
  await expect(view.getByTestId('import-commit')).toBeDisabled();
});
