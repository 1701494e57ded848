import type { HistoryEntry, Incident, WorkLog } from '../shared/schemas.js';
import type { FieldStamps } from '../shared/sync-merge.js';
import { insertRows } from './changes.js';
import type { Sql } from './storage/index.js';

export interface HeldIncident { inc: Incident; stamps: FieldStamps }

/** What a push batch will touch, collected from its parsed args before anything is applied. */
export interface Keys { incidents: Set<string>; numbers: Set<string>; history: Set<string>; worklogs: Set<string>; requesters: Set<string> }
export const emptyKeys = (): Keys => ({ incidents: new Set(), numbers: new Set(), history: new Set(), worklogs: new Set(), requesters: new Set() });

const chunks = <T>(xs: T[], n = 500): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};
const inList = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Unit of work for one push batch inside its writer transaction: rows the batch reads are fetched
 * in a few IN-list queries up front, merges run against this in-memory view, and the rows written
 * go out as multi-row statements at the end. The writer lock is held throughout, so the view
 * cannot go stale; a batch costs a handful of round trips instead of several per mutation.
 */
export class Unit {
  private incidents = new Map<string, HeldIncident | null>();
  /** Incidents that are in the table (loaded from it, or written by an earlier flush of this unit). */
  private stored = new Set<string>();
  private numbers = new Map<string, string>();
  private historyIds = new Set<string>();
  private worklogIds = new Set<string>();
  private requesterHlc = new Map<string, string>();
  private dirty = new Map<string, HeldIncident>();
  private newHistory: HistoryEntry[] = [];
  private newWorklogs: WorkLog[] = [];
  private dirtyRequesters = new Map<string, { hlc: string; data: unknown }>();

  async load(q: Sql, keys: Keys): Promise<void> {
    const ids = [...keys.incidents].filter((id) => !this.incidents.has(id));
    for (const id of ids) this.incidents.set(id, null);
    for (const part of chunks(ids)) {
      for (const r of await q.all<{ id: string; data: string; stamps: string }>(`SELECT id, data, stamps FROM incidents WHERE id IN (${inList(part.length)})`, part)) {
        const inc = JSON.parse(r.data) as Incident;
        this.incidents.set(r.id, { inc, stamps: JSON.parse(r.stamps) });
        this.stored.add(r.id);
        this.numbers.set(inc.number, inc.id);
      }
    }
    for (const part of chunks([...keys.numbers].filter((n) => !this.numbers.has(n)))) {
      for (const r of await q.all<{ id: string; number: string }>(`SELECT id, number FROM incidents WHERE number IN (${inList(part.length)})`, part)) {
        this.numbers.set(r.number, r.id);
      }
    }
    for (const part of chunks([...keys.history])) {
      for (const r of await q.all<{ id: string }>(`SELECT id FROM history WHERE id IN (${inList(part.length)})`, part)) this.historyIds.add(r.id);
    }
    for (const part of chunks([...keys.worklogs])) {
      for (const r of await q.all<{ id: string }>(`SELECT id FROM worklogs WHERE id IN (${inList(part.length)})`, part)) this.worklogIds.add(r.id);
    }
    for (const part of chunks([...keys.requesters])) {
      for (const r of await q.all<{ id: string; hlc: string }>(`SELECT id, hlc FROM requesters WHERE id IN (${inList(part.length)})`, part)) this.requesterHlc.set(r.id, r.hlc);
    }
  }

  incident(id: string): HeldIncident | undefined { return this.incidents.get(id) ?? undefined; }
  incidentWithNumber(number: string): string | undefined { return this.numbers.get(number); }

  putIncident(held: HeldIncident): void {
    this.incidents.set(held.inc.id, held);
    this.numbers.set(held.inc.number, held.inc.id);
    this.dirty.set(held.inc.id, held);
  }

  /** Union by id: returns the rows not held before. */
  addHistory(rows: HistoryEntry[]): HistoryEntry[] {
    const fresh = rows.filter((h) => !this.historyIds.has(h.id));
    for (const h of fresh) { this.historyIds.add(h.id); this.newHistory.push(h); }
    return fresh;
  }
  addWorkLog(w: WorkLog): boolean {
    if (this.worklogIds.has(w.id)) return false;
    this.worklogIds.add(w.id);
    this.newWorklogs.push(w);
    return true;
  }
  requesterVersion(id: string): string | undefined { return this.requesterHlc.get(id); }
  putRequester(id: string, hlc: string, data: unknown): void {
    this.requesterHlc.set(id, hlc);
    this.dirtyRequesters.set(id, { hlc, data });
  }

  async flush(q: Sql): Promise<void> {
    // Incidents first: history and work logs reference them. New ones go in as plain inserts, which
    // cost less than an upsert.
    const fresh: unknown[][] = [], held: unknown[][] = [];
    for (const { inc, stamps } of this.dirty.values()) {
      (this.stored.has(inc.id) ? held : fresh).push([inc.id, inc.number, inc.status, JSON.stringify(inc), JSON.stringify(stamps)]);
      this.stored.add(inc.id);
    }
    await insertRows(q, 'INSERT INTO incidents (id, number, status, data, stamps)', 5, fresh);
    await insertRows(q, 'INSERT INTO incidents (id, number, status, data, stamps)', 5, held,
      'ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data, stamps = excluded.stamps');
    await insertRows(q, 'INSERT INTO history (id, incident_id, data)', 3,
      this.newHistory.map((h) => [h.id, h.incidentId, JSON.stringify(h)]), 'ON CONFLICT (id) DO NOTHING');
    await insertRows(q, 'INSERT INTO worklogs (id, incident_id, data)', 3,
      this.newWorklogs.map((w) => [w.id, w.incidentId, JSON.stringify(w)]), 'ON CONFLICT (id) DO NOTHING');
    await insertRows(q, 'INSERT INTO requesters (id, hlc, data)', 3,
      [...this.dirtyRequesters].map(([id, r]) => [id, r.hlc, JSON.stringify(r.data)]),
      'ON CONFLICT (id) DO UPDATE SET hlc = excluded.hlc, data = excluded.data');
    this.dirty.clear(); this.newHistory = []; this.newWorklogs = []; this.dirtyRequesters.clear();
  }
}
