import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../api/client';
import { meQuery } from '../api/query';
import { ConnectionBanner } from './ConnectionBanner';

/**
 * The signed-in frame: a skip link, the navigation, the account switcher's slot and sign-out.
 * Screens render into <main>.
 */
export function AppLayout() {
  const me = useQuery(meQuery).data;
  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Vigil
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link to="/" activeProps={{ 'aria-current': 'page' }} activeOptions={{ exact: true }}>
                Monitors
              </Link>
            </li>
            <li>
              <Link to="/monitors/new" activeProps={{ 'aria-current': 'page' }}>
                Add monitor
              </Link>
            </li>
            <li>
              <Link to="/contacts" activeProps={{ 'aria-current': 'page' }}>
                Alert contacts
              </Link>
            </li>
            <li>
              <Link to="/maintenance" activeProps={{ 'aria-current': 'page' }}>
                Maintenance
              </Link>
            </li>
            <li>
              <Link to="/status-pages" activeProps={{ 'aria-current': 'page' }}>
                Status pages
              </Link>
            </li>
            <li>
              <Link to="/settings/password" activeProps={{ 'aria-current': 'page' }}>
                Password
              </Link>
            </li>
          </ul>
        </nav>
        <div className="account">
          {/* The account switcher goes here (auth.me lists every account with the role held). */}
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
