import type { PlanName } from '../db/schema.js';
import { effectiveIntervalSeconds } from '../domain/plans.js';
import type { MonitorOutput } from './schemas.js';
import { statusOf, type MonitorRow } from './service.js';
import { settingsView } from './settings.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toMonitorOutput(m: MonitorRow, plan: PlanName): MonitorOutput {
  return {
    id: m.id,
    name: m.name,
    method: m.method,
    intervalSeconds: m.intervalSeconds,
    effectiveIntervalSeconds: effectiveIntervalSeconds(m.intervalSeconds, plan),
    timeoutMs: m.timeoutMs,
    expectedStatusCodes: m.expectedStatusCodes,
    keyword: m.keyword,
    paused: m.paused,
    status: statusOf(m),
    statusSince: iso(m.statusSince),
    lastCheckedAt: iso(m.lastCheckedAt),
    lastStatusCode: m.lastStatusCode,
    lastResponseTimeMs: m.lastResponseTimeMs,
    lastReason: m.lastReason,
    certExpiresAt: iso(m.certExpiresAt),
    createdAt: m.createdAt.toISOString(),
    ...settingsView(m),
  };
}
