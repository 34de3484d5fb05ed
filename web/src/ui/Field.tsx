import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

type Labelled = {
  label: string;
  hint?: string | undefined;
  /** The message beside the field: the server's or the schema's wording. */
  error?: string | undefined;
};

/** What ties a control to its hint and its error for assistive technology. */
type Described = { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined };

/** The label, hint and error around one control: every field kind below is this frame. */
function Frame({ label, hint, error, control }: Labelled & { control: (described: Described) => ReactNode }) {
  const id = useId();
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {control({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A labelled input with its hint and its error beside it, tied together for assistive technology.
 * Works with both form hooks: `{...form.register(name)}` (forms/useApiForm.ts) or `name` (forms/useLightForm.ts).
 */
export function Field({ label, hint, error, ...input }: Labelled & InputHTMLAttributes<HTMLInputElement>) {
  return <Frame label={label} hint={hint} error={error} control={(d) => <input {...d} {...input} />} />;
}

/** A labelled multi-line text field, as Field. */
export function TextArea({ label, hint, error, ...area }: Labelled & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <Frame label={label} hint={hint} error={error} control={(d) => <textarea {...d} {...area} />} />;
}

/** A labelled choice among `options` (value → words), as Field. */
export function Select({ label, hint, error, options, ...select }: Labelled & { options: readonly (readonly [string, string])[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Frame
      label={label}
      hint={hint}
      error={error}
      control={(d) => (
        <select {...d} {...select}>
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
export function Check({ label, hint, ...input }: { label: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
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

/** A submit button that says it is working while the form is sent. */
export function Submit({ sending, children, busy }: { sending: boolean; children: string; busy: string }) {
  return (
    <button type="submit" className="primary" disabled={sending} aria-busy={sending || undefined}>
      {sending ? busy : children}
    </button>
  );
}
