/**
 * A mailed link's token, read once from the fragment (`#token=…`, which browsers never send to a
 * server), then removed from the address bar and history so it is neither bookmarked nor shared.
 * The page sends no Referer (index.html's referrer policy and the server's header).
 */
export function takeFragmentToken(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (window.location.hash) history.replaceState(history.state, '', window.location.pathname + window.location.search);
  return token;
}
