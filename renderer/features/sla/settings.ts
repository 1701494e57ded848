// The SLA settings the renderer computes both clocks with (issue 13): read from the desk once and
// again after each change the desk reports (a pull may bring new settings). Until then, the shipped
// settings, which are also what a desk that never signed in uses.
import { useEffect } from 'react';
import { create } from 'zustand';
import { DEFAULT_SLA_SETTINGS, matrixOf, type SlaSettings } from '../../../shared/sla-clocks.js';
import type { PriorityMatrix } from '../../../shared/priority.js';
import { api } from '../../platform/api.js';
import { useUi } from '../../state/ui.js';

interface SlaSettingsState { settings: SlaSettings; updatedAt: string | null; source: 'server' | 'default' }
export const useSlaSettingsStore = create<SlaSettingsState>(() => ({ settings: DEFAULT_SLA_SETTINGS, updatedAt: null, source: 'default' }));

/** The settings in force now (for code outside React, e.g. the clock texts of lib/format.ts). */
export const currentSlaSettings = (): SlaSettings => useSlaSettingsStore.getState().settings;

let loading: Promise<void> | null = null;
export function refreshSlaSettings(): Promise<void> {
  loading ??= api.sla.settings.query()
    .then((s) => {
      const held = useSlaSettingsStore.getState();
      // Same text, same object: the calendars' compiled caches stay warm.
      if (held.updatedAt !== s.updatedAt || held.source !== s.source) useSlaSettingsStore.setState({ settings: s.settings, updatedAt: s.updatedAt, source: s.source });
    })
    .catch(() => undefined)
    .finally(() => { loading = null; });
  return loading;
}

/** The priority matrix in force (issue 13): the new-incident form shows the priority the desk will give. */
export function usePriorityMatrix(): PriorityMatrix {
  return matrixOf(useSlaSettings());
}

/** Subscribes a component to the settings and reloads them when the desk's data changes. */
export function useSlaSettings(): SlaSettings {
  const revision = useUi((s) => s.revision);
  useEffect(() => { void refreshSlaSettings(); }, [revision]);
  return useSlaSettingsStore((s) => s.settings);
}
