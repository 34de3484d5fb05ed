import { useState } from 'react';
import { Field } from './Field';

/**
 * A heartbeat's ping URL, to copy into the job it watches, and a `curl` line that calls it. The
 * URL is shown only when it is made (on create or rotation): the server keeps its hash alone.
 */
export function PingUrl({ url }: { url: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <Field label="Ping URL" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
      <p>
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(url).then(() => setCopied(true));
          }}
        >
          Copy the URL
        </button>{' '}
        <span role="status">{copied ? 'Copied.' : ''}</span>
      </p>
      <p>For example, at the end of a cron line:</p>
      {/* Wrapped, not scrolled: the whole line is readable on a phone and needs no scrolling by keyboard. */}
      <pre className="wrap">
        <code>{`curl -fsS -m 10 --retry 3 ${url}`}</code>
      </pre>
    </>
  );
}
