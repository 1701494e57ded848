// Notice sweep benchmark (issue 13): what the bell's poll costs a desk with N incidents (default
// 100,000, BENCH_INCIDENTS): the SLA sweep the first time (it raises what is due) and in steady state
// (nothing new), beside a raw baseline in the same run.
//   before: the sweep that computed both clocks for every open incident each poll (kept below as
//           `sweepByClocks`, the code as it was), beside a raw read of those rows' columns;
//   after:  the sweep that reads the incidents whose next notice is due from `next_notice_at`
//           (desk migration 021, partial index), beside a raw read of those same rows.
// Prints figures; not part of `npm test`.
// Run: npx tsx test/bench/notices.ts
import { performance } from 'node:perf_hooks';
import { tempDir } from '../helpers/desk.js';
import { createDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { loadSampleData } from '../../electron/core/store/sample.js';
import { raiseNotice, sweepEventNotices, sweepNotices } from '../../electron/core/notifications/notices.js';
import type { DeskStore } from '../../electron/core/store/desk-store.js';
import { dueSlaNotices, type SweepIncident } from '../../shared/notices.js';
import type { Incident } from '../../shared/schemas.js';

const N = Number(process.env.BENCH_INCIDENTS ?? 100_000);

/** The sweep before migration 021 (commit ed8a647), for the comparison: clocks for every candidate open incident. */
function sweepByClocks(store: DeskStore): number {
  const nowMs = store.now().getTime();
  const { targets, warnShare } = store.slaSettings.policy;
  const share = warnShare ?? 0.75;
  const youngest = (p: keyof typeof targets) => Math.floor((nowMs - share * Math.min(targets[p].responseMin, targets[p].resolveMin) * 60_000) / 1000);
  const rows = store.db.prepare(`SELECT i.id, i.number, i.priority, i.status, i.service_level, i.reported_at, i.first_response_at, i.resolved_at, i.pending_since,
      i.pending_spells, i.owner_id, i.assignee_id, i.group_name FROM incidents i
    WHERE i.status NOT IN ('resolved', 'closed')
      AND ((i.priority = 'P1' AND unixepoch(i.reported_at) <= ?) OR (i.priority = 'P2' AND unixepoch(i.reported_at) <= ?) OR (i.priority = 'P3' AND unixepoch(i.reported_at) <= ?) OR (i.priority = 'P4' AND unixepoch(i.reported_at) <= ?))
      AND NOT (EXISTS (SELECT 1 FROM notices n WHERE n.incident_id = i.id AND n.kind = 'sla_breach' AND n.clock = 'resolution')
        AND (i.first_response_at IS NOT NULL OR EXISTS (SELECT 1 FROM notices n WHERE n.incident_id = i.id AND n.kind = 'sla_breach' AND n.clock = 'response')))`)
    .all(youngest('P1'), youngest('P2'), youngest('P3'), youngest('P4')) as Array<{
      id: string; number: string; priority: Incident['priority']; status: Incident['status']; service_level: Incident['serviceLevel'];
      reported_at: string; first_response_at: string | null; resolved_at: string | null; pending_since: string | null; pending_spells: string;
      owner_id: string; assignee_id: string | null; group_name: string | null;
    }>;
  const known = store.db.prepare('SELECT 1 FROM notices WHERE id = ?').pluck();
  let raised = 0;
  store.db.transaction(() => {
    for (const r of rows) {
      const inc: SweepIncident = {
        id: r.id, priority: r.priority, status: r.status, serviceLevel: r.service_level, reportedAt: r.reported_at, firstResponseAt: r.first_response_at,
        resolvedAt: r.resolved_at, pendingSince: r.pending_since, pendingSpells: JSON.parse(r.pending_spells || '[]'),
      };
      for (const d of dueSlaNotices(inc, store.slaSettings, nowMs)) {
        if (known.get(d.id)) continue;
        if (raiseNotice(store, { kind: d.kind, clock: d.clock, atMs: d.atMs, incident: { id: r.id, number: r.number, ownerId: r.owner_id, assigneeId: r.assignee_id, groupName: r.group_name } })) raised++;
      }
    }
  })();
  return raised;
}

async function main() {
  let offsetMs = 0; // the desk's clock, moved on below to show a poll that finds notices due
  const desk = await createDesk({ dataDir: tempDir('relay-bench-'), backgroundSync: false, now: () => new Date(Date.now() + offsetMs) });
  const api = createCaller({ store: desk.store, sync: desk.sync });
  await api.desk.setup({ name: 'Bench', role: 'lead', group: '服务台', locale: 'zh-CN' });
  for (let done = 0; done < N; done += 10_000) {
    desk.store.db.transaction(() => loadSampleData(desk.store, { incidents: Math.min(10_000, N - done), seed: done + 1 }))();
  }
  const db = desk.store.db;
  const open = db.prepare("SELECT count(*) FROM incidents WHERE status NOT IN ('resolved', 'closed')").pluck().get() as number;
  const COLS = `id, number, priority, status, service_level, reported_at, first_response_at, resolved_at, pending_since,
      pending_spells, owner_id, assignee_id, group_name`;
  const rawOpen = () => {
    const t = performance.now();
    db.prepare(`SELECT ${COLS} FROM incidents WHERE status NOT IN ('resolved', 'closed')`).all();
    return performance.now() - t;
  };
  // the rows the new sweep reads: those whose next notice is due, from the partial index
  const rawDue = () => {
    const t = performance.now();
    const n = db.prepare(`SELECT ${COLS} FROM incidents INDEXED BY incidents_next_notice
      WHERE next_notice_at IS NOT NULL AND status NOT IN ('resolved', 'closed') AND next_notice_at <= ?`).all(desk.store.now().getTime()).length;
    return [performance.now() - t, n] as const;
  };
  const time = (f: () => unknown) => { const t = performance.now(); const v = f(); return [performance.now() - t, v] as const; };
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  const raw1 = rawOpen();
  const [first, raised] = time(() => sweepNotices(desk.store)); // the first look at every open incident: raises what is due, writes each one's next instant
  const after: number[] = [], rawsDue: number[] = [], dueRows: number[] = [];
  for (let i = 0; i < 5; i++) {
    const [r, n] = rawDue();
    rawsDue.push(r); dueRows.push(n);
    after.push(time(() => sweepNotices(desk.store))[0]);
  }
  // A poll 30 minutes later: the warnings and breaches that fell due meanwhile.
  offsetMs = 30 * 60_000;
  const [rawLater, dueLater] = rawDue();
  const [later, raisedLater] = time(() => sweepNotices(desk.store));
  const before: number[] = [], rawsOpen: number[] = [];
  for (let i = 0; i < 5; i++) { rawsOpen.push(rawOpen()); before.push(time(() => sweepByClocks(desk.store))[0]); }
  const [events] = time(() => sweepEventNotices(desk.store));
  const out = {
    incidents: desk.store.incidentCount(),
    'open incidents': open,
    'first sweep (raises what is due, writes next_notice_at)': `${first.toFixed(0)} ms, ${raised} notices (raw read of the open rows ${raw1.toFixed(0)} ms)`,
    'before: steady sweep, clocks for every open incident (median of 5)': `${med(before).toFixed(0)} ms`,
    'before: raw read of the open incidents\' columns (median of 5)': `${med(rawsOpen).toFixed(0)} ms`,
    'after: steady sweep, next_notice_at (median of 5)': `${med(after).toFixed(2)} ms`,
    'after: raw read of the same rows (due now, from the index; median of 5)': `${med(rawsDue).toFixed(2)} ms, ${med(dueRows)} rows`,
    'before / after': `${(med(before) / Math.max(med(after), 0.001)).toFixed(0)}×`,
    'after: a poll 30 minutes later': `${later.toFixed(1)} ms, ${raisedLater} notices, beside a raw read of its ${dueLater} due rows ${rawLater.toFixed(1)} ms`,
    'event sweep (history since cursor, first run)': `${events.toFixed(0)} ms`,
  };
  console.log(out);
  desk.close();
}
void main();
