import { verifyRequestOrigin } from 'oslo/request';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie-authenticated routes: a state-changing request must come from one of the
 * SPA's origins. A missing Origin is refused too: every browser sends it on such requests.
 * oslo compares hosts only, so the scheme is checked as well: http://app… must not pass for https://app….
 */
export function originAllowed(method: string, origin: string | null | undefined, appOrigins: string[]): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (!origin || !verifyRequestOrigin(origin, appOrigins)) return false;
  return appOrigins.includes(origin);
}
