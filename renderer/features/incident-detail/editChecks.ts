import { LIMITS, incidentPatchSchema, type FieldIssue } from '../../../shared/index.js';
import { fromZodIssues } from '../../lib/zodIssues.js';

/** The edit form's text fields and the longest text each takes (the patch schema's limits). */
export const EDIT_MAX = {
  title: LIMITS.title, description: LIMITS.description, affectedName: LIMITS.short, affectedIp: 64, affectedLocation: LIMITS.short,
  urgentReason: LIMITS.reason, resolution: LIMITS.text, rootCause: LIMITS.text, problemRef: LIMITS.name, changeRef: LIMITS.name,
  kbArticleId: LIMITS.name, satisfactionComment: LIMITS.text,
} as const;
export type EditTextField = keyof typeof EDIT_MAX;

/**
 * The edit form's problems to show as the user types, in the API's codes (the same patch schema the
 * desk checks): a field's problem once it has been left (`left`), a text over its limit at once.
 * The title and description are sent as typed, the other texts trimmed and empty as none, as on save.
 */
export function editIssues(values: Record<EditTextField, string>, left: ReadonlySet<string>): FieldIssue[] {
  const candidate: Record<string, string | null> = {};
  for (const k of Object.keys(EDIT_MAX) as EditTextField[]) {
    candidate[k] = k === 'title' || k === 'description' ? values[k] : (values[k].trim() || null);
  }
  const parsed = incidentPatchSchema.safeParse(candidate);
  if (parsed.success) return [];
  const out: FieldIssue[] = [];
  for (const i of fromZodIssues(parsed.error.issues)) {
    if ((left.has(i.path) || i.code === 'too_long') && !out.some((o) => o.path === i.path)) out.push(i);
  }
  return out;
}

/** What the form shows: its own live problems first, then what the desk answered for the other fields. */
export function mergeIssues(live: FieldIssue[], fromDesk: FieldIssue[]): FieldIssue[] {
  return [...live, ...fromDesk.filter((d) => !live.some((l) => l.path === d.path))];
}
