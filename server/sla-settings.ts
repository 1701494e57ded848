// SLA settings on the server (issue 13): the business calendars and the policy (targets per
// priority, warning share, calendar per requester level and priority) as one validated document.
// Leads and admins edit it; every desk pulls it with the reference data (`sla_settings` change) and
// every replica derives the same due times from it (shared/sla-clocks.ts `slaDueTimes`).
import { z } from 'zod';
import type { Priority } from '../shared/enums.js';
import { priorityMatrixSchema, type PriorityMatrix } from '../shared/priority.js';
import type { Incident } from '../shared/schemas.js';
import { DEFAULT_SLA_SETTINGS, slaSettingsFromText, slaSettingsSchema, type SlaSettings } from '../shared/sla-clocks.js';
import { deriveIncident } from '../shared/sync-merge.js';
import { ChangeBuffer } from './changes.js';
import type { Sql } from './storage/index.js';
import type { SyncDeps } from './sync.js';

export const setSlaSettingsSchema = z.object({ settings: slaSettingsSchema });
/** The priority matrix alone (issue 13): every cell present and a priority code; a refusal names the cell (`matrix.high.medium`). */
export const setPriorityMatrixSchema = z.object({ matrix: priorityMatrixSchema });
/** Incidents re-derived per read when the settings are saved. */
export const REDERIVE_BATCH = 500;

/** What the server holds: the settings, when and by whom they were last saved (null: the shipped ones, never saved). */
export interface SlaSettingsView { settings: SlaSettings; updatedAt: string | null; updatedBy: string | null }

export async function loadSlaSettings(q: Sql): Promise<SlaSettings> {
  const row = await q.get<{ data: string }>("SELECT data FROM sla_settings WHERE id = 'default'");
  return slaSettingsFromText(row?.data);
}

export async function getSlaSettings(deps: SyncDeps): Promise<SlaSettingsView> {
  return deps.storage.read(async (q) => {
    const row = await q.get<{ data: string; updated_at: string; updated_by: string | null }>("SELECT data, updated_at, updated_by FROM sla_settings WHERE id = 'default'");
    return { settings: slaSettingsFromText(row?.data), updatedAt: row?.updated_at ?? null, updatedBy: row?.updated_by ?? null };
  });
}

/**
 * Saves the settings and re-derives the due times of every incident not yet closed, in one write:
 * the settings and the changed incidents reach every desk in the same pull, so all replicas agree.
 */
export async function saveSlaSettings(deps: SyncDeps, settings: SlaSettings, by: string | null, q0?: Sql): Promise<{ settings: SlaSettings; incidentsUpdated: number }> {
  const run = async (q: Sql) => {
    const text = JSON.stringify(settings);
    const at = deps.now().toISOString();
    await q.run(`INSERT INTO sla_settings (id, data, updated_at, updated_by) VALUES ('default', ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by`, [text, at, by]);
    const parsed = slaSettingsFromText(text);
    const out = new ChangeBuffer();
    out.add('sla_settings', 'default', { id: 'default', settings: parsed, updatedAt: at });
    await out.flush(q);
    // Every incident not yet closed, in batches by id (a server with 100,000 open incidents never holds
    // them all at once), in the same write as the settings. Priorities stay as classified (the matrix
    // cell each incident holds, shared/SLA.md); due times follow the new calendars and targets.
    let updated = 0;
    for (let after = ''; ;) {
      const rows = await q.all<{ id: string; data: string; stamps: string }>(
        `SELECT id, data, stamps FROM incidents WHERE id > ? AND status <> 'closed' ORDER BY id LIMIT ${REDERIVE_BATCH}`, [after]);
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      for (const r of rows) {
        const inc = JSON.parse(r.data) as Incident;
        const next = deriveIncident(inc, parsed);
        if (next.responseDueAt === inc.responseDueAt && next.resolveDueAt === inc.resolveDueAt && next.priority === inc.priority) continue;
        await q.run('UPDATE incidents SET data = ? WHERE id = ?', [JSON.stringify(next), r.id]);
        updated++;
        const stamps = JSON.parse(r.stamps) as Record<string, { hlc: string }>;
        out.add('incident', r.id, next, { meta: { fieldHlc: Object.fromEntries(Object.entries(stamps).map(([k, v]) => [k, v.hlc])) } });
      }
      await out.flush(q);
      if (rows.length < REDERIVE_BATCH) break;
    }
    return { settings: parsed, incidentsUpdated: updated };
  };
  return q0 ? run(q0) : deps.storage.write(run);
}

/**
 * Saves a new priority matrix inside the held settings (leads and admins). It applies to incidents
 * recorded or re-classified from now on, on this server whatever a desk's matrix was; the incidents
 * held keep their priorities (their matrix cell), their due times are re-derived with the settings.
 */
export async function setPriorityMatrix(deps: SyncDeps, matrix: PriorityMatrix, by: string | null) {
  return deps.storage.write(async (q) => {
    const held = await loadSlaSettings(q);
    const out = await saveSlaSettings(deps, { ...held, priorityMatrix: matrix }, by, q);
    return { matrix: out.settings.priorityMatrix ?? matrix, incidentsUpdated: out.incidentsUpdated };
  });
}

/** The older per-priority targets endpoint (admin.setSlaPolicy) sets the targets inside the settings. */
export async function setTargetsFromPolicy(deps: SyncDeps, q: Sql, targets: Record<Priority, { responseMin: number; resolveMin: number }>, by: string | null) {
  const held = await loadSlaSettings(q);
  const settings: SlaSettings = {
    ...held,
    policy: { ...held.policy, targets: { P1: targets.P1, P2: targets.P2, P3: targets.P3, P4: targets.P4 } },
  };
  return saveSlaSettings(deps, settings, by, q);
}

export { DEFAULT_SLA_SETTINGS };
