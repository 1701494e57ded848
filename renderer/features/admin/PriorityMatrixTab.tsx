import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LEVELS, PRIORITIES, issueFromZod, type Level, type Priority } from '../../../shared/index.js';
import { DEFAULT_MATRIX, priorityMatrixSchema, type PriorityMatrix } from '../../../shared/priority.js';
import { api } from '../../platform/api.js';
import { AdminForm, Problems, useSave, type Overview } from './AdminView.js';
import { adminIssueText } from './adminText.js';
import './priority-matrix.css';

const clone = (m: PriorityMatrix): PriorityMatrix => JSON.parse(JSON.stringify(m)) as PriorityMatrix;

/**
 * The priority matrix (issue 13 item 1): impact × urgency → P1..P4, edited by leads and admins and
 * kept with the SLA settings on the central server; every desk pulls it. A change applies to incidents
 * recorded or re-classified after it; the others keep their priority (shared/SLA.md). Checked here
 * with the server's schema before anything is sent; a refusal names the cell.
 */
export function PriorityMatrixTab({ data, reload, online }: { data: Overview; reload: () => Promise<void>; online: boolean }) {
  const { t } = useTranslation();
  const held = data.sla.settings.priorityMatrix ?? DEFAULT_MATRIX;
  const [draft, setDraft] = useState<PriorityMatrix>(() => clone(held));
  const { problems, setProblems, busy, run } = useSave(reload);

  const save = async () => {
    const checked = priorityMatrixSchema.safeParse(draft);
    if (!checked.success) {
      setProblems(checked.error.issues.map((i) => adminIssueText(issueFromZod({ ...i, path: ['matrix', ...i.path] }), t)));
      return;
    }
    await run(() => api.admin.setPriorityMatrix.mutate({ matrix: checked.data }), t('admin.priorityMatrix.saved'));
  };
  const cancel = () => { setDraft(clone(held)); setProblems(null); };
  const put = (impact: Level, urgency: Level, p: Priority) => setDraft({ ...draft, [impact]: { ...draft[impact], [urgency]: p } });
  const cellLabel = (impact: Level, urgency: Level) => t('admin.field.matrixCell', { impact: t(`enum.level.${impact}`), urgency: t(`enum.level.${urgency}`) });

  return (
    <div data-testid="admin-priority">
      <AdminForm onSave={() => void save()} onCancel={cancel} testId="admin-priority-form" label={t('admin.tab.priority')}>
        <fieldset disabled={!online} className="admin-fieldset">
          <h3>{t('admin.priorityMatrix.title')}</h3>
          <p className="admin-hint">{t('admin.priorityMatrix.hint')}</p>
          <table className="admin-table admin-matrix" data-testid="admin-priority-matrix">
            <thead>
              <tr><th scope="col">{t('admin.priorityMatrix.corner')}</th>{LEVELS.map((u) => <th key={u} scope="col">{t('admin.priorityMatrix.urgency', { level: t(`enum.level.${u}`) })}</th>)}</tr>
            </thead>
            <tbody>
              {LEVELS.map((impact) => (
                <tr key={impact}>
                  <th scope="row">{t('admin.priorityMatrix.impact', { level: t(`enum.level.${impact}`) })}</th>
                  {LEVELS.map((urgency) => {
                    const changed = draft[impact][urgency] !== DEFAULT_MATRIX[impact][urgency];
                    return (
                      <td key={urgency} className={changed ? 'admin-matrix-changed' : undefined}>
                        <select aria-label={cellLabel(impact, urgency)} data-testid={`admin-matrix-${impact}-${urgency}`} value={draft[impact][urgency]}
                          onChange={(e) => put(impact, urgency, e.target.value as Priority)}>
                          {PRIORITIES.map((p) => <option key={p} value={p}>{t(`enum.priority.${p}`)}</option>)}
                        </select>
                        {changed && <span className="admin-hint"> {t('admin.priorityMatrix.shipped', { priority: DEFAULT_MATRIX[impact][urgency] })}</span>}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="admin-hint">{t('admin.priorityMatrix.rules')}</p>
        </fieldset>
        <Problems lines={problems} />
        {online && (
          <div className="admin-actions">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="admin-priority-save">{t('admin.save')}</button>
            <button type="button" className="btn" onClick={cancel}>{t('admin.cancel')}</button>
            <button type="button" className="btn" data-testid="admin-priority-default" onClick={() => { setDraft(clone(DEFAULT_MATRIX)); setProblems(null); }}>{t('admin.priorityMatrix.useShipped')}</button>
          </div>
        )}
      </AdminForm>
    </div>
  );
}
