// Problem and change records in the seeded simulation (issue 12, item 6): desks (second line) raise
// problems from incidents, link other incidents to them with the picker, plan changes with a window
// and link problems to them, resolve a problem together with its linked open incidents, and link an
// incident to a problem only they believe in (a row the server never had: left out as one field).
// All of it online or not, under the simulation's faults. Invariant after the final sync: every
// replica holds the same records, links and incident problem/change ids as the server, and the
// server's incidents name only records it holds.
import type { Storage } from '../../server/storage/index.js';
import type { createCaller } from '../../electron/core/api/router.js';
import type { Desk } from '../../electron/core/desk.js';
import { OPEN_STATUSES } from '../../shared/index.js';

interface SimDesk { i: number; desk: Desk; api: ReturnType<typeof createCaller>; created: string[] }

const STALE = 'stale-problem-';
const iso = (ms: number) => new Date(ms).toISOString();

export async function problemStep(d: SimDesk, r: () => number, count: (k: string) => void, tolerate: (p: Promise<unknown>) => Promise<void>, seed: number): Promise<void> {
  const db = d.desk.store.db;
  const pickOf = <T>(xs: T[]): T | undefined => (xs.length ? xs[Math.floor(r() * xs.length)] : undefined);
  const incidents = db.prepare("SELECT id FROM incidents WHERE number NOT LIKE 'DEMO-%' ORDER BY id").pluck().all() as string[];
  const problems = db.prepare(`SELECT id FROM problems WHERE id NOT LIKE '${STALE}%' ORDER BY id`).pluck().all() as string[];
  /** Runs a step; counts it only when the desk accepted it (a refusal there is fine: the step was illegal). */
  const step = async (p: Promise<unknown>, what: string) => { let ok = false; await tolerate(p.then(() => { ok = true; })); if (ok) count(what); };
  const roll = r();
  if (roll < 0.22 || !problems.length) {
    const inc = pickOf(incidents);
    if (!inc) return;
    await step(d.api.problem.raise({ incidentId: inc, title: `问题 ${seed}-${d.i}-${Math.floor(r() * 1000)}`, rootCause: r() < 0.5 ? '根因待查' : null, workaround: '重启后恢复' }), 'problem raised from an incident');
  } else if (roll < 0.45) {
    const inc = pickOf(incidents);
    const p = pickOf(problems);
    if (!inc || !p) return;
    await step(d.api.incident.update({ id: inc, patch: { problemId: p } }), 'incident linked to a problem');
  } else if (roll < 0.72) {
    // Plan a change (linked to a problem), or link or unlink a problem of a change this desk holds.
    const c = pickOf(db.prepare('SELECT id FROM change_records ORDER BY id').pluck().all() as string[]);
    const p = pickOf(problems);
    if (!c || roll < 0.52) {
      const start = Date.parse('2026-12-01T01:00:00.000Z') + Math.floor(r() * 10) * 86_400_000; // a seed replays exactly
      await step(d.api.change.create({ title: `变更 ${seed}-${d.i}`, plannedStart: iso(start), plannedEnd: iso(start + 3_600_000), problemIds: p ? [p] : [] }), 'change planned');
    } else if (p) {
      await step(d.api.change.link({ id: c, problemId: p, linked: r() < 0.7 }), 'change linked to a problem');
    }
  } else if (roll < 0.9) {
    const p = pickOf(db.prepare("SELECT id FROM problems WHERE status IN ('open', 'known_error') AND id NOT LIKE ? ORDER BY id").pluck().all(`${STALE}%`) as string[]);
    if (!p) return;
    const { incidents: linked } = await d.api.problem.get({ id: p });
    const open = linked.filter((i) => (OPEN_STATUSES as readonly string[]).includes(i.status)).map((i) => i.id);
    await step(d.api.problem.resolve({ id: p, resolution: '按问题单解决', incidentIds: open }), 'problem resolved with its linked incidents');
  } else {
    // A problem this desk believes in that the server never had: the link is left out there, the rest applies.
    const inc = pickOf(incidents);
    if (!inc) return;
    const id = `${STALE}${d.i}`;
    db.prepare(`INSERT OR IGNORE INTO problems (id, number, status, title, created_by, device_id, created_at, updated_at)
      VALUES (?, 'PRB-GHOST-00001', 'open', '别处的问题', 'nobody', 'nowhere', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`).run(id);
    await step(d.api.incident.update({ id: inc, patch: { problemId: id } }), 'incident linked to a problem the server never had');
  }
}

/** After the final sync: the same records, links and incident ids on every desk as on the server. */
export async function checkProblems(desks: SimDesk[], storage: Storage): Promise<string[]> {
  const out: string[] = [];
  const server = await storage.read(async (q) => ({
    problems: (await q.all<{ data: string }>('SELECT data FROM problems ORDER BY id')).map((r) => JSON.parse(r.data) as Record<string, unknown>),
    changes: (await q.all<{ data: string }>('SELECT data FROM change_records ORDER BY id')).map((r) => JSON.parse(r.data) as Record<string, unknown>),
    incidents: new Map((await q.all<{ id: string; data: string }>('SELECT id, data FROM incidents')).map((r) => {
      const d = JSON.parse(r.data) as { problemId?: string | null; changeId?: string | null };
      return [r.id, { problemId: d.problemId ?? null, changeId: d.changeId ?? null }] as const;
    })),
  }));
  const problemIds = new Set(server.problems.map((p) => p.id as string));
  const changeIds = new Set(server.changes.map((c) => c.id as string));
  for (const [id, l] of server.incidents) {
    if (l.problemId && !problemIds.has(l.problemId)) out.push(`server incident ${id} names problem ${l.problemId}, which the server does not hold`);
    if (l.changeId && !changeIds.has(l.changeId)) out.push(`server incident ${id} names change ${l.changeId}, which the server does not hold`);
  }
  const want = JSON.stringify({
    problems: server.problems.map((p) => [p.id, p.number, p.status, p.title, p.rootCause ?? null, p.workaround ?? null]),
    changes: server.changes.map((c) => [c.id, c.number, c.status, c.title, c.plannedStart, c.plannedEnd, [...(c.problemIds as string[])].sort()]),
  });
  for (const d of desks) {
    const db = d.desk.store.db;
    const got = JSON.stringify({
      problems: (db.prepare(`SELECT id, number, status, title, root_cause, workaround FROM problems WHERE id NOT LIKE '${STALE}%' ORDER BY id`).raw().all()),
      changes: (db.prepare('SELECT id, number, status, title, planned_start, planned_end FROM change_records ORDER BY id').raw().all() as unknown[][])
        .map((c) => [...c, db.prepare('SELECT problem_id FROM change_problems WHERE change_id = ? ORDER BY problem_id').pluck().all(c[0])]),
    });
    if (got !== want) out.push(`desk ${d.i} holds other problem/change records than the server: ${got.slice(0, 300)} vs ${want.slice(0, 300)}`);
    for (const r of db.prepare("SELECT id, problem_id AS problemId, change_id AS changeId FROM incidents WHERE number NOT LIKE 'DEMO-%'").all() as Array<{ id: string; problemId: string | null; changeId: string | null }>) {
      const s = server.incidents.get(r.id);
      if (!s) continue;
      if (s.problemId !== r.problemId || s.changeId !== r.changeId) out.push(`desk ${d.i} links incident ${r.id} to ${r.problemId}/${r.changeId}, the server to ${s.problemId}/${s.changeId}`);
    }
  }
  return out;
}
