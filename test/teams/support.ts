import { eq } from 'drizzle-orm';
import { accounts } from '../../src/db/schema.js';
import type { PlanName } from '../../src/domain/plans.js';
import { appWithMail, newEmail } from '../accounts/support.js';
import { withExtras } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';
import type { Received } from '../support/smtp.js';

export type TeamsEnv = Awaited<ReturnType<typeof teamsApp>>;
export type Person = Awaited<ReturnType<TeamsEnv['person']>>;

/** An app with real SMTP and a movable clock, and people who register, confirm their email and sign in. */
export async function teamsApp(appEnv: Record<string, string> = {}) {
  const env = await appWithMail(appEnv);
  const PASSWORD = 'correct horse battery';
  rememberSecret(PASSWORD);
  /** A person in a browser of their own (own cookie jar), signed in with a confirmed email. */
  async function person(tag = 'p', email = newEmail(tag)) {
    const c = env.t.client();
    await c.auth.register.mutate({ email, password: PASSWORD });
    await c.auth.verifyEmail.mutate({ token: await env.linkTo(email, 'verify-email'), password: PASSWORD });
    const { user } = await c.auth.login.mutate({ email, password: PASSWORD });
    return withExtras(c, { user, email });
  }
  /** The token of the nth invitation sent to `to`. */
  async function inviteTokenTo(to: string, nth = 1): Promise<string> {
    const matching = (inbox: Received[]) => inbox.filter((m) => m.envelopeTo.includes(to) && (m.text ?? '').includes('/accept-invite#token='));
    await env.smtp.waitFor((inbox) => matching(inbox).length >= nth);
    const token = /#token=([A-Za-z0-9_-]{43})/.exec(matching(env.smtp.inbox)[nth - 1]!.text ?? '')![1]!;
    rememberSecret(token);
    return token;
  }
  type Person = Awaited<ReturnType<typeof person>>;
  return {
    ...env,
    person,
    inviteTokenTo,
    /** The nth 6-digit contact code mailed to `to`. */
    async codeSentTo(to: string, nth = 1): Promise<string> {
      const withCode = () => env.smtp.inbox.filter((m) => m.envelopeTo.includes(to) && /Your code: \d{6}/.test(m.text ?? ''));
      await env.smtp.waitFor(() => withCode().length >= nth);
      const code = /Your code: (\d{6})/.exec(withCode()[nth - 1]!.text ?? '')![1]!;
      rememberSecret(`Your code: ${code}`);
      return code;
    },
    /** A new person invited into `owner`'s account with `role`, who accepted and switched to it. */
    async teamOf(owner: Person, role: 'admin' | 'editor' | 'viewer'): Promise<Person> {
      const mate = await person(role);
      await owner.members.invite.mutate({ email: mate.email, role });
      await mate.members.accept.mutate({ token: await inviteTokenTo(mate.email) });
      await mate.account.switch.mutate({ accountId: owner.user.accountId });
      return mate;
    },
    async setPlan(accountId: string, plan: PlanName) {
      await env.t.svc.db.update(accounts).set({ plan }).where(eq(accounts.id, accountId));
    },
  };
}

export { newEmail };
