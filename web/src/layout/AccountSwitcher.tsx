import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { api } from '../api/client';
import { toProblem, type Problem } from '../api/errors';
import { meQuery } from '../api/query';
import { ROLE_WORD } from '../ui/roles';

/**
 * The account this session works in, named, and, for a member of several, the others to switch
 * to. Switching starts a new session in that account, so everything cached from the old one is
 * dropped and the app starts again from the monitors.
 */
export function AccountSwitcher() {
  const me = useQuery(meQuery).data;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const id = useId();
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  if (!me) return null;
  const current = me.accounts.find((a) => a.accountId === me.accountId);
  const label = (a: (typeof me.accounts)[number]) => `${a.name} (${ROLE_WORD[a.role]})`;
  const name = current ? label(current) : `${me.email} (${ROLE_WORD[me.role]})`;
  if (me.accounts.length < 2) {
    return (
      <p className="current-account">
        Account: {name}
      </p>
    );
  }
  const chosen = target || me.accountId;
  return (
    <form
      className="switcher"
      onSubmit={async (e) => {
        e.preventDefault();
        if (chosen === me.accountId) return;
        setBusy(true);
        setProblem(null);
        try {
          await api.account.switch.mutate({ accountId: chosen });
          queryClient.clear();
          setTarget('');
          await navigate({ to: '/' });
        } catch (error) {
          setProblem(toProblem(error));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label htmlFor={id}>Account</label>
      <select id={id} value={chosen} onChange={(e) => setTarget(e.target.value)}>
        {me.accounts.map((a) => (
          <option key={a.accountId} value={a.accountId}>
            {label(a)}
            {a.accountId === me.accountId ? ' · current' : ''}
          </option>
        ))}
      </select>
      <button type="submit" disabled={busy || chosen === me.accountId} aria-busy={busy || undefined}>
        Switch
      </button>
      {problem && (
        <span role="alert" className="field-error">
          {problem.message}
        </span>
      )}
    </form>
  );
}
