/**
 * Writes the /internal procedure reference into docs/API.md from the router. The committed text is
 * the reference; test/docs/api-reference.test.ts fails when it differs from what the code generates.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { API_DOCS_FILE, renderProcedureReference, withReference } from '../src/internal/procedure-reference.js';

const file = fileURLToPath(new URL(`../${API_DOCS_FILE}`, import.meta.url));
writeFileSync(file, withReference(readFileSync(file, 'utf8'), renderProcedureReference()));
console.log(`wrote the procedure reference in ${API_DOCS_FILE}`);
