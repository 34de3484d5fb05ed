import { createHash, randomBytes } from 'node:crypto';

/** 18 random bytes (144 bits), base64url: unguessable, so a SHA-256 of it is all we store. */
export function newPingToken(): { token: string; hash: string } {
  const token = randomBytes(18).toString('base64url');
  return { token, hash: hashPingToken(token) };
}

export function hashPingToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const PING_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

export function pingUrlOf(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/ping/${token}`;
}
