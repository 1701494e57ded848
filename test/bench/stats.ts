import { performance } from 'node:perf_hooks';

export function timeMany(n: number, fn: (i: number) => void): { median: number; p95: number; max: number } {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn(i);
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return { median: xs[Math.floor(n / 2)], p95: xs[Math.min(n - 1, Math.ceil(n * 0.95) - 1)], max: xs[n - 1] };
}

export const ms = (x: number) => `${x.toFixed(2)} ms`;
export const rate = (n: number, msTotal: number) => Math.round((n / msTotal) * 1000);
