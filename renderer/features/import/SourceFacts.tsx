import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../platform/api.js';

/**
 * Imported incidents in the queue and the detail (issue 14, item 5; issue 11): history unless the
 * person importing made the open ones live work. The desk marks which by the incident's owner
 * (electron/core/import/write.ts IMPORTED_OWNER / IMPORTED_LIVE_OWNER; the same strings here, as the
 * renderer imports nothing of the desk core but types).
 */
export const IMPORTED_OWNER = 'import:history';
export const IMPORTED_LIVE_OWNER = 'import:live';

/** Imported and not made live work: not in Mine or My group, after the live work, no SLA clock shown. */
export const isImportedHistory = (row: { origin: string; ownerId: string }) => row.origin === 'import' && row.ownerId !== IMPORTED_LIVE_OWNER;
/** An owner id that names no person: imported incidents are owned by their source's people (names in their history). */
export const isImportedOwner = (id: string | null | undefined) => id === IMPORTED_OWNER || id === IMPORTED_LIVE_OWNER;

type Facts = Awaited<ReturnType<typeof api.import.sourceFacts.query>>[number];

/** The source event behind each imported history row of an incident, by history id (empty for other incidents). */
export function useSourceFacts(incidentId: string | undefined, origin: string | undefined, revision: number): Map<string, Facts> {
  const [facts, setFacts] = useState<Map<string, Facts>>(new Map());
  useEffect(() => {
    setFacts(new Map());
    if (!incidentId || origin !== 'import') return;
    let live = true;
    api.import.sourceFacts.query({ incidentId })
      .then((rows) => { if (live) setFacts(new Map(rows.map((r) => [r.historyId, r]))); })
      .catch(() => { /* the history still shows without them */ });
    return () => { live = false; };
  }, [incidentId, origin, revision]);
  return facts;
}

/** The source's own owner of an imported incident: its last event's owner, by name. */
export function sourceOwnerOf(facts: Map<string, Facts>): string | null {
  let owner: string | null = null;
  for (const f of facts.values()) if (f.owner) owner = f.owner;
  return owner;
}

// inline: the stylesheet belongs to the shell; these are the only styles the facts need
const LIST = { display: 'flex', flexWrap: 'wrap', gap: '2px 12px', margin: '2px 0 0' } as const;
const FACT = { display: 'inline-flex', gap: 4 } as const;
const DT = { margin: 0, opacity: 0.75 } as const;
const DD = { margin: 0 } as const;

const COLS = ['status', 'subStatus', 'group', 'owner', 'role', 'orgLine', 'country', 'ownerCountry', 'product', 'impact'] as const;

/** One imported event's source columns, labelled from the locale files; the values are the source's own text. */
export function SourceFactsLine({ facts }: { facts: Facts }) {
  const { t } = useTranslation();
  const other = Object.entries(facts.attrs);
  return (
    <dl className="src-facts small" style={LIST} data-testid="history-source" aria-label={t('impHist.source')}>
      {COLS.filter((c) => facts[c]).map((c) => (
        <span key={c} style={FACT} data-col={c}><dt style={DT}>{t(`impHist.col.${c}`)}</dt><dd style={DD}>{facts[c]}</dd></span>
      ))}
      {other.length > 0 && (
        <span style={FACT} data-col="other">
          <dt style={DT}>{t('impHist.other')}</dt><dd style={DD}>{other.map(([k, v]) => `${k}: ${v}`).join(' · ')}</dd>
        </span>
      )}
    </dl>
  );
}
