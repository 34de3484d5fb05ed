import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalAlertQueue } from '../../src/alerts/queue.js';
import { HOUR_MS } from '../../src/domain/time.js';
import { reportFigures } from '../hardening/figures.js';
import { appWithMail, newEmail } from './support.js';

/**
 * Whether an email has an account must not show in how long the answer takes. Each test times two
 * kinds of request, interleaved (so a busy machine slows both alike), through the SPA's own door
 * with mail going to a real SMTP server on loopback (a mail sent before answering shows at once).
 *
 * The margin: the medians' ratio within 0.67–1.5 (neither answer half as slow again as the other)
 * and, over every (known, unknown) pair of samples, the share where the known one was slower (the
 * distributions' overlap, 0.5 when they are the same) within 0.2–0.8. Before the fix both broke it
 * by far (a mail sent before answering is a whole SMTP exchange: ratios 0.39 and 8.1, overlap 0.01
 * and 0.98). On the shared 2-core box, with Argon2id taking 5–10 times its usual 20 ms, the same
 * code gave ratios 0.74–1.28 and overlaps 0.32–0.66 over twenty runs: a median is unmoved by a stalled
 * sample (it counts as one of 30, whatever its length), interleaving puts a busy moment on both
 * kinds alike, and neither figure reads an absolute time, so a slower machine gives the same ones.
 */
const SAMPLES = 30;
const RATIO = { min: 0.67, max: 1.5 };
const OVERLAP = { min: 0.2, max: 0.8 };

let env: Awaited<ReturnType<typeof appWithMail>>;
beforeAll(async () => {
  env = await appWithMail();
});
afterAll(() => env.close());

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The share of (a, b) pairs where a is slower: 0.5 for one distribution, 0 or 1 when they never meet. */
const slowerShare = (a: number[], b: number[]) => a.reduce((n, x) => n + b.filter((y) => x > y).length, 0) / (a.length * b.length);

/**
 * The time to the answer. Then the mail the request queued is let go out before the next sample,
 * so that one request's sending (after its answer) is not counted in the next one's time.
 */
async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  const ms = performance.now() - start;
  if (env.t.svc.alerts instanceof LocalAlertQueue) await env.t.svc.alerts.idle();
  return ms;
}

/** Interleaved samples of both kinds; the clock moves an hour before each pair, so no throttle is met. */
async function sample(known: () => Promise<unknown>, unknown: () => Promise<unknown>) {
  const k: number[] = [];
  const u: number[] = [];
  await timed(known); // warm both paths (first-use costs are not the email's)
  await timed(unknown);
  for (let i = 0; i < SAMPLES; i++) {
    env.clock.now += HOUR_MS + 1;
    if (i % 2 === 0) {
      k.push(await timed(known));
      u.push(await timed(unknown));
    } else {
      u.push(await timed(unknown));
      k.push(await timed(known));
    }
  }
  return { known: k, unknown: u, ratio: median(k) / median(u), overlap: slowerShare(k, u) };
}

function expectIndistinguishable(name: string, s: Awaited<ReturnType<typeof sample>>) {
  reportFigures(name, {
    samples: SAMPLES,
    knownMedianMs: Number(median(s.known).toFixed(1)),
    unknownMedianMs: Number(median(s.unknown).toFixed(1)),
    ratio: Number(s.ratio.toFixed(2)),
    knownSlowerShare: Number(s.overlap.toFixed(2)),
  });
  expect(s.ratio).toBeGreaterThan(RATIO.min);
  expect(s.ratio).toBeLessThan(RATIO.max);
  expect(s.overlap).toBeGreaterThan(OVERLAP.min);
  expect(s.overlap).toBeLessThan(OVERLAP.max);
}

async function verifiedUser() {
  const email = newEmail('known');
  const password = 'correct horse battery';
  await env.t.client().auth.register.mutate({ email, password });
  await env.t.client().auth.verifyEmail.mutate({ token: await env.linkTo(email, 'verify-email'), password });
  return { email, password };
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('no timing oracle for "is this email registered"', () => {
  it('POST /auth/register answers a verified email as fast as a new one, and both still get their mail', async () => {
    const known = await verifiedUser();
    const fresh: string[] = [];
    const register = async (email: string) => {
      const res = await env.t.fetch('/auth/register', json({ email, password: 'another long password' }));
      expect(res.status).toBe(202);
    };
    const s = await sample(
      () => register(known.email),
      () => {
        const email = newEmail('fresh');
        fresh.push(email);
        return register(email);
      },
    );
    expectIndistinguishable('register-timing', s);
    // Sent after the answer, still sent: every new email gets its link, the owner one notice a day.
    await env.smtp.waitFor((inbox) => fresh.every((to) => inbox.some((m) => m.envelopeTo.includes(to) && (m.text ?? '').includes('/verify-email#token='))));
    expect(env.smtp.to(known.email).filter((m) => m.subject?.startsWith('Someone tried')).length).toBeGreaterThanOrEqual(1);
  }, 120_000); // 62 Argon2id hashes and their mail, on a busy machine

  it('auth.requestPasswordReset answers a known email as fast as an unknown one, and the known one gets its links', async () => {
    const known = await verifiedUser();
    const c = env.t.client();
    const s = await sample(
      () => c.auth.requestPasswordReset.mutate({ email: known.email }),
      () => c.auth.requestPasswordReset.mutate({ email: newEmail('nobody') }),
    );
    expectIndistinguishable('reset-request-timing', s);
    // One link per request (the clock moved past the per-user cap each time), the last one works.
    await env.linkTo(known.email, 'reset-password', SAMPLES + 1);
    const token = await env.linkTo(known.email, 'reset-password', SAMPLES + 1);
    expect(await env.t.client().auth.resetPassword.mutate({ token, password: 'a brand new passphrase' })).toMatchObject({ signedOutSessions: 0 });
  }, 120_000);
});
