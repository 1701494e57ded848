import type { FieldIssue } from '../platform/api.js';

interface ZodLikeIssue { path: PropertyKey[]; message: string; code?: string; minimum?: unknown; input?: unknown }

/** A shared zod schema's issues in the same shape the API sends (`path` dotted), 'required' where a value is missing. */
export function fromZodIssues(issues: readonly ZodLikeIssue[]): FieldIssue[] {
  return issues.map((i) => {
    const path = i.path.map(String).join('.');
    const missing = (i.code === 'too_small' && Number(i.minimum) === 1) || (i.code === 'invalid_type' && i.input === undefined);
    return { path, message: missing ? 'required' : i.message };
  });
}
