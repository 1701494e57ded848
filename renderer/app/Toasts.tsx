import { useUi } from '../state/ui.js';

export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  const dismiss = useUi((s) => s.dismiss);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((x) => (
        <div key={x.id} className={`toast toast-${x.tone}`} role={x.tone === 'error' ? 'alert' : 'status'} data-testid="toast">
          <span>{x.text}</span>
          <button type="button" className="toast-close" aria-label="×" onClick={() => dismiss(x.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
