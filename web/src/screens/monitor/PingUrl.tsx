import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { Field } from '../../ui/Field';
import { ProblemNotice } from '../../ui/Problem';

/**
 * A heartbeat's ping URL. Only its hash is stored, so the URL shown when the monitor was added
 * cannot be shown again: a new one can be made (the old one stops working at once, so asked twice),
 * and is shown here once, with a copy button and the curl line to put at the end of the job.
 */
export function PingUrl({ id }: { id: string }) {
  const [confirming, setConfirming] = useState(false);
  const [copied, setCopied] = useState(false);
  const shown = useRef<HTMLDivElement>(null);
  const rotate = useMutation({
    mutationFn: () => api.monitors.rotatePingToken.mutate({ id }),
    onSuccess: () => requestAnimationFrame(() => shown.current?.querySelector('input')?.focus()),
  });
  const url = rotate.data?.pingUrl;
  return (
    <section aria-labelledby="ping-heading">
      <h2 id="ping-heading">Ping URL</h2>
      {url ? (
        <>
          <p>Your job calls this URL each time it finishes. It is shown once: copy it now.</p>
          <div ref={shown}>
            <Field label="Ping URL" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
          </div>
          <p>
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard?.writeText(url).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              Copy the URL
            </button>{' '}
            <span role="status">{copied ? 'Copied.' : ''}</span>
          </p>
          <p>At the end of the job:</p>
          <pre>
            <code>{`curl -fsS -m 10 --retry 3 ${url}`}</code>
          </pre>
        </>
      ) : (
        <>
          <p>The ping URL was shown when this monitor was added. If it is lost, make a new one: the old one stops working at once.</p>
          <ProblemNotice problem={rotate.error ? toProblem(rotate.error) : null} />
          {confirming ? (
            <p className="actions">
              <button type="button" className="danger" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
                Replace the ping URL
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Keep the old one
              </button>
            </p>
          ) : (
            <p>
              <button type="button" onClick={() => setConfirming(true)}>
                Make a new ping URL…
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
