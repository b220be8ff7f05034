/**
 * One benchmark scenario in its own process (a fresh local stack, fresh SDK clients and handler modules,
 * so tables start empty and the peak memory is this scenario's). Prints one JSON object on the last line
 * of stdout. Run by bench/main.ts: `tsx bench/scenario.ts '<json options>'`.
 */

import { lastJsonLine, runChild, TSX } from '#cli/child';
import { DEMO_FR_EVENT, DEMO_US_EVENT, DEMO_WINDOW } from '#local/demo';
import { type SmsSandboxProcess, startSmsSandboxProcess } from '#local/sandboxes/sms-process';
import { VALID_SMS_ONCE_FAN_MIX } from '#local/seed';
import { startSession } from '#local/session';
import { FUNCTIONS } from '#shared/catalog';
import { API_SERVER_NODE_FLAGS, type ApiResult, measureApi } from './api';
import { gbSeconds } from './cost';
import { AwsCallCounter, type CallCounts } from './counting';
import { bestFloor } from './floor';
import { cpuBetween, type ProcessCpu, type ProcessPeak, processCpu, processPeaks } from './processes';
import { bounds } from './stats';

/** The demo window's US event: the big sale of the benchmark. */
export const BIG_EVENT_ID = DEMO_US_EVENT;

export interface WindowScenario {
  kind: 'window';
  fans: number;
  /** Fans of each other event of the window (the small sales). */
  smallFans: number;
  /** SMS budget in messages per second; absent: unthrottled sandbox and PROVIDER_MPS 100000. */
  mps?: number;
  /** Also measure the DynamoDB floor for the same number of notifications. */
  floor: boolean;
  pageSize?: number;
  /** Fans of particular events of the window instead of `smallFans` (the pacing run's other sales). */
  fansByEvent?: Record<string, number>;
  /** Settings of the functions for this scenario (e.g. ALLOWED_SEGMENTS). */
  env?: Record<string, string>;
}

export interface ApiScenario {
  kind: 'api';
  concurrency: number;
  /** Measured requests. */
  requests: number;
  /** Uncounted requests before them (default: the generator's DEFAULT_WARMUP_REQUESTS). */
  warmupRequests?: number;
}

export type Scenario = WindowScenario | ApiScenario;

export interface WindowResult {
  kind: 'window';
  fans: number;
  mps: number | null;
  status: string;
  error?: string;
  durationMs: number;
  /** Notifications handed to the provider (SMS sandbox accepted + SES sent). */
  handed: number;
  sales: { total: number; suppressed: number; processed: number };
  totals: Record<string, unknown>;
  transitions: number;
  invocations: Record<string, number>;
  /** Handler time in ms by function (each Task invocation timed around the handler). */
  handlerMs: Record<string, number>;
  lambdaGbSeconds: number;
  aws: CallCounts;
  discoveryRequests: number;
  discoveryByEvent: Record<string, number>;
  bitlyCalls: number;
  bitlyCreated: number;
  eventsInWindow: number;
  sms: { accepted: number; throttled: number; rejected: Record<string, number>; peakPerSecond: number };
  /** Achieved provider rate: messages between the first and the last acceptance, per second. */
  achievedMps: number;
  /** Messages accepted in each whole second from the first acceptance (the pacing chart). */
  acceptedPerSecond: number[];
  /** Per processed sale: messages handed over, first and last hand-over (pipeline clock). */
  perSale: Array<{ saleId: string; queued: number; first: string | null; last: string | null }>;
  peakRssMb: number;
  peakHeapMb: number;
  /** Peak RSS over its life of this process (stack and pipeline) and of each child (the local DynamoDB). */
  processes: ProcessPeak[];
  /** CPU seconds of each process during the window run (start to Summarize). */
  cpu: ProcessCpu[];
  floor?: Awaited<ReturnType<typeof bestFloor>>;
}

const memoryOf = (name: string) => FUNCTIONS.find((fn) => fn.name === name)?.memoryMb ?? 1024;

async function runWindowScenario(scenario: WindowScenario): Promise<WindowResult> {
  const unthrottled = scenario.mps === undefined;
  // The provider's side runs in a process of its own, as Twilio runs outside the pipeline: the pipeline's
  // process keeps the engine, the handlers and their clients (see docs/BENCHMARKS.md, "Throughput").
  const sms = await startSmsSandboxProcess({
    ...(unthrottled ? {} : { messagesPerSecond: scenario.mps }),
    status: { enabled: false },
  });
  try {
    return await runWindowScenarioWith(scenario, sms);
  } finally {
    await sms.stop();
  }
}

async function runWindowScenarioWith(
  scenario: WindowScenario,
  sms: SmsSandboxProcess,
): Promise<WindowResult> {
  const unthrottled = scenario.mps === undefined;
  const session = await startSession({
    logLevel: 'ERROR',
    delivery: false,
    env: {
      PROVIDER_MPS: String(scenario.mps ?? 100_000),
      // Unthrottled: no sender is held to a per-iteration pace either.
      ...(unthrottled ? { ITERATION_MPS: '100000' } : {}),
      ...(scenario.pageSize ? { PAGE_SIZE: String(scenario.pageSize) } : {}),
      SMS_BASE_URL: sms.baseUrl,
      SMS_ACCOUNT_SID: sms.accountSid,
      SMS_AUTH_TOKEN: sms.authToken,
      ...scenario.env,
    },
    // The stack's own SMS sandbox stays idle: every message goes to the one in its own process.
    sms: { status: { enabled: false } },
  });
  const counter = new AwsCallCounter();
  counter.attach();
  try {
    const events = await session.seedEvents();
    const lead = Number(session.stack.env.LEAD_MINUTES ?? 30);
    const windowStart = Date.parse(DEMO_WINDOW) + lead * 60_000;
    const inWindow = events.filter((event) =>
      event.sales.some((sale) => {
        const t = Date.parse(sale.startsAt);
        return t >= windowStart && t < windowStart + 30 * 60_000;
      }),
    );
    const clean = VALID_SMS_ONCE_FAN_MIX;
    const big = inWindow.filter((event) => event.eventId === BIG_EVENT_ID);
    const small = inWindow.filter((event) => event.eventId !== BIG_EVENT_ID);
    await session.seedFans(big, scenario.fans, { mix: clean, seed: 1 });
    const byEvent = scenario.fansByEvent ?? {};
    const even = small.filter((event) => byEvent[event.eventId] === undefined);
    let offset = scenario.fans;
    if (even.length > 0 && scenario.smallFans > 0) {
      await session.seedFans(even, scenario.smallFans * even.length, { mix: clean, seed: 2, offset });
      offset += scenario.smallFans * even.length;
    }
    for (const [index, event] of small.filter((e) => (byEvent[e.eventId] ?? 0) > 0).entries()) {
      const count = byEvent[event.eventId] ?? 0;
      await session.seedFans([event], count, { mix: clean, seed: 3 + index, offset });
      offset += count;
    }
    const { ses, discovery, bitly } = session.stack.sandboxes;
    const messagesBefore = await sms.resetCounters();
    discovery.resetCounters();
    bitly.resetCounters();
    counter.reset();

    const handlerMs: Record<string, number> = {};
    const intercept = Object.fromEntries(
      FUNCTION_STATES.map(([state, fn]) => [
        state,
        async (input: unknown, invoke: (input: unknown) => Promise<unknown>) => {
          const started = performance.now();
          try {
            return await invoke(input);
          } finally {
            handlerMs[fn] = (handlerMs[fn] ?? 0) + performance.now() - started;
          }
        },
      ]),
    );

    let peakRss = 0;
    let peakHeap = 0;
    const sample = () => {
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
    };
    sample();
    // process.memoryUsage() costs about 0.7 ms a call: once a second keeps it out of the measured run (peak RSS
    // comes from VmHWM anyway, see processes.ts).
    const sampler = setInterval(sample, 1000);
    const sesBefore = ses.counters.sent ?? 0;
    const cpuBefore = processCpu();
    const run = await session.run({ scheduledTime: DEMO_WINDOW, intercept });
    const cpuRun = cpuBetween(cpuBefore, processCpu());
    clearInterval(sampler);
    sample();
    const aws = counter.snapshot();
    const provider = await sms.snapshot(messagesBefore);
    const handed = provider.counters.accepted + ((ses.counters.sent ?? 0) - sesBefore);
    const accepted = provider.acceptedAtMs;
    const { min: first, max: last } = bounds(accepted) ?? { min: 0, max: 0 };
    const achievedMps =
      accepted.length > 1 && last > first ? ((accepted.length - 1) * 1000) / (last - first) : 0;
    const acceptedPerSecond: number[] = [];
    for (const at of accepted) {
      const second = Math.floor((at - first) / 1000);
      while (acceptedPerSecond.length <= second) acceptedPerSecond.push(0);
      acceptedPerSecond[second] = (acceptedPerSecond[second] ?? 0) + 1;
    }
    const output = (run.output ?? {}) as {
      notifications?: Record<string, unknown>;
      sales?: {
        total: number;
        suppressed: number;
        processed: number;
        detail?: Array<{
          saleId: string;
          status: string;
          queued: number;
          firstHandedOverAt: string | null;
          lastHandedOverAt: string | null;
        }>;
      };
    };

    const result: WindowResult = {
      kind: 'window',
      fans: scenario.fans,
      mps: scenario.mps ?? null,
      status: run.status,
      ...(run.error ? { error: `${run.error.error}: ${run.error.cause}`.slice(0, 300) } : {}),
      durationMs: run.durationMs ?? 0,
      handed,
      sales: output.sales ?? { total: 0, suppressed: 0, processed: 0 },
      totals: output.notifications ?? {},
      transitions: run.transitions,
      invocations: run.invocations,
      handlerMs,
      lambdaGbSeconds: Object.entries(handlerMs).reduce(
        (sum, [fn, ms]) => sum + gbSeconds(ms, memoryOf(fn)),
        0,
      ),
      aws,
      discoveryRequests: discovery.counters.requests,
      discoveryByEvent: { ...discovery.counters.byEvent },
      bitlyCalls: bitly.counters.calls,
      bitlyCreated: bitly.counters.created,
      eventsInWindow: inWindow.length,
      sms: {
        accepted: provider.counters.accepted,
        throttled: provider.counters.throttled,
        rejected: { ...provider.counters.rejected },
        peakPerSecond: provider.counters.peakPerSecond,
      },
      achievedMps,
      acceptedPerSecond,
      perSale: (output.sales?.detail ?? [])
        .filter((sale) => sale.status === 'processed')
        .map((sale) => ({
          saleId: sale.saleId,
          queued: sale.queued,
          first: sale.firstHandedOverAt,
          last: sale.lastHandedOverAt,
        })),
      peakRssMb: peakRss / 2 ** 20,
      peakHeapMb: peakHeap / 2 ** 20,
      processes: [],
      cpu: cpuRun,
    };
    if (scenario.floor && handed > 0) {
      counter.reset();
      result.floor = await bestFloor(session.repos.notifications, handed, [16, 64], Math.min(handed, 1000));
    }
    // Read before the children stop; the floor's writes are within the same lives.
    result.processes = processPeaks();
    return result;
  } finally {
    await session.stop();
  }
}

const FUNCTION_STATES: Array<[string, string]> = [
  ['PlanWindow', 'plan-window'],
  ['PrepareSale', 'prepare-sale'],
  ['Shorten', 'shorten'],
  ['RenderPage', 'render-page'],
  ['SendPage', 'send-page'],
  ['Summarize', 'summarize'],
];

/** Runs this scenario again in a process started with `flags`, relaying its output; its result. */
async function rerunWith(flags: readonly string[]): Promise<ApiResult> {
  const { code, stdout } = await runChild(TSX, [...flags, ...process.argv.slice(1)], {
    onStderrLine: (line) => process.stderr.write(`${line}\n`),
  });
  const result = lastJsonLine<ApiResult>(stdout);
  if (code !== 0 || result === undefined) throw new Error(`the scenario exited with ${code} and no result`);
  return result;
}

async function main(): Promise<void> {
  const scenario = JSON.parse(process.argv[2] ?? '{}') as Scenario;
  if (scenario.kind === 'api' && !API_SERVER_NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) {
    // The server's process needs its Node flags from the start (V8 sizes the heap then): one more process.
    process.stdout.write(`${JSON.stringify(await rerunWith(API_SERVER_NODE_FLAGS))}\n`);
    return;
  }
  const result: WindowResult | ApiResult =
    scenario.kind === 'api'
      ? await measureApi(
          scenario.concurrency,
          scenario.requests,
          BIG_EVENT_ID,
          DEMO_FR_EVENT,
          scenario.warmupRequests,
        )
      : await runWindowScenario(scenario);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1]?.endsWith('scenario.ts')) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
