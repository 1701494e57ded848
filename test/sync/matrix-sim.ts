// Issue 13 in the seeded simulation (test/sync/simulation.ts): now and then a lead saves a new
// priority matrix on the server (one cell changed) while desks record and re-classify incidents,
// online or offline with the matrix they last pulled. At the end, after everyone has synced, every
// desk holds the server's matrix, and the server's priority and matrix cell for every incident.
import type { Desk } from '../../electron/core/desk.js';
import { readSlaSettings } from '../../electron/core/sla/settings.js';
import { getSlaSettings, setPriorityMatrix } from '../../server/sla-settings.js';
import type { SyncDeps } from '../../server/sync.js';
import type { Storage } from '../../server/storage/index.js';
import { LEVELS, PRIORITIES } from '../../shared/enums.js';
import { DEFAULT_MATRIX } from '../../shared/priority.js';
import type { Incident } from '../../shared/schemas.js';

/** One matrix change, drawing from its own stream `mr` (so the other streams replay as they were). */
export async function matrixStep(deps: SyncDeps, mr: () => number, count: (k: string) => void): Promise<void> {
  const held = await getSlaSettings(deps);
  const m = structuredClone(held.settings.priorityMatrix ?? DEFAULT_MATRIX);
  const impact = LEVELS[Math.floor(mr() * LEVELS.length)], urgency = LEVELS[Math.floor(mr() * LEVELS.length)];
  m[impact][urgency] = PRIORITIES[Math.floor(mr() * PRIORITIES.length)];
  await setPriorityMatrix(deps, m, null);
  count('priority matrix changed');
}

/** The invariants, after the final sync rounds; returns the problems found. */
export async function checkMatrix(desks: Array<{ i: number; desk: Desk }>, storage: Storage): Promise<string[]> {
  const problems: string[] = [];
  const rows = await storage.read((q) => q.all<{ id: string; data: string }>('SELECT id, data FROM incidents'));
  const server = new Map(rows.map((r) => { const inc = JSON.parse(r.data) as Incident; return [r.id, { priority: inc.priority, cell: inc.matrixCell ?? null }]; }));
  const settings = await storage.read((q) => q.get<{ data: string }>("SELECT data FROM sla_settings WHERE id = 'default'"));
  const matrix = JSON.stringify((settings ? (JSON.parse(settings.data) as { priorityMatrix?: unknown }).priorityMatrix : null) ?? DEFAULT_MATRIX);
  for (const d of desks) {
    const local = readSlaSettings(d.desk.store.db).settings.priorityMatrix ?? DEFAULT_MATRIX;
    if (JSON.stringify(local) !== matrix) problems.push(`desk ${d.i}: holds another priority matrix than the server`);
    const held = d.desk.store.db.prepare("SELECT id, priority, matrix_cell AS cell FROM incidents WHERE number NOT LIKE 'DEMO-%'").all() as Array<{ id: string; priority: string; cell: string | null }>;
    for (const h of held) {
      const s = server.get(h.id);
      if (!s) continue;
      if (s.priority !== h.priority) problems.push(`desk ${d.i}: incident ${h.id} is ${h.priority} here, ${s.priority} on the server`);
      if (s.cell && s.cell !== h.cell) problems.push(`desk ${d.i}: incident ${h.id} holds cell ${h.cell}, the server ${s.cell}`);
    }
  }
  return problems;
}
