import { clearWindow, refundHit, spendFailures, type Budget } from '../db/rate-limit.js';
import { MINUTE_MS } from '../domain/time.js';
import type { Services } from '../services.js';
import { activeClient } from './clients.js';

/**
 * The token endpoint's throttle, built like sign-in's (src/auth/login-throttle.ts): a client id is
 * no secret (it is in every access token), so failures are counted per address and per (client,
 * address), never per client alone, and valid credentials from another address always work.
 */
export const TOKEN_LIMITS = {
  perIp: { limit: 60, windowMs: 15 * MINUTE_MS },
  perClientAndIp: { limit: 10, windowMs: 15 * MINUTE_MS },
} as const;

export type TokenAttempt = { retryAfterSeconds: number | null; succeeded(): Promise<void> };

/** Call before checking the secret; call succeeded() when it was right. */
export async function beginTokenAttempt(svc: Services, clientId: string, ip: string): Promise<TokenAttempt> {
  const ipKey = `token-ip:${ip}`;
  const pairKey = `token:${clientId}|${ip}`;
  // An unknown client id is counted under the address only: made-up ids create no rows.
  const known = clientId.length <= 80 && (await activeClient(svc, clientId)) !== null;
  const budgets: Budget[] = [{ key: ipKey, ...TOKEN_LIMITS.perIp }];
  if (known) budgets.push({ key: pairKey, ...TOKEN_LIMITS.perClientAndIp });
  const retryAfterSeconds = await spendFailures(svc.db, budgets, svc.now());
  return {
    retryAfterSeconds,
    succeeded: async () => {
      await refundHit(svc.db, ipKey);
      await clearWindow(svc.db, pairKey);
    },
  };
}
