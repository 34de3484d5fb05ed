import { SignJWT, base64url, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveTokenKeys, signAccessToken, signSession } from '../../src/auth/tokens.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { accessToken, api, partnerOf } from '../public/support.js';
import { reportFigures } from './figures.js';

let t: TestApp;
let keys: { issuer: string; session: Uint8Array; access: Uint8Array };
let p: Awaited<ReturnType<typeof partnerOf>>;
let session: string;
let access: string;
beforeAll(async () => {
  t = await startTestApp();
  const k = t.svc.keys;
  keys = { issuer: k.issuer, session: k.session!, access: k.access! };
  p = await partnerOf(t);
  session = p.user.jar.get('vigil_session')!;
  access = await accessToken(t, p);
});
afterAll(() => t.close());

const decode = (part: string) => JSON.parse(new TextDecoder().decode(base64url.decode(part))) as Record<string, unknown>;
const encode = (o: unknown) => base64url.encode(JSON.stringify(o));
const now = () => Math.floor(Date.now() / 1000);

/** Signs any header and claims with any key: the attacker's toolbox. */
function forge(header: Record<string, unknown>, claims: JWTPayload, key: Uint8Array): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...header } as { alg: string }).sign(key);
}

/** Rewrites a real token's header or claims, keeping its (now wrong) signature. */
function tamper(token: string, header: (h: Record<string, unknown>) => Record<string, unknown>, claims = (c: Record<string, unknown>) => c, signature?: string): string {
  const [h, c, s] = token.split('.') as [string, string, string];
  return `${encode(header(decode(h)))}.${encode(claims(decode(c)))}.${signature ?? s}`;
}

const asCookie = (token: string) => t.fetch('/internal/auth.me', { headers: { cookie: `vigil_session=${token}` } });
const asBearer = (token: string) => api(t, '/monitors', token);

type Attack = [name: string, make: () => Promise<string> | string];

describe('forged and confused tokens are refused, as a cookie and as a bearer token', () => {
  const sessionClaims = () => decode(session.split('.')[1]!);
  const accessClaims = () => decode(access.split('.')[1]!);
  const attacker = new TextEncoder().encode('attacker-chosen-key-of-32-bytes!!');
  const otherDeployment = () => deriveTokenKeys('another-deployment-secret-32-bytes-long', keys.issuer);

  const sessionAttacks: Attack[] = [
    ['alg none, no signature', () => tamper(session, (h) => ({ ...h, alg: 'none' }), undefined, '')],
    ['alg none, signature kept', () => tamper(session, (h) => ({ ...h, alg: 'none' }))],
    ['alg HS512 with the right key', () => forge({ alg: 'HS512', typ: 'vigil-session+jwt' }, sessionClaims(), keys.session)],
    ['alg RS256 header over an HMAC signature', () => tamper(session, (h) => ({ ...h, alg: 'RS256' }))],
    ['embedded jwk of the attacker', () => forge({ typ: 'vigil-session+jwt', jwk: { kty: 'oct', k: base64url.encode(attacker) } }, sessionClaims(), attacker)],
    ['wrong key', () => forge({ typ: 'vigil-session+jwt' }, sessionClaims(), attacker)],
    ['another deployment’s key', () => signSession(otherDeployment(), { sessionId: String(sessionClaims().jti), userId: p.user.user.id, accountId: p.user.user.accountId, sessionVersion: 0 }, t.svc.now())],
    ['wrong issuer', () => forge({ typ: 'vigil-session+jwt' }, { ...sessionClaims(), iss: 'https://evil.example' }, keys.session)],
    ['wrong audience', () => forge({ typ: 'vigil-session+jwt' }, { ...sessionClaims(), aud: 'vigil-public-api' }, keys.session)],
    ['wrong typ', () => forge({ typ: 'at+jwt' }, sessionClaims(), keys.session)],
    ['no typ', () => forge({}, sessionClaims(), keys.session)],
    ['expired', () => forge({ typ: 'vigil-session+jwt' }, { ...sessionClaims(), iat: now() - 7200, exp: now() - 3600 }, keys.session)],
    ['not yet valid', () => forge({ typ: 'vigil-session+jwt' }, { ...sessionClaims(), nbf: now() + 3600 }, keys.session)],
    ['another account', () => forge({ typ: 'vigil-session+jwt' }, { ...sessionClaims(), account: 'acc_someone_else' }, keys.session)],
    ['claims edited, signature kept', () => tamper(session, (h) => h, (c) => ({ ...c, sv: 0, sub: 'usr_other' }))],
    ['an access token', () => access],
    ['an access token’s claims signed with the session key', () => forge({ typ: 'vigil-session+jwt' }, accessClaims(), keys.session)],
    ['garbage', () => 'not.a.jwt'],
  ];

  const accessAttacks: Attack[] = [
    ['alg none, no signature', () => tamper(access, (h) => ({ ...h, alg: 'none' }), undefined, '')],
    ['alg none, signature kept', () => tamper(access, (h) => ({ ...h, alg: 'none' }))],
    ['alg HS384 with the right key', () => forge({ alg: 'HS384', typ: 'at+jwt' }, accessClaims(), keys.access)],
    ['embedded jwk of the attacker', () => forge({ typ: 'at+jwt', jwk: { kty: 'oct', k: base64url.encode(attacker) } }, accessClaims(), attacker)],
    ['wrong key', () => forge({ typ: 'at+jwt' }, accessClaims(), attacker)],
    ['another deployment’s key', () => signAccessToken(otherDeployment(), { clientId: p.clientId, accountId: p.user.user.accountId, scopes: ['monitors:read'] }, t.svc.now())],
    ['wrong issuer', () => forge({ typ: 'at+jwt' }, { ...accessClaims(), iss: 'https://evil.example' }, keys.access)],
    ['wrong audience', () => forge({ typ: 'at+jwt' }, { ...accessClaims(), aud: 'vigil-internal' }, keys.access)],
    ['wrong typ', () => forge({ typ: 'JWT' }, accessClaims(), keys.access)],
    ['expired', () => forge({ typ: 'at+jwt' }, { ...accessClaims(), iat: now() - 7200, exp: now() - 3600 }, keys.access)],
    ['not yet valid', () => forge({ typ: 'at+jwt' }, { ...accessClaims(), nbf: now() + 3600 }, keys.access)],
    ['sub and client_id disagree', () => forge({ typ: 'at+jwt' }, { ...accessClaims(), sub: 'cli_other' }, keys.access)],
    ['another account for this client', () => forge({ typ: 'at+jwt' }, { ...accessClaims(), account: 'acc_someone_else' }, keys.access)],
    ['a client that does not exist', () => signAccessToken(keys, { clientId: 'cli_nobody', accountId: p.user.user.accountId, scopes: ['monitors:read'] }, t.svc.now())],
    ['claims edited, signature kept', () => tamper(access, (h) => h, (c) => ({ ...c, account: 'acc_x' }))],
    ['a session token', () => session],
    ['a session’s claims signed with the access key', () => forge({ typ: 'at+jwt' }, sessionClaims(), keys.access)],
    ['garbage', () => 'not.a.jwt'],
  ];

  it.each(sessionAttacks)('session cookie: %s', async (_name, make) => {
    expect((await asCookie(await make())).status).toBe(401);
  });

  it.each(accessAttacks)('bearer token: %s', async (_name, make) => {
    const res = await asBearer(await make());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('the genuine tokens work (so the refusals above are about the forgery)', async () => {
    expect((await asCookie(session)).status).toBe(200);
    expect((await asBearer(access)).status).toBe(200);
    reportFigures('auth-attacks', { sessionForgeries: sessionAttacks.length, accessForgeries: accessAttacks.length });
  });
});

describe('credentials that were valid stop working', () => {
  it('a revoked client’s token', async () => {
    const q = await partnerOf(t);
    const token = await accessToken(t, q);
    await q.user.oauthClients.revoke.mutate({ clientId: q.clientId });
    expect((await asBearer(token)).status).toBe(401);
  });

  it('a deleted user’s session', async () => {
    const u = await t.signUp();
    const cookie = u.jar.get('vigil_session')!;
    await t.svc.db.$client.execute({ sql: 'delete from users where id = ?', args: [u.user.id] });
    expect((await asCookie(cookie)).status).toBe(401);
  });

  it('every session after “sign out everywhere” (the session version changed)', async () => {
    const u = await t.signUp();
    const other = t.client();
    await other.auth.login.mutate({ email: u.email, password: u.password });
    const otherCookie = other.jar.get('vigil_session')!;
    await u.auth.logoutEverywhere.mutate();
    expect((await asCookie(otherCookie)).status).toBe(401);
    // A forged token with the new version still needs the key.
    const forged = await forge({ typ: 'vigil-session+jwt' }, { ...decode(otherCookie.split('.')[1]!), sv: 1 }, new TextEncoder().encode('x'.repeat(32)));
    expect((await asCookie(forged)).status).toBe(401);
  });
});

describe('login', () => {
  const PASSWORD = 'correct horse battery';
  const loginAs = (email: string, password: string) =>
    t.fetch('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

  it('takes about as long for an unknown email as for a wrong password (no user enumeration by timing)', async () => {
    const known = await t.signUp(undefined, PASSWORD);
    const unknown: number[] = [];
    const wrong: number[] = [];
    const time = async (email: string) => {
      const start = performance.now();
      const res = await loginAs(email, 'wrong password!');
      const ms = performance.now() - start;
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthorized', message: 'invalid email or password' });
      return ms;
    };
    // Interleaved, and under the throttle: 4 wrong passwords per window, then a good login resets it.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) {
        unknown.push(await time(`nobody-${round}-${i}@example.com`));
        wrong.push(await time(known.email));
      }
      expect((await loginAs(known.email, PASSWORD)).status).toBe(200);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(unknown) / median(wrong);
    reportFigures('login-timing', { attempts: unknown.length + wrong.length, unknownMedianMs: Math.round(median(unknown)), wrongPasswordMedianMs: Math.round(median(wrong)), ratio: Number(ratio.toFixed(2)) });
    // Both paths run one Argon2id verification; a missing one would make the ratio ~0.05.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  }, 60_000);

  it('throttling holds against 30 parallel guesses: 5 are checked, the rest get 429, even the right password', async () => {
    const victim = await t.signUp(undefined, PASSWORD);
    const guesses = await Promise.all(Array.from({ length: 30 }, (_, i) => loginAs(victim.email, `guess-number-${i}`)));
    const counts = guesses.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 401: 5, 429: 25 });
    expect(guesses.find((r) => r.status === 429)!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await loginAs(victim.email, PASSWORD)).status).toBe(429);
    reportFigures('login-throttle', { parallelGuesses: 30, checked: counts[401], refused: counts[429] });
  });
});
