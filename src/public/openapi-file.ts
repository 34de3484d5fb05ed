import { publicOpenApiDocument } from './openapi.js';

export const OPENAPI_FILE = 'openapi.json';

/** The production address partners call; the served copy at /api/v1/openapi.json uses PUBLIC_BASE_URL. */
export const PRODUCTION_BASE_URL = 'https://api.vigil.example';

/** The committed document, byte for byte: stable key order, two-space indent, trailing newline. */
export function renderOpenApi(): string {
  return `${JSON.stringify(publicOpenApiDocument(PRODUCTION_BASE_URL), null, 2)}\n`;
}
