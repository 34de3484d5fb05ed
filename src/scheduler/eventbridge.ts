import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { mapBounded } from './bounded.js';
import { SchedulerUnavailable, type CheckEvent, type ScheduleSpec, type Scheduler } from './port.js';
import { shardPhaseMs, shardScheduleName, TICK_MS, type ShardSchedules, type TickEvent } from './shards.js';

export type EventBridgeSettings = {
  group: string;
  checkerArn: string;
  roleArn: string;
  /** Where EventBridge puts invocations that failed after their retries. */
  deadLetterArn?: string | undefined;
};

/**
 * The checker's event as the schedule sends it: Scheduler puts each run's scheduled time in place of
 * the context attribute, so the checker can tell a run that waited in Lambda's queue.
 */
export const scheduleInput = (monitorId: string): string =>
  JSON.stringify({ monitorId, scheduledAt: '<aws.scheduler.scheduled-time>' } satisfies CheckEvent);

/** Schedule names are the monitor ids (`mon_…`: within the 64 characters and alphabet AWS allows). */
export const scheduleName = (monitorId: string) => monitorId;

const RATE = /^rate\((\d+) minutes?\)$/;

/** GetSchedule calls in flight while listing: well inside the API's rate quota, 16× faster than one by one. */
const GET_CONCURRENCY = 16;

export function rateExpression(intervalSeconds: number): string {
  const minutes = Math.max(1, Math.round(intervalSeconds / 60));
  return `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}

/**
 * One EventBridge Scheduler schedule per monitor, invoking the checker Lambda with
 * `{"monitorId": "mon_…"}`. Any AWS failure surfaces as SchedulerUnavailable, so callers can keep
 * the database and the schedules consistent and answer 503.
 */
export class EventBridgeScheduler implements Scheduler {
  /**
   * `invokeChecker` runs the first check of a new monitor; it is passed in so that only the
   * function that creates monitors (the internal API) bundles the Lambda client.
   */
  constructor(
    private readonly client: SchedulerClient,
    private readonly settings: EventBridgeSettings,
    private readonly invokeChecker: (event: CheckEvent) => Promise<void>,
  ) {}

  async create(spec: ScheduleSpec): Promise<void> {
    try {
      await this.client.send(new CreateScheduleCommand(this.input(spec)));
    } catch (error) {
      if (errorName(error) === 'ConflictException') return this.update(spec);
      throw schedulerUnavailable('create', error);
    }
  }

  async update(spec: ScheduleSpec): Promise<void> {
    try {
      await this.client.send(new UpdateScheduleCommand(this.input(spec)));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return this.create(spec);
      throw schedulerUnavailable('update', error);
    }
  }

  async remove(monitorId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({ Name: scheduleName(monitorId), GroupName: this.settings.group }),
      );
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return;
      throw schedulerUnavailable('delete', error);
    }
  }

  async list(prefix?: string): Promise<ScheduleSpec[]> {
    const names: string[] = [];
    try {
      let NextToken: string | undefined;
      do {
        const page = await this.client.send(
          new ListSchedulesCommand({ GroupName: this.settings.group, NamePrefix: prefix, NextToken, MaxResults: 100 }),
        );
        for (const s of page.Schedules ?? []) if (s.Name) names.push(s.Name);
        NextToken = page.NextToken;
      } while (NextToken);
      // ListSchedules carries no expression; reading each one is the only way to see a wrong rate.
      return await mapBounded(names, GET_CONCURRENCY, async (name) => {
        const s = await this.client.send(new GetScheduleCommand({ Name: name, GroupName: this.settings.group }));
        const minutes = Number(RATE.exec(s.ScheduleExpression ?? '')?.[1] ?? 0);
        return { monitorId: name, intervalSeconds: minutes * 60, enabled: s.State !== 'DISABLED' };
      });
    } catch (error) {
      throw schedulerUnavailable('list', error);
    }
  }

  /** The first check of a new monitor: an asynchronous invocation of the checker, right now. */
  async triggerNow(monitorId: string, requestedAt: number): Promise<void> {
    try {
      await this.invokeChecker({ monitorId, scheduledAt: new Date(requestedAt).toISOString() });
    } catch (error) {
      throw schedulerUnavailable('invoke', error);
    }
  }

  private input(spec: ScheduleSpec): CreateScheduleCommandInput {
    return checkerSchedule(this.settings, scheduleName(spec.monitorId), rateExpression(spec.intervalSeconds), spec.enabled, scheduleInput(spec.monitorId));
  }
}

/** A schedule in the group that invokes the checker with `input` (a monitor's check, or a shard's tick). */
function checkerSchedule(
  settings: EventBridgeSettings,
  name: string,
  expression: string,
  enabled: boolean,
  input: string,
  startDate?: Date,
): CreateScheduleCommandInput {
  if (!settings.checkerArn || !settings.roleArn) {
    throw new SchedulerUnavailable('scheduler is not configured to create schedules (CHECKER_FUNCTION_ARN, SCHEDULER_ROLE_ARN)');
  }
  return {
    Name: name,
    GroupName: settings.group,
    ScheduleExpression: expression,
    FlexibleTimeWindow: { Mode: 'OFF' },
    ...(startDate ? { StartDate: startDate } : {}),
    State: enabled ? 'ENABLED' : 'DISABLED',
    Target: {
      Arn: settings.checkerArn,
      RoleArn: settings.roleArn,
      Input: input,
      // The next run comes within minutes anyway: retry briefly, then let the DLQ keep the record.
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
      ...(settings.deadLetterArn ? { DeadLetterConfig: { Arn: settings.deadLetterArn } } : {}),
    },
  };
}

/** A shard's tick as its schedule sends it, with the run's scheduled time filled in by Scheduler. */
export const shardInput = (shard: number, shards: number): string =>
  JSON.stringify({ shard, shards, scheduledAt: '<aws.scheduler.scheduled-time>' } satisfies TickEvent);

/**
 * Fan-out mode's shard schedules (ADR 0015): `fanout-<count>-<index>`, `rate(1 minute)`, in the
 * monitors' group, invoking the checker with the shard. Needs no right the per-monitor mode lacks
 * (create and delete in the group; never ListSchedules: the shard count is kept in the database).
 *
 * Each starts at its own second of the minute (shardPhaseMs, as StartDate): schedules created in one
 * call would otherwise share their creation's phase, and every shard's tick would hit the checker and
 * the database in the same second. Scheduler documents 60-second precision, so the second is a
 * request, not a promise; a rate schedule cannot be given an offset any other way (cron has no
 * seconds, a flexible window moves every run at random).
 */
export class EventBridgeShards implements ShardSchedules {
  constructor(
    private readonly client: SchedulerClient,
    private readonly settings: EventBridgeSettings,
    /** The services' clock: the schedules start from the next whole minute. */
    private readonly now: () => number = Date.now,
  ) {}

  async ensure(count: number): Promise<void> {
    const nextMinute = Math.ceil(this.now() / TICK_MS) * TICK_MS;
    await mapBounded(Array.from({ length: count }, (_, i) => i), GET_CONCURRENCY, async (i) => {
      // Whole seconds: the finest a schedule's time is given in.
      const startDate = new Date(nextMinute + Math.floor(shardPhaseMs(i, count) / 1000) * 1000);
      try {
        await this.client.send(new CreateScheduleCommand(checkerSchedule(this.settings, shardScheduleName(i, count), 'rate(1 minute)', true, shardInput(i, count), startDate)));
      } catch (error) {
        if (errorName(error) !== 'ConflictException') throw schedulerUnavailable('create', error);
      }
    });
  }

  async retire(count: number): Promise<void> {
    await mapBounded(Array.from({ length: count }, (_, i) => i), GET_CONCURRENCY, async (i) => {
      try {
        await this.client.send(new DeleteScheduleCommand({ Name: shardScheduleName(i, count), GroupName: this.settings.group }));
      } catch (error) {
        if (errorName(error) !== 'ResourceNotFoundException') throw schedulerUnavailable('delete', error);
      }
    });
  }
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | null)?.name;
}

function schedulerUnavailable(action: string, error: unknown): SchedulerUnavailable {
  return new SchedulerUnavailable(`scheduler ${action} failed: ${errorName(error) ?? 'unknown error'}`);
}
