import { join } from 'node:path';
import { GetScheduleCommand, ListSchedulesCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { newId } from '../../src/domain/ids.js';
import { reconcile, SHARDS } from '../../src/monitors/reconcile.js';
import { EventBridgeScheduler, rateExpression } from '../../src/scheduler/eventbridge.js';
import { benchServices, fmt, tempDir, type SectionResult } from '../lib.js';
import { insertMonitors, withoutMonitorTriggers } from '../seed.js';

/** The issue's figure; override for a quick run: RECONCILE_SCHEDULES=50000 npm run bench -- reconcile */
const N = Number(process.env.RECONCILE_SCHEDULES ?? 1_000_000);
/** What one call costs on AWS, as docs/SCALE.md assumes them (A): for the modelled run time. */
const T_LIST_MS = 50;
const T_GET_MS = 25;
const GET_CONCURRENCY = 16;
const LAMBDA_BUDGET_S = 300 - 60;

/**
 * Reconcile over N schedules: the real reconcile and the real EventBridge adapter, against a
 * Scheduler client that answers ListSchedules (pages of 100, NamePrefix) and GetSchedule from
 * memory at once, with N monitors in an embedded database, every one in step but 1 % drift. It
 * counts the AWS calls made, the time and memory used here, and models the time on AWS from the
 * calls (t_list, t_get as SCALE.md assumes them; 16 gets in flight).
 */
export async function reconcileBench(): Promise<Omit<SectionResult, 'finishedAt' | 'durationSeconds'>> {
  const dir = tempDir('reconcile');
  const now = Date.now();
  const svc = await benchServices(join(dir, 'vigil.db'), { now: () => now });
  const accountId = newId('acc');
  await svc.db.$client.execute({ sql: `INSERT INTO accounts (id, plan) VALUES (?, 'team')`, args: [accountId] });
  const t0 = Date.now();
  const ids = await withoutMonitorTriggers(svc, () => insertMonitors(svc, accountId, N, { now, intervalSeconds: 60 }));
  const seedSeconds = (Date.now() - t0) / 1000;

  // The group, bucketed by shard as the service's index would serve NamePrefix; 1 % of monitors lack a schedule.
  const group = new Map<string, Map<string, { expression: string; state: string }>>(SHARDS.map((s) => [s, new Map()]));
  ids.forEach((id, i) => {
    if (i % 100 !== 0) group.get(id.slice(0, 5))!.set(id, { expression: rateExpression(60), state: 'ENABLED' });
  });
  const calls = { list: 0, get: 0, create: 0 };
  // Sampled from the calls themselves: the fake answers at once, so a timer would rarely get a turn.
  let peakHeap = 0;
  let sent = 0;
  const sample = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));
  const client = {
    send: async (command: unknown) => {
      if (++sent % 500 === 0) sample();
      if (command instanceof ListSchedulesCommand) {
        calls.list++;
        const names = [...(group.get(command.input.NamePrefix ?? '')?.keys() ?? [])];
        const from = Number(command.input.NextToken ?? 0);
        const to = from + (command.input.MaxResults ?? 100);
        return { Schedules: names.slice(from, to).map((Name) => ({ Name })), NextToken: to < names.length ? String(to) : undefined };
      }
      if (command instanceof GetScheduleCommand) {
        calls.get++;
        const s = group.get(command.input.Name!.slice(0, 5))!.get(command.input.Name!)!;
        return { Name: command.input.Name, ScheduleExpression: s.expression, State: s.state };
      }
      calls.create++; // the repairs: CreateSchedule for the missing 1 %
      return {};
    },
  } as unknown as SchedulerClient;
  const scheduler = new EventBridgeScheduler(client, { group: 'bench', checkerArn: 'arn:checker', roleArn: 'arn:role' }, async () => undefined);
  const run = { ...svc, scheduler };

  const heapBefore = process.memoryUsage().heapUsed;
  const sampler = setInterval(sample, 50);
  const started = performance.now();
  const report = await reconcile(run);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  sample();
  svc.db.$client.close();

  const modelledSeconds = (calls.list * T_LIST_MS + (calls.get * T_GET_MS) / GET_CONCURRENCY) / 1000;
  const runs = Math.ceil(modelledSeconds / LAMBDA_BUDGET_S);
  return {
    id: 'reconcile',
    title: 'Reconcile over many schedules',
    method: `${N.toLocaleString('en')} monitors in an embedded database (seeded in ${fmt(seedSeconds)} s) and their schedules, 1 % missing, behind the real EventBridge adapter whose SDK client answers from memory at once. AWS time is modelled from the calls made: ListSchedules ${T_LIST_MS} ms a page, GetSchedule ${T_GET_MS} ms with ${GET_CONCURRENCY} in flight (docs/SCALE.md's assumptions); a run has ${LAMBDA_BUDGET_S} s before it stops starting shards.`,
    tables: [
      {
        rows: [
          {
            schedules: N.toLocaleString('en'),
            'ListSchedules calls': calls.list.toLocaleString('en'),
            'GetSchedule calls': calls.get.toLocaleString('en'),
            'CreateSchedule (repairs)': String(report.created),
            'CPU + database time here, s': fmt(seconds),
            'peak heap, MB (before the run)': `${fmt(peakHeap / 2 ** 20)} (${fmt(heapBefore / 2 ** 20)})`,
            'modelled AWS time, s': fmt(modelledSeconds),
            'runs of 300 s for one pass': String(runs),
          },
        ],
      },
    ],
    extra: `Calls: ${calls.list} lists + ${calls.get} gets + ${calls.create} creates. One pass fits ${runs === 1 ? 'in one run' : `in ${runs} hourly runs (the cursor carries it over)`}.`,
  };
}
