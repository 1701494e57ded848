import { useTranslation } from 'react-i18next';
import type { FieldIssue } from '../platform/api.js';
import { issueText } from './format.js';

export function issueFor(issues: FieldIssue[], path: string): FieldIssue | undefined {
  return issues.find((i) => i.path === path);
}

/** The message under a field; its id lets the input point at it with aria-describedby. */
export function FieldError({ issues, path }: { issues: FieldIssue[]; path: string }) {
  const { t } = useTranslation();
  const issue = issueFor(issues, path);
  if (!issue) return null;
  return <span className="field-error" role="alert" data-testid={`error-${path}`}>{issueText(issue, t)}</span>;
}
