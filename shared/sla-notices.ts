// When an incident's next SLA notice falls due (issue 13): the desk keeps this instant in a typed
// column (desk migration 021, `incidents.next_notice_at`) so its sweep reads only the incidents that
// have something to tell now, instead of computing both clocks for every open incident each poll.
// Pure; the same rules as `dueSlaNotices` (shared/notices.ts), which raises them.
import { noticeId, type SweepIncident } from './notices.js';
import { incidentClocks, type SlaSettings } from './sla-clocks.js';

/**
 * The earliest instant (epoch ms) at which `dueSlaNotices` will have a notice for this incident that is
 * not raised yet (`known(id)`: held here), `nowMs` when one is due already, null when nothing is left
 * to tell while the incident stays as it is: both clocks stopped or their breaches told, or the
 * resolution clock pending (a pause moves its due time; leaving pending is a change of the incident,
 * which asks again). Warning and due instants of a running clock do not move as time passes, so the
 * instant stays right until the incident or the settings change.
 */
export function nextSlaNoticeMs(inc: SweepIncident, settings: SlaSettings, nowMs: number, known: (id: string) => boolean): number | null {
  if (inc.status === 'resolved' || inc.status === 'closed') return null;
  const clocks = incidentClocks(inc, settings, nowMs);
  let next = Number.POSITIVE_INFINITY;
  for (const v of [clocks.response, clocks.resolution]) {
    if (v.stoppedMs !== null || v.pausedBy === 'pending') continue;
    if (known(noticeId('sla_breach', inc.id, v.clock, v.dueMs))) continue;
    if (nowMs < v.warnMs) next = Math.min(next, v.warnMs);
    else if (nowMs < v.dueMs) next = Math.min(next, known(noticeId('sla_warning', inc.id, v.clock, v.dueMs)) ? v.dueMs : nowMs);
    else next = Math.min(next, nowMs);
  }
  return Number.isFinite(next) ? next : null;
}
