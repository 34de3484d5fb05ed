import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TTL_SECONDS, SESSION_TTL_SECONDS } from '../../src/auth/tokens.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { accessToken, api, partnerOf } from '../public/support.js';

// The services' clock runs two years ahead of the wall clock: every token decision must follow it.
const TWO_YEARS_MS = 2 * 366 * 24 * 3600 * 1000;
let now = Math.floor((Date.now() + TWO_YEARS_MS) / 1000) * 1000;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: () => now });
});
afterAll(() => t.close());

describe('one clock for signing and verifying', () => {
  it('a session signed at the services’ clock is accepted until it expires and refused one second after', async () => {
    const start = now;
    const user = await t.signUp();
    expect((await user.auth.me.query()).email).toBe(user.email);

    now = start + (SESSION_TTL_SECONDS - 1) * 1000;
    expect((await user.auth.me.query()).email).toBe(user.email);

    now = start + (SESSION_TTL_SECONDS + 1) * 1000;
    await expect(user.auth.me.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
    now = start;
  });

  it('an access token signed at the services’ clock is accepted until it expires and refused one second after', async () => {
    const partner = await partnerOf(t);
    const start = now;
    const token = await accessToken(t, partner);
    expect((await api(t, '/monitors', token)).status).toBe(200);

    now = start + (ACCESS_TOKEN_TTL_SECONDS - 1) * 1000;
    expect((await api(t, '/monitors', token)).status).toBe(200);

    now = start + (ACCESS_TOKEN_TTL_SECONDS + 1) * 1000;
    expect((await api(t, '/monitors', token)).status).toBe(401);
    now = start;
  });
});
