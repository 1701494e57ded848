import { useTranslation } from 'react-i18next';
import type { PriorityReason } from '../../shared/index.js';

/** "Why this priority": the deciding rule first, as computePriority orders them. */
export function PriorityReasons({ reasons }: { reasons: PriorityReason[] }) {
  const { t } = useTranslation();
  return (
    <ul className="reasons">
      {reasons.map((r, i) => <li key={i} className={i === 0 ? 'deciding' : ''}>{reasonText(r, t)}</li>)}
    </ul>
  );
}

export function reasonText(r: PriorityReason, t: (k: string, o?: Record<string, unknown>) => string): string {
  switch (r.rule) {
    case 'matrix': return t('reason.matrix', { impact: t(`enum.level.${r.impact}`), urgency: t(`enum.level.${r.urgency}`), priority: r.priority });
    case 'major': return t('reason.major', { reasons: r.reasons.map((x) => t(`enum.majorReason.${x}`)).join('；') });
    case 'vip': return t('reason.vip', { level: t(`enum.serviceLevel.${r.serviceLevel}`) });
    case 'manual_urgent': return t('reason.manual_urgent', { reason: r.reason });
    case 'auto_escalated': return t('reason.auto_escalated');
  }
}
