// Both SLA clocks of an incident (issue 13): due time in the viewer's zone, remaining or overdue
// business time, running or paused and why, met or breached, on the calendar of its priority and
// requester level. Computed here from the desk's SLA settings, so the clocks move on screen.
import { useTranslation } from 'react-i18next';
import { incidentClocks, type BusinessClockView, type Incident } from '../../../shared/index.js';
import { formatBusinessMinutes, formatDateTime } from '../../lib/format.js';
import { useNow } from '../../lib/useNow.js';
import { useSlaSettings } from './settings.js';

const TONE: Record<BusinessClockView['state'], string> = { running: 'ok', paused: 'paused', warning: 'warning', met: 'done', breached: 'breached' };

export function SlaClocks({ incident }: { incident: Incident }) {
  const { t, i18n } = useTranslation();
  const settings = useSlaSettings();
  const now = useNow(30_000);
  const loc = i18n.language;
  const clocks = incidentClocks(incident, settings, now);
  const calendarName = (id: string) => (id === '24x7' || id === 'cn-default' ? t(`slaClock.calendar.${id}`) : t('slaClock.calendar.other', { id }));

  const row = (c: BusinessClockView) => {
    const stopped = c.stoppedMs != null;
    const when = stopped
      ? t('slaClock.stopped', { at: formatDateTime(c.stoppedMs, loc) })
      : c.pausedBy === 'pending' ? t('slaClock.dueIfResumed', { at: formatDateTime(c.dueMs, loc) }) : t('slaClock.due', { at: formatDateTime(c.dueMs, loc) });
    const left = c.remainingMin < 0 ? t('slaClock.overdue', { t: formatBusinessMinutes(-c.remainingMin) }) : t('slaClock.remaining', { t: formatBusinessMinutes(c.remainingMin) });
    return (
      <div className={`sla-clock sla-${TONE[c.state]}`} style={{ display: 'flex', flexWrap: 'wrap', gap: '0 10px', fontSize: 12 }} data-testid={`sla-clock-${c.clock}`} data-state={c.state} data-paused-by={c.pausedBy ?? undefined}>
        <span className="sla-clock-name" style={{ fontWeight: 600 }}>{t(`slaClock.clock.${c.clock}`)}</span>
        <span className="sla-clock-state">{t(`slaClock.state.${c.state}`)}{c.pausedBy ? ` · ${t(`slaClock.pausedBy.${c.pausedBy}`)}` : ''}</span>
        <span className="sla-clock-left">{stopped && c.state === 'met' ? t('slaClock.target', { t: formatBusinessMinutes(c.targetMin) }) : left}</span>
        <span className="sla-clock-due muted" title={formatDateTime(c.dueMs, loc)}>{when}</span>
        <span className="sla-clock-cal muted" title={t('slaClock.calendarLabel')}>{calendarName(c.calendarId)}</span>
      </div>
    );
  };
  return (
    <div className="sla-clocks" style={{ display: 'grid', gap: 2 }} role="group" aria-label={t('slaClock.title')} data-testid="sla-clocks">
      {row(clocks.response)}
      {row(clocks.resolution)}
    </div>
  );
}
