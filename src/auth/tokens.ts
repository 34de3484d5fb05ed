import { hkdfSync, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';

/**
 * Two kinds of token, kept apart three ways so neither can pass as the other: each is signed with
 * its own key (derived from its own secret, SESSION_SECRET or ACCESS_TOKEN_SECRET, with its own
 * HKDF label; locally both may come from AUTH_SECRET), carries its own `typ` header
 * and its own audience, and each verifier checks all three.
 */
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;
export const ACCESS_TOKEN_TTL_SECONDS = 900;
export const ACCESS_SCOPES = ['monitors:read'] as const;
export type AccessScope = (typeof ACCESS_SCOPES)[number];

const SESSION = { typ: 'vigil-session+jwt', audience: 'vigil-internal', label: 'vigil session v1' };
const ACCESS = { typ: 'at+jwt', audience: 'vigil-public-api', label: 'vigil access token v1' };

/**
 * A key is null in a process that must not handle that kind (the public API holds no session key).
 * `cursor` seals list cursors (src/http/page.ts): derived from the access-token secret where the
 * process holds one, else the session secret, with its own label.
 */
export type TokenKeys = { issuer: string; session: Uint8Array | null; access: Uint8Array | null; cursor?: Uint8Array | null };

const CURSOR_LABEL = 'vigil list cursor v1';

/** One secret for both kinds (local convenience, tests), or each kind's own. */
export function deriveTokenKeys(secrets: string | { session?: string | undefined; access?: string | undefined }, issuer: string): TokenKeys {
  const { session, access } = typeof secrets === 'string' ? { session: secrets, access: secrets } : secrets;
  const derive = (secret: string | undefined, label: string) =>
    secret ? new Uint8Array(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'vigil', label, 32)) : null;
  return { issuer, session: derive(session, SESSION.label), access: derive(access, ACCESS.label), cursor: derive(access ?? session, CURSOR_LABEL) };
}

function keyOf(key: Uint8Array | null, kind: string): Uint8Array {
  if (!key) throw new Error(`this process holds no ${kind} key`);
  return key;
}

/** `sessionId` travels as the token's `jti`: the sessions row that sign-out revokes. */
export type SessionClaims = { sessionId: string; userId: string; accountId: string; sessionVersion: number };

export async function signSession(keys: TokenKeys, claims: SessionClaims, now: number): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ account: claims.accountId, sv: claims.sessionVersion })
    .setProtectedHeader({ alg: 'HS256', typ: SESSION.typ })
    .setSubject(claims.userId)
    .setIssuer(keys.issuer)
    .setAudience(SESSION.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + SESSION_TTL_SECONDS)
    .setJti(claims.sessionId)
    .sign(keyOf(keys.session, 'session'));
}

/**
 * Returns the claims of a valid session token, or null for anything else (never throws). `now` is
 * the services' clock: signing and checking must read the same one, or a moved clock expires tokens.
 */
export async function verifySession(keys: TokenKeys, token: string, now: number): Promise<SessionClaims | null> {
  if (!keys.session) return null;
  const payload = await verifyJwt(token, keys.session, keys.issuer, SESSION, now);
  if (!payload) return null;
  const { sub, account, sv, jti } = payload;
  if (typeof sub !== 'string' || typeof account !== 'string' || typeof sv !== 'number' || typeof jti !== 'string') return null;
  return { sessionId: jti, userId: sub, accountId: account, sessionVersion: sv };
}

export type AccessClaims = { clientId: string; accountId: string; scopes: AccessScope[]; jti: string };

export async function signAccessToken(
  keys: TokenKeys,
  claims: Omit<AccessClaims, 'jti'>,
  now: number,
): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ client_id: claims.clientId, account: claims.accountId, scope: claims.scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: ACCESS.typ })
    .setSubject(claims.clientId)
    .setIssuer(keys.issuer)
    .setAudience(ACCESS.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .setJti(randomUUID())
    .sign(keyOf(keys.access, 'access-token'));
}

export async function verifyAccessToken(keys: TokenKeys, token: string, now: number): Promise<AccessClaims | null> {
  if (!keys.access) return null;
  const payload = await verifyJwt(token, keys.access, keys.issuer, ACCESS, now);
  if (!payload) return null;
  const { sub, client_id, account, scope, jti } = payload;
  if (typeof sub !== 'string' || sub !== client_id || typeof account !== 'string') return null;
  if (typeof scope !== 'string' || typeof jti !== 'string') return null;
  const scopes = scope.split(' ').filter((s): s is AccessScope => (ACCESS_SCOPES as readonly string[]).includes(s));
  return { clientId: sub, accountId: account, scopes, jti };
}

const verifyingKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

/**
 * The secret as a WebCrypto HMAC key, imported once per key: handed the raw bytes, jose imports
 * them again on every verification, which the busiest requests (every public API call) paid for.
 */
function verifyingKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = verifyingKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new Uint8Array(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    verifyingKeys.set(secret, key);
  }
  return key;
}

async function verifyJwt(
  token: string,
  key: Uint8Array,
  issuer: string,
  kind: { typ: string; audience: string },
  now: number,
): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtVerify(token, await verifyingKey(key), {
      currentDate: new Date(now),
      algorithms: ['HS256'],
      issuer,
      audience: kind.audience,
      typ: kind.typ,
      requiredClaims: ['iat', 'exp', 'sub'],
      // No tolerance: the signer and the verifier read the same clock (the services'), so there is no skew to absorb.
      clockTolerance: 0,
    });
    // A token issued in the future is forged or from a broken clock: refuse it.
    if (typeof payload.iat === 'number' && payload.iat > now / 1000 + 60) return null;
    return payload;
  } catch {
    // Malformed, forged, expired or of the other kind: all are simply "not a valid token".
    return null;
  }
}
