import { createHash } from 'node:crypto';

/** Shared caches (a CDN) may keep a page 30 s and serve it a minute longer while they refresh it. */
export const CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=60';

/**
 * A strong validator from the data a response is drawn from, not from its bytes: a conditional
 * request is answered 304 before anything is rendered. `variant` tells the representations apart.
 */
export function etagOf(variant: string, ...inputs: unknown[]): string {
  const hash = createHash('sha256').update(variant).update('\0').update(JSON.stringify(inputs)).digest('base64url');
  return `"${variant}-${hash.slice(0, 32)}"`;
}

/** RFC 9110 §13.1.2: any listed tag (weak comparison) or `*` matches. */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => strip(t) === '*' || strip(t) === etag);
}
