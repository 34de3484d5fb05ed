import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { focusOnMount } from '../../ui/focus';
import { PingUrl } from '../../ui/PingUrl';
import { MonitorForm } from '../monitor-form/MonitorForm';

/**
 * Adds a monitor (screens/monitor-form). A heartbeat's ping URL is shown once, here, with a curl
 * line to paste into the job; any other monitor goes to the dashboard.
 */
export function NewMonitor() {
  const [pingUrl, setPingUrl] = useState<string | null>(null);
  if (pingUrl) {
    return (
      <section>
        <h1 tabIndex={-1} ref={focusOnMount}>
          Heartbeat added
        </h1>
        <p>Have your job call this URL each time it finishes. It is shown only now: copy it.</p>
        <PingUrl url={pingUrl} />
        <p>
          <Link to="/">Back to monitors</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="form-screen">
      <h1>Add a monitor</h1>
      <MonitorForm onCreated={setPingUrl} />
    </section>
  );
}
