import type { Status } from '../../../shared/index.js';

/**
 * Every keyboard shortcut of the console, in the order the sheet (? / F1) lists them. `id` names the
 * locale entries: `keys.combo.<id>` words the keys, `keys.do.<id>` what they do (both languages).
 */
export const SHORTCUT_GROUPS: Array<{ group: 'global' | 'queue' | 'detail' | 'form'; ids: string[] }> = [
  { group: 'global', ids: ['queue', 'views', 'search', 'newIncident', 'help'] },
  { group: 'queue', ids: ['move', 'open', 'back', 'page', 'sort'] },
  { group: 'detail', ids: ['dispatch', 'start', 'pending', 'resolve', 'close', 'reopen', 'return', 'escalate', 'askManagement', 'note', 'edit', 'confirm'] },
  { group: 'form', ids: ['caller', 'title', 'impact', 'urgency', 'save', 'dismiss'] },
];

/** Single keys that act on the open incident (when the focus is not in a field): a status step each, or a part of the detail. */
export const DETAIL_KEYS: Record<string, { id: string; transition?: Status }> = {
  d: { id: 'dispatch', transition: 'assigned' },
  s: { id: 'start', transition: 'in_progress' },
  p: { id: 'pending', transition: 'pending' },
  r: { id: 'resolve', transition: 'resolved' },
  c: { id: 'close', transition: 'closed' },
  o: { id: 'reopen', transition: 'reopened' },
  b: { id: 'return', transition: 'returned' },
  w: { id: 'note' },
  e: { id: 'edit' },
  // escalation (issue 12, item 3): to the next tier; ask management to step in
  x: { id: 'escalate' },
  m: { id: 'askManagement' },
};

/**
 * Runs a detail key on the incident shown, through the same buttons and fields a mouse would use
 * (so a step needing a reason, a resolution or a dispatch target opens its prompt, focused).
 * Returns what happened: 'done', 'not-allowed' (that step is not offered from this status), or
 * null when no incident is open or the key is not one of DETAIL_KEYS.
 */
export function runDetailKey(key: string): { result: 'done' | 'not-allowed'; id: string; status: string } | null {
  const entry = DETAIL_KEYS[key.toLowerCase()];
  const detail = document.querySelector<HTMLElement>('[data-testid="incident-detail"]');
  if (!entry || !detail) return null;
  const status = detail.dataset.status ?? '';
  const testId = entry.transition ? `transition-${entry.transition}` : entry.id === 'edit' ? 'edit-incident' : entry.id === 'escalate' ? 'escalate' : entry.id === 'askManagement' ? 'ask-management' : 'worklog-input';
  const el = detail.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  if (!el || (el as HTMLButtonElement).disabled) return { result: 'not-allowed', id: entry.id, status };
  if (entry.id === 'note') { el.scrollIntoView({ block: 'center' }); el.focus(); } else el.click();
  return { result: 'done', id: entry.id, status };
}

/** The key of each status step, for the action buttons' aria-keyshortcuts. */
export const TRANSITION_KEY: Partial<Record<Status, string>> = Object.fromEntries(
  Object.entries(DETAIL_KEYS).filter(([, v]) => v.transition).map(([k, v]) => [v.transition, k.toUpperCase()]),
);

/** Is the user typing (a shortcut letter must then stay a letter)? */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}
