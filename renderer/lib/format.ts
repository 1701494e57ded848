import type { TFunction } from 'i18next';
import { i18n } from '../i18n/index.js';
import { incidentClocks, type Category, type FieldIssue, type IssueCode, type QueueRow, type SlaClocks } from '../../shared/index.js';
import { currentSlaSettings } from '../features/sla/settings.js';

/** "2h 15m", "3d 4h", "45m" — compact, the same in both locales. */
export function formatDuration(ms: number): string {
  const totalMin = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const d = Math.floor(totalMin / 1440);
  const h = Math.floor((totalMin % 1440) / 60);
  const m = totalMin % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m`;
}

export type SlaTone = 'ok' | 'warning' | 'breached' | 'done' | 'paused';

type ClockRow = Pick<QueueRow, 'priority' | 'status' | 'reportedAt' | 'firstResponseAt' | 'resolvedAt' | 'pendingSince' | 'serviceLevel' | 'pendingSpells'>;
/** Business time as hours and minutes ("26h 30m"): a day of business time is not a calendar day. */
export function formatBusinessMinutes(min: number): string {
  const total = Math.max(0, Math.floor(Math.abs(min)));
  const h = Math.floor(total / 60);
  return h > 0 ? `${h}h ${total % 60}m` : `${total % 60}m`;
}
const bt = formatBusinessMinutes;

/**
 * The clock texts of a queue row or an incident, on business time (issue 13, shared/sla-clocks.ts):
 * `text`/`tone` for the resolution clock; `response` while the response clock still runs (null once
 * the incident has had its first response).
 */
export function slaLabel(row: ClockRow, now: Date, t: TFunction): { text: string; tone: SlaTone; view: SlaClocks; response: { text: string; tone: SlaTone } | null } {
  const view = incidentClocks(row, currentSlaSettings(), now);
  const r = view.resolution;
  const resp = view.response;
  const response = resp.stoppedMs != null ? null : resp.state === 'breached'
    ? { text: t('slaClock.short.responseOverdue', { t: bt(resp.overdueMin) }), tone: 'breached' as const }
    : { text: t('slaClock.short.response', { t: bt(resp.remainingMin) }), tone: resp.state === 'warning' ? 'warning' as const : resp.pausedBy ? 'paused' as const : 'ok' as const };
  if (r.stoppedMs != null) return { text: t(r.state === 'breached' ? 'sla.missed' : 'sla.met'), tone: 'done', view, response };
  if (r.state === 'breached') return { text: t('sla.overdue', { t: bt(r.overdueMin) }), tone: 'breached', view, response };
  const left = bt(r.remainingMin);
  if (r.pausedBy) return { text: t('sla.paused', { t: left }), tone: r.state === 'warning' ? 'warning' : 'paused', view, response };
  return { text: t('sla.remaining', { t: left }), tone: r.state === 'warning' ? 'warning' : 'ok', view, response };
}

/** The Intl locale of a UI language: English as in the United States (month first, as its date pickers). */
export function intlLocale(locale: string): string {
  return locale === 'en' ? 'en-US' : 'zh-CN';
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
/** The one date-time formatter of the console: the viewer's zone, the UI language's order, 24 h. */
function dateTimeFormat(locale: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withTime}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(locale), withTime
      ? { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : { year: 'numeric', month: '2-digit', day: '2-digit' });
    dateTimeFormats.set(key, f);
  }
  return f;
}

/** An instant (ISO text, epoch ms or Date) as date and time in the viewer's zone and UI language; '—' when absent. */
export function formatDateTime(at: string | number | Date | null | undefined, locale: string): string {
  if (at == null || at === '') return '—';
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return typeof at === 'string' ? at : '—';
  return dateTimeFormat(locale, true).format(d);
}

/** The date alone, same order as formatDateTime. */
export function formatDate(at: string | number | Date | null | undefined, locale: string): string {
  if (at == null || at === '') return '—';
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return typeof at === 'string' ? at : '—';
  return dateTimeFormat(locale, false).format(d);
}

/**
 * A calendar date that is already local (`YYYY-MM-DD`, e.g. a report's trend period in the report's
 * zone) in the UI language's order; `month` shows the month alone. No zone conversion: it is a day, not an instant.
 */
export function formatCalendarDate(ymd: string, locale: string, grain: 'day' | 'week' | 'month' = 'day'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  const key = `cal|${locale}|${grain}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(locale), grain === 'month'
      ? { year: 'numeric', month: '2-digit', timeZone: 'UTC' }
      : { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
    dateTimeFormats.set(key, f);
  }
  return f.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

/** A count with the UI language's grouping. */
export function formatNumber(n: number, locale: string): string {
  return n.toLocaleString(intlLocale(locale));
}

/** Text that is an instant (ISO 8601 with a time), for values that travel as text (history rows). */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** ISO instant → value for <input type="datetime-local"> in the desktop's zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** <input type="datetime-local"> value → ISO instant with offset (UTC), or null when empty/invalid. */
export function fromLocalInput(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function categoryName(c: Category | undefined, locale: string): string {
  if (!c) return '';
  return locale === 'en' ? c.nameEn : c.nameZh;
}

/** Full "Root / Sub" label of a category id. */
export function categoryPath(id: string, byId: Map<string, Category>, locale: string): string {
  const c = byId.get(id);
  if (!c) return '';
  const parent = c.parentId ? byId.get(c.parentId) : undefined;
  return parent ? `${categoryName(parent, locale)} / ${categoryName(c, locale)}` : categoryName(c, locale);
}

/** Field label for an issue path such as `requester.phone`; falls back to the path itself. */
export function fieldLabel(path: string, t: TFunction): string {
  if (!path) return '';
  // A path that is also a group of fields (`backfill`, `backfill.reason`) names itself with `.self`.
  for (const key of [`field.${path}.self`, `field.${path}`]) {
    if (typeof i18n.getResource(i18n.language, 'translation', key) === 'string' || typeof i18n.getResource('zh-CN', 'translation', key) === 'string') return t(key);
  }
  return path;
}

/** An issue's English message (one without a code: the server's, an older desk's, an import row's), worded where it is known. */
export function localiseMessage(message: string, t: TFunction): string {
  const m = message.trim();
  if (/^required\b/i.test(m) || /^Invalid input: expected \w+, received undefined$/i.test(m) || /^Too small: expected string to have >=1 characters?$/.test(m)) return t('msg.required');
  const illegal = /^cannot go from (\w+) to (\w+)/.exec(m);
  if (illegal) return t('msg.illegalTransition', { from: t(`enum.status.${illegal[1]}`), to: t(`enum.status.${illegal[2]}`) });
  const tooLong = /^at most (\d+) characters( \(has \d+\))?$/.exec(m);
  if (tooLong) return t('msg.tooLong', { max: tooLong[1] });
  if (m === 'is in the future') return t('msg.future');
  // The import's checks of a file and its rows (electron/core/import): the value the file had, quoted.
  const future = /^is in the future: "(.*)"$/s.exec(m);
  if (future) return t('err.futureValue', { value: future[1] });
  const unknownCat = /^unknown category "(.*)" \(map it/s.exec(m);
  if (unknownCat) return t('err.unknownCategoryValue', { value: unknownCat[1] });
  const notOneOf = /^"(.*)" is not one of (.*)$/s.exec(m);
  if (notOneOf) return t('err.notOneOf', { value: notOneOf[1] });
  const badTime = /^(ambiguous date|not a date \(no such day\)|not a date|not a time of day|not a time zone offset)[^:]*: "(.*)"$/s.exec(m);
  if (badTime) return t(`err.time.${badTime[1] === 'ambiguous date' ? 'ambiguous' : badTime[1] === 'not a date (no such day)' ? 'noSuchDay' : badTime[1] === 'not a time of day' ? 'badTime' : badTime[1] === 'not a time zone offset' ? 'badOffset' : 'notDate'}`, { value: badTime[2] });
  const unreadable = /^not a readable (XLSX|XES|CSV)\b/.exec(m);
  if (unreadable) return t('err.unreadableFile', { format: unreadable[1] });
  if (m === 'the file is empty') return t('err.emptyFile');
  if (m === 'the file has a header but no rows') return t('err.noRows');
  const more = /^and (\d+) more errors \((\d+) in all\); nothing was imported$/.exec(m);
  if (more) return t('err.moreErrors', { more: Number(more[1]), all: Number(more[2]) });
  const unmapped = /^no column is mapped to (.*?)(?: \(required\)|: map one, or choose a default category)$/.exec(m);
  if (unmapped) return t('err.noColumn', { column: unmapped[1] });
  const zone = /^unknown time zone "(.*)"/.exec(m);
  if (zone) return t('err.unknownZone', { value: zone[1] });
  if (/^unknown category \S+$/.test(m)) return t('msg.unknownCategory');
  if (m === 'is after the reported time') return t('err.afterReported');
  if (m === 'must be between the years 1970 and 2200') return t('err.yearRange');
  if (m === 'must be an http(s) URL') return t('err.badUrl');
  const rows = /^at most (\d+) rows per batch$/.exec(m);
  if (rows) return t('err.tooManyRows', { max: Number(rows[1]) });
  if (m === 'invalid_choice' || /^Invalid option: expected one of/.test(m)) return t('err.invalidChoice');
  if (m === 'can be rated once the incident is resolved') return t('err.rateAfterResolve');
  if (m === 'is before the occurred time') return t('msg.beforeOccurred');
  if (m.startsWith('not a phone number')) return t('msg.notPhone');
  if (m === 'not an e-mail address') return t('msg.notEmail');
  if (m === 'not an IP address') return t('msg.notIp');
  if (m.startsWith('must be a date-time')) return t('msg.badDate');
  if (m.startsWith('required for a back-fill')) return t('msg.required');
  if (/^your role \(\w+\) may not back-fill/.test(m)) return t('msg.backfillRole');
  if (m === 'unknown category') return t('msg.unknownCategory');
  const notDate = /^not a date: (.*)$/.exec(m);
  if (notDate) return t('msg.notDate', { value: notDate[1] });
  if (m === 'no rows to save') return t('msg.noRows');
  if (m === 'insecure_url') return t('msg.insecureUrl');
  // A problem or change record this desk does not hold (issue 12, item 6).
  const record = /^(unknown_problem|unknown_change)\b/.exec(m);
  if (record) return t(`problems.msg.${record[1]}`);
  // Reference problems come as a code, optionally followed by ': ' and an English explanation.
  const ref = /^(unknown_user|inactive_user|sample_person|unknown_category|unknown_kb_article|unknown_account|not_local_identity)\b/.exec(m);
  if (ref) return t(`msg.ref.${ref[1]}`);
  if (m === 'unknown user') return t('msg.ref.unknown_user');
  return m;
}

/** The locale key of each field-issue code (shared/issues.ts). */
const ISSUE_KEYS: Record<IssueCode, string> = {
  required: 'msg.required', too_long: 'msg.tooLong', too_big: 'err.tooBig', too_small: 'err.tooSmall', not_phone: 'msg.notPhone',
  not_email: 'msg.notEmail', not_ip: 'msg.notIp', not_datetime: 'msg.badDate', year_range: 'err.yearRange', future: 'msg.future',
  before_occurred: 'msg.beforeOccurred', after_reported: 'err.afterReported', invalid_choice: 'err.invalidChoice', not_url: 'err.badUrl',
  too_many_rows: 'err.tooManyRows', no_rows: 'msg.noRows', no_column: 'err.noColumn', unknown_category: 'msg.unknownCategory',
  illegal_transition: 'msg.illegalTransition', backfill_role: 'msg.backfillRole', rate_after_resolve: 'err.rateAfterResolve',
  insecure_url: 'msg.insecureUrl', reference: 'msg.ref.unknown_user',
};

/**
 * What is wrong with a field, in the UI language: from its code and parameters (the desk API and the
 * renderer's own checks send them); an issue without a code (an older desk, the server's text) is
 * worded from its English message where that is known.
 */
export function issueMessage(issue: Pick<FieldIssue, 'message' | 'code' | 'params'>, t: TFunction): string {
  const { code, params = {} } = issue;
  if (!code || !ISSUE_KEYS[code]) return localiseMessage(issue.message, t);
  switch (code) {
    case 'illegal_transition':
      return t(ISSUE_KEYS[code], { from: t(`enum.status.${params.from}`), to: t(`enum.status.${params.to}`) });
    case 'reference':
      return t(`msg.ref.${String(params.ref)}`, { defaultValue: t('msg.ref.unknown_user') });
    case 'no_column':
      // The import's field names are bilingual data of the import catalogue (electron/core/import/fields.ts).
      return t(ISSUE_KEYS[code], { column: String((((t as { lng?: string }).lng ?? i18n.language) === 'en' ? params.en : params.zh) ?? params.field ?? '') });
    default:
      return t(ISSUE_KEYS[code], params);
  }
}

/**
 * The column of an import problem: the file's own header where the field is mapped, else the field's
 * name in the UI language (the core names an unmapped field `中文/English`; `field` is its key).
 */
export function importColumn(e: { column: string; field?: string }, fields: ReadonlyArray<{ field: string; zh: string; en: string }>, locale: string): string {
  const f = e.field ? fields.find((x) => x.field === e.field) : undefined;
  return f && e.column === `${f.zh}/${f.en}` ? (locale === 'en' ? f.en : f.zh) : e.column;
}

export function issueText(issue: FieldIssue, t: TFunction): string {
  const label = fieldLabel(issue.path, t);
  const msg = issueMessage(issue, t);
  return label ? `${label}${t('common.sep')}${msg}` : msg;
}
