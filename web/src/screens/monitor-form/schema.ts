/**
 * The one place the monitor form imports the server's own input schemas (src/monitors/schemas.ts):
 * the form checks what it sends with exactly what the server checks it with, and reads the
 * choices it offers (methods, keyword modes) and the API's defaults from them.
 */
import { createMonitorInput, httpMonitorInput, updateInputOf, type CreateMonitorInput } from '../../../../src/monitors/schemas';
import { DEFAULT_TIMEOUT_MS } from '../../../../src/monitors/fields';
import { MAX_INTERVAL_SECONDS } from '../../../../src/domain/plans';
import { DEFAULT_GRACE_SECONDS } from '../../../../src/monitors/kinds/heartbeat.input';

export { createMonitorInput, updateInputOf, DEFAULT_GRACE_SECONDS, DEFAULT_TIMEOUT_MS, MAX_INTERVAL_SECONDS };

export type Kind = CreateMonitorInput['kind'];
export const METHODS = httpMonitorInput.shape.method.unwrap().options;
export const KEYWORD_MODES = httpMonitorInput.shape.keywordMode.unwrap().options;
