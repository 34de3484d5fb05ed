import { parseCookies, serializeCookie } from 'oslo/cookie';
import { SESSION_TTL_SECONDS } from './tokens.js';

export const SESSION_COOKIE = 'vigil_session';

const base = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } as const;

export function sessionCookie(token: string): string {
  return serializeCookie(SESSION_COOKIE, token, { ...base, maxAge: SESSION_TTL_SECONDS });
}

export function clearedSessionCookie(): string {
  return serializeCookie(SESSION_COOKIE, '', { ...base, maxAge: 0 });
}

export function readSessionCookie(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  return parseCookies(cookieHeader).get(SESSION_COOKIE) ?? null;
}
