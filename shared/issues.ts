// Field issues as codes and parameters (issue 14, item 2): the desk API and the renderer's own checks
// send `code` + `params`, the renderer words them (`renderer/lib/format.ts`); `message` stays English
// for logs and the command line. One place turns a zod issue, or a message the store wrote, into a code.

export const ISSUE_CODES = [
  'required', 'too_long', 'too_big', 'too_small', 'not_phone', 'not_email', 'not_ip', 'not_datetime', 'year_range',
  'future', 'before_occurred', 'after_reported', 'invalid_choice', 'not_url', 'too_many_rows', 'no_rows', 'no_column',
  'unknown_category', 'illegal_transition', 'backfill_role', 'rate_after_resolve', 'insecure_url', 'reference',
] as const;
export type IssueCode = typeof ISSUE_CODES[number];
export type IssueParams = Record<string, string | number>;

/** What is wrong with one field: `path` dotted (`requester.phone`), `code` + `params` for the words. */
export interface FieldIssue { path: string; message: string; code?: IssueCode; params?: IssueParams }

/** The shape of a zod 4 issue that matters here (also a Standard Schema issue with zod's extra fields). */
export interface ZodLikeIssue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string; code?: string; minimum?: unknown; maximum?: unknown; origin?: string; input?: unknown; expected?: string;
}

const REFERENCE = /^(unknown_user|inactive_user|sample_person|unknown_category|unknown_kb_article|unknown_account|not_local_identity)\b/;

/**
 * The code of a message the schemas (shared/schemas.ts, shared/time.ts) or the desk store write; null for
 * one without a code (the renderer then shows what it can of the message).
 */
export function codeOfMessage(message: string): { code: IssueCode; params?: IssueParams } | null {
  const m = message.trim();
  if (/^required\b/i.test(m)) return { code: 'required' };
  const tooLong = /^at most (\d+) characters/.exec(m);
  if (tooLong) return { code: 'too_long', params: { max: Number(tooLong[1]) } };
  const rows = /^at most (\d+) rows per batch$/.exec(m);
  if (rows) return { code: 'too_many_rows', params: { max: Number(rows[1]) } };
  if (m.startsWith('not a phone number')) return { code: 'not_phone' };
  if (m === 'not an e-mail address') return { code: 'not_email' };
  if (m === 'not an IP address') return { code: 'not_ip' };
  if (m.startsWith('must be a date-time')) return { code: 'not_datetime' };
  if (m === 'must be between the years 1970 and 2200') return { code: 'year_range' };
  if (m === 'is in the future') return { code: 'future' };
  if (m === 'is before the occurred time') return { code: 'before_occurred' };
  if (m === 'is after the reported time') return { code: 'after_reported' };
  if (m === 'invalid_choice' || /^Invalid option: expected one of/.test(m)) return { code: 'invalid_choice' };
  if (m === 'must be an http(s) URL') return { code: 'not_url' };
  if (m === 'no rows to save') return { code: 'no_rows' };
  if (m === 'unknown category' || /^unknown category \S+$/.test(m)) return { code: 'unknown_category' };
  const illegal = /^cannot go from (\w+) to (\w+)/.exec(m);
  if (illegal) return { code: 'illegal_transition', params: { from: illegal[1], to: illegal[2] } };
  if (/^your role \(\w+\) may not back-fill/.test(m)) return { code: 'backfill_role' };
  if (m === 'can be rated once the incident is resolved') return { code: 'rate_after_resolve' };
  if (m === 'insecure_url') return { code: 'insecure_url' };
  const ref = REFERENCE.exec(m);
  if (ref) return { code: 'reference', params: { ref: ref[1] } };
  if (m === 'unknown user') return { code: 'reference', params: { ref: 'unknown_user' } };
  return null;
}

const pathOf = (path: ZodLikeIssue['path']) =>
  (path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p)).join('.');

/** A zod issue as a field issue with its code; a missing value is `required` whatever zod called it. */
export function issueFromZod(i: ZodLikeIssue, fallbackPath = ''): FieldIssue {
  const path = pathOf(i.path) || fallbackPath;
  const missing = (i.code === 'too_small' && (i.origin === 'string' || i.origin === undefined) && Number(i.minimum) === 1)
    || (i.code === 'invalid_type' && (i.input === undefined && /received undefined$/.test(i.message)));
  if (missing) return { path, message: 'required', code: 'required' };
  // A message the schema gave names the rule; zod's own English for the rest is read by its code.
  const coded = codeOfMessage(i.message);
  if (coded) return { path, message: i.message, ...coded };
  if (i.code === 'too_big' && i.origin === 'string') return { path, message: `at most ${String(i.maximum)} characters`, code: 'too_long', params: { max: Number(i.maximum) } };
  if (i.code === 'too_big') return { path, message: i.message, code: 'too_big', params: { max: Number(i.maximum) } };
  if (i.code === 'too_small') return { path, message: i.message, code: 'too_small', params: { min: Number(i.minimum) } };
  if (i.code === 'invalid_value' || i.code === 'invalid_union') return { path, message: 'invalid_choice', code: 'invalid_choice' };
  return { path, message: i.message };
}

/** An issue with its code filled in from its message where it has none (the store's own issues). */
export function withCode(i: FieldIssue): FieldIssue {
  if (i.code) return i;
  const coded = codeOfMessage(i.message);
  return coded ? { ...i, ...coded } : i;
}
