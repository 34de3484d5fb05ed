import { createServer, type Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPlanByEmail } from '../../src/accounts/service.js';
import { runCheck } from '../../src/checker/run.js';
import { monitors } from '../../src/db/schema.js';
import type { LocalRegionProbes } from '../../src/probes/local-regions.js';
import { openBrowserApp, type BrowserApp } from './browser.js';

/**
 * Regions in a real browser: the form offers the deployment's regions (home always, as many as the
 * plan allows) and the quorum; the monitor's screen names the failing region when it is degraded
 * and shows each region's last answer and its latency, read from the per-region rollups.
 */
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-1'];
let b: BrowserApp;
let server: Server;
let target = '';

beforeAll(async () => {
  b = await openBrowserApp({ env: { CHECK_REGIONS: REGIONS.join(',') } });
  const { email } = await b.signInFresh();
  await setPlanByEmail(b.t.svc, email, 'solo');
  server = createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  target = `http://127.0.0.1:${(server.address() as { port: number }).port}/health`;
}, 120_000);

afterAll(async () => {
  server?.close();
  await b?.close();
});

const field = (label: string) => b.page.getByLabel(label, { exact: true });

describe('regions', () => {
  it('adds a monitor checked from three regions with a quorum of 3, and its screen names the failing region', async () => {
    await b.page.getByRole('link', { name: 'Add monitor' }).click();
    await b.page.getByRole('heading', { name: 'Add a monitor' }).waitFor();
    await field('Name').fill('Checkout');
    await field('URL').fill(target);
    expect(await b.page.getByRole('checkbox', { name: 'eu-west-1 (home, always)' }).isDisabled()).toBe(true);
    await b.page.getByRole('checkbox', { name: 'us-east-1' }).check();
    await b.page.getByRole('checkbox', { name: 'ap-southeast-1' }).check();
    await field('Down when failing in').selectOption({ label: '3 of 3' });
    await b.look('monitor-regions-form');
    await b.page.getByRole('button', { name: 'Add monitor' }).click();
    await b.page.getByRole('row', { name: /Checkout/ }).waitFor();
    const [row] = await b.t.svc.db.select().from(monitors).where(eq(monitors.name, 'Checkout'));
    expect(row).toMatchObject({ regions: REGIONS, failureQuorum: 3 });

    await b.t.svc.db.update(monitors).set({ paused: false }).where(eq(monitors.id, row!.id));
    const probes = b.t.svc.probes as LocalRegionProbes;
    probes.inject('us-east-1', () => ({ ok: false, statusCode: 503, responseTimeMs: 120, reason: 'HTTP 503', certExpiresAt: null }));
    probes.inject('ap-southeast-1', () => ({ ok: true, statusCode: 200, responseTimeMs: 240, reason: null, certExpiresAt: null }));
    expect(await runCheck(b.t.svc, row!.id, { regionDeadlineMs: 2_000 })).toMatchObject({ verdict: { status: 'degraded' } });

    await b.page.getByRole('link', { name: 'Checkout' }).click();
    await b.page.getByRole('heading', { name: 'Regions' }).waitFor();
    await b.page.getByText('Failing in us-east-1 (HTTP 503).').waitFor();
    const table = b.page.getByRole('table', { name: 'Regions' });
    expect(await table.getByRole('row', { name: /us-east-1/ }).textContent()).toContain('Failing: HTTP 503');
    expect(await table.getByRole('row', { name: /ap-southeast-1/ }).textContent()).toMatch(/Up.*240 ms.*240 ms/);
    await b.look('monitor-regions');
  }, 60_000);
});
