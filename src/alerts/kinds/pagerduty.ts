import type { AlertEvent, MonitorRef } from '../payloads.js';
import { publicData, summarise } from '../payloads.js';
import { json, type HttpContactKind, type Outgoing } from './kind.js';
import { hostIn, urlProblem, type ServiceUrlRule } from './url-rule.js';

/** PagerDuty's Events API v2, in its US and EU service regions. */
const EVENTS_API: ServiceUrlRule = {
  hosts: hostIn(['events.pagerduty.com', 'events.eu.pagerduty.com']),
  path: /^\/v2\/enqueue$/,
  refusal: 'must be PagerDuty’s Events API v2 (https://events.pagerduty.com/v2/enqueue, or events.eu.pagerduty.com)',
};

/** PagerDuty's documented limit on `payload.summary`. */
export const SUMMARY_MAX = 1024;

type Severity = 'critical' | 'error' | 'warning' | 'info';
type Trigger = { dedupKey: string; severity: Severity };

/**
 * What an event does to PagerDuty's alert: a down opens one keyed by the incident id and its up
 * resolves that same key, so PagerDuty's incident closes itself; a certificate warning opens one
 * per certificate (each threshold updates it), left for a person to resolve once it is renewed.
 */
function actionOf(event: AlertEvent): { resolve: string } | Trigger {
  const d = event.data;
  const monitor = d.monitor as MonitorRef | undefined;
  switch (event.type) {
    case 'monitor.down':
      return { dedupKey: String(d.incidentId), severity: 'critical' };
    case 'monitor.up':
      return { resolve: String(d.incidentId) };
    case 'certificate.expiring':
      return { dedupKey: `cert:${monitor?.id ?? ''}:${String(d.certExpiresAt)}`, severity: Number(d.daysLeft) <= 1 ? 'error' : 'warning' };
    case 'test':
      return { dedupKey: `test:${event.id}`, severity: 'info' };
  }
}

/** The affected system as PagerDuty asks for it (preferably a hostname): the monitor's host, else its name. */
function sourceOf(monitor: MonitorRef | undefined): string {
  if (!monitor) return 'Vigil';
  try {
    if (monitor.url) return new URL(monitor.url).hostname.replace(/^\[(.*)\]$/, '$1') || monitor.name;
  } catch {
    // an unparsable URL: the name says it
  }
  return monitor.name;
}

/**
 * PagerDuty (Events API v2): the target is the Events API of the account's region and the secret
 * the integration's routing key. `monitor.down` triggers with `dedup_key` = the incident id,
 * `monitor.up` resolves the same key. A test triggers an `info` alert and resolves it at once, so
 * trying a contact pages no one for long.
 */
export const pagerdutyKind: HttpContactKind = {
  name: 'pagerduty',
  transport: 'http',
  target: 'url',
  defaultTarget: 'https://events.pagerduty.com/v2/enqueue',
  secret: 'required',
  secretLabel: 'routing key',
  verifiedByCode: false,
  targetProblem: (config, target) => urlProblem(config, target, EVENTS_API),
  // An Events API v2 integration key: 32 letters and digits.
  secretProblem: (key) => (/^[A-Za-z0-9]{32}$/.test(key) ? null : 'must be an Events API v2 integration key (32 letters and digits)'),
  // {"status":"invalid event","message":"Event object is invalid","errors":["'routing_key' is invalid"]}
  refusalOf: (body) => stringField(body, 'errors') ?? stringField(body, 'message'),
  requests(event, { appUrl, target, secret }) {
    const routing_key = secret ?? '';
    const action = actionOf(event);
    const resolve = (dedup_key: string): Outgoing => json(target, { routing_key, event_action: 'resolve', dedup_key });
    if ('resolve' in action) return [resolve(action.resolve)];
    const s = summarise(event, appUrl);
    const monitor = event.data.monitor as MonitorRef | undefined;
    const trigger = json(target, {
      routing_key,
      event_action: 'trigger',
      dedup_key: action.dedupKey,
      payload: {
        summary: truncate(`[Vigil] ${s.title}`, SUMMARY_MAX),
        source: sourceOf(monitor),
        severity: action.severity,
        timestamp: event.createdAt.toISOString(),
        ...(monitor ? { component: monitor.name, group: monitor.kind ?? 'http' } : {}),
        class: event.type,
        custom_details: { ...publicData(event), summary: s.lines.join('\n') },
      },
      client: 'Vigil',
      ...(s.link ? { client_url: s.link, links: [{ href: s.link, text: 'Open in Vigil' }] } : {}),
    });
    return event.type === 'test' ? [trigger, resolve(action.dedupKey)] : [trigger];
  },
};

/** A string (or list of strings) field of a JSON body, on one line and short; null when absent or not JSON. */
export function stringField(body: string, field: string): string | null {
  try {
    const value = (JSON.parse(body) as Record<string, unknown>)[field];
    const text = Array.isArray(value) ? value.filter((v) => typeof v === 'string').join('; ') : typeof value === 'string' ? value : '';
    const line = text.replace(/\s+/g, ' ').trim();
    return line ? truncate(line, 200) : null;
  } catch {
    return null;
  }
}

/** At most `max` characters (code points, not halves of one), an ellipsis marking the cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
