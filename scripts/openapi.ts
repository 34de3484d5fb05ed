/**
 * Writes openapi.json at the repo root from the public router. The committed file is the partners'
 * documentation; test/public/openapi.test.ts fails when it differs from what the code generates.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OPENAPI_FILE, renderOpenApi } from '../src/public/openapi-file.js';

writeFileSync(fileURLToPath(new URL(`../${OPENAPI_FILE}`, import.meta.url)), renderOpenApi());
console.log(`wrote ${OPENAPI_FILE}`);
