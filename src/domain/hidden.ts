/**
 * What a member who may not edit a thing sees of the values that often carry a secret: a monitor's
 * header values and body, a webhook's URL. The audit log keeps the same, and only that.
 */
export const HIDDEN = '•••';

/** A URL's scheme and host (and port): never its user:pass@, path, query or fragment, where tokens live. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid url)';
  }
}

/** A URL as a role that may not edit it sees it: where it points, not what it carries. */
export const hiddenUrl = (url: string): string => `${originOf(url)}/${HIDDEN}`;
