import { describe, expect, it } from 'vitest';
import { PagedRows } from '../../renderer/features/queue/pagedRows.js';

function source(total: number) {
  const calls: Array<[number, number]> = [];
  const fetch = async (offset: number, limit: number) => {
    calls.push([offset, limit]);
    return { rows: Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i), total };
  };
  return { calls, fetch };
}

describe('paged rows of a 100,000-row queue', () => {
  it('fetches only the pages around the visible window', async () => {
    const s = source(100_000);
    const rows = new PagedRows(s.fetch, 200);
    await rows.ensureRange(0, 40);
    expect(s.calls).toEqual([[0, 200]]);
    expect(rows.total).toBe(100_000);
    expect(rows.get(39)).toBe(39);
    await rows.ensureRange(50_010, 50_050);
    expect(s.calls).toEqual([[0, 200], [50_000, 200]]);
    expect(rows.get(50_020)).toBe(50_020);
    expect(rows.get(10_000)).toBeUndefined();
  });

  it('asks once for a page that is already on its way', async () => {
    const s = source(1000);
    const rows = new PagedRows(s.fetch, 200);
    await Promise.all([rows.ensureRange(0, 10), rows.ensureRange(5, 20)]);
    expect(s.calls.length).toBe(1);
  });

  it('drops replies that arrive after a filter change', async () => {
    let release!: () => void;
    const slow = (offset: number, limit: number) => new Promise<{ rows: string[]; total: number }>((res) => { release = () => res({ rows: ['old'], total: 1 }); void offset; void limit; });
    const rows = new PagedRows<string>(slow, 200);
    const pending = rows.ensureRange(0, 10);
    rows.reset(async () => ({ rows: ['new'], total: 1 }));
    await rows.ensureRange(0, 10);
    release();
    await pending;
    expect(rows.get(0)).toBe('new');
  });

  it('keeps showing the old rows while a refresh is on its way', async () => {
    let version = 'v1';
    let release: (() => void) | null = null;
    const fetch = (offset: number) => new Promise<{ rows: string[]; total: number }>((res) => {
      const reply = () => res({ rows: [`${version}-${offset}`], total: 1 });
      if (version === 'v1') reply(); else release = reply;
    });
    const rows = new PagedRows<string>(fetch, 200);
    await rows.ensureRange(0, 0);
    expect(rows.get(0)).toBe('v1-0');
    version = 'v2';
    rows.refresh();
    const pending = rows.ensureRange(0, 0);
    expect(rows.get(0)).toBe('v1-0');
    release!();
    await pending;
    expect(rows.get(0)).toBe('v2-0');
  });

  it('keeps memory bounded while scrolling through everything', async () => {
    const s = source(100_000);
    const rows = new PagedRows(s.fetch, 100, 10);
    for (let p = 0; p < 50; p++) await rows.ensureRange(p * 100, p * 100 + 50);
    expect(rows.loadedPages().length).toBeLessThanOrEqual(10);
    expect(rows.loadedPages()).toContain(49);
  });
});
