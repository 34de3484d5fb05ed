import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveTokenKeys, signSession, verifyAccessToken, verifySession } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { createSecretBox, secretBoxFor } from '../../src/crypto/secret-box.js';
import { withSecrets } from '../../src/entry/lambda/secrets.js';
import { lambdaEnv } from '../support/lambda-env.js';

const sm = mockClient(SecretsManagerClient);
afterEach(() => sm.reset());

const ARN = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}`;
const SESSION = 'session-secret-from-secrets-manager-0123456789';
const ACCESS = 'access-secret-from-secrets-manager-0123456789';

/** A function's environment as the template sets it: ARNs, no values. */
function templateEnv(fn: 'internalApi' | 'publicApi') {
  const { DATABASE_AUTH_TOKEN: _t, SESSION_SECRET: _s, ACCESS_TOKEN_SECRET: _a, ...rest } = lambdaEnv('ci', fn);
  return {
    ...rest,
    DATABASE_AUTH_TOKEN_ARN: ARN('vigil/ci'),
    ...(fn === 'internalApi' ? { SESSION_SECRET_ARN: ARN('vigil/ci/session-secret') } : { ACCESS_TOKEN_SECRET_ARN: ARN('vigil/ci/access-token-secret') }),
  };
}

describe('secrets are read from Secrets Manager at cold start (finding 9)', () => {
  it('resolves each named secret, a plain value or a JSON field named like the variable', async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN('vigil/ci') }).resolves({ SecretString: JSON.stringify({ DATABASE_AUTH_TOKEN: 'db-token', OTHER: 'x' }) });
    sm.on(GetSecretValueCommand, { SecretId: ARN('vigil/ci/session-secret') }).resolves({ SecretString: SESSION });
    const env = await withSecrets(templateEnv('internalApi'), new SecretsManagerClient({}));
    expect(env).toMatchObject({ DATABASE_AUTH_TOKEN: 'db-token', SESSION_SECRET: SESSION });
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId).sort()).toEqual([ARN('vigil/ci'), ARN('vigil/ci/session-secret')]);
  });

  it('the public API ends up with the access-token key only: it can verify access tokens but never mint or accept a session', async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN('vigil/ci') }).resolves({ SecretString: JSON.stringify({ DATABASE_AUTH_TOKEN: 'db-token' }) });
    sm.on(GetSecretValueCommand, { SecretId: ARN('vigil/ci/access-token-secret') }).resolves({ SecretString: ACCESS });
    const config = loadConfig(await withSecrets(templateEnv('publicApi'), new SecretsManagerClient({})), 'public-api');
    expect(config.tokenSecrets).toEqual({ session: undefined, access: ACCESS });
    const keys = deriveTokenKeys(config.tokenSecrets, 'https://api.vigil.example');
    expect(keys.session).toBeNull();
    await expect(signSession(keys, { sessionId: 'ses_x', userId: 'usr_x', accountId: 'acc_x', sessionVersion: 0 }, Date.now())).rejects.toThrow(/no session key/);
    // A session signed by the internal API is not accepted here, and no access token verifies without its key.
    const internal = deriveTokenKeys({ session: SESSION }, 'https://api.vigil.example');
    const session = await signSession(internal, { sessionId: 'ses_x', userId: 'usr_x', accountId: 'acc_x', sessionVersion: 0 }, Date.now());
    expect(await verifySession(keys, session, Date.now())).toBeNull();
    expect(await verifyAccessToken(internal, session, Date.now())).toBeNull();
  });

  it('the notifier ends up with the sealing secret and the database token, and no token secret', async () => {
    const SEALING = 'sealing-secret-from-secrets-manager-0123456789';
    sm.on(GetSecretValueCommand, { SecretId: ARN('vigil/ci') }).resolves({ SecretString: JSON.stringify({ DATABASE_AUTH_TOKEN: 'db-token' }) });
    sm.on(GetSecretValueCommand, { SecretId: ARN('vigil/ci/sealing-secret') }).resolves({ SecretString: SEALING });
    const { DATABASE_AUTH_TOKEN: _t, SEALING_SECRET: _k, ...rest } = lambdaEnv('ci', 'notifier');
    const env = { ...rest, MAIL_TRANSPORT: 'ses', DATABASE_AUTH_TOKEN_ARN: ARN('vigil/ci'), SEALING_SECRET_ARN: ARN('vigil/ci/sealing-secret') };
    const config = loadConfig(await withSecrets(env, new SecretsManagerClient({})), 'notifier');
    expect(config).toMatchObject({ sealingSecret: SEALING, databaseAuthToken: 'db-token', tokenSecrets: { session: undefined, access: undefined } });
  });

  it('after a rotation, the secrets the template names open what the old sealing secret sealed, and seal with the new one', async () => {
    const OLD = 'old-sealing-secret-from-secrets-manager-0123456789';
    const NEW = 'new-sealing-secret-from-secrets-manager-0123456789';
    const sealedBefore = createSecretBox([OLD]).seal('whsec_before-the-rotation', 'ct_1');
    sm.on(GetSecretValueCommand, { SecretId: ARN('vigil/ci') }).resolves({ SecretString: JSON.stringify({ DATABASE_AUTH_TOKEN: 'db-token' }) });
    sm.on(GetSecretValueCommand, { SecretId: ARN('vigil/ci/sealing-secret') }).resolves({ SecretString: NEW });
    sm.on(GetSecretValueCommand, { SecretId: ARN('vigil/ci/sealing-secret-previous') }).resolves({ SecretString: OLD });
    const { DATABASE_AUTH_TOKEN: _t, SEALING_SECRET: _k, ...rest } = lambdaEnv('ci', 'notifier');
    const env = {
      ...rest,
      MAIL_TRANSPORT: 'ses',
      DATABASE_AUTH_TOKEN_ARN: ARN('vigil/ci'),
      SEALING_SECRET_ARN: ARN('vigil/ci/sealing-secret'),
      SEALING_SECRET_PREVIOUS_ARN: ARN('vigil/ci/sealing-secret-previous'),
    };
    const box = secretBoxFor(loadConfig(await withSecrets(env, new SecretsManagerClient({})), 'notifier'));
    expect(box.open(sealedBefore, 'ct_1')).toBe('whsec_before-the-rotation');
    expect(() => createSecretBox([OLD]).open(box.seal('after', 'ct_1'), 'ct_1')).toThrow();
    expect(createSecretBox([NEW]).open(box.seal('after', 'ct_1'), 'ct_1')).toBe('after');
  });

  it('a function with no secret ARNs never loads the SDK or calls AWS', async () => {
    const env = { NODE_ENV: 'production' };
    expect(await withSecrets(env)).toBe(env);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('fails the cold start, naming the variable, when a secret is missing its value', async () => {
    sm.on(GetSecretValueCommand).resolves({});
    await expect(withSecrets({ SESSION_SECRET_ARN: ARN('x') }, new SecretsManagerClient({}))).rejects.toThrow(/SESSION_SECRET_ARN/);
  });
});
