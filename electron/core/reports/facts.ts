import type { Db } from '../db/connection.js';
import { refreshFactsSql } from '../db/migrations/009_incident_facts.js';
import { refreshMinutesSql } from '../db/migrations/022_report_minutes.js';
import { ROUTED, refreshGroupsSql } from '../db/migrations/023_returned_groups.js';

/**
 * The per-incident fact columns (migrations 009 and 023) are kept by triggers on every history write. A bulk
 * writer that adds thousands of new incidents in one transaction (the import) defers them instead and
 * recomputes its incidents once, with the same SQL, before it commits: one recomputation per incident
 * instead of one per status event. Both calls run inside the writer's transaction; a rollback undoes
 * the deferral with everything else.
 */

/** Defers the fact triggers for this transaction; returns the mark to pass to `refreshDeferredFacts`. */
export function deferFacts(db: Db): number {
  db.prepare('INSERT OR IGNORE INTO incident_facts_deferred (id) VALUES (1)').run();
  return (db.prepare('SELECT coalesce(max(rowid), 0) FROM incidents').pluck().get() as number);
}

/**
 * Recomputes the facts of the incidents added since `mark` (rowids only grow; nothing else writes
 * while the import holds the transaction) and turns the triggers back on.
 */
export function refreshDeferredFacts(db: Db, mark: number): void {
  db.prepare(refreshFactsSql('rowid > ?')).run(mark);
  db.prepare(refreshMinutesSql('rowid > ?')).run(mark);
  // the routing columns of the new incidents that have routing events (the others keep their NULL default)
  db.prepare(refreshGroupsSql(`rowid > ? AND EXISTS (SELECT 1 FROM history h WHERE h.incident_id = incidents.id AND ${ROUTED('h')})`)).run(mark);
  db.prepare('DELETE FROM incident_facts_deferred').run();
}
