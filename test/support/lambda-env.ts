/**
 * The environment a packaged function sees on Lambda, for loading a bundle in a fresh Node process
 * (test/deploy and bench/). Nothing listens at the database address: a handler that reaches the
 * database fails, so the probes use events that do not.
 */
export function lambdaEnv(stage: string, fn: string): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    AWS_LAMBDA_FUNCTION_NAME: `vigil-${stage}-${fn}`,
    AWS_REGION: 'eu-west-1',
    NODE_ENV: 'production',
    SCHEDULER: 'eventbridge',
    SCHEDULE_GROUP: `vigil-${stage}-monitors`,
    DATABASE_URL: 'libsql://127.0.0.1:9',
    // As src/entry/lambda/secrets.ts leaves them after reading Secrets Manager: each API its own kind.
    DATABASE_AUTH_TOKEN: 'token',
    ...(fn === 'internalApi' ? { SESSION_SECRET: 'a-session-secret-that-is-at-least-32-bytes' } : {}),
    ...(fn === 'publicApi' ? { ACCESS_TOKEN_SECRET: 'an-access-secret-that-is-at-least-32-bytes' } : {}),
    // Webhook signing secrets: sealed by the internal API, opened by the notifier.
    ...(fn === 'internalApi' || fn === 'notifier' ? { SEALING_SECRET: 'a-sealing-secret-that-is-at-least-32-bytes' } : {}),
    APP_ORIGINS: 'https://app.vigil.example',
    PUBLIC_BASE_URL: 'https://api.vigil.example',
    CHECKER_FUNCTION_ARN: `arn:aws:lambda:eu-west-1:123456789012:function:vigil-${stage}-checker`,
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  };
}
