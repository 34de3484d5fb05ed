import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerContactStartsActive } from '../../src/alerts/contacts/owner.js';
import { runCheck } from '../../src/checker/run.js';
import { monitors } from '../../src/db/schema.js';
import { appWithMail } from '../accounts/support.js';
import { rememberSecret } from '../support/ledger.js';
import { startTarget } from '../support/target.js';

/**
 * The account's own address is an alert contact from sign-up, and follows REQUIRE_VERIFIED_EMAIL:
 * active at once where verification is not required, pending until the account's email is verified
 * where it is. Account emails and alert emails leave through the one mailer (here one SMTP server).
 */
let lax: Awaited<ReturnType<typeof appWithMail>>;
let strict: Awaited<ReturnType<typeof appWithMail>>;
let target: Awaited<ReturnType<typeof startTarget>>;
beforeAll(async () => {
  target = await startTarget();
  lax = await appWithMail({ APP_URL: 'http://app.test' });
  strict = await appWithMail({ APP_URL: 'http://app.test', REQUIRE_VERIFIED_EMAIL: 'true' });
});
afterAll(async () => {
  await lax.close();
  await strict.close();
  await target.close();
});

const owner = <C extends { name: string; target: string }>(contacts: C[], email: string) =>
  contacts.filter((c) => c.name === 'Account email' && c.target === email);

describe("the account's own address as an alert contact", () => {
  it('starts active only where verification is not required (one rule: ownerContactStartsActive)', () => {
    expect(ownerContactStartsActive({ requireVerifiedEmail: false })).toBe(true);
    expect(ownerContactStartsActive({ requireVerifiedEmail: true })).toBe(false);
  });

  it('REQUIRE_VERIFIED_EMAIL off: active at sign-up, before the email is verified', async () => {
    const u = await lax.t.signUp();
    expect(u.user.emailVerified).toBe(false);
    expect(owner(await u.contacts.list.query(), u.email)).toEqual([expect.objectContaining({ kind: 'email', status: 'active' })]);
    // Verifying later changes nothing.
    await u.auth.verifyEmail.mutate({ token: await lax.linkTo(u.email, 'verify-email'), password: u.password });
    expect(owner(await u.contacts.list.query(), u.email)).toEqual([expect.objectContaining({ status: 'active' })]);
  });

  it('REQUIRE_VERIFIED_EMAIL on: pending (and sent nothing) until the email is verified, then active; its alerts leave by the same mailer', async () => {
    const u = await strict.t.signUp();
    const [contact] = owner(await u.contacts.list.query(), u.email);
    expect(contact).toMatchObject({ status: 'pending' });
    // An unverified account sends no test event either (it writes nothing until verified).
    await expect(u.contacts.test.mutate({ id: contact!.id })).rejects.toMatchObject({ data: { httpStatus: 403 } });

    await u.auth.verifyEmail.mutate({ token: await strict.linkTo(u.email, 'verify-email'), password: u.password });
    expect(owner(await u.contacts.list.query(), u.email)).toEqual([expect.objectContaining({ status: 'active' })]);

    // A monitor going down now mails the owner through the SMTP server that carried the verification link.
    target.always = 200;
    const m = await u.monitors.create.mutate({ name: 'Shop', url: target.url, paused: true });
    await strict.t.svc.db.update(monitors).set({ paused: false }).where(eq(monitors.id, m.id));
    await runCheck(strict.t.svc, m.id, { confirmDelayMs: 0 });
    target.always = 500;
    await runCheck(strict.t.svc, m.id, { confirmDelayMs: 0 });
    await strict.smtp.waitFor((inbox) => inbox.some((mail) => mail.envelopeTo.includes(u.email) && mail.subject === '[Vigil] DOWN: Shop — HTTP 500'));
    expect(strict.smtp.to(u.email).map((mail) => mail.subject)).toEqual(['Confirm your email for Vigil', '[Vigil] DOWN: Shop — HTTP 500']);
  });

  it('REQUIRE_VERIFIED_EMAIL on: a password reset proves the mailbox too, and activates it', async () => {
    const u = await strict.t.signUp();
    expect(owner(await u.contacts.list.query(), u.email)).toEqual([expect.objectContaining({ status: 'pending' })]);
    await strict.t.client().auth.requestPasswordReset.mutate({ email: u.email });
    const next = 'a brand new passphrase';
    rememberSecret(next);
    await strict.t.client().auth.resetPassword.mutate({ token: await strict.linkTo(u.email, 'reset-password'), password: next });
    const c = strict.t.client();
    await c.auth.login.mutate({ email: u.email, password: next });
    expect(owner(await c.contacts.list.query(), u.email)).toEqual([expect.objectContaining({ status: 'active' })]);
  });

  it("REQUIRE_VERIFIED_EMAIL on: verification activates only the account's own pending owner contact", async () => {
    const a = await strict.t.signUp();
    const b = await strict.t.signUp();
    await a.auth.verifyEmail.mutate({ token: await strict.linkTo(a.email, 'verify-email'), password: a.password });
    expect(owner(await a.contacts.list.query(), a.email)).toEqual([expect.objectContaining({ status: 'active' })]);
    expect(owner(await b.contacts.list.query(), b.email)).toEqual([expect.objectContaining({ status: 'pending' })]);
  });
});
