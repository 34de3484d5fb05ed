import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../src/auth/login-throttle.js';
import { TOKEN_LIMITS } from '../../src/oauth/token-throttle.js';
import { postJsonFrom, sendFrom } from '../support/from-address.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { basic, partnerOf } from '../public/support.js';
import { reportFigures } from './figures.js';

// Finding 1: the throttle was keyed by email alone, so an attacker could lock anyone out forever.
const ATTACKER = '127.0.0.2';
const VICTIM = '127.0.0.3';
const START = Date.UTC(2030, 0, 1);
let clock = START;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: () => clock });
});
afterAll(() => t.close());

const login = (from: string, email: string, password: string) => postJsonFrom(from, `${t.baseUrl}/auth/login`, { email, password });

describe('sign-in cannot be turned into a lock-out', () => {
  it('a simulated day: 24 attacker guesses an hour from one address, 200 victim sign-ins from another, all succeed', async () => {
    const victim = await t.signUp();
    const HOUR = 3_600_000;
    const events: { at: number; who: 'attacker' | 'victim' }[] = [];
    for (let i = 0; i < 24 * 24; i++) events.push({ at: START + i * (HOUR / 24), who: 'attacker' });
    for (let i = 0; i < 200; i++) events.push({ at: START + 1000 + i * ((24 * HOUR) / 200), who: 'victim' });
    events.sort((a, b) => a.at - b.at);

    const seen = { attacker: {} as Record<number, number>, victim: {} as Record<number, number> };
    const retryAfters = new Set<string>();
    for (const e of events) {
      clock = e.at;
      const res = e.who === 'attacker' ? await login(ATTACKER, victim.email, 'a wrong guess!') : await login(VICTIM, victim.email, victim.password);
      seen[e.who][res.status] = (seen[e.who][res.status] ?? 0) + 1;
      if (res.status === 429) retryAfters.add(String(res.headers['retry-after']));
    }
    reportFigures('lockout-day', { attackerRequests: 24 * 24, attacker: seen.attacker, victimSignIns: 200, victim: seen.victim });
    expect(seen.victim).toEqual({ 200: 200 });
    // The attacker's own address is what gets throttled, and Retry-After is coarse (whole minutes).
    expect(seen.attacker[429]).toBeGreaterThan(0);
    for (const r of retryAfters) expect(Number(r) % 60).toBe(0);
  }, 120_000);

  it('a correct password from a new address signs in while the email is hammered; success clears that pair', async () => {
    clock = START + 10 * 86_400_000;
    const victim = await t.signUp();
    const limit = LOGIN_LIMITS.perEmailAndIp.limit;
    const guesses = await Promise.all(Array.from({ length: 30 }, (_, i) => login(ATTACKER, victim.email, `guess-${i}-wrong`)));
    expect(guesses.filter((r) => r.status === 401)).toHaveLength(limit);
    expect((await login(ATTACKER, victim.email, victim.password)).status).toBe(429);
    expect((await login(VICTIM, victim.email, victim.password)).status).toBe(200);

    // Four typos then the right password: the pair's count starts again from zero.
    for (let i = 0; i < limit - 1; i++) expect((await login(VICTIM, victim.email, 'typo typo typo')).status).toBe(401);
    expect((await login(VICTIM, victim.email, victim.password)).status).toBe(200);
    for (let i = 0; i < limit - 1; i++) expect((await login(VICTIM, victim.email, 'typo typo typo')).status).toBe(401);
    expect((await login(VICTIM, victim.email, victim.password)).status).toBe(200);
  }, 60_000);

  it('failures on one email from many addresses only slow it down, never lock it', async () => {
    clock = START + 20 * 86_400_000;
    const victim = await t.signUp();
    const { after, delayMs } = LOGIN_LIMITS.emailSlowdown;
    for (let i = 0; i < after; i++) expect((await login(`127.0.1.${i + 1}`, victim.email, 'botnet guess!')).status).toBe(401);
    const started = performance.now();
    const res = await login('127.0.2.1', victim.email, victim.password);
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(delayMs - 50);
  });
});

describe('/oauth/token cannot be turned against a partner', () => {
  const tokenFrom = (from: string, id: string, secret: string) =>
    sendFrom(from, `${t.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, secret) },
      body: 'grant_type=client_credentials',
    });

  it('bad secrets for a client id block only the sender; the partner still gets tokens', async () => {
    clock = START + 30 * 86_400_000;
    const p = await partnerOf(t);
    const statuses: Record<number, number> = {};
    for (let i = 0; i < 40; i++) {
      const r = await tokenFrom(ATTACKER, p.clientId, `wrong-secret-${i}`);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    }
    expect(statuses).toEqual({ 401: TOKEN_LIMITS.perClientAndIp.limit, 429: 40 - TOKEN_LIMITS.perClientAndIp.limit });
    // Failures never block valid credentials from the partner's own address.
    const ok = await tokenFrom(VICTIM, p.clientId, p.clientSecret);
    expect(ok.status).toBe(200);
    reportFigures('token-lockout', { badRequests: 40, attacker: statuses, partner: ok.status });
  });

  it('unknown client ids create no counter rows; they count under the address only', async () => {
    clock = START + 31 * 86_400_000;
    for (let i = 0; i < 20; i++) expect((await tokenFrom('127.0.3.1', `cli_madeup${i}`, 'whatever')).status).toBe(401);
    const rows = await t.svc.db.all<{ key: string }>(sql`SELECT key FROM rate_limits WHERE key LIKE 'token:cli_madeup%'`);
    expect(rows).toEqual([]);
    const [ip] = await t.svc.db.all<{ count: number }>(sql`SELECT count FROM rate_limits WHERE key = 'token-ip:127.0.3.1'`);
    expect(Number(ip?.count)).toBe(20);
  });
});
