import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

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

/** A labelled choice among `options` ([value, words]), as Field. */
export function SelectField({ label, hint, error, options, ...select }: Described & { options: readonly (readonly [string, string])[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Labelled
      label={label}
      hint={hint}
      error={error}
      control={(a11y) => (
        <select {...a11y} {...select}>
          {options.map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** A checkbox with its label beside it (and its hint under it). */
export function CheckField({ label, hint, ...input }: { label: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="check">
      <input id={id} type="checkbox" aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
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
