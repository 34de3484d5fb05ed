import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';

type Described = {
  label: string;
  hint?: string;
  /** The message beside the field: the server's or the schema's wording. */
  error?: string | undefined;
};
type FieldProps = Described & InputHTMLAttributes<HTMLInputElement>;

/**
 * A labelled input with its hint and its error beside it, tied together for assistive technology.
 * Works with both form hooks: `{...form.register(name)}` (forms/useApiForm.ts) or `name` (forms/useLightForm.ts).
 */
export function Field({ label, hint, error, ...input }: FieldProps) {
  return <Labelled label={label} hint={hint} error={error} control={(a11y) => <input {...a11y} {...input} />} />;
}

/** The same for a text area (a description, a list with one entry per line). */
export function TextAreaField({ label, hint, error, ...area }: Described & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <Labelled label={label} hint={hint} error={error} control={(a11y) => <textarea rows={3} {...a11y} {...area} />} />;
}

type A11y = { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined };

function Labelled({ label, hint, error, control }: Described & { control: (a11y: A11y) => ReactNode }) {
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
      {control({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described })}
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
