/**
 * A mailed link's parameters, read once from the fragment (`#token=…`, which browsers never send
 * to a server), then removed from the address bar and history so they are neither bookmarked nor
 * shared. The page sends no Referer (index.html's referrer policy and the server's header).
 * `orQuery`: links mailed before they carried a fragment had the same parameters in the query;
 * they are still read, and removed from the address bar at once too.
 */
export function takeLinkParams({ orQuery = false } = {}): URLSearchParams {
  const { hash, search, pathname } = window.location;
  const params = new URLSearchParams(hash.length > 1 || !orQuery ? hash.slice(1) : search);
  if (hash || (orQuery && search)) history.replaceState(history.state, '', pathname + (orQuery ? '' : search));
  return params;
}

/** A mailed link's `#token=…`, read once and removed from the address bar. */
export const takeFragmentToken = (): string | null => takeLinkParams().get('token');

/**
 * A mailed link's secret kept for this tab only (sessionStorage: never an address, a Referer or a
 * log) while the person signs in, or signs up and confirms first, so that signing in brings them
 * back to finish. `fromLink` (when the link was just opened) replaces what was kept.
 */
export function keptForThisTab(key: string, fromLink: string | null): string | null {
  if (fromLink) sessionStorage.setItem(key, fromLink);
  return fromLink ?? sessionStorage.getItem(key);
}

/** Forgets a kept secret once it is used up (accepted, or refused as used, revoked or expired). */
export const forgetKept = (key: string): void => sessionStorage.removeItem(key);
