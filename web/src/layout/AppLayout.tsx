import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../api/client';
import { meQuery } from '../api/query';
import { AccountSwitcher } from './AccountSwitcher';
import { ConnectionBanner } from './ConnectionBanner';

/** The main navigation, in order. */
const NAV = [
  { to: '/', label: 'Monitors' },
  { to: '/monitors/new', label: 'Add monitor' },
  { to: '/contacts', label: 'Alert contacts' },
  { to: '/maintenance', label: 'Maintenance' },
  { to: '/status-pages', label: 'Status pages' },
  { to: '/team', label: 'Team' },
  { to: '/settings/api', label: 'API clients' },
  { to: '/settings/audit', label: 'Audit log' },
  { to: '/settings/plan', label: 'Plan' },
  { to: '/settings/password', label: 'Password' },
] as const;

/**
 * The signed-in frame: a skip link, the navigation, the account switcher's slot and sign-out.
 * Screens render into <main>.
 */
export function AppLayout() {
  const me = useQuery(meQuery).data;
  // On a phone the links fold behind a Menu button (styles.css); on a wide screen they always show.
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Vigil
        </Link>
        <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <nav aria-label="Main" id="main-nav" data-open={menuOpen}>
          <ul>
            {NAV.map(({ to, label }) => (
              <li key={to}>
                <Link to={to} activeProps={{ 'aria-current': 'page' }} activeOptions={{ exact: to === '/' }} onClick={() => setMenuOpen(false)}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <AccountSwitcher />
          <span className="who">{me?.email}</span>
          <SignOut />
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

function SignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await api.auth.logout.mutate();
        } finally {
          queryClient.clear();
          await navigate({ to: '/sign-in' });
        }
      }}
    >
      Sign out
    </button>
  );
}
