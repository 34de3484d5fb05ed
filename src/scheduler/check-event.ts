import * as z from 'zod/mini';

const CheckEventSchema = z.object({
  monitorId: z.string().check(z.minLength(1), z.maxLength(64)),
  // Absent on schedules written before the checker read it; such a run counts as on time.
  scheduledAt: z.optional(z.iso.datetime()),
});

/** The checker's event (`CheckEvent`), validated; null when it is not one. `dueAt` in ms. */
export function parseCheckEvent(event: unknown): { monitorId: string; dueAt: number | undefined } | null {
  const parsed = CheckEventSchema.safeParse(event);
  if (!parsed.success) return null;
  const { monitorId, scheduledAt } = parsed.data;
  return { monitorId, dueAt: scheduledAt === undefined ? undefined : Date.parse(scheduledAt) };
}
