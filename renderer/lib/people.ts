import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useUi, type CatalogUser } from '../state/ui.js';

const SAMPLE_NUMBER = /^DEMO-/;

/**
 * Who an incident may be dispatched to: the people the desk core marks dispatchable (once signed in,
 * active accounts the server knows); sample people only for sample (DEMO-…) incidents.
 */
export function dispatchTargets(users: CatalogUser[], incidentNumber?: string | null): CatalogUser[] {
  const sampleIncident = !!incidentNumber && SAMPLE_NUMBER.test(incidentNumber);
  return users.filter((u) => (u.sample ? sampleIncident : u.dispatchable !== false));
}

/** Accounts work can be attributed to: dispatchable people who are not sample people. */
export function accountsOf(users: CatalogUser[]): CatalogUser[] {
  return users.filter((u) => !u.sample && u.dispatchable !== false);
}

/**
 * A person's name for display, never an id: the dispatchable people first, then names this console
 * has seen before (sample or local people the server does not know), then the name the desk recorded
 * with the row, else "unknown person".
 */
export function usePersonName() {
  const { t } = useTranslation();
  const users = useUi((s) => s.users);
  const known = useUi((s) => s.knownNames);
  return useCallback((id: string | null | undefined, recorded?: string | null): string => {
    if (!id) return t('detail.none');
    return users.find((u) => u.id === id)?.name ?? known[id] ?? recorded ?? t('sync.unknownPerson');
  }, [t, users, known]);
}

/** Who made a history row: the account's name, with the local name it was recorded under when that differs. */
export function useActorLabel() {
  const { t } = useTranslation();
  const users = useUi((s) => s.users);
  const known = useUi((s) => s.knownNames);
  return useCallback((actorId: string, actorName: string | null): string => {
    const account = users.find((u) => u.id === actorId)?.name ?? known[actorId];
    if (!account) return actorName ?? t('sync.unknownPerson');
    if (actorName && actorName !== account) return t('detail.recordedAs', { name: account, local: actorName });
    return account;
  }, [t, users, known]);
}
