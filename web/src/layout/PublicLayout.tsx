import { Link, Outlet } from '@tanstack/react-router';
import { ConnectionBanner } from './ConnectionBanner';

/** Signing in, signing up and the mailed links: one narrow card, no navigation. */
export function PublicLayout() {
  return (
    <div className="public">
      <header className="public-head">
        <Link to="/" className="brand">
          Vigil
        </Link>
      </header>
      <ConnectionBanner />
      <main id="main" className="card">
        <Outlet />
      </main>
    </div>
  );
}
