import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { issuesOf, type FieldIssue } from '../platform/api.js';

/**
 * A step that needs a reason code and a text (issue 12: return to first line, pending): the codes as
 * radio buttons (the first one focused), the text, field errors under their field, Ctrl+Enter
 * submits, Esc cancels. The caller names the codes, the words and what submitting does.
 */
export interface ReasonDialogProps<C extends string> {
  codes: readonly C[];
  /** Field the code goes in (its errors show under the codes), and the data-testid prefix `${name}-reason-…`, `${name}-text`. */
  codeField: string;
  name: string;
  words: { title: string; hint: string; legend: string; text: string; placeholder: string; confirm: string; code: (c: C) => string };
  textRequired: (code: C | '') => boolean;
  issueText: (i: FieldIssue, t: TFunction) => string;
  submit: (code: C | '', text: string) => Promise<unknown>;
  onDone: () => Promise<void>;
  onCancel: () => void;
  testIds: { dialog: string; dialogKind?: string; confirm: string; fieldsetClass: string; optionsClass: string };
}

export function ReasonDialog<C extends string>(p: ReasonDialogProps<C>) {
  const { t } = useTranslation();
  const [code, setCode] = useState<C | ''>('');
  const [text, setText] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      await p.submit(code, text);
      setIssues([]);
      await p.onDone();
    } catch (err) {
      setIssues(issuesOf(err));
    } finally { setBusy(false); }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void submit(); }
    if (e.key === 'Escape') { e.preventDefault(); p.onCancel(); }
  };
  const errorOf = (path: string) => issues.filter((i) => i.path === path).map((i, n) => <span key={n} className="field-error" role="alert">{p.issueText(i, t)}</span>);
  return (
    <div className="prompt" data-testid={p.testIds.dialog} data-dialog={p.testIds.dialogKind} onKeyDown={onKey}>
      <strong>{p.words.title}</strong>
      <p className="muted">{p.words.hint}</p>
      <fieldset className={p.testIds.fieldsetClass} data-testid={`${p.name}-reasons`}>
        <legend>{p.words.legend} *</legend>
        <div className={p.testIds.optionsClass}>
          {p.codes.map((r, k) => (
            <label key={r}>
              <input type="radio" name={`${p.name}-reason`} value={r} autoFocus={k === 0} checked={code === r} data-testid={`${p.name}-reason-${r}`} onChange={() => setCode(r)} />
              <span>{p.words.code(r)}</span>
            </label>
          ))}
        </div>
        {errorOf(p.codeField)}
      </fieldset>
      <label className="field"><span>{p.words.text}{p.textRequired(code) ? ' *' : ''}</span>
        <textarea rows={2} value={text} placeholder={p.words.placeholder} data-testid={`${p.name}-text`} onChange={(e) => setText(e.target.value)} />
        {errorOf('reason')}
      </label>
      {issues.filter((i) => i.path !== p.codeField && i.path !== 'reason').map((i, n) => <div key={n} className="form-error" role="alert">{p.issueText(i, t)}</div>)}
      <div className="actions">
        <button type="button" className="btn btn-sm" onClick={p.onCancel}>{t('detail.cancel')}</button>
        <button type="button" className="btn btn-primary btn-sm" data-testid={p.testIds.confirm} disabled={busy} onClick={() => void submit()}>
          {p.words.confirm} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </div>
  );
}
