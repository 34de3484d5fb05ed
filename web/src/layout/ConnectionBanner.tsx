import { useConnection } from '../api/connection';
import { useCountdown } from '../ui/Problem';

/** Says, without taking focus, that the API cannot be reached and when the app tries again. */
export function ConnectionBanner() {
  const c = useConnection();
  const left = useCountdown(c.state === 'ok' ? 0 : c.retryAt);
  if (c.state === 'ok') return null;
  return (
    <div className="banner" role="status">
      {c.state === 'offline' ? 'No connection to Vigil.' : 'Vigil is briefly unavailable.'} {left > 0 ? `Trying again in ${left} s.` : 'Trying again…'}
    </div>
  );
}
