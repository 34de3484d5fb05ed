/**
 * Where signing in leads back to. Usually the sign-in screen's `next`; but a flow that first
 * needs an account (an invitation opened before signing up) passes through a mailed confirmation,
 * whose link cannot carry it, so the path is kept for this tab and used by the next sign-in, once;
 * and when the confirmation opened in another tab, a pending invitation leads back to itself.
 */
import { pendingInvitation } from './pending-invitation';

const KEY = 'vigil.after-sign-in';

/** Only paths of this app: never another site (`//host`), never a full address. */
export const isAppPath = (path: unknown): path is string => typeof path === 'string' && path.startsWith('/') && !path.startsWith('//');

/** Where a person was, for `next`: never the fragment, where a mailed link's secret travels. */
export const pathOf = (location: { pathname: string; searchStr: string }): string => location.pathname + location.searchStr;

export function keepReturnAfterSignIn(path: string): void {
  if (isAppPath(path)) sessionStorage.setItem(KEY, path);
}

/** The kept path, forgotten as it is read; else the invitation waiting to be accepted. */
export function takeReturnAfterSignIn(): string | undefined {
  const path = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);
  if (isAppPath(path)) return path;
  return pendingInvitation() ? '/accept-invite' : undefined;
}
