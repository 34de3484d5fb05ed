import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * On Lambda the environment names secrets, never holds them (anyone with
 * lambda:GetFunctionConfiguration reads a function's environment). Each `<NAME>_ARN` below is read
 * from Secrets Manager once, at cold start, under the function's own scoped GetSecretValue right.
 */
export const SECRET_ARNS = {
  SESSION_SECRET_ARN: 'SESSION_SECRET',
  ACCESS_TOKEN_SECRET_ARN: 'ACCESS_TOKEN_SECRET',
  SEALING_SECRET_ARN: 'SEALING_SECRET',
  DATABASE_AUTH_TOKEN_ARN: 'DATABASE_AUTH_TOKEN',
} as const;

/**
 * The environment with every named secret resolved. A secret's string is the value itself, or a
 * JSON object holding it under the variable's name (one secret can carry several values).
 * The SDK is loaded only when there is something to read.
 */
export async function withSecrets(env: NodeJS.ProcessEnv, client?: SecretsManagerClient): Promise<NodeJS.ProcessEnv> {
  const wanted = Object.entries(SECRET_ARNS).filter(([arnVar]) => env[arnVar]);
  if (wanted.length === 0) return env;
  const { SecretsManagerClient: Client, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const sm = client ?? new Client({});
  const resolved = await Promise.all(
    wanted.map(async ([arnVar, name]) => {
      const { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: env[arnVar] }));
      if (!SecretString) throw new Error(`${arnVar}: the secret has no string value`);
      return [name, valueOf(SecretString, name)] as const;
    }),
  );
  return { ...env, ...Object.fromEntries(resolved) };
}

function valueOf(secret: string, name: string): string {
  if (!secret.trimStart().startsWith('{')) return secret;
  try {
    const value = (JSON.parse(secret) as Record<string, unknown>)[name];
    if (typeof value === 'string') return value;
  } catch {
    // not JSON after all: the whole string is the value
    return secret;
  }
  throw new Error(`the secret holds no ${name}`);
}
