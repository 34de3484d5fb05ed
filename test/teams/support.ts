import { eq } from 'drizzle-orm';
import { accounts } from '../../src/db/schema.js';
import type { PlanName } from '../../src/domain/plans.js';
import { appWithMail, newEmail } from '../accounts/support.js';
import { withExtras } from '../support/harness.js';
import { rememberSecret } from '../support/ledger.js';
import type { Received } from '../support/smtp.js';

export type TeamsEnv = Awaited<ReturnType<typeof teamsApp>>;

/** An app with real SMTP and a movable clock, and people who register, confirm their email and sign in. */
export async function teamsApp() {
  const env = await appWithMail();
  const PASSWORD = 'correct horse battery';
  rememberSecret(PASSWORD);
  return {
    ...env,
    /** A person in a browser of their own (own cookie jar), signed in with a confirmed email. */
    async person(tag = 'p', email = newEmail(tag)) {
      const c = env.t.client();
      await c.auth.register.mutate({ email, password: PASSWORD });
      await c.auth.verifyEmail.mutate({ token: await env.linkTo(email, 'verify-email'), password: PASSWORD });
      const { user } = await c.auth.login.mutate({ email, password: PASSWORD });
      return withExtras(c, { user, email });
    },
    async setPlan(accountId: string, plan: PlanName) {
      await env.t.svc.db.update(accounts).set({ plan }).where(eq(accounts.id, accountId));
    },
    /** The token of the nth invitation sent to `to`. */
    async inviteTokenTo(to: string, nth = 1): Promise<string> {
      const matching = (inbox: Received[]) => inbox.filter((m) => m.envelopeTo.includes(to) && (m.text ?? '').includes('/accept-invite#token='));
      await env.smtp.waitFor((inbox) => matching(inbox).length >= nth);
      const token = /#token=([A-Za-z0-9_-]{43})/.exec(matching(env.smtp.inbox)[nth - 1]!.text ?? '')![1]!;
      rememberSecret(token);
      return token;
    },
  };
}

export { newEmail };
