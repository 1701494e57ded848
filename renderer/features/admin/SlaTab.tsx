import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, SERVICE_LEVELS, issueFromZod, type Priority, type ServiceLevel } from '../../../shared/index.js';
import { WEEKDAYS, type BusinessCalendar, type BusinessSpan, type HolidayRule, type Weekday, type WorkdayRule } from '../../../shared/calendar.js';
import { slaSettingsSchema, type SlaSettings } from '../../../shared/sla-clocks.js';
import { api } from '../../platform/api.js';
import { AdminForm, Problems, useSave, type Overview } from './AdminView.js';
import { adminIssueText } from './adminText.js';

const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** The shipped calendars carry no name: worded from the locale files; others show their own name or id. */
const SHIPPED = ['24x7', 'cn-default'];

/**
 * SLA settings (issue 13 item 1): business calendars (time zone, spans per weekday, holidays and
 * make-up days, one-off or yearly), targets per priority, the warning share, and which calendar
 * applies per requester service level × priority. Checked here with the server's schema before
 * anything is sent; a refusal names the field.
 */
export function SlaTab({ data, reload, online }: { data: Overview; reload: () => Promise<void>; online: boolean }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<SlaSettings>(() => clone(data.sla.settings));
  const [calIndex, setCalIndex] = useState(() => Math.max(0, data.sla.settings.calendars.findIndex((c) => c.id !== '24x7')));
  const calName = (c: BusinessCalendar) => c.name || (SHIPPED.includes(c.id) ? t(`admin.calendarName.${c.id}`) : c.id);
  const names = draft.calendars.map(calName);
  const { problems, setProblems, busy, run } = useSave(reload, names);
  const cal = draft.calendars[calIndex] ?? draft.calendars[0];
  const setCal = (next: BusinessCalendar) => setDraft({ ...draft, calendars: draft.calendars.map((c, i) => (i === calIndex ? next : c)) });

  const save = async () => {
    const checked = slaSettingsSchema.safeParse(draft);
    if (!checked.success) {
      setProblems(checked.error.issues.map((i) => adminIssueText(issueFromZod(i), t, names)));
      return;
    }
    await run(() => api.admin.setSlaSettings.mutate({ settings: checked.data }), t('admin.sla.saved'));
  };
  const cancel = () => { setDraft(clone(data.sla.settings)); setProblems(null); };

  const setSpan = (day: Weekday, i: number, patch: Partial<BusinessSpan>) => setCal({ ...cal, week: { ...cal.week, [day]: cal.week[day].map((s, j) => (j === i ? { ...s, ...patch } : s)) } });
  const ruleRow = (kind: 'holidays' | 'workdays', r: HolidayRule | WorkdayRule, i: number) => {
    const list = cal[kind] as Array<HolidayRule | WorkdayRule>;
    const put = (next: HolidayRule | WorkdayRule) => setCal({ ...cal, [kind]: list.map((x, j) => (j === i ? next : x)) });
    const yearly = r.monthDay !== undefined;
    return (
      <li key={i} data-testid={`admin-${kind}-row`}>
        <select aria-label={t('admin.sla.repeat')} value={yearly ? 'yearly' : 'once'} onChange={(e) => {
          const { date, monthDay, ...rest } = r;
          put(e.target.value === 'yearly' ? { ...rest, monthDay: (date ?? '').slice(5) || '01-01' } : { ...rest, date: monthDay ? `${new Date().getFullYear()}-${monthDay}` : '' });
        }}>
          <option value="once">{t('admin.sla.once')}</option>
          <option value="yearly">{t('admin.sla.yearly')}</option>
        </select>
        {yearly
          ? <input aria-label={t('admin.field.monthDay')} placeholder={t('admin.field.monthDayPlaceholder')} size={6} value={r.monthDay ?? ''} onChange={(e) => put({ ...r, monthDay: e.target.value })} />
          : <input type="date" aria-label={t('admin.field.date')} data-testid={`admin-${kind}-date`} value={r.date ?? ''} onChange={(e) => put({ ...r, date: e.target.value })} />}
        <input aria-label={t('admin.field.name')} placeholder={t('admin.field.name')} value={r.name ?? ''} data-testid={`admin-${kind}-name`} onChange={(e) => put({ ...r, name: e.target.value || undefined })} />
        <button type="button" className="btn btn-sm" aria-label={t('admin.remove')} onClick={() => setCal({ ...cal, [kind]: list.filter((_, j) => j !== i) })}>×</button>
      </li>
    );
  };

  return (
    <div data-testid="admin-sla">
      <AdminForm onSave={() => void save()} onCancel={cancel} testId="admin-sla-form" label={t('admin.tab.sla')}>
        <fieldset disabled={!online} className="admin-fieldset">
          <h3>{t('admin.sla.calendars')}</h3>
          <label className="field"><span>{t('admin.sla.calendar')}</span>
            <select value={calIndex} data-testid="admin-sla-calendar" onChange={(e) => setCalIndex(Number(e.target.value))}>
              {draft.calendars.map((c, i) => <option key={i} value={i}>{calName(c)}</option>)}
            </select></label>
          {cal && (
            <div className="admin-calendar" data-testid="admin-calendar">
              <label className="field"><span>{t('admin.field.calendarName')}</span>
                <input value={cal.name ?? ''} onChange={(e) => setCal({ ...cal, name: e.target.value || undefined })} /></label>
              <label className="field"><span>{t('admin.field.timeZone')}</span>
                <input value={cal.timeZone} data-testid="admin-sla-zone" onChange={(e) => setCal({ ...cal, timeZone: e.target.value })} /></label>
              <table className="admin-table admin-week">
                <thead><tr><th>{t('admin.field.week')}</th><th>{t('admin.sla.spans')}</th></tr></thead>
                <tbody>
                  {WEEKDAYS.map((d) => (
                    <tr key={d}>
                      <th scope="row">{t(`admin.weekday.${d}`)}</th>
                      <td>
                        {cal.week[d].map((s, i) => (
                          <span key={i} className="admin-span">
                            <input aria-label={`${t(`admin.weekday.${d}`)} ${t('admin.field.spanN', { n: i + 1 })} ${t('admin.field.start')}`} size={5} value={s.start} onChange={(e) => setSpan(d, i, { start: e.target.value })} />
                            –
                            <input aria-label={`${t(`admin.weekday.${d}`)} ${t('admin.field.spanN', { n: i + 1 })} ${t('admin.field.end')}`} size={5} value={s.end} onChange={(e) => setSpan(d, i, { end: e.target.value })} />
                            <button type="button" className="btn btn-sm" aria-label={t('admin.remove')} onClick={() => setCal({ ...cal, week: { ...cal.week, [d]: cal.week[d].filter((_, j) => j !== i) } })}>×</button>
                          </span>
                        ))}
                        <button type="button" className="btn btn-sm" onClick={() => setCal({ ...cal, week: { ...cal.week, [d]: [...cal.week[d], { start: '09:00', end: '18:00' }] } })}>{t('admin.sla.addSpan')}</button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h4>{t('admin.field.holidays')}</h4>
              <ul className="admin-rules" data-testid="admin-holidays">{cal.holidays.map((r, i) => ruleRow('holidays', r, i))}</ul>
              <button type="button" className="btn btn-sm" data-testid="admin-holiday-add" onClick={() => setCal({ ...cal, holidays: [...cal.holidays, { date: '' }] })}>{t('admin.sla.addHoliday')}</button>
              <h4>{t('admin.field.workdays')}</h4>
              <p className="admin-hint">{t('admin.sla.workdaysHint')}</p>
              <ul className="admin-rules" data-testid="admin-workdays">{cal.workdays.map((r, i) => ruleRow('workdays', r, i))}</ul>
              <button type="button" className="btn btn-sm" onClick={() => setCal({ ...cal, workdays: [...cal.workdays, { date: '' }] })}>{t('admin.sla.addWorkday')}</button>
            </div>
          )}

          <h3>{t('admin.sla.targets')}</h3>
          <table className="admin-table" data-testid="admin-sla-targets">
            <thead><tr><th /><th>{t('admin.sla.responseMin')}</th><th>{t('admin.sla.resolveMin')}</th></tr></thead>
            <tbody>
              {PRIORITIES.map((p: Priority) => (
                <tr key={p}>
                  <th scope="row">{p}</th>
                  {(['responseMin', 'resolveMin'] as const).map((k) => (
                    <td key={k}>
                      <input type="number" min={1} step={1} data-testid={`admin-target-${p}-${k}`} aria-label={t(k === 'responseMin' ? 'admin.field.responseTarget' : 'admin.field.resolveTarget', { priority: p })}
                        value={Number.isFinite(draft.policy.targets[p][k]) ? draft.policy.targets[p][k] : ''}
                        onChange={(e) => setDraft({ ...draft, policy: { ...draft.policy, targets: { ...draft.policy.targets, [p]: { ...draft.policy.targets[p], [k]: e.target.value === '' ? Number.NaN : Number(e.target.value) } } } })} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <label className="field"><span>{t('admin.field.warnShare')}</span>
            <input type="number" min={1} max={99} step={1} data-testid="admin-warn-share" value={Math.round(draft.policy.warnShare * 100)}
              onChange={(e) => setDraft({ ...draft, policy: { ...draft.policy, warnShare: Number(e.target.value) / 100 } })} /></label>

          <h3>{t('admin.sla.choose')}</h3>
          <table className="admin-table" data-testid="admin-sla-matrix">
            <thead><tr><th />{PRIORITIES.map((p) => <th key={p}>{p}</th>)}</tr></thead>
            <tbody>
              {SERVICE_LEVELS.map((lv: ServiceLevel) => (
                <tr key={lv}>
                  <th scope="row">{t(`admin.level.${lv}`)}</th>
                  {PRIORITIES.map((p) => (
                    <td key={p}>
                      <select aria-label={t('admin.field.calendarFor', { level: t(`admin.level.${lv}`), priority: p })} value={draft.policy.calendars[lv][p]}
                        onChange={(e) => setDraft({ ...draft, policy: { ...draft.policy, calendars: { ...draft.policy.calendars, [lv]: { ...draft.policy.calendars[lv], [p]: e.target.value } } } })}>
                        {draft.calendars.map((c) => <option key={c.id} value={c.id}>{calName(c)}</option>)}
                      </select>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
        <Problems lines={problems} />
        {online && (
          <div className="admin-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="admin-sla-save">{t('admin.save')}</button>
            <button type="button" className="btn" onClick={cancel}>{t('admin.cancel')}</button>
          </div>
        )}
      </AdminForm>
    </div>
  );
}
