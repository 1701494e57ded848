// Rows of a very long list, fetched page by page as the visible window moves. Only the pages a user
// has scrolled near are ever requested; a filter change starts a new generation and drops late replies.
export interface Page<T> { rows: T[]; total: number }

export class PagedRows<T> {
  private pages = new Map<number, T[]>();
  /** Pages from before a refresh, shown until their fresh copy arrives (no flash of empty rows). */
  private stale = new Map<number, T[]>();
  private inflight = new Set<number>();
  private generation = 0;
  total: number | null = null;
  error: string | null = null;
  private listeners = new Set<() => void>();
  version = 0;

  constructor(private fetchPage: (offset: number, limit: number) => Promise<Page<T>>, readonly pageSize = 200, private maxPages = 50) {}

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }
  private emit() { this.version++; for (const fn of this.listeners) fn(); }

  /** Forget everything, e.g. after a filter change. */
  reset(fetchPage?: (offset: number, limit: number) => Promise<Page<T>>) {
    if (fetchPage) this.fetchPage = fetchPage;
    this.generation++;
    this.pages.clear();
    this.stale.clear();
    this.inflight.clear();
    this.total = null;
    this.error = null;
    this.emit();
  }

  /** Reload after a write: what is on screen stays until the fresh rows arrive. */
  refresh() {
    this.generation++;
    for (const [p, rows] of this.pages) this.stale.set(p, rows);
    this.pages.clear();
    this.inflight.clear();
    this.emit();
  }

  get(index: number): T | undefined {
    const p = Math.floor(index / this.pageSize);
    const page = this.pages.get(p) ?? this.stale.get(p);
    return page?.[index % this.pageSize];
  }

  loadedPages(): number[] { return [...this.pages.keys()].sort((a, b) => a - b); }

  /** Make sure rows [start, end] are loaded or on their way. */
  ensureRange(start: number, end: number): Promise<void> {
    const first = Math.floor(Math.max(0, start) / this.pageSize);
    const last = Math.floor(Math.max(0, end) / this.pageSize);
    const waits: Promise<void>[] = [];
    for (let p = first; p <= last; p++) {
      if (this.total != null && p * this.pageSize >= this.total && p > 0) break;
      if (this.pages.has(p) || this.inflight.has(p)) continue;
      waits.push(this.load(p));
    }
    return Promise.all(waits).then(() => undefined);
  }

  private async load(page: number): Promise<void> {
    const gen = this.generation;
    this.inflight.add(page);
    try {
      const res = await this.fetchPage(page * this.pageSize, this.pageSize);
      if (gen !== this.generation) return;
      this.pages.set(page, res.rows);
      this.stale.delete(page);
      if (this.total !== res.total) this.stale.clear();
      this.total = res.total;
      this.error = null;
      this.evict(page);
    } catch (err) {
      if (gen !== this.generation) return;
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      if (gen === this.generation) this.inflight.delete(page);
    }
    this.emit();
  }

  /** Keep memory bounded when someone scrolls through 100,000 rows: drop the pages farthest away. */
  private evict(current: number) {
    if (this.pages.size <= this.maxPages) return;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - current) - Math.abs(a - current));
    for (const p of far.slice(0, this.pages.size - this.maxPages)) this.pages.delete(p);
  }
}
