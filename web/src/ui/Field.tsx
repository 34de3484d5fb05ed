import { useId, type InputHTMLAttributes } from 'react';

type FieldProps = {
  label: string;
  hint?: string;
  /** The message beside the field: the server's or the schema's wording. */
  error?: string | undefined;
} & InputHTMLAttributes<HTMLInputElement>;

/**
 * A labelled input with its hint and its error beside it, tied together for assistive technology.
 * Works with both form hooks: `{...form.register(name)}` (forms/useApiForm.ts) or `name` (forms/useLightForm.ts).
 */
export function Field({ label, hint, error, ...input }: FieldProps) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A submit button that says it is working while the form is sent. */
export function Submit({ sending, children, busy }: { sending: boolean; children: string; busy: string }) {
  return (
    <button type="submit" className="primary" disabled={sending} aria-busy={sending || undefined}>
      {sending ? busy : children}
    </button>
  );
}
