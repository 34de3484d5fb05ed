import { PRODUCTION_BASE_URL } from './docs.js';
import { publicOpenApiDocument } from './openapi.js';

export { PRODUCTION_BASE_URL };

export const OPENAPI_FILE = 'openapi.json';


/** The committed document, byte for byte: stable key order, two-space indent, trailing newline. */
export function renderOpenApi(): string {
  return `${JSON.stringify(publicOpenApiDocument(PRODUCTION_BASE_URL), null, 2)}\n`;
}
