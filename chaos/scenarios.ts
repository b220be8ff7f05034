/**
 * The chaos scenarios: each starts its own local stack, seeds the sample events and `fans` fans for the
 * demo window's processed events, injects one fault while the window runs (and redrives a failed run
 * after clearing the fault, as an operator would), waits for the status stream, and checks the
 * invariants from the stored data.
 */

import { randomUUID } from 'node:crypto';
import { DEMO_EVENT_IDS, DEMO_WINDOW } from '#local/demo';
import type { SmsFaults, SmsSandboxOptions } from '#local/sandboxes/sms';
import { prng } from '#local/seed';
import { type Session, type SessionOptions, startSession } from '#local/session';
import type { LocalRunOptions } from '#local/stepfunctions/runner';
import type { LocalRunRecord } from '#local/stepfunctions/types';
import type { WindowSummary } from '#shared/window/summarize';
import {
  crashMidPage,
  crashOnFirstAttempt,
  crashUntilRedrive,
  putStreamRecord,
  throttleDynamoWrites,
} from './faults';
import { checkInvariants, type ExpectedSale, type InvariantReport } from './invariants';

export interface ScenarioContext {
  session: Session;
  /** Runs the demo window (fast local retry timings unless overridden). */
  run(
    options?: Partial<Omit<LocalRunOptions, 'prefix' | 'store' | 'scheduledTime'>>,
  ): Promise<LocalRunRecord>;
  /** Redrives a failed run until it succeeds (at most 3 times). */
  redriveUntilDone(run: LocalRunRecord): Promise<LocalRunRecord[]>;
  /** Sets SMS sandbox faults, keeping the scripted outcomes of the seeded problem numbers. */
  smsFaults(faults: SmsFaults): void;
  note(line: string): void;
  random: () => number;
}

export interface Scenario {
  name: string;
  /** What is injected, for the table and the note. */
  fault: string;
  session?: Pick<SessionOptions, 'env'> & { sms?: SmsSandboxOptions };
  /** Let the SMS sandbox report sent/delivered statuses through the status stream (default off). */
  statuses?: boolean;
  act(ctx: ScenarioContext): Promise<LocalRunRecord[]>;
}

export interface ScenarioResult {
  name: string;
  fault: string;
  /** Run statuses in order, e.g. 'FAILED → redrive SUCCEEDED'. */
  outcome: string;
  succeeded: boolean;
  report: InvariantReport;
  notes: string[];
  durationMs: number;
  error?: string;
}

const FAST = { retryWaitMs: 50, retryIntervalMs: 20 };

const once = (ctx: ScenarioContext) => async () => [await ctx.run()];

async function runThenRedrive(ctx: ScenarioContext, options: Parameters<ScenarioContext['run']>[0]) {
  const first = await ctx.run(options);
  if (first.status === 'SUCCEEDED') return [first];
  ctx.note(`run failed (${first.error?.error ?? 'unknown'}): redriven`);
  return [first, ...(await ctx.redriveUntilDone(first))];
}

export const SCENARIOS: Scenario[] = [
  { name: 'baseline', fault: 'none', statuses: true, act: (ctx) => once(ctx)() },
  {
    name: 'schedule-twice-concurrent',
    fault: 'the schedule fires the window twice at once',
    act: async (ctx) =>
      Promise.all([ctx.run({ executionName: 'twice-a' }), ctx.run({ executionName: 'twice-b' })]),
  },
  {
    name: 'schedule-twice-sequential',
    fault: 'the schedule fires the window twice, one after the other',
    act: async (ctx) => [
      await ctx.run({ executionName: 'again-1' }),
      await ctx.run({ executionName: 'again-2' }),
    ],
  },
  {
    name: 'crash-after-create',
    fault: 'RenderPage crashes after creating the records; Step Functions retries',
    act: async (ctx) => {
      const counter = { crashes: 0 };
      const runs = await runThenRedrive(ctx, {
        intercept: { RenderPage: crashOnFirstAttempt('after', counter) },
      });
      ctx.note(`${counter.crashes} RenderPage crashes`);
      return runs;
    },
  },
  {
    name: 'crash-before-send',
    fault: 'SendPage crashes before doing anything; Step Functions retries',
    act: async (ctx) => {
      const counter = { crashes: 0 };
      const runs = await runThenRedrive(ctx, {
        intercept: { SendPage: crashOnFirstAttempt('before', counter) },
      });
      ctx.note(`${counter.crashes} SendPage crashes`);
      return runs;
    },
  },
  {
    name: 'crash-after-send',
    fault: 'SendPage crashes after its page was sent; Step Functions retries',
    act: async (ctx) => {
      const counter = { crashes: 0 };
      const runs = await runThenRedrive(ctx, {
        intercept: { SendPage: crashOnFirstAttempt('after', counter) },
      });
      ctx.note(`${counter.crashes} SendPage crashes`);
      return runs;
    },
  },
  {
    name: 'crash-mid-page',
    fault: 'SendPage crashes half-way through a page; Step Functions retries',
    act: async (ctx) => {
      const counter = { crashes: 0 };
      const runs = await runThenRedrive(ctx, { intercept: { SendPage: crashMidPage(counter) } });
      ctx.note(`${counter.crashes} mid-page crashes`);
      return runs;
    },
  },
  {
    name: 'crash-then-redrive',
    fault: 'one SendPage crashes after its work on every attempt: the run fails, then is redriven',
    act: async (ctx) => {
      const counter = { crashes: 0 };
      const runs = await runThenRedrive(ctx, { intercept: { SendPage: crashUntilRedrive(1, counter) } });
      ctx.note(`${counter.crashes} SendPage crashes`);
      return runs;
    },
  },
  {
    name: 'accepted-then-dropped',
    fault: 'provider accepts, then the connection drops before the answer (2 %)',
    statuses: true,
    act: async (ctx) => {
      ctx.smsFaults({ crashAfterAcceptRate: 0.02 });
      return [await ctx.run()];
    },
  },
  {
    name: 'provider-5xx',
    fault: 'SMS 500 (5 %) and 503 (3 %), SES 500 (5 %)',
    act: async (ctx) => {
      ctx.smsFaults({ errorRates: { '500': 0.05, '503': 0.03 } });
      ctx.session.stack.sandboxes.ses.setFaults({ rate500: 0.05 });
      return [await ctx.run()];
    },
  },
  {
    name: 'provider-429',
    fault: 'SMS 429/20429 (5 % + account budget below the send pace), SES throttling (5 %)',
    session: { sms: { messagesPerSecond: 150 } },
    act: async (ctx) => {
      ctx.smsFaults({ errorRates: { '429': 0.05 } });
      ctx.session.stack.sandboxes.ses.setFaults({ throttleRate: 0.05 });
      return [await ctx.run()];
    },
  },
  {
    name: 'provider-timeout',
    fault: 'SMS never answers (1 %); send time-out shortened from 30 s to 1 s',
    statuses: true,
    session: { env: { SEND_TIMEOUT_MS: '1000' } },
    act: async (ctx) => {
      ctx.smsFaults({ timeoutRate: 0.01 });
      return [await ctx.run()];
    },
  },
  {
    name: 'provider-permanent',
    fault: 'SMS 21211, 21610, 30007 (1 % each), SES MessageRejected (1 %)',
    act: async (ctx) => {
      ctx.smsFaults({ errorRates: { '21211': 0.01, '21610': 0.01, '30007': 0.01 } });
      ctx.session.stack.sandboxes.ses.setFaults({ rejectRate: 0.01 });
      return [await ctx.run()];
    },
  },
  {
    name: 'provider-slow',
    fault: 'every SMS and SES answer 200 ms late',
    act: async (ctx) => {
      ctx.smsFaults({ latencyMs: 200 });
      ctx.session.stack.sandboxes.ses.setFaults({ latencyMs: 200 });
      return [await ctx.run()];
    },
  },
  {
    name: 'discovery-outage',
    fault: 'Discovery answers 500 to every refresh, then malformed JSON (cached events are stale)',
    session: { env: { EVENT_CACHE_TTL_SECONDS: '1' } },
    act: async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const discovery = ctx.session.stack.sandboxes.discovery;
      discovery.setFaults({ rate500: 1 });
      const runs = await runThenRedrive(ctx, {});
      discovery.setFaults({ malformed: true });
      runs.push(await ctx.run({ executionName: 'discovery-malformed' }));
      discovery.setFaults({});
      return runs;
    },
  },
  {
    name: 'bitly-outage',
    fault: 'Bitly down (503) for the first run, then 30 % 500s on the redrive',
    act: async (ctx) => {
      const bitly = ctx.session.stack.sandboxes.bitly;
      bitly.setFaults({ down: true });
      const first = await ctx.run();
      bitly.setFaults({ rate500: 0.3 });
      if (first.status === 'SUCCEEDED') return [first];
      ctx.note(`run failed while Bitly was down (${first.error?.error ?? 'unknown'}): redriven`);
      return [first, ...(await ctx.redriveUntilDone(first))];
    },
  },
  {
    name: 'status-stream-faults',
    fault: 'status stream: duplicates, out of order, unknown keys, poison records',
    act: async (ctx) => {
      const run = await ctx.run();
      await injectStatusFaults(ctx, run);
      return [run];
    },
  },
  {
    name: 'dynamodb-throttling',
    fault: 'DynamoDB throttles 10 % of write requests (the SDK retries, 5 attempts)',
    act: async (ctx) => {
      const throttle = throttleDynamoWrites(0.1, ctx.random);
      try {
        const runs = await runThenRedrive(ctx, {});
        ctx.note(`${throttle.counters.throttled} of ${throttle.counters.writes} write requests throttled`);
        return runs;
      } finally {
        throttle.remove();
      }
    },
  },
];

/**
 * With the SMS sandbox's own statuses off, every SMS stays QUEUED; then, for 50 of them, the stream gets
 * 'delivered' before 'sent' (out of order), each twice (duplicates), between records with unknown keys,
 * records that are not JSON and JSON that is not a status event. The 50 must end DELIVERED, the others
 * stay QUEUED, and the poison must not stop the stream.
 */
async function injectStatusFaults(ctx: ScenarioContext, run: LocalRunRecord) {
  const { session } = ctx;
  const sales = processedSales([run]);
  const queued = [];
  for (const sale of sales) {
    for await (const record of session.repos.notifications.bySale(sale.saleId, 'QUEUED')) {
      if (record.channel === 'SMS' && record.providerMessageId) queued.push(record);
      if (queued.length >= 50) break;
    }
  }
  const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
  let poison = 0;
  for (const record of queued) {
    const sid = record.providerMessageId ?? '';
    const event = (status: string, offsetMs: number) =>
      JSON.stringify({
        provider: 'sms',
        status,
        eventId: `sms:${sid}:${status}`,
        messageSid: sid,
        notificationKey: record.pk,
        timestamp: at(offsetMs),
      });
    await putStreamRecord(session.stack, event('delivered', 2000), sid);
    await putStreamRecord(session.stack, 'not json {', sid);
    await putStreamRecord(session.stack, event('sent', 1000), sid);
    await putStreamRecord(session.stack, event('delivered', 2000), sid);
    await putStreamRecord(session.stack, JSON.stringify({ hello: 'world' }), sid);
    await putStreamRecord(
      session.stack,
      JSON.stringify({
        provider: 'sms',
        status: 'delivered',
        eventId: `sms:unknown-${randomUUID()}:delivered`,
        messageSid: `SM${randomUUID().replaceAll('-', '')}`,
        notificationKey: `nosuchsale#${randomUUID()}#SMS`,
        timestamp: at(0),
      }),
      sid,
    );
    poison += 3;
  }
  await session.settleDelivery(60_000);
  let delivered = 0;
  for (const record of queued) {
    if ((await session.repos.notifications.get(record.pk))?.status === 'DELIVERED') delivered++;
  }
  ctx.note(
    `${queued.length} SMS got delivered-before-sent twice: ${delivered} DELIVERED after the stream drained (${poison} poison/unknown records around them)`,
  );
  if (delivered !== queued.length) ctx.note(`VIOLATION: ${queued.length - delivered} did not end DELIVERED`);
}

export function processedSales(runs: LocalRunRecord[]): ExpectedSale[] {
  const sales = new Map<string, ExpectedSale>();
  for (const run of runs) {
    const output = run.output as WindowSummary | undefined;
    for (const sale of output?.sales.detail ?? []) {
      if (sale.status === 'processed') sales.set(sale.saleId, { saleId: sale.saleId, eventId: sale.eventId });
    }
  }
  return [...sales.values()];
}

export async function runScenario(
  scenario: Scenario,
  options: { fans: number; seed: number },
): Promise<ScenarioResult> {
  const started = Date.now();
  const notes: string[] = [];
  const random = prng(options.seed);
  const session = await startSession({
    logLevel: 'CRITICAL',
    env: { PROVIDER_MPS: '2000', ...scenario.session?.env },
    // Delivery statuses only where the scenario is about them (they cost most of a run's time locally).
    sms: { random, status: { enabled: scenario.statuses ?? false }, ...scenario.session?.sms },
    ses: { random },
  });
  try {
    const events = await session.seedEvents();
    const seeded = await session.seedFans(
      events.filter((event) => DEMO_EVENT_IDS.includes(event.eventId)),
      options.fans,
      { seed: options.seed },
    );
    const ctx: ScenarioContext = {
      session,
      random,
      note: (line) => notes.push(line),
      smsFaults: (faults) =>
        session.stack.sandboxes.sms.setFaults({ ...faults, perNumber: seeded.perNumber }),
      run: (runOptions = {}) => session.run({ ...FAST, scheduledTime: DEMO_WINDOW, ...runOptions }),
      async redriveUntilDone(run) {
        const redrives: LocalRunRecord[] = [];
        let last = run;
        for (let i = 0; i < 3 && last.status !== 'SUCCEEDED'; i++) {
          last = await session.redrive(run.executionName, FAST);
          redrives.push(last);
        }
        return redrives;
      },
    };
    const runs = await scenario.act(ctx);
    await session.settleDelivery(120_000);
    // Every execution must end SUCCEEDED (a failed one only counts once its redrive succeeded).
    const finalStatus = new Map(runs.map((run) => [run.executionName, run.status]));
    const succeeded = runs.length > 0 && [...finalStatus.values()].every((status) => status === 'SUCCEEDED');
    const sales = processedSales(runs);
    if (sales.length === 0) notes.push('VIOLATION: no run reported its processed sales');
    const report = await checkInvariants(session, sales);
    return {
      name: scenario.name,
      fault: scenario.fault,
      outcome: runs.map((run) => (run.redrives > 0 ? `redrive ${run.status}` : run.status)).join(' → '),
      succeeded,
      report,
      notes,
      durationMs: Date.now() - started,
    };
  } finally {
    await session.stop();
  }
}
