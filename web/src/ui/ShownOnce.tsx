import { useId, useState, type ReactNode } from 'react';
import { Field } from './Field';
import { focusOnMount } from './focus';

/**
 * A secret the API returns once (a webhook's signing secret): shown here, with a copy button, and
 * said plainly that it will not be shown again. The heading takes focus, so the person hears it.
 */
export function ShownOnce({ title, label, value, children }: { title: string; label: string; value: string; children?: ReactNode }) {
  const [copied, setCopied] = useState(false);
  const id = useId();
  return (
    <section className="shown-once" aria-labelledby={id}>
      <h3 id={id} tabIndex={-1} ref={focusOnMount}>
        {title}
      </h3>
      <p>
        <strong>Copy it now: you will not see this again.</strong> If it is lost, rotate it for a new one.
      </p>
      {children}
      <Field label={label} readOnly value={value} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
      <p>
        <button
          type="button"
          onClick={async () => {
            await navigator.clipboard?.writeText(value);
            setCopied(true);
          }}
        >
          Copy {label.toLowerCase()}
        </button>{' '}
        <span role="status">{copied ? 'Copied.' : ''}</span>
      </p>
    </section>
  );
}
