import type { AlertEventType } from '../../db/schema.js';
import { summarise } from '../payloads.js';
import { json, type HttpContactKind } from './kind.js';
import { urlProblem } from './url-rule.js';

/** A topic URL: the server (ntfy.sh or self-hosted, perhaps under a path) and the topic's name as its last segment. */
const TOPIC_URL = /^(.*\/)([-_A-Za-z0-9]{1,64})$/;

/** ntfy's priorities (1 min … 5 max/urgent) and emoji tags by event: a down rings through do-not-disturb on phones that allow it. */
const BY_EVENT: Record<AlertEventType, { priority: 1 | 2 | 3 | 4 | 5; tags: string[] }> = {
  'monitor.down': { priority: 5, tags: ['rotating_light'] },
  'monitor.up': { priority: 3, tags: ['white_check_mark'] },
  'certificate.expiring': { priority: 4, tags: ['warning'] },
  test: { priority: 3, tags: ['bell'] },
};

function topicOf(target: string): { publishUrl: URL; topic: string } {
  const url = new URL(target);
  const [, base, topic] = TOPIC_URL.exec(url.pathname) ?? [];
  return { publishUrl: new URL(`${url.origin}${base ?? '/'}`), topic: topic ?? '' };
}

/**
 * ntfy (ntfy.sh or a self-hosted server): the target is the topic's URL, the optional secret an
 * access token (`tk_…`, sent as a Bearer token) for a protected topic. Published as JSON to the
 * server's root, the one format that carries a monitor's name whatever its characters (headers
 * are ASCII): `{ topic, title, message, priority, tags, click, actions }`.
 */
export const ntfyKind: HttpContactKind = {
  name: 'ntfy',
  transport: 'http',
  target: 'url',
  secret: 'optional',
  secretLabel: 'access token',
  verifiedByCode: false,
  targetProblem(config, target) {
    const problem = urlProblem(config, target);
    if (problem) return problem;
    const url = new URL(target);
    return TOPIC_URL.test(url.pathname) && !url.search && !url.hash
      ? null
      : 'must be an ntfy topic URL (https://ntfy.sh/your-topic: letters, digits, - and _ after the last /)';
  },
  secretProblem: (token) => (/^tk_[A-Za-z0-9]{10,100}$/.test(token) ? null : 'must be an ntfy access token (tk_…)'),
  requests(event, { appUrl, target, secret }) {
    const s = summarise(event, appUrl);
    const { publishUrl, topic } = topicOf(target);
    const { priority, tags } = BY_EVENT[event.type];
    return [
      json(
        publishUrl,
        {
          topic,
          title: `[Vigil] ${s.title}`,
          message: s.lines.join('\n'),
          priority,
          tags,
          ...(s.link ? { click: s.link, actions: [{ action: 'view', label: 'Open in Vigil', url: s.link }] } : {}),
        },
        secret ? { authorization: `Bearer ${secret}` } : {},
      ),
    ];
  },
};
