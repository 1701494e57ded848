import type { DeskStore } from '../store/desk-store.js';

/** One imported history row's source event, as the detail screen words it (migration 010's columns). */
export interface HistorySourceFacts {
  historyId: string;
  status: string | null; subStatus: string | null; group: string | null; owner: string | null; role: string | null;
  orgLine: string | null; country: string | null; ownerCountry: string | null; product: string | null; impact: string | null;
  /** every other column of the source event, keyed by the file's own column names */
  attrs: Record<string, string>;
}

/**
 * The source facts of an incident's imported history rows, in history order (rows without any are
 * left out: an incident recorded at this desk has none). Values are the source's own text; the
 * renderer words the labels.
 */
export function sourceFactsOf(store: DeskStore, incidentId: string): HistorySourceFacts[] {
  const rows = store.db.prepare(`SELECT id AS historyId, src_status AS status, src_sub_status AS subStatus, src_group AS "group", src_owner AS owner,
      src_role AS role, src_org_line AS orgLine, src_country AS country, src_owner_country AS ownerCountry, src_product AS product,
      src_impact AS impact, source_attrs AS attrs
    FROM history WHERE incident_id = ? AND (src_status IS NOT NULL OR source_attrs IS NOT NULL) ORDER BY at, rowid`).all(incidentId) as Array<Omit<HistorySourceFacts, 'attrs'> & { attrs: string | null }>;
  return rows.map((r) => ({ ...r, attrs: r.attrs ? JSON.parse(r.attrs) as Record<string, string> : {} }));
}
