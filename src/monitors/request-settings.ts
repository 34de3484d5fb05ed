/**
 * issue 18: the input pieces of the new monitor settings (HTTP request headers, body and auth,
 * keyword modes, degraded threshold, tags, tcp target, heartbeat grace).
 */
import * as z from 'zod';

export const MAX_HEADERS = 20;
export const MAX_BODY_BYTES = 8 * 1024;
export const MAX_TAGS = 10;

/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection, not to the monitor; Host is ours to set. */
const REFUSED_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

export const requestHeaders = z
  .record(z.string(), z.string().max(1024, 'header values must be at most 1024 characters'))
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_HEADERS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_HEADERS} headers` });
    const seen = new Set<string>();
    for (const name of names) {
      const lower = name.toLowerCase();
      if (!TOKEN.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'is not a valid header name' });
      else if (REFUSED_HEADERS.has(lower)) ctx.addIssue({ code: 'custom', path: [name], message: `${name} is set by Vigil and cannot be overridden` });
      else if (lower === 'authorization') ctx.addIssue({ code: 'custom', path: [name], message: 'use auth (stored encrypted) instead of an Authorization header' });
      else if (seen.has(lower)) ctx.addIssue({ code: 'custom', path: [name], message: 'is listed twice' });
      if (/[\r\n\0]/.test(headers[name]!)) ctx.addIssue({ code: 'custom', path: [name], message: 'must not contain line breaks' });
      seen.add(lower);
    }
  })
  .meta({ description: `Extra request headers, at most ${MAX_HEADERS}; hop-by-hop headers, Host and Authorization are refused` });

export const requestBody = z
  .string()
  .refine((b) => Buffer.byteLength(b, 'utf8') <= MAX_BODY_BYTES, `must be at most ${MAX_BODY_BYTES} bytes`)
  .nullable()
  .meta({ description: 'Request body, sent with POST only (8 KiB at most)' });

export const authInput = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('basic'), username: z.string().min(1).max(200), password: z.string().max(500) }),
    z.strictObject({ type: z.literal('bearer'), token: z.string().min(1).max(4096) }),
  ])
  .nullable()
  .meta({ description: 'Credentials for the target, stored encrypted and never returned (only { type, set: true })' });
export type AuthInput = z.infer<typeof authInput>;

export const tags = z
  .array(
    z
      .string()
      .trim()
      .min(1, 'tags must not be empty')
      .max(32, 'tags must be at most 32 characters')
      .transform((t) => t.toLowerCase()),
  )
  .max(MAX_TAGS, `at most ${MAX_TAGS} tags`)
  .transform((list) => [...new Set(list)]);

export const tcpHost = z
  .string()
  .trim()
  .min(1, 'host is required')
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a hostname or an IP address');
export const tcpPort = z.number().int().min(1).max(65_535);

export const degradedAboveMs = z.number().int().min(1).max(30_000).nullable();
export const graceSeconds = z.number().int().min(0).max(86_400);
export const keywordMode = z.enum(['present', 'absent']);
