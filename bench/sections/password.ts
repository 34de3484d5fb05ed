import { ARGON2_OPTIONS, hashPassword, verifyPassword } from '../../src/auth/password.js';
import { fmt, median, ms, quantile, spread, type SectionResult } from '../lib.js';

const ROUNDS = 5;
const PER_ROUND = 6;

/** Argon2id hash and verify with the parameters the service uses, interleaved, on one core's worth of work. */
export async function passwordBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const password = 'correct horse battery staple';
  const stored = await hashPassword(password); // warm-up: loads the native module
  await verifyPassword(stored, password);
  const hashes: number[] = [];
  const verifies: number[] = [];
  const roundHash: number[] = [];
  const roundVerify: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const h: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < PER_ROUND; i++) {
      let t = process.hrtime.bigint();
      await hashPassword(password);
      h.push(ms(t));
      t = process.hrtime.bigint();
      if (!(await verifyPassword(stored, password))) throw new Error('verify failed');
      v.push(ms(t));
    }
    hashes.push(...h);
    verifies.push(...v);
    roundHash.push(median(h));
    roundVerify.push(median(v));
  }
  const row = (op: string, all: number[], rounds: number[]) => ({
    operation: op,
    'median ms (min–max of round medians)': spread(rounds, 1),
    'p90 ms (all)': fmt(quantile(all, 0.9), 1),
    'per second, one core': fmt(1000 / median(rounds), 0),
    samples: String(all.length),
  });
  return {
    id: 'password',
    title: '5. Password hashing (Argon2id)',
    method: `
\`hashPassword\` and \`verifyPassword\` from src/auth/password.ts (@node-rs/argon2) with the service's parameters
\`${JSON.stringify(ARGON2_OPTIONS)}\` (algorithm 2 = Argon2id; memory in KiB, i.e. 19 MiB, 2 passes, 1 lane),
one at a time on an idle event loop, hash and verify interleaved; ${ROUNDS} rounds of ${PER_ROUND} each.
There is no baseline: the cost is deliberate. "Per second, one core" is 1000 / median, the ceiling of sign-ins
a single core can verify.`,
    tables: [{ rows: [row('hash', hashes, roundHash), row('verify', verifies, roundVerify)] }],
  };
}
