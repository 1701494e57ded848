/**
 * Hybrid logical clock. A timestamp is `<wall ms, 13 digits>-<counter, 5 digits>-<node>`: plain string
 * comparison orders them, and the node id breaks ties the same way on every replica.
 */
export interface Hlc { wall: number; counter: number; node: string }

export const formatHlc = (h: Hlc) => `${String(h.wall).padStart(13, '0')}-${String(h.counter).padStart(5, '0')}-${h.node}`;

export function parseHlc(s: string): Hlc {
  const m = /^(\d{13})-(\d{5})-(.+)$/.exec(s);
  if (!m) throw new Error(`malformed HLC timestamp: ${s}`);
  return { wall: Number(m[1]), counter: Number(m[2]), node: m[3] };
}

/** A clock for one node. `now` is injected so tests can skew it. */
export class HlcClock {
  private last: Hlc;
  constructor(readonly node: string, private readonly now: () => number = Date.now, last?: string | null) {
    this.last = last ? parseHlc(last) : { wall: 0, counter: 0, node };
  }
  /** A new timestamp for a local event. */
  tick(): string {
    const wall = Math.max(this.last.wall, this.now());
    this.last = { wall, counter: wall === this.last.wall ? this.last.counter + 1 : 0, node: this.node };
    return formatHlc(this.last);
  }
  /** Merge a timestamp seen from another node, so later local events sort after it. */
  receive(remote: string): void {
    const r = parseHlc(remote);
    const wall = Math.max(this.last.wall, r.wall, this.now());
    let counter = 0;
    if (wall === this.last.wall && wall === r.wall) counter = Math.max(this.last.counter, r.counter) + 1;
    else if (wall === this.last.wall) counter = this.last.counter + 1;
    else if (wall === r.wall) counter = r.counter + 1;
    this.last = { wall, counter, node: this.node };
  }
  current(): string { return formatHlc(this.last); }
}
