import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_CALLS } from '../../src/internal/batch-guard.js';
import { rememberSecret } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { reportFigures } from './figures.js';

// Finding 2: one request did the work of a thousand (300 registrations, 400 sign-ins in one POST).
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type TrpcError = { error: { message: string; code: number; data: { code: string; httpStatus: number; path: string } } };

const batch = (paths: string[], inputs: unknown[]) =>
  t.fetch(`/internal/${paths.join(',')}?batch=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(Object.fromEntries(inputs.map((v, i) => [i, v]))),
  });

describe('tRPC batching is bounded', () => {
  it('a 50-call batch of sign-ins is refused with one 400 in tRPC’s shape, before any call runs', async () => {
    const u = await t.signUp();
    const started = performance.now();
    const res = await batch(Array(50).fill('auth.login'), Array.from({ length: 50 }, (_, i) => ({ email: u.email, password: `guess ${i} guess` })));
    const ms = performance.now() - started;
    expect(res.status).toBe(400);
    const body = (await res.json()) as TrpcError[];
    expect(body).toHaveLength(50);
    expect(body[0]!.error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, path: 'auth.login' });
    expect(body[0]!.error.message).toMatch(/at most 10 calls/);
    // Nothing was checked: the right password still signs in from this address.
    expect((await t.fetch('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: u.email, password: u.password }) })).status).toBe(200);
    reportFigures('batching', { calls: 50, status: res.status, ms: Math.round(ms) });
  });

  it('registrations cannot ride in a batch, even a small one', async () => {
    const emails = [1, 2, 3].map((i) => `batch-${i}-${Math.random().toString(36).slice(2)}@example.com`);
    rememberSecret('batch password 123');
    const res = await batch(['auth.register', 'auth.register', 'auth.register'], emails.map((email) => ({ email, password: 'batch password 123' })));
    expect(res.status).toBe(400);
    const body = (await res.json()) as TrpcError[];
    expect(body[0]!.error.message).toMatch(/auth procedures cannot be batched/);
    for (const email of emails) {
      const found = await t.svc.db.query.users.findFirst({ where: (u, { eq }) => eq(u.email, email) });
      expect(found).toBeUndefined();
    }
  });

  it(`a batch of ${MAX_BATCH_CALLS} ordinary calls works, and one auth call alone in a batch works`, async () => {
    const u = await t.signUp();
    const cookie = `vigil_session=${u.jar.get('vigil_session')}`;
    const ok = await t.fetch(`/internal/${Array(MAX_BATCH_CALLS).fill('monitors.list').join(',')}?batch=1&input=${encodeURIComponent('{}')}`, { headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as unknown[]).length).toBe(MAX_BATCH_CALLS);
    const me = await t.fetch(`/internal/auth.me?batch=1&input=${encodeURIComponent('{}')}`, { headers: { cookie } });
    expect(me.status).toBe(200);
    const eleven = await t.fetch(`/internal/${Array(MAX_BATCH_CALLS + 1).fill('monitors.list').join(',')}?batch=1`, { headers: { cookie } });
    expect(eleven.status).toBe(400);
  });
});
