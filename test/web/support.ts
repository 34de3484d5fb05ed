import { join } from 'node:path';

/** The built app the tests serve; test/support/build-web.global.ts builds it once before any file runs. */
export const WEB_DIST = join(process.cwd(), 'web/dist');
