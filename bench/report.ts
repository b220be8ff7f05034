/** The benchmark's figures from the scenario results, their targets, and the terminal table. */
import type { ApiResult } from './api';
import type { ScalePoint } from './chart';
import { type CostBreakdown, costPerMillion, type UsageCounts } from './cost';
import type { WindowResult } from './scenario';
import { perThousand, round } from './stats';

export const TARGETS = {
  floorRatio: 1.5,
  transitionsPer1k: 30,
  invocationsPer1k: 20,
  discoveryPerEvent: 1,
  bitlyPerLink: 1,
  pacingShare: 0.95,
  throttled: 0,
} as const;

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
  floor: {
    durationMs: number;
    concurrency: number;
    writes: number;
    perSecond: number;
    ratio: number;
    met: boolean;
  };
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
  pacing: {
    mps: number;
    notifications: number;
    achievedMps: number;
    share: number;
    throttled: number;
    met: boolean;
  };
  scale: Array<
    ScalePoint & {
      notifications: number;
      durationMs: number;
      transitionsPer1k: number;
      invocationsPer1k: number;
    }
  >;
  api: ApiResult;
  chart?: string;
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

export function buildReport(input: {
  machine: BenchReport['machine'];
  date: string;
  totalMs: number;
  throughput: WindowResult;
  pacing: WindowResult;
  scale: WindowResult[];
  api: ApiResult;
}): BenchReport {
  const t = input.throughput;
  const n = t.handed;
  const floorMs = t.floor?.durationMs ?? 0;
  const ratio = floorMs > 0 ? t.durationMs / floorMs : 0;
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
  const share = input.pacing.mps ? input.pacing.achievedMps / input.pacing.mps : 0;
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
    floor: {
      durationMs: floorMs,
      concurrency: t.floor?.concurrency ?? 0,
      writes: t.floor?.writes ?? 0,
      perSecond: floorMs > 0 ? ((t.floor?.notifications ?? 0) * 1000) / floorMs : 0,
      ratio,
      met: ratio > 0 && ratio <= TARGETS.floorRatio,
    },
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
    pacing: {
      mps: input.pacing.mps ?? 0,
      notifications: input.pacing.handed,
      achievedMps: input.pacing.achievedMps,
      share,
      throttled: input.pacing.sms.throttled,
      met: share >= TARGETS.pacingShare && input.pacing.sms.throttled <= TARGETS.throttled,
    },
    scale: input.scale.map((result) => ({
      fans: result.fans,
      notifications: result.handed,
      durationMs: result.durationMs,
      msPerNotification: result.handed === 0 ? 0 : result.durationMs / result.handed,
      requestsPerNotification: result.handed === 0 ? 0 : awsCalls(result) / result.handed,
      transitionsPer1k: perThousand(result.transitions, result.handed),
      invocationsPer1k: perThousand(sum(result.invocations), result.handed),
    })),
    api: input.api,
  };
}

const mark = (met: boolean) => (met ? 'ok' : 'MISSED');
const fmt = (value: number, digits = 2) => round(value, digits).toLocaleString('en-US');

export function formatReport(r: BenchReport): string[] {
  const e = r.economy;
  const c = e.costPerMillion;
  const rows: Array<[string, string, string]> = [
    ['1. throughput', '', ''],
    ['notifications handed to the provider', fmt(r.throughput.notifications, 0), r.throughput.status],
    ['wall time (s)', fmt(r.throughput.durationMs / 1000, 1), ''],
    ['notifications per second', fmt(r.throughput.perSecond, 1), ''],
    [
      'peak memory RSS / heap (MB)',
      `${fmt(r.throughput.peakRssMb, 0)} / ${fmt(r.throughput.peakHeapMb, 0)}`,
      '',
    ],
    ['2. floor', '', ''],
    ['floor time (s), concurrency', `${fmt(r.floor.durationMs / 1000, 1)} @ ${r.floor.concurrency}`, ''],
    ['pipeline ÷ floor', fmt(r.floor.ratio), `≤ ${TARGETS.floorRatio} ${mark(r.floor.met)}`],
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
    [
      'budget / achieved (msg/s)',
      `${r.pacing.mps} / ${fmt(r.pacing.achievedMps, 1)}`,
      `${fmt(r.pacing.share * 100, 1)} % (≥ 95) ${mark(r.pacing.met)}`,
    ],
    ['throttling errors', String(r.pacing.throttled), `= 0 ${mark(r.pacing.throttled === 0)}`],
    ['5. scale (fans: s, ms/notif, AWS req/notif, transitions/1k)', '', ''],
    ...r.scale.map((p): [string, string, string] => [
      `  ${p.fans.toLocaleString('en-US')}`,
      `${fmt(p.durationMs / 1000, 1)} s, ${fmt(p.msPerNotification, 3)}, ${fmt(p.requestsPerNotification, 3)}, ${fmt(p.transitionsPer1k)}`,
      '',
    ]),
    ['6. API eventDetails (100 concurrent, warm; load generator in its own process)', '', ''],
    [
      'p50 / p95 / p99 (ms)',
      `${fmt(r.api.p50Ms)} / ${fmt(r.api.p95Ms)} / ${fmt(r.api.p99Ms)}`,
      `p95 < 50 ${mark(r.api.p95Ms < 50)}, p99 < 100 ${mark(r.api.p99Ms < 100)}; ${r.api.requests} requests, ${r.api.errors} errors`,
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
    ...(r.chart ? [`scale chart: ${r.chart}`] : []),
  ];
}
