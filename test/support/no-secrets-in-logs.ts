import { afterAll, expect } from 'vitest';
import { leakedSecrets } from './ledger.js';

// Runs after every test file: whatever the file did, no password, client secret, session cookie
// or access token it created appears in any log line its apps wrote.
afterAll(() => {
  const { leaked, lines, secrets } = leakedSecrets();
  if (secrets) console.log(`[figures] log-scan: ${JSON.stringify({ logLines: lines, credentialsWatched: secrets, found: leaked.length })}`);
  expect(leaked.map((s) => `${s.slice(0, 6)}…`), 'credentials found in log lines').toEqual([]);
});
