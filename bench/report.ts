/** The benchmark's figures from the scenario results, their targets, and the terminal table. */
import type { ApiResult } from './api';
import type { ScalePoint } from './chart';
import { type CostBreakdown, costPerMillion, type UsageCounts } from './cost';
import type { ProcessCpu } from './processes';
import type { WindowResult } from './scenario';
import { perThousand, round } from './stats';

export const TARGETS = {
  floorRatio: 1.3,
  transitionsPer1k: 30,
  invocationsPer1k: 20,
  discoveryPerEvent: 1,
  bitlyPerLink: 1,
  pacingShare: 0.98,
  throttled: 0,
  /** The largest process at the biggest size, MB. */
  largestProcessMb: 1024,
  /** Peak memory growth from 10,000 fans to the biggest size. */
  memoryGrowth: 0.2,
  apiP95Ms: 50,
  apiP99Ms: 100,
} as const;

export interface FloorFigure {
  fans: number;
  notifications: number;
  pipelineMs: number;
  floorMs: number;
  concurrency: number;
  writes: number;
  floorPerSecond: number;
  ratio: number;
  met: boolean;
  /** CPU ms per notification of each process (pipeline, its children), in the window run and in the floor. */
  cpuMsPerNotification: Array<{ name: string; run: number; floor: number }>;
}

export interface PacingFigure {
  label: string;
  mps: number;
  notifications: number;
  sales: number;
  achievedMps: number;
  share: number;
  throttled: number;
  met: boolean;
  perSecond: number[];
  perSale: WindowResult['perSale'];
}

export interface MemoryPoint {
  fans: number;
  /** Each process's peak RSS over the scenario, MB (`pipeline`: the stack and the pipeline). */
  processes: Array<{ name: string; peakRssMb: number }>;
  largestMb: number;
}

export interface BenchReport {
  machine: { cpu: string; cores: number; memoryGb: number; node: string; platform: string };
  date: string;
  totalMs: number;
  throughput: {
    fans: number;
    notifications: number;
    status: string;
    durationMs: number;
    perSecond: number;
    peakRssMb: number;
    peakHeapMb: number;
  };
  /** Pipeline time against the floor, at each size the floor was measured (10,000 and the biggest). */
  floors: FloorFigure[];
  economy: {
    per1k: {
      transitions: number;
      lambdaInvocations: number;
      dynamoReads: number;
      dynamoWrites: number;
      readUnits: number;
      writeUnits: number;
      discoveryCalls: number;
      bitlyCalls: number;
    };
    awsCalls: Record<string, number>;
    discoveryPerEvent: number;
    bitlyPerLink: number;
    lambdaGbSeconds: number;
    costPerMillion: CostBreakdown;
    met: { transitions: boolean; invocations: boolean; discovery: boolean; bitly: boolean };
  };
  pacing: PacingFigure[];
  memory: {
    points: MemoryPoint[];
    /** Growth of each process's peak from 10,000 fans to the biggest size (0.1 = 10 %). */
    growth: { from: number; to: number; byProcess: Record<string, number> } | null;
    met: { largest: boolean; growth: Record<string, boolean> };
  };
  scale: Array<
    ScalePoint & {
      notifications: number;
      durationMs: number;
      transitionsPer1k: number;
      invocationsPer1k: number;
      dollarsPerMillion: number;
    }
  >;
  api: ApiResult & { met: { p95: boolean; p99: boolean } };
  charts?: { scale?: string; pacing?: string };
}

const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

/** Every AWS call the middleware counted. */
export function awsCalls(result: WindowResult): number {
  return sum(result.aws.calls);
}

export function usageOf(result: WindowResult): UsageCounts {
  return {
    transitions: result.transitions,
    lambdaInvocations: sum(result.invocations),
    lambdaGbSeconds: result.lambdaGbSeconds,
    dynamoWriteUnits: result.aws.writeUnits,
    dynamoReadUnits: result.aws.readUnits,
    kinesisPuts: result.aws.kinesisRecords,
  };
}

const perNotification = (cpu: readonly ProcessCpu[], name: string, count: number) =>
  count > 0 ? ((cpu.find((p) => p.name === name)?.cpuSeconds ?? 0) * 1000) / count : 0;

export function floorFigure(result: WindowResult): FloorFigure | undefined {
  const floor = result.floor;
  if (!floor || floor.durationMs <= 0) return undefined;
  const ratio = result.durationMs / floor.durationMs;
  return {
    fans: result.fans,
    notifications: result.handed,
    pipelineMs: result.durationMs,
    floorMs: floor.durationMs,
    concurrency: floor.concurrency,
    writes: floor.writes,
    floorPerSecond: (floor.notifications * 1000) / floor.durationMs,
    ratio,
    met: ratio <= TARGETS.floorRatio,
    cpuMsPerNotification: [...new Set([...result.cpu, ...floor.cpu].map((p) => p.name))].map((name) => ({
      name,
      run: perNotification(result.cpu, name, result.handed),
      floor: perNotification(floor.cpu, name, floor.notifications),
    })),
  };
}

export function pacingFigure(label: string, result: WindowResult): PacingFigure {
  const mps = result.mps ?? 0;
  const share = mps > 0 ? result.achievedMps / mps : 0;
  return {
    label,
    mps,
    notifications: result.handed,
    sales: result.perSale.filter((sale) => sale.queued > 0).length,
    achievedMps: result.achievedMps,
    share,
    throttled: result.sms.throttled,
    met: share >= TARGETS.pacingShare && result.sms.throttled <= TARGETS.throttled,
    perSecond: result.acceptedPerSecond,
    perSale: result.perSale,
  };
}

/** Per-process peaks at each size, and their growth from 10,000 fans to the biggest size. */
export function memoryFigures(scale: readonly WindowResult[]): BenchReport['memory'] {
  const points: MemoryPoint[] = scale
    .map((result) => {
      const processes = (
        result.processes.length > 0 ? result.processes : [{ name: 'pipeline', peakRssMb: result.peakRssMb }]
      ).map(({ name, peakRssMb }) => ({ name, peakRssMb }));
      return {
        fans: result.fans,
        processes,
        largestMb: Math.max(...processes.map((p) => p.peakRssMb)),
      };
    })
    .sort((a, b) => a.fans - b.fans);
  const from = points.find((point) => point.fans === 10_000);
  const to = points.filter((point) => point.fans !== 200_000).at(-1);
  const growth =
    from && to && to.fans > from.fans
      ? {
          from: from.fans,
          to: to.fans,
          byProcess: Object.fromEntries(
            to.processes.flatMap((p) => {
              const before = from.processes.find((q) => q.name === p.name);
              return before ? [[p.name, p.peakRssMb / before.peakRssMb - 1]] : [];
            }),
          ),
        }
      : null;
  return {
    points,
    growth,
    met: {
      largest: (to?.largestMb ?? 0) < TARGETS.largestProcessMb,
      growth: Object.fromEntries(
        Object.entries(growth?.byProcess ?? {}).map(([name, g]) => [name, g < TARGETS.memoryGrowth]),
      ),
    },
  };
}

export function buildReport(input: {
  machine: BenchReport['machine'];
  date: string;
  totalMs: number;
  /** The biggest throughput run (economy and cost are taken from it). */
  throughput: WindowResult;
  /** Every run with a floor measured. */
  floored: readonly WindowResult[];
  pacing: ReadonlyArray<{ label: string; result: WindowResult }>;
  scale: readonly WindowResult[];
  api: ApiResult;
}): BenchReport {
  const t = input.throughput;
  const n = t.handed;
  const eventsCalled = Object.values(t.discoveryByEvent);
  const discoveryPerEvent = eventsCalled.length === 0 ? 0 : Math.max(...eventsCalled);
  const bitlyPerLink = t.bitlyCreated === 0 ? 0 : t.bitlyCalls / t.bitlyCreated;
  const per1k = {
    transitions: perThousand(t.transitions, n),
    lambdaInvocations: perThousand(sum(t.invocations), n),
    dynamoReads: perThousand(t.aws.dynamoReads, n),
    dynamoWrites: perThousand(t.aws.dynamoWrites, n),
    readUnits: perThousand(t.aws.readUnits, n),
    writeUnits: perThousand(t.aws.writeUnits, n),
    discoveryCalls: perThousand(t.discoveryRequests, n),
    bitlyCalls: perThousand(t.bitlyCalls, n),
  };
  return {
    machine: input.machine,
    date: input.date,
    totalMs: input.totalMs,
    throughput: {
      fans: t.fans,
      notifications: n,
      status: t.status,
      durationMs: t.durationMs,
      perSecond: n === 0 ? 0 : (n * 1000) / t.durationMs,
      peakRssMb: t.peakRssMb,
      peakHeapMb: t.peakHeapMb,
    },
    floors: input.floored.flatMap((result) => floorFigure(result) ?? []).sort((a, b) => a.fans - b.fans),
    economy: {
      per1k,
      awsCalls: t.aws.calls,
      discoveryPerEvent,
      bitlyPerLink,
      lambdaGbSeconds: t.lambdaGbSeconds,
      costPerMillion: costPerMillion(usageOf(t), n),
      met: {
        transitions: per1k.transitions <= TARGETS.transitionsPer1k,
        invocations: per1k.lambdaInvocations <= TARGETS.invocationsPer1k,
        discovery: discoveryPerEvent <= TARGETS.discoveryPerEvent,
        bitly: bitlyPerLink <= TARGETS.bitlyPerLink,
      },
    },
    pacing: input.pacing.map(({ label, result }) => pacingFigure(label, result)),
    memory: memoryFigures(input.scale),
    scale: input.scale
      .map((result) => ({
        fans: result.fans,
        notifications: result.handed,
        durationMs: result.durationMs,
        msPerNotification: result.handed === 0 ? 0 : result.durationMs / result.handed,
        requestsPerNotification: result.handed === 0 ? 0 : awsCalls(result) / result.handed,
        transitionsPer1k: perThousand(result.transitions, result.handed),
        invocationsPer1k: perThousand(sum(result.invocations), result.handed),
        dollarsPerMillion: costPerMillion(usageOf(result), result.handed).total,
      }))
      .sort((a, b) => a.fans - b.fans),
    api: {
      ...input.api,
      met: { p95: input.api.p95Ms < TARGETS.apiP95Ms, p99: input.api.p99Ms < TARGETS.apiP99Ms },
    },
  };
}

const mark = (met: boolean) => (met ? 'ok' : 'MISSED');
const fmt = (value: number, digits = 2) => round(value, digits).toLocaleString('en-US');
const pct = (value: number) => `${value >= 0 ? '+' : ''}${fmt(value * 100, 1)} %`;

export function formatReport(r: BenchReport): string[] {
  const e = r.economy;
  const c = e.costPerMillion;
  const rows: Array<[string, string, string]> = [
    ['1. throughput (unthrottled provider)', '', ''],
    ['notifications handed to the provider', fmt(r.throughput.notifications, 0), r.throughput.status],
    ['wall time (s)', fmt(r.throughput.durationMs / 1000, 1), ''],
    ['notifications per second', fmt(r.throughput.perSecond, 1), ''],
    ['2. pipeline ÷ floor (same writes issued directly)', '', ''],
    ...r.floors.map((f): [string, string, string] => [
      `  ${f.fans.toLocaleString('en-US')} fans: ${fmt(f.pipelineMs / 1000, 1)} s ÷ ${fmt(f.floorMs / 1000, 1)} s @ ${f.concurrency}`,
      fmt(f.ratio),
      `≤ ${TARGETS.floorRatio} ${mark(f.met)}`,
    ]),
    ...r.floors.map((f): [string, string, string] => [
      `  CPU ms per notification, run / floor: ${f.cpuMsPerNotification
        .map((p) => `${p.name} ${fmt(p.run)} / ${fmt(p.floor)}`)
        .join(', ')}`,
      '',
      '',
    ]),
    ['3. per 1,000 notifications', '', ''],
    [
      'state transitions',
      fmt(e.per1k.transitions),
      `≤ ${TARGETS.transitionsPer1k} ${mark(e.met.transitions)}`,
    ],
    [
      'Lambda invocations',
      fmt(e.per1k.lambdaInvocations),
      `≤ ${TARGETS.invocationsPer1k} ${mark(e.met.invocations)}`,
    ],
    ['DynamoDB reads / writes (requests)', `${fmt(e.per1k.dynamoReads)} / ${fmt(e.per1k.dynamoWrites)}`, ''],
    ['DynamoDB RRU / WRU', `${fmt(e.per1k.readUnits)} / ${fmt(e.per1k.writeUnits)}`, ''],
    ['Discovery / Bitly calls', `${fmt(e.per1k.discoveryCalls, 3)} / ${fmt(e.per1k.bitlyCalls, 3)}`, ''],
    ['Discovery calls per event (max)', fmt(e.discoveryPerEvent), `≤ 1 ${mark(e.met.discovery)}`],
    ['Bitly calls per link created', fmt(e.bitlyPerLink), `≤ 1 ${mark(e.met.bitly)}`],
    [
      'AWS $ per million: SFN / Lambda / DynamoDB',
      `${fmt(c.stepFunctions)} / ${fmt(c.lambda)} / ${fmt(c.dynamodb)}`,
      '',
    ],
    ['AWS $ per million notifications (total)', fmt(c.total), 'SMS fees excluded'],
    ['4. pacing', '', ''],
    ...r.pacing.flatMap(
      (p): Array<[string, string, string]> => [
        [
          `  ${p.label}: ${fmt(p.notifications, 0)} messages, ${p.sales} sale(s), budget / achieved`,
          `${p.mps} / ${fmt(p.achievedMps, 1)}`,
          `${fmt(p.share * 100, 1)} % (≥ ${TARGETS.pacingShare * 100}) ${mark(p.share >= TARGETS.pacingShare)}`,
        ],
        [`  ${p.label}: throttling errors`, String(p.throttled), `= 0 ${mark(p.throttled === 0)}`],
      ],
    ),
    ['5. memory: peak RSS per process (MB)', '', ''],
    ...r.memory.points.map((point): [string, string, string] => [
      `  ${point.fans.toLocaleString('en-US')} fans`,
      point.processes.map((p) => `${p.name} ${fmt(p.peakRssMb, 0)}`).join(', '),
      '',
    ]),
    [
      'largest process at the biggest size',
      fmt(r.memory.points.filter((p) => p.fans !== 200_000).at(-1)?.largestMb ?? 0, 0),
      `< ${TARGETS.largestProcessMb} ${mark(r.memory.met.largest)}`,
    ],
    ...Object.entries(r.memory.growth?.byProcess ?? {}).map((entry): [string, string, string] => [
      `growth ${r.memory.growth?.from.toLocaleString('en-US')} → ${r.memory.growth?.to.toLocaleString('en-US')}: ${entry[0]}`,
      pct(entry[1]),
      `< ${TARGETS.memoryGrowth * 100} % ${mark(r.memory.met.growth[entry[0]] ?? false)}`,
    ]),
    ['6. scale (fans: s, ms/notif, AWS req/notif, transitions/1k, invocations/1k, $/M)', '', ''],
    ...r.scale.map((p): [string, string, string] => [
      `  ${p.fans.toLocaleString('en-US')}`,
      `${fmt(p.durationMs / 1000, 1)} s, ${fmt(p.msPerNotification, 3)}, ${fmt(p.requestsPerNotification, 3)}, ${fmt(p.transitionsPer1k)}, ${fmt(p.invocationsPer1k)}, ${fmt(p.dollarsPerMillion)}`,
      '',
    ]),
    ['7. API eventDetails (100 concurrent, warm; load generator in its own process)', '', ''],
    [
      'p50 / p95 / p99 (ms)',
      `${fmt(r.api.p50Ms)} / ${fmt(r.api.p95Ms)} / ${fmt(r.api.p99Ms)}`,
      `p95 < ${TARGETS.apiP95Ms} ${mark(r.api.met.p95)}, p99 < ${TARGETS.apiP99Ms} ${mark(r.api.met.p99)}; ${r.api.requests} requests after ${r.api.warmupRequests} uncounted, ${r.api.errors} errors`,
    ],
    ['requests per second', fmt(r.api.requestsPerSecond, 0), ''],
    [
      'CPU per request: server process / load generator (ms)',
      `${fmt(r.api.serverCpuMsPerRequest, 3)} / ${fmt(r.api.clientCpuMsPerRequest, 3)}`,
      '',
    ],
    ['cold miss (event in no cache, one request)', `${fmt(r.api.coldMissMs)} ms`, ''],
    ['cache hit rate, Discovery calls', `${fmt(r.api.hitRate * 100, 1)} %, ${r.api.discoveryRequests}`, ''],
  ];
  const w0 = Math.max(...rows.map((row) => row[0].length));
  const w1 = Math.max(...rows.map((row) => row[1].length));
  return [
    `benchmark ${r.date} on ${r.machine.cpu} (${r.machine.cores} cores, ${r.machine.memoryGb} GB), Node ${r.machine.node}; ${fmt(r.totalMs / 1000, 0)} s`,
    ...rows.map(([a, b, t]) =>
      b === '' && t === '' ? a : `  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${t}`.trimEnd(),
    ),
    ...(r.charts?.scale ? [`scale chart: ${r.charts.scale}`] : []),
    ...(r.charts?.pacing ? [`pacing chart: ${r.charts.pacing}`] : []),
  ];
}
