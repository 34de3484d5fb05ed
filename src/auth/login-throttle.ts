import { clearWindow, countInWindow, hitWindow, refundHit, spendFailures, type Budget } from '../db/rate-limit.js';
import { MINUTE_MS } from '../domain/time.js';
import type { Services } from '../services.js';

/**
 * Sign-in throttling that an attacker cannot turn into a lock-out (OWASP Authentication Cheat
 * Sheet): failures are limited per address and per (email, address), so hammering a victim's email
 * from one address blocks only that address. The email alone is never locked; once it collects
 * many failures from everywhere, each attempt on it is merely slowed down.
 */
export const LOGIN_LIMITS = {
  /** Failed sign-ins from one address, whatever the emails (credential stuffing). */
  perIp: { limit: 100, windowMs: 60 * MINUTE_MS },
  /** Failed sign-ins for one email from one address (guessing one person's password). */
  perEmailAndIp: { limit: 5, windowMs: 60 * MINUTE_MS },
  /** Failures on one email from all addresses after which every attempt on it waits `delayMs`. */
  emailSlowdown: { after: 10, windowMs: 15 * MINUTE_MS, delayMs: 1000 },
} as const;

const keys = (email: string, ip: string) => ({
  ip: `login-ip:${ip}`,
  pair: `login:${email}|${ip}`,
  email: `login-email:${email}`,
});

export type LoginAttempt = {
  /** Null when the attempt may go on; else the (coarse) seconds to wait. */
  retryAfterSeconds: number | null;
  succeeded(): Promise<void>;
  failed(): Promise<void>;
};

/** Call before checking the password; report the outcome with succeeded() or failed(). */
export async function beginLoginAttempt(svc: Services, email: string, ip: string): Promise<LoginAttempt> {
  const k = keys(email, ip);
  const now = svc.now();
  const budgets: Budget[] = [
    { key: k.ip, ...LOGIN_LIMITS.perIp },
    { key: k.pair, ...LOGIN_LIMITS.perEmailAndIp },
  ];
  const retryAfterSeconds = await spendFailures(svc.db, budgets, now);
  if (retryAfterSeconds === null) {
    const slow = LOGIN_LIMITS.emailSlowdown;
    if ((await countInWindow(svc.db, k.email, now)) >= slow.after) await sleep(slow.delayMs);
  }
  return {
    retryAfterSeconds,
    // A right password was not a failure: give back the address's unit and forget this pair.
    succeeded: async () => {
      await refundHit(svc.db, k.ip);
      await clearWindow(svc.db, k.pair);
    },
    failed: async () => {
      await hitWindow(svc.db, k.email, Number.MAX_SAFE_INTEGER, LOGIN_LIMITS.emailSlowdown.windowMs, svc.now());
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
