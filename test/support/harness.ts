import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
import { LocalAlertQueue } from '../../src/alerts/queue.js';
import { createApp } from '../../src/app.js';
import { buildApiServices } from '../../src/bootstrap.js';
import { stopLocalChecks } from '../../src/checker/local-checks.js';
import { MAX_BATCH_CALLS } from '../../src/internal/batch-guard.js';
import { loadConfig } from '../../src/config.js';
import { migrateDb } from '../../src/db/migrate.js';
import { createLogger } from '../../src/log.js';
import type { AppRouter } from '../../src/routers/index.js';
import { LocalScheduler } from '../../src/scheduler/local.js';
import { rememberSecret, watchLogs } from './ledger.js';
import type { Scheduler } from '../../src/scheduler/port.js';
import type { ApiServices } from '../../src/services.js';

export const ORIGIN = 'http://app.test';
export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

export type TestAppOptions = {
  env?: Record<string, string>;
  scheduler?: Scheduler;
  now?: () => number;
  /** A fixed port (a browser test's origin must be known before the config is read); 0 by default. */
  port?: number;
  /** The built web app to serve at `/` (web/dist), as `npm start` does. */
  webApp?: string;
};

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** A real app on a real HTTP port over a real libSQL file of its own; everything but AWS is real. */
export async function startTestApp(opts: TestAppOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: `file:${join(dir, 'test.db')}`,
    AUTH_SECRET: TEST_SECRET,
    APP_ORIGINS: ORIGIN,
    PUBLIC_BASE_URL: 'http://vigil.test',
    ALLOW_PRIVATE_TARGETS: 'true',
    MAIL_DIR: join(dir, 'mail'),
    SMS_DIR: join(dir, 'sms'),
    ...opts.env,
  });
  const logs: string[] = [];
  watchLogs(logs);
  const log = createLogger((line) => logs.push(line));
  // Fan-out mode (CHECK_MODE=fan-out) composes its own scheduler: it keeps next_check_at in this database.
  const own = opts.scheduler ?? (config.checks.mode === 'per-monitor' ? new LocalScheduler(log) : undefined);
  const svc: ApiServices = await buildApiServices(config, { log, scheduler: own, now: opts.now });
  const scheduler = svc.scheduler;
  await migrateDb(svc.db);
  const app = createApp(svc, { internal: true, public: true, statusPages: true, webApp: opts.webApp });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    svc,
    app,
    baseUrl,
    logs,
    scheduler,
    /** fetch against this app, with the SPA's Origin unless told otherwise. */
    fetch(path: string, init: RequestInit & { origin?: string | null } = {}) {
      const headers = new Headers(init.headers);
      if (init.origin !== null && !headers.has('origin')) headers.set('origin', init.origin ?? ORIGIN);
      return fetch(baseUrl + path, { ...init, headers });
    },
    /** A tRPC client as the SPA builds it, with a cookie jar of its own. */
    client(jar: CookieJar = new CookieJar(), { batch = true } = {}) {
      const options = {
        url: `${baseUrl}/internal`,
        headers: () => ({ origin: ORIGIN, ...(jar.header() ? { cookie: jar.header() } : {}) }),
        fetch: async (url: string | URL | Request, init?: unknown) => {
          const res = await fetch(url, init as RequestInit);
          jar.store(res);
          return res;
        },
      };
      // As the SPA does: auth.* alone (the server refuses them batched), and at most 10 calls a batch.
      const link = batch
        ? splitLink({
            condition: (op) => op.path.startsWith('auth.'),
            true: httpLink(options),
            false: httpBatchLink({ ...options, maxItems: MAX_BATCH_CALLS }),
          })
        : httpLink(options);
      return withExtras(createTRPCClient<AppRouter>({ links: [link] }), { jar });
    },
    /** Registers a new user, then signs in (registration itself never does) and returns the client. */
    async signUp(email = `user-${Math.random().toString(36).slice(2)}@example.com`, password = 'correct horse battery') {
      const c = this.client();
      rememberSecret(password);
      await c.auth.register.mutate({ email, password });
      const { user } = await c.auth.login.mutate({ email, password });
      return withExtras(c, { user, email, password });
    },
    /**
     * Resolves once the in-process dispatcher is idle: the mail a sign-up queued has left its outbox,
     * so a test that counts statements or rows counts only its own.
     */
    async settled() {
      if (svc.alerts instanceof LocalAlertQueue) await svc.alerts.idle();
    },
    async close() {
      await stopLocalChecks(svc);
      svc.alerts.stop();
      if (svc.alerts instanceof LocalAlertQueue) await svc.alerts.idle();
      await new Promise((r) => server.close(r));
      svc.db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A tRPC client is a proxy that turns every property into a procedure path, so extra fields
 * (jar, user…) are served by a proxy in front of it.
 */
export function withExtras<T extends object, E extends Record<string, unknown>>(client: T, extras: E): T & E {
  return new Proxy(client, {
    get: (target, prop, receiver) =>
      typeof prop === 'string' && prop in extras ? extras[prop] : Reflect.get(target, prop, receiver),
  }) as T & E;
}

/** Keeps the cookies a server sets, as a browser would for one site. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      rememberSecret(value);
      if (!value || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
