import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberSecret } from '../support/ledger.js';
import { appWithMail, newEmail } from './support.js';

/**
 * A stranger registers the victim's email first and, while unverified, sets the account up to spy
 * on whoever really owns the mailbox. When the owner confirms, they must start from an empty
 * account; and a confirmation never verifies a password the confirmer did not set.
 */
let env: Awaited<ReturnType<typeof appWithMail>>;
beforeAll(async () => {
  env = await appWithMail();
});
afterAll(() => env.close());

const OWNER_PASSWORD = 'the real owner password';
const SQUATTER_PASSWORD = 'squatter password 1';
rememberSecret(OWNER_PASSWORD);
rememberSecret(SQUATTER_PASSWORD);
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function squat(email: string) {
  const squatter = await env.t.signUp(email, SQUATTER_PASSWORD);
  const client = await squatter.oauthClients.create.mutate({ name: 'spy' });
  rememberSecret(client.clientSecret);
  await squatter.contacts.create.mutate({ kind: 'webhook', name: 'spy', target: 'https://spy.example.net/hook' });
  await squatter.maintenance.create.mutate({ monitorIds: 'all', startsAt: '2031-01-01T00:00:00Z', endsAt: '2099-01-01T00:00:00Z' });
  const monitor = await squatter.monitors.create.mutate({ name: 'decoy', url: 'https://example.com/', intervalSeconds: 300 });
  await squatter.statusPages.create.mutate({ slug: `spy-${Math.random().toString(36).slice(2, 8)}`, title: 'spy', monitors: [{ monitorId: monitor.id }] });
  return { squatter, client };
}

/** Every table with an account_id column, and how many rows it still holds for that account (none listed when empty). */
async function rowsLeftOf(accountId: string): Promise<Record<string, number>> {
  const db = env.t.svc.db.$client;
  const tables = (await db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'")).rows.map((r) => String(r.name));
  const left: Record<string, number> = {};
  expect(tables).toEqual(expect.arrayContaining(['monitors', 'alert_contacts', 'oauth_clients', 'maintenance_windows', 'status_pages', 'invitations', 'audit_log']));
  for (const table of tables) {
    const columns = (await db.execute(`PRAGMA table_info(${table})`)).rows.map((r) => String(r.name));
    const column = table === 'accounts' ? 'id' : columns.includes('account_id') ? 'account_id' : null;
    if (!column) continue;
    const n = Number((await db.execute({ sql: `SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`, args: [accountId] })).rows[0]!.n);
    if (n > 0) left[table] = n;
  }
  return left;
}

describe('an unverified squatter’s setup does not survive the owner’s verification', () => {
  it('the owner who registers and confirms starts from an empty account; the squatter keeps no way in', async () => {
    const email = newEmail('victim');
    const { squatter, client } = await squat(email);

    await env.t.client().auth.register.mutate({ email, password: OWNER_PASSWORD });
    const ownersLink = await env.linkTo(email, 'verify-email', 2);
    expect(await env.t.client().auth.verifyEmail.mutate({ token: ownersLink, password: OWNER_PASSWORD })).toEqual({ email });

    const owner = env.t.client();
    const { user } = await owner.auth.login.mutate({ email, password: OWNER_PASSWORD });
    expect(user.emailVerified).toBe(true);
    expect((await owner.monitors.list.query()).items).toEqual([]);
    expect(await owner.oauthClients.list.query()).toEqual([]);
    expect((await owner.maintenance.list.query()).items).toEqual([]);
    expect(await owner.statusPages.list.query()).toEqual([]);
    // Only the account's own address remains, and it is the owner's.
    expect((await owner.contacts.list.query()).map((c) => [c.kind, c.target])).toEqual([['email', email]]);
    expect((await owner.members.list.query()).members.map((m) => m.email)).toEqual([email]);

    await expect(squatter.auth.me.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
    expect((await env.t.fetch('/auth/login', json({ email, password: SQUATTER_PASSWORD }))).status).toBe(401);
    const token = await env.t.fetch('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).toString(),
    });
    expect(token.status).toBe(401);
    expect(await rowsLeftOf(squatter.user.accountId)).toEqual({});
  });

  it('a password reset of an unverified account is a transfer too: nothing the holder made survives', async () => {
    const email = newEmail('reset-victim');
    const { squatter } = await squat(email);
    await env.t.client().auth.requestPasswordReset.mutate({ email });
    await env.t.client().auth.resetPassword.mutate({ token: await env.linkTo(email, 'reset-password'), password: OWNER_PASSWORD });
    const owner = env.t.client();
    await owner.auth.login.mutate({ email, password: OWNER_PASSWORD });
    expect((await owner.monitors.list.query()).items).toEqual([]);
    expect(await owner.oauthClients.list.query()).toEqual([]);
    await expect(squatter.auth.me.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
  });

  it('the first, unrequested confirmation email does not verify the squatter’s password or session', async () => {
    const email = newEmail('variant');
    const squatter = await env.t.signUp(email, SQUATTER_PASSWORD);
    const unrequested = await env.linkTo(email, 'verify-email', 1);
    // The mailbox owner opens it; they do not know the password the squatter chose.
    await expect(env.t.client().auth.verifyEmail.mutate({ token: unrequested, password: OWNER_PASSWORD })).rejects.toMatchObject({
      data: { httpStatus: 400 },
    });
    expect((await squatter.auth.me.query()).emailVerified).toBe(false);
  });

  it('the person who registered confirms with the password they chose; their setup stays', async () => {
    const email = newEmail('honest');
    const u = await env.t.signUp(email, OWNER_PASSWORD);
    await u.monitors.create.mutate({ name: 'mine', url: 'https://example.com/', intervalSeconds: 300 });
    await env.t.client().auth.verifyEmail.mutate({ token: await env.linkTo(email, 'verify-email'), password: OWNER_PASSWORD });
    expect((await u.auth.me.query()).emailVerified).toBe(true);
    expect((await u.monitors.list.query()).items.map((m) => m.name)).toEqual(['mine']);
  });
});
