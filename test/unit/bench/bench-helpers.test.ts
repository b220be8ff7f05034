import { scaleChartSvg } from '../../../bench/chart';
import { costOf, costPerMillion, gbSeconds, PRICES } from '../../../bench/cost';
import { emptyCounts, operationOf } from '../../../bench/counting';
import { buildReport } from '../../../bench/report';
import type { WindowResult } from '../../../bench/scenario';
import { percentile, perThousand, round } from '../../../bench/stats';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });

  it('does not reorder the samples it is given', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('perThousand and round', () => {
  it('scales counts to 1,000 notifications', () => {
    expect(perThousand(150, 50_000)).toBe(3);
    expect(perThousand(5, 0)).toBe(0);
    expect(round(1.23456, 2)).toBe(1.23);
  });
});

describe('cost model', () => {
  it('prices transitions, Lambda, DynamoDB and Kinesis at the public rates', () => {
    const cost = costOf({
      transitions: 1000,
      lambdaInvocations: 1_000_000,
      lambdaGbSeconds: 1,
      dynamoWriteUnits: 1_000_000,
      dynamoReadUnits: 1_000_000,
      kinesisPuts: 0,
    });
    expect(cost.stepFunctions).toBeCloseTo(0.025, 10);
    expect(cost.lambda).toBeCloseTo(0.2 + PRICES.lambdaGbSecond, 10);
    expect(cost.dynamodb).toBeCloseTo(1.25 + 0.25, 10);
    expect(cost.total).toBeCloseTo(0.025 + 0.2 + PRICES.lambdaGbSecond + 1.5, 10);
  });

  it('scales linearly to a million notifications', () => {
    const usage = {
      transitions: 30,
      lambdaInvocations: 0,
      lambdaGbSeconds: 0,
      dynamoWriteUnits: 3000,
      dynamoReadUnits: 0,
      kinesisPuts: 0,
    };
    const perMillion = costPerMillion(usage, 1000);
    expect(perMillion.stepFunctions).toBeCloseTo(30 * 1000 * PRICES.transition, 10);
    expect(perMillion.dynamodb).toBeCloseTo(3_000_000 * PRICES.writeUnit, 10);
    expect(costPerMillion(usage, 0).total).toBe(0);
  });

  it('computes GB-seconds from milliseconds and MB', () => {
    expect(gbSeconds(2000, 512)).toBe(1);
    expect(gbSeconds(1000, 1024)).toBe(1);
  });
});

describe('operationOf', () => {
  it('names document-client and low-level commands alike', () => {
    expect(operationOf('PutCommand')).toBe('PutItem');
    expect(operationOf('PutItemCommand')).toBe('PutItem');
    expect(operationOf('BatchGetCommand')).toBe('BatchGetItem');
    expect(operationOf('QueryCommand')).toBe('Query');
    expect(operationOf('PutRecordsCommand')).toBe('PutRecords');
    expect(operationOf(undefined)).toBe('Unknown');
  });
});

function windowResult(overrides: Partial<WindowResult>): WindowResult {
  return {
    kind: 'window',
    fans: 1000,
    mps: null,
    status: 'SUCCEEDED',
    durationMs: 10_000,
    handed: 1000,
    sales: { total: 2, suppressed: 0, processed: 2 },
    totals: {},
    transitions: 20,
    invocations: { 'render-page': 4, 'send-page': 4 },
    handlerMs: {},
    lambdaGbSeconds: 2,
    aws: { ...emptyCounts(), calls: { 'dynamodb:PutItem': 1000, 'dynamodb:UpdateItem': 2000 } },
    discoveryRequests: 0,
    discoveryByEvent: {},
    bitlyCalls: 2,
    bitlyCreated: 2,
    eventsInWindow: 2,
    sms: { accepted: 1000, throttled: 0, rejected: {}, peakPerSecond: 100 },
    achievedMps: 0,
    peakRssMb: 100,
    peakHeapMb: 50,
    ...overrides,
  };
}

describe('buildReport', () => {
  const api = {
    kind: 'api' as const,
    concurrency: 100,
    requests: 10,
    errors: 0,
    p50Ms: 1,
    p95Ms: 2,
    p99Ms: 3,
    maxMs: 4,
    requestsPerSecond: 10,
    hitRate: 1,
    discoveryRequests: 0,
  };

  it('derives the ratios and checks them against the targets', () => {
    const throughput = windowResult({
      floor: { notifications: 1000, concurrency: 16, writes: 3000, durationMs: 8000, probes: [] },
      discoveryByEvent: { a: 1, b: 2 },
    });
    const pacing = windowResult({
      mps: 100,
      achievedMps: 96,
      sms: { accepted: 3000, throttled: 1, rejected: {}, peakPerSecond: 100 },
    });
    const report = buildReport({
      machine: { cpu: 'x', cores: 2, memoryGb: 4, node: 'v24', platform: 'linux' },
      date: '2026-11-28T00:00:00.000Z',
      totalMs: 1,
      throughput,
      pacing,
      scale: [throughput],
      api,
    });
    expect(report.floor.ratio).toBeCloseTo(1.25);
    expect(report.floor.met).toBe(true);
    expect(report.economy.per1k.transitions).toBe(20);
    expect(report.economy.per1k.lambdaInvocations).toBe(8);
    expect(report.economy.met.discovery).toBe(false);
    expect(report.economy.bitlyPerLink).toBe(1);
    expect(report.pacing.share).toBeCloseTo(0.96);
    expect(report.pacing.met).toBe(false);
    expect(report.scale[0]?.requestsPerNotification).toBe(3);
    expect(report.scale[0]?.msPerNotification).toBe(10);
  });
});

describe('scaleChartSvg', () => {
  it('draws one point per size in both panels', () => {
    const svg = scaleChartSvg([
      { fans: 1000, msPerNotification: 20, requestsPerNotification: 3.2 },
      { fans: 10_000, msPerNotification: 18, requestsPerNotification: 3.1 },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg).toContain('10,000');
  });
});
