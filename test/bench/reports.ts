// Reports benchmark (issue 11): a desk store of BENCH_REPORT_INCIDENTS (default 1,000,000) incidents
// with their history (typed fact columns, migration 008), written straight into a desk SQLite file
// (the history triggers of migration 009 keep each incident's fact columns as the rows go in);
// then one month's and one year's report through the API (`report.compute`), each beside a raw SQL
// aggregate of the same counts in the same run. Prints figures and ratios; not part of `npm test`.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { tempDir } from '../helpers/desk.js';
import { createDesk } from '../../electron/core/desk.js';
import { createCaller } from '../../electron/core/api/router.js';
import { seededRandom } from '../../electron/core/store/sample.js';
import { INCIDENT_FIELDS, INSERT_INCIDENT } from '../../electron/core/store/rows.js';
import { incidentSchema } from '../../shared/sync-mutations.js';
import { historyFacts } from '../../shared/reports.js';
import { DEFAULT_SLA } from '../../shared/sla.js';
import { reportQuerySchema } from '../../shared/reports.js';
import { computeReport as previousReport } from '../reports/legacy-compute.js';
import { computeReportInWorker, workerFileOf } from '../../electron/core/reports/worker-pool.js';

const N = Number(process.env.BENCH_REPORT_INCIDENTS ?? 1_000_000);
const PREVIOUS = process.env.BENCH_REPORT_PREVIOUS === '1';
const START = Date.parse('2024-01-01T00:00:00Z');
const END = Date.parse('2026-11-30T00:00:00Z');
const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString();

async function main() {
  const now = new Date('2026-12-01T00:00:00Z');
  // BENCH_REPORT_DIR keeps the generated store for another run (generated once)
  const desk = await createDesk({ dataDir: process.env.BENCH_REPORT_DIR ?? tempDir('relay-bench-reports-'), now: () => now });
  const api = createCaller({ store: desk.store, sync: desk.sync });
  const db = desk.store.db;
  if (!desk.store.currentUser()) await generate();
  await measureAll();
  desk.close();

  async function generate() {
  const me = await api.desk.setup({ name: 'Bench', role: 'lead', group: '服务台', locale: 'zh-CN' });
  const techs = Array.from({ length: 20 }, (_, k) => `tech-${k}`);
  for (const t of techs) db.prepare("INSERT INTO users (id, name, role, group_name, source, updated_at) VALUES (?, ?, 'technician', '二线', 'server', ?)").run(t, `技术员${t.slice(5)}`, iso(START));
  const agents = [me.id, ...Array.from({ length: 9 }, (_, k) => `agent-${k}`)];
  for (const a of agents.slice(1)) db.prepare("INSERT INTO users (id, name, role, group_name, source, updated_at) VALUES (?, ?, 'agent', '服务台', 'server', ?)").run(a, `坐席${a.slice(6)}`, iso(START));

  // ---- generate
  const r = seededRandom(11);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const cats = db.prepare('SELECT id FROM categories WHERE parent_id IS NOT NULL').pluck().all() as string[];
  const channels = ['phone', 'email', 'web', 'walk_in', 'im'];
  const depts = ['财务部', '人事部', '市场部', '研发部', '行政部', '销售部', '法务部', '采购部'];
  const groups = ['二线网络', '二线桌面', '二线系统', '二线应用'];
  const ins = db.prepare(INSERT_INCIDENT);
  // every incident column, at its schema default where it has one (else null): fields added later need no edit here
  const BASE = Object.fromEntries(INCIDENT_FIELDS.map((f) => {
    const d = (incidentSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>)[f]?.safeParse(undefined);
    const v = d?.success ? d.data : null;
    return [f, typeof v === 'boolean' ? Number(v) : Array.isArray(v) ? JSON.stringify(v) : v ?? null];
  }));
  const hist = db.prepare(`INSERT INTO history (id, incident_id, at, actor_id, device_id, online, kind, field, old_value, new_value, note,
    status_from, status_to, tier_from, tier_to, group_to, assignee_to, priority_to, auto_escalated) VALUES (?, ?, ?, ?, 'bench', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  let hn = 0;
  const h = (inc: string, at: number, actor: string, kind: string, field: string | null, oldValue: string | null, newValue: string | null, note: string | null = null) => {
    const x = historyFacts({ kind, field, oldValue, newValue, note });
    hist.run(`h${(hn++).toString(36)}`, inc, iso(at), actor, kind, field, oldValue, newValue, note, x.statusFrom, x.statusTo, x.tierFrom, x.tierTo, x.groupTo, x.assigneeTo, x.priorityTo, x.autoEscalated);
  };
  const t0 = performance.now();
  const BATCH = 20_000;
  for (let b = 0; b < N; b += BATCH) {
    db.transaction(() => {
      for (let n = b; n < Math.min(N, b + BATCH); n++) {
        const id = `inc-${n.toString().padStart(8, '0')}`;
        const reported = START + Math.floor(((END - START) * n) / N) + Math.floor(r() * 60_000);
        const priority = r() < 0.05 ? 'P1' : r() < 0.2 ? 'P2' : r() < 0.85 ? 'P3' : 'P4';
        const target = DEFAULT_SLA[priority as 'P1'];
        const agent = pick(agents);
        const backfilled = r() < 0.03;
        const recorded = backfilled ? reported + Math.floor(r() * 2 * 1440) * MIN : reported;
        let t = recorded;
        let status = 'new'; let tier = 'L1'; let group: string | null = null; let assignee: string | null = null;
        let paused = 0; let resolvedAt: number | null = null; let closedAt: number | null = null; let firstResponse: number | null = null;
        const ev: Array<() => void> = [];
        const move = (to: string, dt: number, actor: string) => {
          t += dt; const from = status; status = to; const at = t; firstResponse ??= at;
          ev.push(() => h(id, at, actor, 'transition', 'status', from, to));
        };
        const set = (field: string, from: string | null, to: string | null, actor: string) => { const at = t; ev.push(() => h(id, at, actor, 'field', field, from, to)); };
        ev.push(() => h(id, recorded, agent, backfilled ? 'backfill' : 'create', null, null, `B-${n}`));
        ev.push(() => h(id, recorded, agent, 'priority', 'priority', null, priority, 'matrix'));
        const age = END - reported;
        const done = age > 7 * 1440 * MIN || r() < 0.5;
        if (r() < 0.25) {
          // dispatched to second line
          move('assigned', (5 + r() * 30) * MIN, agent); const g = pick(groups); set('tier', 'L1', 'L2', agent); tier = 'L2'; set('groupName', null, g, agent); group = g;
          const tech = pick(techs); move('in_progress', (10 + r() * 120) * MIN, tech); set('assigneeId', null, tech, tech); assignee = tech;
          if (r() < 0.1) { move('returned', (30 + r() * 120) * MIN, tech); set('tier', 'L2', 'L1', tech); set('assigneeId', tech, null, tech); tier = 'L1'; assignee = null;
            move('in_progress', 10 * MIN, agent); set('assigneeId', null, agent, agent); assignee = agent; }
          else if (r() < 0.05) { move('assigned', 60 * MIN, tech); set('tier', 'L2', r() < 0.5 ? 'L3' : 'vendor', tech); }
        } else { move('in_progress', (1 + r() * 20) * MIN, agent); set('assigneeId', null, agent, agent); assignee = agent; }
        if (r() < 0.1) { const a = assignee ?? agent; move('pending', 30 * MIN, a); const p = (60 + r() * 2000) * MIN; t += p; paused += p; const back = t; status = 'in_progress'; ev.push(() => h(id, back, a, 'transition', 'status', 'pending', 'in_progress')); }
        if (priority === 'P3' && r() < 0.02) ev.push(() => h(id, reported + 4 * 3600_000, 'system', 'priority', 'priority', 'P3', 'P2', 'rule: auto_escalated (unresolved past the promised time)'));
        if (done) {
          move('resolved', (10 + r() * target.resolveMin * 1.2) * MIN, assignee ?? agent); resolvedAt = t;
          if (r() < 0.03) { move('reopened', 1440 * MIN, agent); move('resolved', 120 * MIN, agent); resolvedAt = t; }
          if (r() < 0.7) { move('closed', 3 * 1440 * MIN, agent); closedAt = t; }
        }
        ins.run({
          ...BASE, id, number: `B-${n}`, channel: pick(channels), requesterId: null, requesterName: `用户${n % 5000}`, requesterDept: pick(depts), requesterPhone: null, requesterEmail: null,
          serviceLevel: 'normal', serviceType: r() < 0.8 ? 'fault' : 'request', categoryId: pick(cats), title: `故障 ${n}`, description: '无法连接',
          affectedName: r() < 0.5 ? `SYS-${n % 50}` : null, affectedIp: null, affectedLocation: null, impactScope: pick(['individual', 'department', 'company']),
          impact: 'medium', urgency: 'medium', majorReasons: r() < 0.001 ? '["outage"]' : '[]', urgentReason: null, autoEscalated: 0, priority, status,
          occurredAt: null, reportedAt: iso(reported), recordedAt: iso(recorded), firstResponseAt: firstResponse === null ? null : iso(firstResponse),
          resolvedAt: resolvedAt === null ? null : iso(resolvedAt), closedAt: closedAt === null ? null : iso(closedAt), pendingSince: null, pausedMs: Math.round(paused),
          resolveDueAt: iso(reported + target.resolveMin * MIN + paused), responseDueAt: iso(reported + target.responseMin * MIN), ownerId: agent, tier, groupName: group,
          assigneeId: assignee, resolution: resolvedAt ? '已解决' : null, rootCause: null, problemRef: null, changeRef: null, kbArticleId: null,
          satisfaction: resolvedAt && r() < 0.3 ? 1 + Math.floor(r() * 5) : null, satisfactionComment: null, backfilled: backfilled ? 1 : 0, backfillReason: backfilled ? '纸质' : null,
          origin: backfilled ? 'backfill' : 'desk', externalRef: null, createdBy: agent, deviceId: 'bench', updatedAt: iso(t), clientId: null, importKey: null,
        });
        for (const e of ev) e();
      }
    })();
  }
  db.exec('ANALYZE');
  const genS = (performance.now() - t0) / 1000;
  const historyRows = db.prepare('SELECT count(*) FROM history').pluck().get() as number;
  console.log(`generated ${N.toLocaleString('en')} incidents, ${historyRows.toLocaleString('en')} history rows in ${genS.toFixed(1)} s`);
  }

  async function measureAll() {
  // ---- measure: the report through the API beside a raw aggregate of the same counts
  const raw = (fromUtc: string, toUtc: string) => {
    const a = db.prepare(`SELECT priority, count(*) AS n, sum(status IN ('resolved', 'closed')) AS done, avg(satisfaction) FROM incidents
      WHERE reported_at >= ? AND reported_at < ? AND origin <> 'import' GROUP BY priority`).all(fromUtc, toUtc);
    const b = db.prepare(`SELECT count(DISTINCT h.incident_id), sum(h.status_to = 'resolved'), sum(h.status_to = 'reopened'), sum(h.status_to = 'returned'), sum(h.tier_to = 'L3')
      FROM incidents i JOIN history h ON h.incident_id = i.id WHERE i.reported_at >= ? AND i.reported_at < ? AND i.origin <> 'import'`).get(fromUtc, toUtc);
    return [a, b];
  };
  // The report and the raw aggregate alternate (3 runs each, medians), so both meet the same load on a
  // shared machine; CPU time of this process beside wall time (the steadier figure there).
  const measure = async (label: string, from: string, to: string) => {
    const q = { from, to, timeZone: 'Asia/Shanghai' };
    const rep = await api.report.compute(q); // warm the page cache once
    raw(rep.range.fromUtc, rep.range.toUtc);
    const runs: number[][] = []; const rawRuns: number[][] = []; const prevRuns: number[][] = []; const oneRuns: number[][] = []; const splitRuns: number[][] = [];
    const parsed = reportQuerySchema.parse(q);
    const file = workerFileOf(db)!;
    const timed = async (fn: () => unknown) => { const c0 = process.cpuUsage(); const t = performance.now(); await fn(); const c = process.cpuUsage(c0); return [performance.now() - t, (c.user + c.system) / 1000]; };
    for (let i = 0; i < 3; i++) {
      runs.push(await timed(() => api.report.compute(q)));
      rawRuns.push(await timed(() => raw(rep.range.fromUtc, rep.range.toUtc)));
      // the same report on one worker thread (what the API does for a month), and split over the cores whatever the period's length
      oneRuns.push(await timed(() => computeReportInWorker(file, parsed, now, { threads: 1 })));
      splitRuns.push(await timed(() => computeReportInWorker(file, parsed, now, { splitFromDays: 0 })));
      // BENCH_REPORT_PREVIOUS=1: also the implementation before the single pass (one statement, a
      // GROUP BY per breakdown, a second read for the medians; kept in test/reports/legacy-compute.ts)
      if (PREVIOUS) prevRuns.push(await timed(() => previousReport(desk.store, reportQuerySchema.parse(q))));
    }
    const med = (xs: number[][], k: number) => xs.map((x) => x[k]).sort((x, y) => x - y)[1];
    const [ms, cpu, rawMs, rawCpu] = [med(runs, 0), med(runs, 1), med(rawRuns, 0), med(rawRuns, 1)];
    console.log(`${label}: ${rep.totals.created.toLocaleString('en')} incidents; report ${ms.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms cpu (medians of 3), `
      + `raw aggregate of the same counts ${rawMs.toFixed(0)} ms wall, ${rawCpu.toFixed(0)} ms cpu; ratio ${(ms / rawMs).toFixed(1)}x wall, ${(cpu / rawCpu).toFixed(1)}x cpu`);
    console.log(`  on one thread: ${med(oneRuns, 0).toFixed(0)} ms wall, ${med(oneRuns, 1).toFixed(0)} ms cpu (${(med(oneRuns, 0) / rawMs).toFixed(1)}x raw wall); `
      + `split over ${os.availableParallelism()} threads: ${med(splitRuns, 0).toFixed(0)} ms wall, ${med(splitRuns, 1).toFixed(0)} ms cpu (${(med(splitRuns, 0) / rawMs).toFixed(1)}x raw wall)`);
    if (PREVIOUS) console.log(`  previous implementation (same run): ${med(prevRuns, 0).toFixed(0)} ms wall, ${med(prevRuns, 1).toFixed(0)} ms cpu; `
      + `ratio to raw ${(med(prevRuns, 0) / rawMs).toFixed(1)}x wall, ${(med(prevRuns, 1) / rawCpu).toFixed(1)}x cpu`);
    console.log(`  rounds (wall/cpu ms): report ${runs.map((x) => x.map((v) => v.toFixed(0)).join('/')).join(', ')}; raw ${rawRuns.map((x) => x.map((v) => v.toFixed(0)).join('/')).join(', ')}`);
  };
  await measure('one month (2026-10)', '2026-10-01', '2026-10-31');
  await measure('one year (2025)', '2025-01-01', '2025-12-31');
  const drillT = performance.now();
  const d = await api.report.drill({ query: { from: '2026-10-01', to: '2026-10-31', timeZone: 'Asia/Shanghai' }, figure: 'quality.reopen' });
  console.log(`drill (a month's reopened incidents, ${d.total} rows, first page): ${(performance.now() - drillT).toFixed(0)} ms`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
