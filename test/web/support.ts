import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The built app the tests serve: built first when missing or stale, as `npm start` does. */
export const WEB_DIST = join(process.cwd(), 'web/dist');

export function buildWebApp(): void {
  execFileSync('npx', ['tsx', 'scripts/build-web.ts'], { stdio: 'ignore' });
}
