import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { usageQuery } from '../../api/query';
import { ProblemNotice } from '../../ui/Problem';
import { SmsAllowance } from '../../ui/SmsAllowance';

type Usage = Awaited<ReturnType<typeof api.account.usage.query>>;
type Counted = Usage['counted'][number]['limit'];

const LIMIT_WORDS: Record<Counted, { what: string; per?: string }> = {
  maxMonitors: { what: 'Monitors' },
  maxStatusPages: { what: 'Status pages' },
  maxContacts: { what: 'Alert contacts' },
  maxApiClients: { what: 'API clients (active)' },
  seats: { what: 'Seats (members and pending invitations)' },
  immediateChecksPerHour: { what: 'Immediate checks', per: 'this hour' },
  publicApiRequestsPerMinute: { what: 'Public API requests', per: 'this minute' },
  smsPerMonth: { what: 'SMS (alerts and codes)', per: 'this month' },
};

const duration = (seconds: number) => (seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`);

/** The account's plan: used against allowed for every counted limit, and what the plan sets. */
export function Plan() {
  const usage = useQuery({ ...usageQuery, refetchInterval: 30_000 });
  if (usage.isError) return <ProblemNotice problem={toProblem(usage.error)} />;
  if (!usage.data) return <p aria-busy="true">Loading your plan…</p>;
  const u = usage.data;
  return (
    <section aria-labelledby="plan-heading">
      <h1 id="plan-heading">Plan and usage</h1>
      <p>
        This account is on the <strong>{u.label}</strong> plan.
      </p>
      <h2 id="usage-heading">Usage</h2>
      <table className="monitors usage" aria-labelledby="usage-heading">
        <thead>
          <tr>
            <th scope="col">Limit</th>
            <th scope="col" className="num">
              Used
            </th>
            <th scope="col" className="num">
              Allowed
            </th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {u.counted.map((c) => {
            const words = LIMIT_WORDS[c.limit];
            const share = c.max > 0 ? Math.min(100, Math.round((c.used / c.max) * 100)) : 100;
            const full = c.used >= c.max;
            return (
              <tr key={c.limit}>
                <th scope="row">
                  {words.what}
                  {words.per && <span className="target"> {words.per}</span>}
                </th>
                <td className="num" data-label="Used">
                  {c.used}
                </td>
                <td className="num" data-label="Allowed">
                  {c.max}
                </td>
                <td data-label="Share">
                  <span className="meter" aria-hidden="true">
                    <span style={{ width: `${share}%` }} className={full ? 'full' : undefined} />
                  </span>{' '}
                  {share} %{full && <strong> · limit reached</strong>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <SmsAllowance usage={u} />
      <h2>What the plan sets</h2>
      <dl className="figures">
        <div>
          <dt>Shortest check interval</dt>
          <dd>{duration(u.settings.minIntervalSeconds)}</dd>
        </div>
        <div>
          <dt>Check history kept</dt>
          <dd>{u.settings.historyDays} days</dd>
        </div>
        <div>
          <dt>Audit log kept</dt>
          <dd>{u.settings.auditDays} days</dd>
        </div>
      </dl>
      <p>The plan is changed by the operator of this Vigil service. Over a limit after a change, nothing is deleted, but nothing new can be added until you are under it again.</p>
    </section>
  );
}
