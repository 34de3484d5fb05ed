/**
 * An invitation opened before its person could accept it (signed out, or with no account yet). It
 * is kept in this origin's localStorage, which every tab shares, because the mailed confirmation
 * link of a sign-up often opens in another tab: whichever tab signs in next comes back to accept.
 * Never in an address, a Referer or a log; forgotten once accepted or refused (used, revoked,
 * expired), and after an invitation's lifetime at most, so it does not linger on a shared computer.
 */
const KEY = 'vigil.invitation';
/** An invitation's lifetime on the server (src/teams/invitations.ts, 7 days): kept no longer than that. */
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;

type Kept = { token: string; keptAt: number };

export function keepInvitation(token: string): void {
  localStorage.setItem(KEY, JSON.stringify({ token, keptAt: Date.now() } satisfies Kept));
}

/** The invitation still waiting to be accepted, if any; one kept too long is forgotten here. */
export function pendingInvitation(): string | null {
  let kept: Partial<Kept> | null = null;
  try {
    kept = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<Kept> | null;
  } catch {
    kept = null;
  }
  if (kept && typeof kept.token === 'string' && typeof kept.keptAt === 'number' && Date.now() - kept.keptAt < KEEP_MS) return kept.token;
  forgetInvitation();
  return null;
}

export const forgetInvitation = (): void => localStorage.removeItem(KEY);
