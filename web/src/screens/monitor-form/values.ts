import type { Path } from 'react-hook-form';
import type { api } from '../../api/client';
import { fieldAt } from '../../forms/field-paths';
import { DEFAULT_GRACE_SECONDS, DEFAULT_TIMEOUT_MS, KEYWORD_MODES, METHODS, type Kind } from './schema';

/** A monitor's settings as the API returns them (monitors.get and monitors.update both do). */
export type SavedMonitor = Omit<Awaited<ReturnType<typeof api.monitors.update.mutate>>, 'credentialsCleared'>;
export type Method = (typeof METHODS)[number];
export type KeywordMode = (typeof KEYWORD_MODES)[number];

/**
 * What the person chose for the target's credentials. A stored credential is never shown: on edit
 * it is kept unless the person replaces it (basic, bearer) or removes it (none).
 */
export type Credential = 'keep' | 'none' | 'basic' | 'bearer';

/** The form's values: text as typed (numbers too), header rows, tags as one line. */
export type MonitorFormValues = {
  kind: Kind;
  name: string;
  intervalSeconds: string;
  paused: boolean;
  tags: string;
  alertContactIds: string[];
  /** Seconds, as the select holds them; remindEverySeconds '' is never. */
  alertAfterSeconds: string;
  remindEverySeconds: string;
  url: string;
  method: Method;
  headers: { name: string; value: string }[];
  body: string;
  credential: Credential;
  username: string;
  password: string;
  token: string;
  expectedStatusCodes: string;
  keyword: string;
  keywordMode: KeywordMode;
  keywordCaseSensitive: boolean;
  degradedAboveMs: string;
  timeoutMs: string;
  host: string;
  port: string;
  graceSeconds: string;
  /** Every region it is checked from, home included. */
  regions: string[];
  /** '' is a majority of its regions. */
  failureQuorum: string;
};

/** A new monitor's form: the plan's shortest interval and every contact, as the API's own defaults. */
export function blankValues(minIntervalSeconds: number, contactIds: string[], home: string): MonitorFormValues {
  return {
    kind: 'http',
    name: '',
    intervalSeconds: String(minIntervalSeconds),
    paused: false,
    tags: '',
    alertContactIds: contactIds,
    alertAfterSeconds: '0',
    remindEverySeconds: '',
    url: '',
    method: 'GET',
    headers: [],
    body: '',
    credential: 'none',
    username: '',
    password: '',
    token: '',
    expectedStatusCodes: '',
    keyword: '',
    keywordMode: 'present',
    keywordCaseSensitive: false,
    degradedAboveMs: '',
    timeoutMs: String(DEFAULT_TIMEOUT_MS),
    host: '',
    port: '',
    graceSeconds: String(DEFAULT_GRACE_SECONDS),
    regions: [home],
    failureQuorum: '',
  };
}

/** A saved monitor's form. Its credential stays on the server: the form only knows one is set. */
export function savedValues(m: SavedMonitor, home: string): MonitorFormValues {
  const text = (n: number | null) => (n === null ? '' : String(n));
  return {
    kind: m.kind,
    name: m.name,
    intervalSeconds: String(m.intervalSeconds),
    paused: m.paused,
    tags: m.tags.join(', '),
    alertContactIds: m.alertContactIds,
    alertAfterSeconds: String(m.alertAfterSeconds),
    remindEverySeconds: text(m.remindEverySeconds),
    url: m.url ?? '',
    method: m.method,
    headers: Object.entries(m.headers).map(([name, value]) => ({ name, value })),
    body: m.body ?? '',
    credential: m.auth ? 'keep' : 'none',
    username: '',
    password: '',
    token: '',
    expectedStatusCodes: m.expectedStatusCodes,
    keyword: m.keyword ?? '',
    keywordMode: m.keywordMode,
    keywordCaseSensitive: m.keywordCaseSensitive,
    degradedAboveMs: text(m.degradedAboveMs),
    timeoutMs: String(m.timeoutMs),
    host: m.host ?? '',
    port: text(m.port),
    graceSeconds: text(m.graceSeconds ?? DEFAULT_GRACE_SECONDS),
    regions: m.regions ?? [home],
    failureQuorum: text(m.failureQuorum),
  };
}

/** '' is "not given" (the schema then names a required field); anything else is read as typed. */
const numberOr = <E>(text: string, empty: E): number | E => (text.trim() === '' ? empty : Number(text));
const optionalText = <E>(text: string, empty: E): string | E => (text.trim() === '' ? empty : text);

function headersOf(rows: MonitorFormValues['headers']): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => r.name.trim() !== '' || r.value !== '').map((r) => [r.name.trim(), r.value]));
}

function authOf(v: MonitorFormValues) {
  if (v.credential === 'keep') return undefined;
  if (v.credential === 'none') return null;
  return v.credential === 'basic' ? { type: 'basic' as const, username: v.username, password: v.password } : { type: 'bearer' as const, token: v.token };
}

/**
 * Every setting of the values' kind as the API takes it. `cleared` is what an emptied optional
 * field means: omitted on create (the API's default), null on edit (remove it).
 */
function settingsOf(v: MonitorFormValues, cleared: null | undefined) {
  const common = {
    name: v.name,
    intervalSeconds: numberOr(v.intervalSeconds, undefined),
    paused: v.paused,
    tags: v.tags.split(',').map((t) => t.trim()).filter((t) => t !== ''),
    alertContactIds: v.alertContactIds,
    alertAfterSeconds: numberOr(v.alertAfterSeconds, undefined),
    remindEverySeconds: numberOr(v.remindEverySeconds, null),
  };
  // A heartbeat is pinged, not probed: it has the home region only.
  const regions = { regions: v.regions, failureQuorum: numberOr(v.failureQuorum, cleared) };
  switch (v.kind) {
    case 'http':
      return {
        kind: v.kind,
        ...common,
        url: v.url,
        method: v.method,
        headers: headersOf(v.headers),
        body: v.method === 'POST' ? optionalText(v.body, cleared) : undefined,
        auth: authOf(v),
        expectedStatusCodes: optionalText(v.expectedStatusCodes, undefined),
        keyword: optionalText(v.keyword, cleared),
        keywordMode: v.keywordMode,
        keywordCaseSensitive: v.keywordCaseSensitive,
        degradedAboveMs: numberOr(v.degradedAboveMs, cleared),
        timeoutMs: numberOr(v.timeoutMs, undefined),
        ...regions,
      };
    case 'tcp':
      return { kind: v.kind, ...common, host: v.host, port: numberOr(v.port, undefined), timeoutMs: numberOr(v.timeoutMs, undefined), ...regions };
    case 'heartbeat':
      return { kind: v.kind, ...common, graceSeconds: numberOr(v.graceSeconds, undefined) };
  }
}

const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined));

/** monitors.create's input: what the person set, the API's defaults for the rest. */
export function toCreateInput(v: MonitorFormValues) {
  const input = defined(settingsOf(v, undefined));
  // No header rows or no auth on create is simply none.
  if (v.kind === 'http' && Object.keys(headersOf(v.headers)).length === 0) delete input.headers;
  if (input.auth === null) delete input.auth;
  return input;
}

/**
 * monitors.update's input: only what the person changed from `saved` (an unchanged setting is
 * omitted and kept, so an edit of the name does not re-check the target).
 */
export function toUpdateInput(id: string, v: MonitorFormValues, saved: MonitorFormValues) {
  const before = settingsOf(saved, null) as Record<string, unknown>;
  const changed = Object.entries(settingsOf(v, null)).filter(([key, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(before[key]));
  return { id, ...Object.fromEntries(changed) };
}

/** The schema's words for a header's value (its length, a line break); any other header problem is its name's. */
const VALUE_PROBLEM = /values|line break/;

/**
 * Where the form shows an error the API names by its input path: `headers.X-Api-Key` beside that
 * header's row, `auth.password` beside the password, `tags.2` beside the tags line.
 */
export function fieldOf(path: string, v: MonitorFormValues, message = ''): Path<MonitorFormValues> | undefined {
  const [head = '', ...rest] = path.split('.');
  const tail = rest.join('.');
  if (head === 'headers' && tail !== '') {
    const row = /^\d+(\.(name|value))?$/.test(tail) ? Number(rest[0]) : v.headers.findIndex((h) => h.name.trim() === tail);
    if (row < 0 || row >= v.headers.length) return 'headers';
    return `headers.${row}.${rest[1] === 'value' || VALUE_PROBLEM.test(message) ? 'value' : 'name'}`;
  }
  if (head === 'auth') return tail === 'username' || tail === 'password' || tail === 'token' ? tail : 'credential';
  return fieldAt(path, v);
}
