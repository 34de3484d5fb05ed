import { execFileSync } from 'node:child_process';

/**
 * Builds the web app once, before any test file runs, when web/dist is missing or stale (as
 * `npm start` does): the files that serve it (test/web/) would otherwise build it concurrently and
 * empty each other's output folder.
 */
export default function buildWebApp(): void {
  execFileSync('npx', ['tsx', 'scripts/build-web.ts'], { stdio: 'ignore' });
}
