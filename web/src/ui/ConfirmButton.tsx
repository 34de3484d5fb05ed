import { useState, type ReactNode } from 'react';
import { focusOnMount } from './focus';

/**
 * A destructive action asked twice: the first press shows what will happen and a way back; the
 * second does it. Focus stays on the pressed control's place (the confirming button replaces it).
 */
export function ConfirmButton({ label, confirm, keep = 'Keep it', busy, onConfirm }: { label: ReactNode; confirm: string; keep?: string; busy: boolean; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <button type="button" className="danger" disabled={busy} aria-busy={busy || undefined} ref={focusOnMount} onClick={onConfirm}>
        {confirm}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {keep}
      </button>
    </span>
  );
}
