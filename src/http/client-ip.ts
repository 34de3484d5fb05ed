import type { Context } from 'hono';

/** What the Node server (@hono/node-server) and hono/aws-lambda put on `c.env`. */
type TransportEnv = {
  incoming?: { socket?: { remoteAddress?: string } };
  event?: { requestContext?: { http?: { sourceIp?: unknown }; identity?: { sourceIp?: unknown } } };
};

/** Used when neither transport names a peer (app.fetch called directly): one shared bucket. */
export const UNKNOWN_IP = 'unknown';

/**
 * The address the request came from, for throttles and session records. On Lambda it is the
 * address API Gateway saw (`requestContext.http.sourceIp`); locally it is the socket's peer. Never
 * a header: X-Forwarded-For and its kin are whatever the client chose to send.
 */
export function clientIp(c: Context): string {
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
