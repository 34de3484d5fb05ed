import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm start`'s first step: builds the web app when web/dist is missing or older than what it is
 * built from (web/ and the server's input schemas and router types it imports), so the README's
 * `npm ci && npm start` serves the app without another command.
 */
const built = 'web/dist/index.html';

function newest(dir: string, keep: (path: string) => boolean): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dist' && entry.name !== 'node_modules') latest = Math.max(latest, newest(path, keep));
    } else if (keep(path)) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const sources = Math.max(
  newest('web', () => true),
  newest('src', (p) => p.endsWith('schemas.ts') || p.endsWith('spa-router.d.ts')),
);
if (existsSync(built) && statSync(built).mtimeMs >= sources) {
  console.log('web app is up to date (web/dist)');
} else {
  console.log('building the web app (web/dist)…');
  // React's production build: a caller's NODE_ENV (vitest sets `test`) would otherwise give the
  // development build, three times the size and not what people are served.
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
