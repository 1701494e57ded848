// SLA settings on the desk (issue 13): pulled from the server with the reference data and kept in
// `sla_settings` (migration 013); a desk that never signed in uses the shipped settings. Due times
// stored on incidents are derived from them (shared/sla-clocks.ts `slaDueTimes`), the same way the
// server derives them, so the queue sorts by business-time due instants.
import { createHash } from 'node:crypto';
import { DEFAULT_SLA_SETTINGS, slaSettingsFromText, slaSettingsSchema, type SlaSettings } from '../../../shared/sla-clocks.js';
import { deriveIncident } from '../../../shared/sync-merge.js';
import type { Db } from '../db/connection.js';
import type { DeskStore } from '../store/desk-store.js';
import { INCIDENT_COLUMNS, SELECT_INCIDENT, incidentFromRow, minutesFromParams, type Row } from '../store/rows.js';

export interface DeskSlaSettings { settings: SlaSettings; updatedAt: string | null; source: 'server' | 'default' }

export function readSlaSettings(db: Db): DeskSlaSettings {
  const row = db.prepare("SELECT data, updated_at AS updatedAt FROM sla_settings WHERE id = 'default'").get() as { data: string; updatedAt: string } | undefined;
  return row ? { settings: slaSettingsFromText(row.data), updatedAt: row.updatedAt, source: 'server' } : { settings: DEFAULT_SLA_SETTINGS, updatedAt: null, source: 'default' };
}

const basisOf = (s: SlaSettings) => createHash('sha256').update(JSON.stringify(s)).digest('hex').slice(0, 32);

/**
 * Re-derives the stored due times (priorities stay as classified: each incident keeps its matrix
 * cell, shared/SLA.md) of every incident not yet closed when the settings they were
 * derived with are not the current ones (first start after migration 013, new settings pulled).
 * Only derived columns change: no history, no outbox row (every replica derives them itself).
 */
export function rederiveDueTimes(store: DeskStore, force = false): number {
  const basis = basisOf(store.slaSettings);
  if (!force && store.meta('sla_due_basis') === basis) return 0;
  const db = store.db;
  // with the report's two target minutes (migration 022), which depend on the due times
  const targets = minutesFromParams((f) => (f === 'responseDueAt' ? '@responseDueAt' : f === 'resolveDueAt' ? '@resolveDueAt' : INCIDENT_COLUMNS[f]), (c) => c).slice(0, 2);
  const update = db.prepare(`UPDATE incidents SET matrix_cell = @matrixCell, response_due_at = @responseDueAt, resolve_due_at = @resolveDueAt,
    fact_resp_target = ${targets[0]}, fact_res_target = ${targets[1]} WHERE id = @id`);
  let changed = 0;
  db.transaction(() => {
    // Read first, then write (better-sqlite3 refuses writes on a connection that is still iterating),
    // in slices of rowids so 100,000 open incidents are never all held at once.
    const rowids = db.prepare("SELECT rowid FROM incidents WHERE status <> 'closed' ORDER BY rowid").pluck().all() as number[];
    const slice = db.prepare(`${SELECT_INCIDENT} WHERE rowid BETWEEN ? AND ? AND status <> 'closed'`);
    for (let i = 0; i < rowids.length; i += 2000) {
      const rows = slice.all(rowids[i], rowids[Math.min(i + 2000, rowids.length) - 1]) as Row[];
      for (const r of rows) {
        const inc = incidentFromRow(r);
        const next = deriveIncident(inc, store.slaSettings);
        if (next.responseDueAt === inc.responseDueAt && next.resolveDueAt === inc.resolveDueAt && next.matrixCell === inc.matrixCell) continue;
        update.run({ matrixCell: next.matrixCell ?? null, responseDueAt: next.responseDueAt, resolveDueAt: next.resolveDueAt, id: inc.id });
        changed++;
      }
    }
    // The warning share or a calendar may have changed without moving a due time: the notice sweep
    // looks at every open incident once more (migration 021, `next_notice_at`).
    db.prepare("UPDATE incidents SET next_notice_at = 0 WHERE next_notice_at IS NOT 0 AND status NOT IN ('resolved', 'closed')").run();
    store.setMeta('sla_due_basis', basis);
  })();
  return changed;
}

/** A pulled `sla_settings` row: validated (a bad document is refused and set aside, the held settings stay), kept, in force at once. */
export function applySlaSettings(store: DeskStore, data: Record<string, unknown>): void {
  const parsed = slaSettingsSchema.safeParse(data.settings);
  if (!parsed.success) throw new Error(`sla_settings: ${parsed.error.issues.map((i) => `settings.${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const text = JSON.stringify(parsed.data);
  store.db.prepare(`INSERT INTO sla_settings (id, data, updated_at, source) VALUES ('default', ?, ?, 'server')
    ON CONFLICT(id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, source = excluded.source`)
    .run(text, typeof data.updatedAt === 'string' ? data.updatedAt : new Date().toISOString());
  store.slaSettings = slaSettingsFromText(text);
  rederiveDueTimes(store);
}
