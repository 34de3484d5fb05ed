import { Link, useLocation } from '@tanstack/react-router';
import { useEffect, useState, type Ref } from 'react';
import type { Problem } from '../api/errors';
import { pathOf } from './return-after-sign-in';

/** Seconds left until `until` (ms since the epoch), ticking once a second. */
export function useCountdown(until: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (now >= until) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [until, now]);
  return Math.max(0, Math.ceil((until - now) / 1000));
}

function Countdown({ seconds, what }: { seconds: number; what: string }) {
  const [until] = useState(() => Date.now() + seconds * 1000);
  const left = useCountdown(until);
  return <p>{left > 0 ? `${what} in ${left} s.` : `${what} now.`}</p>;
}

/**
 * The one place a failure is put into words, next to what failed. Field errors are shown beside
 * their fields (ui/Field.tsx); this says the rest. It takes focus when it appears (the form's
 * submit moves it here), so a keyboard or screen-reader user hears what went wrong.
 */
export function ProblemNotice({ problem, ref }: { problem: Problem | null; ref?: Ref<HTMLDivElement> }) {
  const here = useLocation();
  if (!problem) return null;
  return (
    <div className="problem" role="alert" tabIndex={-1} ref={ref}>
      <p className="problem-title">{title(problem)}</p>
      {problem.kind === 'limit' ? (
        <p>
          {problem.limit > 0 && `Your ${problem.plan} plan allows ${problem.limit}; you have ${problem.current}. `}
          {problem.message}
        </p>
      ) : problem.kind === 'fields' && Object.keys(problem.fields).length > 0 ? (
        <p>Check the fields marked below.</p>
      ) : (
        <p>{problem.message}</p>
      )}
      {problem.kind === 'rate-limited' && <Countdown seconds={problem.retryAfterSeconds} what="You can try again" />}
      {problem.kind === 'unauthenticated' && (
        <p>
          <Link to="/sign-in" search={{ next: pathOf(here) }}>
            Sign in again
          </Link>
        </p>
      )}
    </div>
  );
}

function title(problem: Problem): string {
  switch (problem.kind) {
    case 'fields':
      return 'Some fields need attention';
    case 'limit':
      return 'Plan limit reached';
    case 'rate-limited':
      return 'Too many attempts';
    case 'unauthenticated':
      return 'Your session has ended';
    case 'forbidden':
      return 'Not allowed';
    case 'not-found':
      return 'Not found';
    case 'conflict':
      return 'Already changed';
    case 'unavailable':
      return 'Vigil is briefly unavailable';
    case 'offline':
      return 'No connection';
    case 'other':
      return 'Something went wrong';
  }
}
