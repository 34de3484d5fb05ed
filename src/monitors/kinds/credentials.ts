/**
 * A monitor's target credentials at rest: the Authorization header value, sealed in the secret box
 * (src/crypto/secret-box.ts) bound to the monitor's id and its URL's origin. A sealed value copied
 * onto another monitor, or left behind when the URL moves to another origin, does not open.
 *
 * Values sealed before the binding existed were marked `unbound:` by a migration
 * (0009_bind_monitor_credentials.sql); they still open, unbound, until the credentials are entered
 * again or the URL's origin changes (which clears them).
 */
import { secretBoxFor, type SealingConfig, type SecretBox } from '../../crypto/secret-box.js';
import type { AuthInput } from '../fields.js';

const UNBOUND = 'unbound:';

/** The additional authenticated data of a monitor's credentials. */
export function credentialBinding(monitorId: string, url: string): string {
  return `monitor:${monitorId}:${new URL(url).origin}`;
}

export function sealCredential(box: SecretBox, authorization: string, monitorId: string, url: string): string {
  return box.seal(authorization, credentialBinding(monitorId, url));
}

/** The Authorization header value; throws when the value was tampered with, moved, or its key is gone. */
export function openCredential(box: SecretBox, sealed: string, monitorId: string, url: string): string {
  if (sealed.startsWith(UNBOUND)) return box.open(sealed.slice(UNBOUND.length));
  return box.open(sealed, credentialBinding(monitorId, url));
}

/** Whether two URLs share an origin (scheme, host and port): credentials are only ever sent to their own. */
export function sameOrigin(a: string, b: string): boolean {
  return new URL(a).origin === new URL(b).origin;
}

/** The Authorization header value a monitor's credentials stand for, sealed for its id and its URL's origin. */
export function sealAuth(config: SealingConfig, auth: NonNullable<AuthInput>, monitorId: string, url: string): string {
  const header =
    auth.type === 'basic'
      ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`
      : `Bearer ${auth.token}`;
  return sealCredential(secretBoxFor(config), header, monitorId, url);
}
