import type { TFunction } from 'i18next';
import { issueFromZod, withCode, type FieldIssue, type ZodLikeIssue } from '../../../shared/index.js';
import { issueMessage } from '../../lib/format.js';

/**
 * Wording of the administration section's failures (the desk API sends codes and field paths:
 * electron/core/admin/central.ts). Pure, so the desk's integration test words a refusal the same way.
 */
export interface AdminFailure { code: string; message: string; issues: FieldIssue[] }

/** A failed call (a TRPCClientError in the renderer, a TRPCError from a test's caller) as code, message and issues. */
export function adminFailureOf(err: unknown): AdminFailure {
  const e = (err ?? {}) as { message?: string; code?: string; data?: { code?: string; issues?: unknown }; cause?: { issues?: unknown } };
  const raw = Array.isArray(e.data?.issues) ? e.data.issues : Array.isArray(e.cause?.issues) ? e.cause.issues : [];
  const issues = (raw as Array<{ path?: unknown; message?: unknown; code?: FieldIssue['code']; params?: FieldIssue['params'] }>).map((i) => (Array.isArray(i.path) && !Array.isArray(e.data?.issues)
    // a zod issue itself (a test's direct caller): coded as the desk API's error formatter codes it
    ? issueFromZod(i as ZodLikeIssue) : withCode({
    path: Array.isArray(i.path) ? i.path.join('.') : String(i.path ?? ''), message: String(i.message ?? ''),
    ...(i.code ? { code: i.code } : {}), ...(i.params ? { params: i.params } : {}),
  })));
  return { code: String(e.data?.code ?? e.code ?? ''), message: String(e.message ?? ''), issues };
}

const WEEKDAY = /^week\.(mon|tue|wed|thu|fri|sat|sun)(?:\.(\d+)(?:\.(start|end))?)?$/;
const DAY_RULE = /^(holidays|workdays)(?:\.(\d+)(?:\.(date|monthDay|name|spans)(?:\.(\d+)(?:\.(start|end))?)?)?)?$/;

/** A field path (`settings.calendars.1.holidays.3.date`, `password`) in the UI language. */
export function adminFieldLabel(path: string, t: TFunction, calendarNames: readonly string[] = []): string {
  const p = path.replace(/^settings\./, '');
  if (!p || p === '(input)' || p === '(desk)') return '';
  const cal = /^calendars\.(\d+)(?:\.(.+))?$/.exec(p);
  if (cal) {
    const n = Number(cal[1]);
    const name = calendarNames[n] || t('admin.field.calendarN', { n: n + 1 });
    const rest = cal[2] ?? '';
    if (!rest) return name;
    const wd = WEEKDAY.exec(rest);
    if (wd) {
      const day = t(`admin.weekday.${wd[1]}`);
      const span = wd[2] !== undefined ? t('admin.field.spanN', { n: Number(wd[2]) + 1 }) : '';
      const end = wd[3] ? t(`admin.field.${wd[3]}`) : '';
      return [name, day, span, end].filter(Boolean).join(' · ');
    }
    const dr = DAY_RULE.exec(rest);
    if (dr) {
      const parts = [name, dr[2] !== undefined ? t(`admin.field.${dr[1]}N`, { n: Number(dr[2]) + 1 }) : t(`admin.field.${dr[1]}`)];
      if (dr[3]) parts.push(t(`admin.field.${dr[3]}`));
      if (dr[4] !== undefined) parts.push(t('admin.field.spanN', { n: Number(dr[4]) + 1 }));
      if (dr[5]) parts.push(t(`admin.field.${dr[5]}`));
      return parts.join(' · ');
    }
    const key = { id: 'calendarId', name: 'calendarName', timeZone: 'timeZone', week: 'week' }[rest];
    return key ? `${name} · ${t(`admin.field.${key}`)}` : name;
  }
  const target = /^policy\.targets\.(P[1-4])(?:\.(responseMin|resolveMin))?$/.exec(p);
  if (target) return t(target[2] === 'responseMin' ? 'admin.field.responseTarget' : target[2] ? 'admin.field.resolveTarget' : 'admin.field.target', { priority: target[1] });
  const choose = /^policy\.calendars\.(normal|vip|svip)\.(P[1-4])$/.exec(p);
  if (choose) return t('admin.field.calendarFor', { level: t(`admin.level.${choose[1]}`), priority: choose[2] });
  if (p === 'policy.warnShare') return t('admin.field.warnShare');
  const cell = /^(?:matrix|priorityMatrix)(?:\.(high|medium|low)(?:\.(high|medium|low))?)?$/.exec(p); // issue 13: the priority matrix
  if (cell) return cell[2] ? t('admin.field.matrixCell', { impact: t(`enum.level.${cell[1]}`), urgency: t(`enum.level.${cell[2]}`) }) : cell[1] ? t('admin.priorityMatrix.impact', { level: t(`enum.level.${cell[1]}`) }) : t('admin.tab.priority');
  const plain = ['name', 'role', 'groupName', 'password', 'active', 'tier', 'members', 'groupId', 'categoryId', 'id', 'parentId', 'code', 'nameZh', 'nameEn'];
  const head = p.split('.')[0];
  return plain.includes(head) ? t(`admin.field.${head}`) : p;
}

/** Messages the server, the password policy and the SLA schema write (English), as locale keys. */
const MESSAGES: Array<[RegExp, string, (m: RegExpExecArray) => Record<string, string | number>]> = [
  [/^unknown time zone/, 'unknownZone', () => ({})],
  [/^overlaps\b/, 'overlap', () => ({})],
  [/^a span of zero length/, 'zeroSpan', () => ({})],
  [/^give either a date/, 'dateOrYearly', () => ({})],
  [/^must be a real date/, 'badDate', () => ({})],
  [/^must be a real month and day/, 'badMonthDay', () => ({})],
  [/^must be a time HH:MM/, 'badTime', () => ({})],
  [/^is also a holiday/, 'alsoHoliday', () => ({})],
  [/^no working time on any day/, 'noWorkingTime', () => ({})],
  [/^the holidays leave no working time in (\d+)/, 'noWorkingYear', (m) => ({ year: m[1] })],
  [/^a target of zero/, 'targetZero', () => ({})],
  [/^whole minutes/, 'wholeMinutes', () => ({})],
  [/^longer than a year/, 'targetTooLong', () => ({})],
  [/^must be (above 0|below 1)/, 'warnRange', () => ({})],
  [/^no calendar with id (.*)$/, 'noCalendar', (m) => ({ id: m[1] })],
  [/^the same id as/, 'duplicateId', () => ({})],
  [/^letters, digits, dot, dash and underscore only/, 'idChars', () => ({})],
  [/^is only whitespace/, 'pwWhitespace', () => ({})],
  [/^too short: at least (\d+) characters/, 'pwShort', (m) => ({ min: Number(m[1]) })],
  [/^is one character repeated/, 'pwRepeated', () => ({})],
  [/^must not (be|contain) the user name/, 'pwName', () => ({})],
  [/use a longer passphrase/, 'pwGuessable', () => ({})],
  [/is already taken|already exists/, 'nameTaken', () => ({})],
  [/^no group named (.*)$/, 'noGroup', (m) => ({ name: m[1] })],
  [/last active admin/, 'lastAdmin', () => ({})],
  [/^no category (.*)$/, 'noCategory', (m) => ({ id: m[1] })],
  [/cannot be its own parent|is a subcategory|stays a root|has subcategories/, 'parentNotRoot', () => ({})],
  [/^a person is listed twice/, 'listedTwice', () => ({})],
];

/** What is wrong with one field, in the UI language. */
export function adminIssueMessage(issue: FieldIssue, t: TFunction): string {
  for (const [re, key, params] of MESSAGES) {
    const m = re.exec(issue.message.trim());
    if (m) return t(`admin.msg.${key}`, params(m));
  }
  const worded = issueMessage(issue, t);
  // An English message nobody words: say that the value was refused rather than show it.
  return worded === issue.message.trim() && !issue.code ? t('admin.msg.invalid') : worded;
}

export function adminIssueText(issue: FieldIssue, t: TFunction, calendarNames: readonly string[] = []): string {
  const label = adminFieldLabel(issue.path, t, calendarNames);
  const msg = adminIssueMessage(issue, t);
  return label ? `${label}${t('common.sep')}${msg}` : msg;
}

/** A failed administration call, in the UI language (one line per field issue). */
export function adminErrorText(f: AdminFailure, t: TFunction, calendarNames: readonly string[] = []): string[] {
  const code = /^(admin_not_signed_in|admin_offline|admin_session_expired|admin_forbidden)\b/.exec(f.message)?.[1];
  if (code) return [t(`admin.err.${code}`)];
  if (f.code === 'FORBIDDEN') return [t('admin.err.admin_forbidden')];
  if (f.code === 'UNAUTHORIZED') return [t('admin.err.admin_session_expired')];
  if (f.issues.length) return f.issues.map((i) => adminIssueText(i, t, calendarNames));
  return [t('admin.err.failed')];
}
