/**
 * Time-ordered ids (UUIDv7: 48-bit millisecond time, then random bits). Rows created one after
 * another get neighbouring keys, so B-tree inserts append instead of landing on random pages, which
 * matters for big imports and first syncs. Within one millisecond the random part is incremented so
 * ids from one desk stay ordered.
 */
const pool = new Uint8Array(4096);
let poolAt = pool.length;
let lastMs = -1;
const tail = new Uint8Array(10);

function refill(): void {
  globalThis.crypto.getRandomValues(pool);
  poolAt = 0;
}

export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    if (poolAt + 10 > pool.length) refill();
    tail.set(pool.subarray(poolAt, poolAt + 10));
    poolAt += 10;
    lastMs = now;
  } else {
    // Same (or earlier) millisecond: keep order by counting up the random part.
    for (let i = 9; i >= 0; i--) { tail[i] = (tail[i] + 1) & 0xff; if (tail[i] !== 0) break; }
  }
  const ms = lastMs;
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const b = tail;
  return `${hex(Math.floor(ms / 0x10000), 8)}-${hex(ms % 0x10000, 4)}-7${hex(((b[0] & 0x0f) << 8) | b[1], 3)}-${hex(0x8000 | ((b[2] & 0x3f) << 8) | b[3], 4)}-${hex((b[4] << 8) | b[5], 4)}${hex(((b[6] << 24) >>> 0) + (b[7] << 16) + (b[8] << 8) + b[9], 8)}`;
}
