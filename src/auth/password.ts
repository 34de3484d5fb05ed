/**
 * Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): a deliberate cost that makes
 * offline guessing slow, measured at 12–16 ms per hash or verification on the bench machine
 * (bench/RESULTS.md); a Lambda's share of a core is slower.
 */
export const ARGON2_OPTIONS = {
  algorithm: 2, // Algorithm.Argon2id (a const enum, which isolated modules cannot import)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** The native module loads on the first sign-in, not at every cold start of the API. */
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const lib = () => (argon2 ??= import('@node-rs/argon2'));

export async function hashPassword(password: string): Promise<string> {
  return (await lib()).hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await (await lib()).verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real verification, so an unknown email cannot be told apart by timing. */
export async function burnVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword('vigil-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
}
