/**
 * SSRF guard for every request to a target a user named (probes, alert webhooks, Slack, Discord):
 * decides which addresses it may connect to.
 *
 * Policy: an address is allowed only when it is ordinary public unicast — ipaddr.js range
 * 'unicast' for IPv4, and 'unicast' inside global unicast 2000::/3 for IPv6. Everything else
 * (loopback, RFC 1918, link-local and the cloud metadata address, CGNAT, multicast, broadcast,
 * unique-local, documentation/reserved blocks, …) is refused. IPv6 forms that carry an IPv4
 * address (mapped, compatible, SIIT, NAT64 64:ff9b::/96, 6to4) are unwrapped and judged by the
 * embedded IPv4 address. Anything that is not a canonical IP literal is refused (fail closed).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a hostname to all of its addresses (IP literals as strings). Injectable for tests. */
export type HostResolver = (hostname: string) => Promise<string[]>;

/**
 * Seams for tests. Production callers pass nothing: real DNS and `isForbiddenAddress`.
 * `isForbidden` only matters when allowPrivate is false.
 */
export type GuardDeps = {
  resolve?: HostResolver;
  isForbidden?: (ip: string) => boolean;
};

export type HostCheck = { ok: true; addresses: string[] } | { ok: false; reason: string };

export const defaultResolver: HostResolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => a.address);
};

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

function v4FromParts(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

function forbiddenV4(addr: ipaddr.IPv4): boolean {
  return addr.range() !== 'unicast';
}

/**
 * The IPv4 address an IPv6 form carries, if any: ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (SIIT),
 * ::a.b.c.d (deprecated compatible, which also covers :: and ::1), the NAT64 well-known prefix
 * (DNS64 answers with these on IPv6-only networks) and 6to4 (2002:AABB:CCDD::/48).
 */
function embeddedV4(addr: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = addr.parts;
  const range = addr.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145') return v4FromParts(p[6]!, p[7]!);
  if (p.slice(0, 6).every((x) => x === 0)) return v4FromParts(p[6]!, p[7]!);
  if (addr.match(NAT64_WELL_KNOWN)) return v4FromParts(p[6]!, p[7]!);
  if (range === '6to4') return v4FromParts(p[1]!, p[2]!);
  return null;
}

function forbiddenV6(addr: ipaddr.IPv6): boolean {
  const v4 = embeddedV4(addr);
  if (v4) return forbiddenV4(v4);
  return addr.range() !== 'unicast' || !addr.match(GLOBAL_UNICAST_V6);
}

/** AWS's IPv6 instance metadata endpoint (the IPv4 one, 169.254.169.254, is link-local). */
const METADATA_V6 = ipaddr.IPv6.parse('fd00:ec2::254').toNormalizedString();

/** An address as written, without the brackets or the zone id that IPv6 may carry. */
function bareAddress(ip: string): string {
  let text = ip.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  return zone === -1 ? text : text.slice(0, zone);
}

/**
 * Refused even with ALLOW_PRIVATE_TARGETS, which opens only private and loopback ranges:
 * link-local (169.254.0.0/16, fe80::/10), where cloud metadata and credentials live, and the IPv6
 * metadata address, in every IPv6 form that carries them. Unparsable is refused (fail closed).
 */
export function isAlwaysForbidden(ip: string): boolean {
  const text = bareAddress(ip);
  try {
    const kind = isIP(text);
    if (kind === 4) return ipaddr.IPv4.parse(text).range() === 'linkLocal';
    if (kind === 6) {
      const addr = ipaddr.IPv6.parse(text);
      const v4 = embeddedV4(addr);
      if (v4) return v4.range() === 'linkLocal';
      return addr.range() === 'linkLocal' || addr.toNormalizedString() === METADATA_V6;
    }
  } catch {
    // fall through: unparsable means forbidden
  }
  return true;
}

/**
 * True when a probe must not connect to `ip`. Accepts canonical IPv4 dotted quads and IPv6
 * (with or without brackets / zone id); every other string — including odd IPv4 spellings such
 * as "0x7f000001", "2130706433", "127.1" or "017700000001" — counts as forbidden.
 */
export function isForbiddenAddress(ip: string): boolean {
  const text = bareAddress(ip);
  try {
    const kind = isIP(text);
    if (kind === 4) return forbiddenV4(ipaddr.IPv4.parse(text));
    if (kind === 6) return forbiddenV6(ipaddr.IPv6.parse(text));
  } catch {
    // fall through: unparsable means forbidden
  }
  return true;
}

function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * WHATWG URL treats a host whose last label is a number (decimal, octal, hex) as an IPv4
 * address. `new URL()` normalises those to dotted quads, but a raw hostname passed here might
 * not have been through it, and getaddrinfo may interpret it (inet_aton), so refuse it outright.
 */
function looksLikeOddIPv4(host: string): boolean {
  const labels = host.split('.').filter((l) => l !== '');
  const last = labels[labels.length - 1];
  return last !== undefined && /^(?:0x[0-9a-f]*|\d+)$/i.test(last);
}

function normaliseHost(hostname: string): string {
  let host = hostname.trim().toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.endsWith('.') && isIP(host) === 0) host = host.slice(0, -1);
  return host;
}

/**
 * Resolves `hostname` (all addresses) and refuses it when ANY address is forbidden, unless
 * `allowPrivate`. IP literals are checked without DNS; "localhost" and "*.localhost" are refused
 * without DNS. On success returns the addresses that were checked — connect only to those.
 */
export async function checkHostAllowed(
  hostname: string,
  allowPrivate: boolean,
  deps: GuardDeps = {},
): Promise<HostCheck> {
  const resolve = deps.resolve ?? defaultResolver;
  const forbidden = deps.isForbidden ?? isForbiddenAddress;
  const host = normaliseHost(hostname);
  if (host === '') return { ok: false, reason: 'DNS lookup failed' };

  if (isIP(host) !== 0) {
    if (allowPrivate && isAlwaysForbidden(host)) return { ok: false, reason: `blocked: link-local or metadata address ${host}` };
    if (!allowPrivate && forbidden(host)) return { ok: false, reason: `blocked: private address ${host}` };
    return { ok: true, addresses: [host] };
  }
  if (!allowPrivate) {
    if (isLocalhostName(host)) return { ok: false, reason: `blocked: private address ${host}` };
    if (looksLikeOddIPv4(host)) return { ok: false, reason: `blocked: unusual address ${host}` };
  }

  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return { ok: false, reason: 'DNS lookup failed' };
  }
  if (addresses.length === 0) return { ok: false, reason: 'DNS lookup failed' };
  // Without the flag the check below refuses these too (as private); with it, only they are refused.
  const metadata = allowPrivate ? addresses.find((a) => isAlwaysForbidden(a)) : undefined;
  if (metadata !== undefined) return { ok: false, reason: `blocked: link-local or metadata address ${metadata}` };
  if (!allowPrivate) {
    const bad = addresses.find((a) => forbidden(a));
    if (bad !== undefined) return { ok: false, reason: `blocked: private address ${bad}` };
  }
  return { ok: true, addresses };
}

/** The setting that lets a deployment monitor private and loopback addresses (src/config.ts). */
export const PRIVATE_TARGETS_SETTING = 'ALLOW_PRIVATE_TARGETS';

const PRIVATE_REFUSAL = /^blocked: (?:private|unusual) address /;

/**
 * A check's failure reason, naming the setting that allows private addresses when `namesSetting`
 * (locally; never on Lambda or in production): a monitor created with the setting and run without
 * it reads `blocked: private address 127.0.0.1; set ALLOW_PRIVATE_TARGETS=true to monitor private
 * addresses`, and its alert says the same. Any other reason is returned as it is.
 */
export function withPrivateTargetsHint(reason: string, namesSetting: boolean): string {
  return namesSetting && PRIVATE_REFUSAL.test(reason) ? `${reason}; ${privateTargetsFix(true)}` : reason;
}

/** What a person can do about a refused private address: locally, the setting; deployed, nothing. */
const privateTargetsFix = (namesSetting: boolean) =>
  namesSetting ? `set ${PRIVATE_TARGETS_SETTING}=true to monitor private addresses` : 'only public addresses can be monitored';

/**
 * Why a monitor may not target this (already parsed) URL, as a message about the url field, or null
 * when it may. A hostname that does not resolve (yet) is accepted: DNS may be set up later, and the
 * probe checks again on every run anyway. `namesSetting`: see withPrivateTargetsHint.
 */
export async function targetUrlProblem(url: URL, allowPrivate: boolean, deps: GuardDeps = {}, namesSetting = false): Promise<string | null> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must start with http:// or https://';
  // With ALLOW_PRIVATE_TARGETS, link-local and metadata addresses are still refused (isAlwaysForbidden).
  const check = await checkHostAllowed(url.hostname, allowPrivate, deps);
  if (check.ok || check.reason === 'DNS lookup failed') return null;
  if (check.reason.startsWith('blocked: link-local')) {
    return `points to a link-local or cloud metadata address (${check.reason.replace(/^blocked: link-local or metadata address /, '')}); it can never be monitored`;
  }
  const what = check.reason.replace(PRIVATE_REFUSAL, '');
  return `points to a private or loopback address (${what}); ${privateTargetsFix(namesSetting)}`;
}

/** The same refusal for a tcp monitor's host. */
export const privateHostProblem = (namesSetting: boolean) => `host points to a private or loopback address; ${privateTargetsFix(namesSetting)}`;
