import { issueFromZod, type FieldIssue, type ZodLikeIssue } from '../../shared/index.js';

/** A shared zod schema's issues exactly as the API sends them (`path` dotted, `code` + `params`; shared/issues.ts). */
export function fromZodIssues(issues: readonly ZodLikeIssue[]): FieldIssue[] {
  return issues.map((i) => issueFromZod(i));
}
