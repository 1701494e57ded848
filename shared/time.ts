/** Allowed clock drift between a form's "now" and the desktop's, so a time typed as "now" is not "future". */
export const FUTURE_TOLERANCE_MS = 60_000;

import type { FieldIssue } from './issues.js';

/** Checks that cannot be expressed in a schema because they need the current time. */
export function checkTimes(t: { occurredAt?: string | null; reportedAt?: string | null }, now: Date): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const limit = now.getTime() + FUTURE_TOLERANCE_MS;
  for (const field of ['occurredAt', 'reportedAt'] as const) {
    const v = t[field];
    if (v && Date.parse(v) > limit) issues.push({ path: field, message: 'is in the future', code: 'future' });
  }
  if (t.occurredAt && t.reportedAt && Date.parse(t.occurredAt) > Date.parse(t.reportedAt)) {
    issues.push({ path: 'reportedAt', message: 'is before the occurred time', code: 'before_occurred' });
  }
  return issues;
}
