/**
 * Hybrid logical clock. A timestamp is `<wall ms, 13 digits>-<counter, 5 digits>-<node>`: plain string
 * comparison orders them, and the node id breaks ties the same way on every replica.
 */
export interface Hlc { wall: number; counter: number; node: string }

/** The counter's five digits: a clock whose counter would pass this advances its wall by 1 ms instead. */
export const HLC_MAX_COUNTER = 99_999;
/** What a node id may be (a desk's is its device id, the server's `server-<hex>`). */
export const HLC_NODE_RE = /^[A-Za-z0-9-]{1,64}$/;
export const HLC_RE = /^(\d{13})-(\d{5})-([A-Za-z0-9-]{1,64})$/;

export const formatHlc = (h: Hlc) => `${String(h.wall).padStart(13, '0')}-${String(h.counter).padStart(5, '0')}-${h.node}`;

export function parseHlc(s: string): Hlc {
  const m = HLC_RE.exec(s);
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
    this.last = carry({ wall, counter: wall === this.last.wall ? this.last.counter + 1 : 0, node: this.node });
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
    this.last = carry({ wall, counter, node: this.node });
  }
  current(): string { return formatHlc(this.last); }
}

/**
 * A counter past its five digits carries into the wall (1 ms later), so the clock never prints a
 * timestamp other replicas cannot parse, whatever a remote stamp pushed it to.
 */
function carry(h: Hlc): Hlc {
  return h.counter > HLC_MAX_COUNTER ? { wall: h.wall + 1, counter: 0, node: h.node } : h;
}
