import type { FieldIssue } from '../platform/api.js';

interface ZodLikeIssue { path: PropertyKey[]; message: string; code?: string; minimum?: unknown; maximum?: unknown; origin?: string; input?: unknown }

/** A shared zod schema's issues in the same shape the API sends (`path` dotted), 'required' where a value is missing. */
export function fromZodIssues(issues: readonly ZodLikeIssue[]): FieldIssue[] {
  return issues.map((i) => {
    const path = i.path.map(String).join('.');
    const missing = (i.code === 'too_small' && Number(i.minimum) === 1) || (i.code === 'invalid_type' && i.input === undefined);
    // zod's own English for a rule the schema gave no message for, in the shapes the renderer words.
    const tooLong = i.code === 'too_big' && i.origin === 'string' && /^Too big/.test(i.message);
    const choice = i.code === 'invalid_value' && /^Invalid (option|input)/.test(i.message);
    return { path, message: missing ? 'required' : tooLong ? `at most ${String(i.maximum)} characters` : choice ? 'invalid_choice' : i.message };
  });
}
