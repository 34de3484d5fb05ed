import { badInput } from '../domain/errors.js';

let common: Promise<ReadonlySet<string>> | undefined;

/**
 * The ~49,000 most common passwords from @zxcvbn-ts/language-common, a maintained list shipped in
 * the package (not typed by hand). Loaded on first use, so it stays out of the API's cold start.
 */
function commonPasswords(): Promise<ReadonlySet<string>> {
  common ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => new Set(dictionary['passwords-common']));
  return common;
}

/**
 * NIST SP 800-63B §5.1.1.2: a length rule (the schema's) and a check against passwords known to be
 * common, nothing more: no composition rules, no forced rotation.
 */
export async function assertPasswordAllowed(password: string, field = 'password'): Promise<void> {
  if ((await commonPasswords()).has(password.toLowerCase())) {
    throw badInput(field, 'this password is one of the most common ones and easy to guess; choose another');
  }
}
