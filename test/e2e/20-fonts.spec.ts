import { expect, test, type Page } from '@playwright/test';
import { createIncident, openBySearch, openDesk, unique } from './helpers.js';

// Chinese must render on a machine with no CJK system font (this one has none, on purpose): the
// console ships Noto Sans SC. A glyph the fonts lack is drawn as the same box whatever the character,
// so the proof is that two different Chinese characters, drawn in the font the UI computes, give
// different pixels, and that a Chinese string differs from a string of characters no font has.

interface Ink { family: string; distinct: boolean; notTofu: boolean; widthZh: number; widthTofu: number; loadedFaces: number; systemOnlyTofu: boolean }

async function inkOf(page: Page, selector: string): Promise<Ink> {
  return page.evaluate(async (sel) => {
    await document.fonts.ready;
    const el = document.querySelector(sel);
    if (!el) throw new Error(`no ${sel}`);
    const style = getComputedStyle(el);
    const family = style.fontFamily;
    const text = (el.textContent ?? '').replace(/[^\u4e00-\u9fff]/g, '').slice(0, 6) || '服务台';
    const draw = (fam: string, s: string) => {
      const c = document.createElement('canvas');
      c.width = 32 * s.length + 16; c.height = 40;
      const g = c.getContext('2d')!;
      g.font = `24px ${fam}`; g.fillStyle = '#000'; g.textBaseline = 'top';
      g.fillText(s, 4, 6);
      const alpha = Array.from(g.getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 4 === 3));
      return { width: g.measureText(s).width, alpha: alpha.join(',') };
    };
    const tofu = '\uE000'.repeat(text.length);
    const a = draw(family, text[0]);
    const b = draw(family, text[1] ?? '台');
    const zh = draw(family, text);
    const box = draw(family, tofu);
    // The control: the same text in the system's fonts alone (a box on a machine without CJK fonts).
    const sysA = draw('sans-serif', text[0]);
    const sysB = draw('sans-serif', text[1] ?? '台');
    const loadedFaces = [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Noto Sans SC' && f.status === 'loaded').length;
    return { family, distinct: a.alpha !== b.alpha, notTofu: zh.alpha !== box.alpha, widthZh: zh.width, widthTofu: box.width, loadedFaces, systemOnlyTofu: sysA.alpha === sysB.alpha };
  }, selector);
}

test('Chinese renders with the bundled font on a machine without CJK fonts; queue and detail screenshots in zh-CN', async ({ page }, info) => {
  await openDesk(page);
  const title = `打印机卡纸无法打印 ${unique()}`;
  const inc = await createIncident(page, title, { impact: 'high', urgency: 'high' });
  await page.reload();
  await expect(page.getByTestId('queue-total')).toHaveAttribute('data-count', /\d+/);

  const queue = await inkOf(page, '.queue-head h2');
  expect(queue.family).toContain('Noto Sans SC');
  expect(queue.loadedFaces, 'the page loaded unicode-range chunks of Noto Sans SC').toBeGreaterThan(0);
  expect(queue.distinct, 'two different Chinese characters must not draw the same box').toBe(true);
  expect(queue.notTofu).toBe(true);
  info.annotations.push({ type: 'system CJK font', description: queue.systemOnlyTofu ? 'none (the system fonts alone draw boxes)' : 'present' });
  console.log(`system CJK font: ${queue.systemOnlyTofu ? 'none: the system fonts alone draw the same box for different characters' : 'present'}; bundled font widths zh ${queue.widthZh.toFixed(0)} px vs boxes ${queue.widthTofu.toFixed(0)} px`);
  await page.screenshot({ path: info.outputPath('queue-zh-CN.png') });

  await openBySearch(page, inc.number.split('-')[1], inc.number);
  const detail = page.getByTestId('incident-detail');
  await expect(detail).toHaveAttribute('data-number', inc.number);
  await expect(page.getByTestId('detail-title')).toHaveText(title);
  const d = await inkOf(page, '[data-testid="detail-title"]');
  expect(d.distinct).toBe(true);
  expect(d.notTofu).toBe(true);
  await page.screenshot({ path: info.outputPath('detail-zh-CN.png') });

  // Only the chunks the screen uses were fetched, not all of the font's ~100.
  const chunks = await page.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
    .filter((r) => /noto-sans-sc-.*\.woff2/.test(r.name)).map((r) => r.encodedBodySize));
  const fetched = chunks.length;
  info.annotations.push({ type: 'font chunks fetched for queue + detail', description: `${fetched} of ~100, ${Math.round(chunks.reduce((a, b) => a + b, 0) / 1024)} KB` });
  console.log(`font chunks fetched for queue + detail: ${fetched}, ${Math.round(chunks.reduce((a, b) => a + b, 0) / 1024)} KB`);
  expect(fetched).toBeGreaterThan(0);
  expect(fetched).toBeLessThan(60);
});
