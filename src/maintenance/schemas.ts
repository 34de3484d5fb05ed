import * as z from 'zod';
import { idInput } from '../domain/id-input.js';
import { isValidTimeZone } from './schedule.js';

export const maintenanceId = idInput('mnt', 'maintenance window');
/** The same rule as monitors/schemas.ts's monitorId, built here so maintenance/ imports nothing of monitors/ (no folder loop). */
const monitorId = idInput('mon', 'monitor');

const common = {
  name: z.string().trim().min(1, 'name is required').max(100, 'name must be at most 100 characters').default('Maintenance'),
  monitorIds: z
    .union([z.literal('all'), z.array(monitorId).min(1, 'list at least one monitor, or say "all"').max(100)])
    .meta({ description: '"all" for every monitor of the account (present and future), or a list of monitor ids' }),
};

/** A one-off window: [startsAt, endsAt). */
const onceInput = z
  .strictObject({ ...common, startsAt: z.iso.datetime({ offset: true }), endsAt: z.iso.datetime({ offset: true }) })
  .refine((w) => Date.parse(w.endsAt) > Date.parse(w.startsAt), { message: 'must be after startsAt', path: ['endsAt'] });

/** A weekly window: every `weekday` at `startTime` for `durationMinutes`, in the IANA `timeZone`. */
const weeklyInput = z.strictObject({
  ...common,
  weekday: z.number().int().min(0).max(6).meta({ description: '0 = Sunday … 6 = Saturday' }),
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)'),
  durationMinutes: z.number().int().min(1).max(7 * 24 * 60, 'must be at most a week (10080)'),
  timeZone: z.string().max(64).refine(isValidTimeZone, 'must be an IANA time zone, e.g. Europe/Paris'),
});

export const maintenanceInput = z.union([onceInput, weeklyInput]);
export type MaintenanceInput = z.infer<typeof maintenanceInput>;

export const maintenanceOutput = z
  .object({
    id: z.string(),
    name: z.string(),
    monitorIds: z.union([z.literal('all'), z.array(z.string())]),
    kind: z.enum(['once', 'weekly']),
    startsAt: z.iso.datetime().nullable(),
    endsAt: z.iso.datetime().nullable(),
    weekday: z.number().int().nullable(),
    startTime: z.string().nullable(),
    durationMinutes: z.number().int().nullable(),
    timeZone: z.string().nullable(),
    /** Whether the window is in force right now. */
    activeNow: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'MaintenanceWindow' });
export type MaintenanceOutput = z.infer<typeof maintenanceOutput>;
