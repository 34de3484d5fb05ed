import { Link } from '@tanstack/react-router';
import { focusOnMount } from '../ui/focus';

export function NotFound() {
  return (
    <main id="main" className="card">
      <h1 tabIndex={-1} ref={focusOnMount}>
        Page not found
      </h1>
      <p>This address is not a page of Vigil.</p>
      <p>
        <Link to="/">Go to your monitors</Link>
      </p>
    </main>
  );
}
