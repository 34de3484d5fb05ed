import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, startTestApp, type TestApp } from '../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

function v2Event(method: string, path: string, opts: { body?: unknown; cookie?: string; query?: string } = {}): LambdaEvent {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: opts.query ?? '',
    cookies: opts.cookie ? [opts.cookie] : undefined,
    headers: { host: 'api.example.com', origin: ORIGIN, 'content-type': 'application/json' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: 'req',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '24/Nov/2026:00:00:00 +0000',
      timeEpoch: Date.now(),
      authentication: null,
      authorizer: {},
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    isBase64Encoded: false,
  } as LambdaEvent;
}

describe('the Lambda entry (hono/aws-lambda, API Gateway HTTP API payload v2)', () => {
  it('registers and signs in through REST and reads the session through tRPC', async () => {
    // The same wrapping src/entry/lambda/internal-api/ does, over this test's services.
    const handler = handle(t.app);
    const credentials = { email: 'lambda@example.com', password: 'a long password' };
    const reg = await handler(v2Event('POST', '/auth/register', { body: credentials }));
    expect(reg.statusCode).toBe(202);
    const login = await handler(v2Event('POST', '/auth/login', { body: credentials }));
    expect(login.statusCode).toBe(200);
    const cookie = ('cookies' in login ? (login.cookies as string[] | undefined)?.[0] : undefined) ?? '';
    expect(cookie).toMatch(/^vigil_session=.+; .*HttpOnly/);

    const me = await handler(v2Event('GET', '/internal/auth.me', { cookie: cookie.split(';')[0] }));
    expect(me.statusCode).toBe(200);
    expect(JSON.parse(me.body ?? '{}')).toMatchObject({ result: { data: { email: 'lambda@example.com' } } });

    const missing = await handler(v2Event('GET', '/nope'));
    expect(missing.statusCode).toBe(404);
  });
});
