/**
 * `npm run example:partner`: a partner's client from the command line. It exchanges the client's
 * credentials for an access token (OAuth 2.0 client credentials), lists every monitor of the
 * account through /api/v1 page by page, and prints one line per monitor. Settings come from the
 * environment (README.md); nothing is written anywhere.
 */
import { allMonitors, getAccessToken, vigilClient } from './client.js';

const settings = {
  VIGIL_URL: process.env.VIGIL_URL ?? 'http://localhost:3000',
  VIGIL_CLIENT_ID: process.env.VIGIL_CLIENT_ID,
  VIGIL_CLIENT_SECRET: process.env.VIGIL_CLIENT_SECRET,
};

async function main(): Promise<number> {
  const { VIGIL_URL: baseUrl, VIGIL_CLIENT_ID: clientId, VIGIL_CLIENT_SECRET: clientSecret } = settings;
  if (!clientId || !clientSecret) {
    console.error('Set VIGIL_CLIENT_ID and VIGIL_CLIENT_SECRET (an API client made in the app: Settings → API clients),');
    console.error('and VIGIL_URL if the service is not at http://localhost:3000. See examples/partner/README.md.');
    return 2;
  }
  const token = await getAccessToken(baseUrl, clientId, clientSecret);
  const monitors = await allMonitors(vigilClient(baseUrl, token));
  console.log(`${monitors.length} monitor${monitors.length === 1 ? '' : 's'} at ${baseUrl}`);
  for (const m of monitors) {
    console.log([m.id, m.status.padEnd(11), m.kind.padEnd(9), m.name, m.url ?? ''].join('  ').trimEnd());
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
