import { emptyCounts } from '#bench/counting';
import { buildReport, formatReport } from '#bench/report';
import type { WindowResult } from '#bench/scenario';

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
    coldMissMs: 40,
    loadGenerator: 'own process' as const,
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
    const table = formatReport(report).join('\n');
    expect(table).toMatch(/p95 < 50 ok, p99 < 100 ok/);
    expect(table).toMatch(/cold miss \(event in no cache, one request\)\s+40 ms/);
  });
});
