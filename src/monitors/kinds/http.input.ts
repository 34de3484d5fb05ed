/**
 * What a person enters for an http monitor: a URL fetched with its request settings, its answer
 * judged by status code, keyword and response time. The default kind: a create without `kind` is
 * an http monitor.
 */
import * as z from 'zod';
import * as f from '../fields.js';

/** The http monitor's own fields, as an update takes them. */
export const httpFields = {
  url: f.monitorUrl,
  method: f.method,
  timeoutMs: f.timeoutMs,
  expectedStatusCodes: f.expectedStatusCodes,
  keyword: f.keyword,
  headers: f.requestHeaders,
  body: f.requestBody,
  /** null removes the credentials; omitted keeps them. */
  auth: f.authInput,
  keywordMode: f.keywordMode,
  keywordCaseSensitive: z.boolean(),
  degradedAboveMs: f.degradedAboveMs,
};

export const httpMonitorInput = f.kindInput('http', z.literal('http').default('http'), {
  url: httpFields.url,
  method: httpFields.method.default('GET'),
  timeoutMs: httpFields.timeoutMs.default(f.DEFAULT_TIMEOUT_MS),
  expectedStatusCodes: httpFields.expectedStatusCodes.optional(),
  keyword: httpFields.keyword.optional(),
  headers: httpFields.headers.optional(),
  body: httpFields.body.optional(),
  auth: httpFields.auth.optional(),
  keywordMode: httpFields.keywordMode.default('present'),
  keywordCaseSensitive: httpFields.keywordCaseSensitive.default(false),
  degradedAboveMs: httpFields.degradedAboveMs.optional(),
});
export type HttpMonitorInput = z.infer<typeof httpMonitorInput>;

/** The fields whose change makes the last verdict stale: an edit to one triggers a check. */
export const HTTP_CHECK_AFFECTING = [
  'url', 'method', 'timeoutMs', 'expectedStatusCodes', 'keyword', 'headers', 'body', 'auth', 'keywordMode', 'keywordCaseSensitive',
] as const satisfies readonly (keyof typeof httpFields)[];
