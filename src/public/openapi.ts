import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { ACCESS_TOKEN_TTL_SECONDS } from '../auth/tokens.js';
import { publicRouter } from './router.js';

/** One entry per bad field (src/public/error-body.ts): the field's name and what is wrong with it. */
const fieldIssue = {
  type: 'object',
  required: ['path', 'message'],
  properties: {
    path: { type: 'string', description: 'The parameter, e.g. limit' },
    message: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const errorBody = {
  type: 'object',
  required: ['message', 'code'],
  properties: {
    message: { type: 'string' },
    code: { type: 'string' },
    issues: { type: 'array', items: fieldIssue },
    retryAfterSeconds: { type: 'integer', description: 'When to try again; the Retry-After header says the same' },
  },
} as const;

const oauthErrorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'string', enum: ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope', 'slow_down'] },
    error_description: { type: 'string' },
  },
} as const;

const rateLimitHeaders = {
  'X-RateLimit-Limit': { description: "Requests per minute the account's plan allows", schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Requests left in the current minute', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'When the window resets, in seconds since the epoch', schema: { type: 'integer' } },
} as const;

/**
 * The partners' contract, generated from the public router: the same procedures that serve
 * /api/v1 describe it, so the document cannot drift from the code (a test compares it with the
 * committed openapi.json).
 */
export function publicOpenApiDocument(baseUrl: string): OpenAPIObject {
  const doc = generateOpenApiDocument(publicRouter, {
    title: 'Vigil public API',
    version: '1.0.0',
    openApiVersion: '3.1.0',
    description:
      'Read-only access to your monitors, their checks and incidents. Authenticate with the OAuth 2.0 ' +
      `client credentials grant at POST /oauth/token; access tokens live ${ACCESS_TOKEN_TTL_SECONDS} s. ` +
      "Requests are rate limited per account by its plan; every response carries X-RateLimit-* headers.",
    baseUrl: `${baseUrl}/api/v1`,
    tags: ['monitors'],
    securitySchemes: {
      oauth2: {
        type: 'oauth2',
        description: 'Client credentials: create a client in the Vigil app, then exchange its id and secret here.',
        flows: { clientCredentials: { tokenUrl: `${baseUrl}/oauth/token`, scopes: { 'monitors:read': 'Read monitors, checks and incidents' } } },
      },
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    },
  });
  // trpc-to-openapi documents issues as { message }; ours name the field too.
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    const issues = name.startsWith('error.') ? (schema as { properties?: { issues?: { items?: unknown } } }).properties?.issues : undefined;
    if (issues) issues.items = fieldIssue;
  }
  for (const item of Object.values(doc.paths ?? {})) {
    const op = item?.get;
    if (!op) continue;
    op.security = [{ oauth2: ['monitors:read'] }, { bearerAuth: [] }];
    const ok = op.responses?.['200'];
    if (ok && !('$ref' in ok)) ok.headers = { ...rateLimitHeaders };
    op.responses = {
      ...op.responses,
      '401': { description: 'Missing, invalid, expired or revoked token (WWW-Authenticate: Bearer)', content: { 'application/json': { schema: { $ref: '#/components/schemas/error.UNAUTHORIZED' } } } },
      '403': { description: 'The token lacks the monitors:read scope', content: { 'application/json': { schema: { $ref: '#/components/schemas/error.FORBIDDEN' } } } },
      '429': {
        description: "Over the plan's requests per minute; retry after Retry-After seconds",
        headers: { 'Retry-After': { schema: { type: 'integer' } } },
        content: { 'application/json': { schema: errorBody } },
      },
    };
  }
  doc.servers = [{ url: `${baseUrl}/api/v1` }];
  doc.paths = {
    ...doc.paths,
    '/oauth/token': {
      servers: [{ url: baseUrl }],
      post: {
        operationId: 'token',
        tags: ['oauth'],
        summary: 'Get an access token (client credentials grant, RFC 6749 §4.4)',
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                required: ['grant_type'],
                properties: {
                  grant_type: { type: 'string', enum: ['client_credentials'] },
                  scope: { type: 'string', enum: ['monitors:read'] },
                  client_id: { type: 'string', description: 'client_secret_post only; prefer HTTP Basic' },
                  client_secret: { type: 'string', description: 'client_secret_post only; prefer HTTP Basic' },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'An access token (RFC 9068 JWT)',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['access_token', 'token_type', 'expires_in', 'scope'],
                  properties: {
                    access_token: { type: 'string' },
                    token_type: { type: 'string', enum: ['Bearer'] },
                    expires_in: { type: 'integer', example: ACCESS_TOKEN_TTL_SECONDS },
                    scope: { type: 'string' },
                  },
                },
              },
            },
          },
          '400': { description: 'invalid_request, unsupported_grant_type or invalid_scope', content: { 'application/json': { schema: oauthErrorBody } } },
          '401': { description: 'invalid_client', content: { 'application/json': { schema: oauthErrorBody } } },
          '429': { description: 'Too many token requests for this client', content: { 'application/json': { schema: oauthErrorBody } } },
        },
      },
    },
  };
  doc.tags = [
    { name: 'monitors', description: 'Monitors, their checks and incidents' },
    { name: 'oauth', description: 'Access tokens' },
  ];
  doc.info.license = { name: 'Proprietary', identifier: 'LicenseRef-Vigil' };
  return doc;
}
