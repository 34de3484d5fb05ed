/**
 * One probe as data: what the home checker hands a probe in another region (a `probe` Lambda on
 * AWS, an in-process probe locally), and the one function that runs it wherever it lands. Everything
 * the probe needs travels in the request (the opened Authorization value included), so a probe holds
 * no database access and no secret; the request is never logged.
 */
import * as z from 'zod/mini';
import { probe, type ProbeTarget } from './http.js';
import type { ProbeOptions, ProbeResult } from './result.js';
import { probeTcp, type TcpTarget } from './tcp.js';

export type ProbeRequest =
  | { kind: 'http'; target: ProbeTarget; degradedAboveMs: number | null }
  | { kind: 'tcp'; target: TcpTarget };

/** Runs one probe request here: the same SSRF-guarded probes the home checker runs. */
export async function runProbeRequest(request: ProbeRequest, opts: ProbeOptions): Promise<ProbeResult> {
  if (request.kind === 'tcp') return probeTcp(request.target, opts);
  const result = await probe(request.target, opts);
  // Slow but answering is up, shown as degraded: never an incident.
  const slow = result.ok && request.degradedAboveMs !== null && result.responseTimeMs > request.degradedAboveMs;
  return slow ? { ...result, degraded: true } : result;
}

const timeoutMs = z.number().check(z.int(), z.gte(1000), z.lte(30_000));

/** A probe request as it arrives at a probe (the `probe` Lambda's event): checked field by field, unknown fields refused. */
export const probeRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('http'),
    degradedAboveMs: z.nullable(z.number().check(z.int(), z.gte(1))),
    target: z.strictObject({
      url: z.string().check(z.maxLength(2048)),
      method: z.enum(['GET', 'HEAD', 'POST']),
      timeoutMs,
      expectedStatusCodes: z.string().check(z.maxLength(200)),
      keyword: z.nullable(z.string().check(z.maxLength(200))),
      keywordMode: z.optional(z.enum(['present', 'absent'])),
      keywordCaseSensitive: z.optional(z.boolean()),
      headers: z.optional(z.record(z.string(), z.string().check(z.maxLength(1024)))),
      authorization: z.optional(z.nullable(z.string().check(z.maxLength(8192)))),
      body: z.optional(z.nullable(z.string().check(z.maxLength(8192)))),
    }),
  }),
  z.strictObject({
    kind: z.literal('tcp'),
    target: z.strictObject({ host: z.string().check(z.maxLength(253)), port: z.number().check(z.int(), z.gte(1), z.lte(65_535)), timeoutMs }),
  }),
]);

/** A probe's answer on the wire (a Date does not survive JSON). */
export type WireProbeResult = Omit<ProbeResult, 'certExpiresAt' | 'regions'> & { certExpiresAt: string | null };

export const toWireResult = (r: ProbeResult): WireProbeResult => ({
  ok: r.ok,
  statusCode: r.statusCode,
  responseTimeMs: r.responseTimeMs,
  reason: r.reason,
  certExpiresAt: r.certExpiresAt?.toISOString() ?? null,
  ...(r.degraded ? { degraded: true } : {}),
});

const wireResultSchema = z.object({
  ok: z.boolean(),
  statusCode: z.nullable(z.number()),
  responseTimeMs: z.number(),
  reason: z.nullable(z.string().check(z.maxLength(500))),
  certExpiresAt: z.nullable(z.string()),
  degraded: z.optional(z.boolean()),
});

/** A probe's answer read back, or null when it is not one (a region that answers nonsense is not heard). */
export function fromWireResult(value: unknown): ProbeResult | null {
  const parsed = wireResultSchema.safeParse(value);
  if (!parsed.success) return null;
  const r = parsed.data;
  const cert = r.certExpiresAt === null ? null : new Date(r.certExpiresAt);
  return {
    ok: r.ok,
    statusCode: r.statusCode,
    responseTimeMs: Math.max(0, Math.round(r.responseTimeMs)),
    reason: r.reason,
    certExpiresAt: cert && !Number.isNaN(cert.getTime()) ? cert : null,
    ...(r.degraded ? { degraded: true } : {}),
  };
}
