import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { toProblem, type Problem } from '../../api/errors';
import { Field, Submit } from '../../ui/Field';
import { focusOnMount } from '../../ui/focus';
import { ProblemNotice } from '../../ui/Problem';

type Kind = 'http' | 'tcp' | 'heartbeat';

const KINDS: { kind: Kind; label: string; hint: string }[] = [
  { kind: 'http', label: 'Website or API (HTTP)', hint: 'Vigil requests the URL and expects a 2xx or 3xx answer.' },
  { kind: 'tcp', label: 'Server port (TCP)', hint: 'Vigil opens a connection to the host and port.' },
  { kind: 'heartbeat', label: 'Cron job (heartbeat)', hint: 'Your job calls a URL that Vigil gives you; no call in time means down.' },
];

/**
 * Adds a monitor: its kind, name and target and how often it is checked. The server validates
 * (its refusals are shown beside their fields); the plan's shortest interval is the default. A
 * heartbeat's ping URL is shown once, here, with a curl line to paste into the job.
 */
export function NewMonitor() {
  const [kind, setKind] = useState<Kind>('http');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [sending, setSending] = useState(false);
  const [pingUrl, setPingUrl] = useState<string | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const minutes = Number(text('interval'));
    const common = { name: text('name'), ...(minutes > 0 ? { intervalSeconds: minutes * 60 } : {}) };
    const input =
      kind === 'http'
        ? { ...common, kind, url: text('url') }
        : kind === 'tcp'
          ? { ...common, kind, host: text('host'), port: Number(text('port')) }
          : { ...common, kind };
    setSending(true);
    setErrors({});
    setProblem(null);
    try {
      const created = await api.monitors.create.mutate(input);
      await queryClient.invalidateQueries({ queryKey: ['monitors'] });
      if (created.pingUrl) setPingUrl(created.pingUrl);
      else await navigate({ to: '/' });
    } catch (error) {
      const p = toProblem(error);
      if (p.kind === 'fields' && Object.keys(p.fields).length > 0) {
        setErrors(p.fields);
        requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      } else {
        setProblem(p);
        requestAnimationFrame(() => problemRef.current?.focus());
      }
    } finally {
      setSending(false);
    }
  }

  if (pingUrl) {
    return (
      <section>
        <h1 tabIndex={-1} ref={focusOnMount}>
          Heartbeat added
        </h1>
        <p>Have your job call this URL each time it finishes. It is shown only now: copy it.</p>
        <Field label="Ping URL" readOnly value={pingUrl} onFocus={(e) => e.currentTarget.select()} />
        <p>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(pingUrl)}>
            Copy the URL
          </button>
        </p>
        <p>For example, at the end of a cron line:</p>
        <pre>
          <code>{`curl -fsS -m 10 --retry 3 ${pingUrl}`}</code>
        </pre>
        <p>
          <Link to="/">Back to monitors</Link>
        </p>
      </section>
    );
  }

  return (
    <section>
      <h1>Add a monitor</h1>
      <form ref={formRef} noValidate onSubmit={(e) => void onSubmit(e)}>
        <ProblemNotice problem={problem} ref={problemRef} />
        <fieldset className="kinds">
          <legend>What should Vigil watch?</legend>
          {KINDS.map((k) => (
            <label key={k.kind} className="kind">
              <input type="radio" name="kind" value={k.kind} checked={kind === k.kind} onChange={() => setKind(k.kind)} />
              <span>
                <strong>{k.label}</strong>
                <span className="hint">{k.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <Field name="name" label="Name" hint="How it appears in alerts and on status pages." required error={errors.name} />
        {kind === 'http' && <Field name="url" label="URL" type="url" inputMode="url" placeholder="https://example.com/health" required error={errors.url} />}
        {kind === 'tcp' && (
          <>
            <Field name="host" label="Host" placeholder="db.example.com" required error={errors.host} />
            <Field name="port" label="Port" type="number" inputMode="numeric" min={1} max={65535} required error={errors.port} />
          </>
        )}
        <Field
          name="interval"
          label="Check every (minutes)"
          type="number"
          inputMode="numeric"
          min={1}
          hint="Leave empty for your plan's shortest interval."
          error={errors.intervalSeconds}
        />
        <Submit sending={sending} busy="Adding…">
          Add monitor
        </Submit>
      </form>
    </section>
  );
}
