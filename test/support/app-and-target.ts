import { afterAll, beforeAll } from 'vitest';
import { startTestApp, type TestApp, type TestAppOptions } from './harness.js';
import { startTarget } from './target.js';

export type AppAndTarget = { t: TestApp; target: Awaited<ReturnType<typeof startTarget>> };

/** A test app (with `opts`: a movable clock, say) and a scripted check target for the enclosing suite, closed after it. */
export function appAndTarget(opts: TestAppOptions = {}): AppAndTarget {
  const env = {} as AppAndTarget;
  beforeAll(async () => {
    env.t = await startTestApp(opts);
    env.target = await startTarget();
  });
  afterAll(async () => {
    await env.t.close();
    await env.target.close();
  });
  return env;
}
