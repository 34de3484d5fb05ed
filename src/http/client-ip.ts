import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import type { TrustedProxyHeader } from '../config.js';

/** What the Node server (@hono/node-server) and hono/aws-lambda put on `c.env`. */
type TransportEnv = {
  incoming?: { socket?: { remoteAddress?: string } };
  event?: { requestContext?: { http?: { sourceIp?: unknown }; identity?: { sourceIp?: unknown } } };
};

/** Used when neither transport names a peer (app.fetch called directly): one shared bucket. */
export const UNKNOWN_IP = 'unknown';

/** Where trustProxyHeader leaves the trusted header's name for clientIp. */
const TRUSTED_HEADER_KEY = 'trustedClientIpHeader';

/**
 * Behind a reverse proxy every request's peer is the proxy: with TRUST_PROXY set, the one header
 * it names carries the client's address instead. Off by default: a header is whatever the client
 * chose to send unless a proxy in front overwrites it (or, for X-Forwarded-For, appends to it).
 */
export function trustProxyHeader(header: TrustedProxyHeader | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (header) c.set(TRUSTED_HEADER_KEY, header);
    await next();
  };
}

/**
 * The trusted header's address: X-Forwarded-For's last entry (the one our proxy appended; those
 * before it are the client's own claims), the others' whole value; undefined unless an IP address.
 */
export function addressFromHeader(header: TrustedProxyHeader, value: string | undefined): string | undefined {
  const raw = header === 'x-forwarded-for' ? value?.split(',').pop() : value;
  const ip = raw?.trim();
  return ip && isIP(ip) ? ip : undefined;
}

/**
 * The address the request came from, for throttles and session records. On Lambda it is the
 * address API Gateway saw (`requestContext.http.sourceIp`); locally it is the socket's peer, or
 * behind a reverse proxy the header TRUST_PROXY names (see trustProxyHeader). No other header:
 * X-Forwarded-For and its kin are whatever the client chose to send.
 */
export function clientIp(c: Context): string {
  const trusted = c.get(TRUSTED_HEADER_KEY) as TrustedProxyHeader | undefined;
  const fromProxy = trusted ? addressFromHeader(trusted, c.req.header(trusted)) : undefined;
  if (fromProxy) return normalizeIp(fromProxy);
  const env = (c.env ?? {}) as TransportEnv;
  const ctx = env.event?.requestContext;
  const fromGateway = ctx?.http?.sourceIp ?? ctx?.identity?.sourceIp;
  if (typeof fromGateway === 'string' && fromGateway) return normalizeIp(fromGateway);
  const fromSocket = env.incoming?.socket?.remoteAddress;
  if (fromSocket) return normalizeIp(fromSocket);
  return UNKNOWN_IP;
}

/** "::ffff:127.0.0.2" (an IPv4 peer on a dual-stack socket) is 127.0.0.2: one address, one counter. */
export function normalizeIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return (mapped ? mapped[1]! : ip).toLowerCase();
}
