import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESET_LIMITS } from '../../src/accounts/passwords.js';
import { postJsonFrom } from '../support/from-address.js';
import { rememberSecret } from '../support/ledger.js';
import { appWithMail, newEmail } from './support.js';

let env: Awaited<ReturnType<typeof appWithMail>>;
beforeAll(async () => {
  env = await appWithMail();
});
afterAll(() => env.close());

const NEXT = 'a brand new passphrase';
rememberSecret(NEXT);
const BOGUS = 'x'.repeat(43);

describe('reset links', () => {
  it('changing the password voids every outstanding reset link', async () => {
    const u = await env.t.signUp(newEmail('changer'));
    await env.t.client().auth.requestPasswordReset.mutate({ email: u.email });
    const link = await env.linkTo(u.email, 'reset-password');
    await u.auth.changePassword.mutate({ current: u.password, next: NEXT });
    await expect(env.t.client().auth.resetPassword.mutate({ token: link, password: 'what the thief wanted' })).rejects.toMatchObject({
      data: { httpStatus: 400, fieldErrors: [{ path: 'token' }] },
    });
    expect((await env.t.client().auth.login.mutate({ email: u.email, password: NEXT })).user.email).toBe(u.email);
  });

  it('a bogus token is refused before the new password is even looked at (no Argon2 for strangers)', async () => {
    // A most-common password would be refused by name if it were checked (and hashed) first.
    await expect(env.t.client().auth.resetPassword.mutate({ token: BOGUS, password: 'password123' })).rejects.toMatchObject({
      data: { httpStatus: 400, fieldErrors: [{ path: 'token' }] },
    });
  });

  it(`tries from one address are throttled: ${RESET_LIMITS.perIpUses.limit} an hour, then 429 with retryAfterSeconds`, async () => {
    const url = `${env.t.baseUrl}/internal/auth.resetPassword`;
    const statuses: number[] = [];
    for (let i = 0; i <= RESET_LIMITS.perIpUses.limit; i++) statuses.push((await postJsonFrom('127.0.0.21', url, { token: BOGUS, password: NEXT })).status);
    expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true);
    const refused = await postJsonFrom('127.0.0.21', url, { token: BOGUS, password: NEXT });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error.data.retryAfterSeconds).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await postJsonFrom('127.0.0.22', url, { token: BOGUS, password: NEXT })).status).toBe(400);
  });
});
