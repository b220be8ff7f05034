import { emptyCounts } from '#bench/counting';
import { buildReport, formatReport, memoryFigures } from '#bench/report';
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
    acceptedPerSecond: [],
    perSale: [],
    peakRssMb: 100,
    peakHeapMb: 50,
    processes: [],
    cpu: [],
    ...overrides,
  };
}

describe('buildReport', () => {
  const api = {
    kind: 'api' as const,
    concurrency: 100,
    requests: 10,
    warmupRequests: 5,
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
    serverCpuMsPerRequest: 0.8,
    clientCpuMsPerRequest: 0.3,
  };

  const machine = { cpu: 'x', cores: 2, memoryGb: 4, node: 'v24', platform: 'linux' };
  const sale = (saleId: string, queued: number) => ({ saleId, queued, first: null, last: null });

  it('derives the ratios and checks them against the targets', () => {
    const throughput = windowResult({
      floor: {
        notifications: 1000,
        concurrency: 16,
        writes: 3000,
        durationMs: 8000,
        probes: [],
        cpu: [
          { name: 'pipeline', pid: 1, cpuSeconds: 3 },
          { name: 'dynalite-child.cjs', pid: 2, cpuSeconds: 4 },
        ],
      },
      cpu: [
        { name: 'pipeline', pid: 1, cpuSeconds: 5 },
        { name: 'sms-process-child.ts', pid: 3, cpuSeconds: 0.5 },
        { name: 'dynalite-child.cjs', pid: 2, cpuSeconds: 4.5 },
      ],
      discoveryByEvent: { a: 1, b: 2 },
    });
    const slower = windowResult({
      fans: 10_000,
      durationMs: 12_000,
      floor: { notifications: 1000, concurrency: 64, writes: 3000, durationMs: 8000, probes: [], cpu: [] },
    });
    const one = windowResult({
      mps: 100,
      achievedMps: 98.5,
      acceptedPerSecond: [100, 98, 97],
      perSale: [sale('S1', 6000), sale('S2', 0)],
      sms: { accepted: 6000, throttled: 0, rejected: {}, peakPerSecond: 100 },
    });
    const three = windowResult({
      mps: 100,
      achievedMps: 96,
      perSale: [sale('S1', 3600), sale('S2', 1800), sale('S3', 600)],
      sms: { accepted: 6000, throttled: 1, rejected: {}, peakPerSecond: 100 },
    });
    const report = buildReport({
      machine,
      date: '2026-11-28T00:00:00.000Z',
      totalMs: 1,
      throughput,
      floored: [slower, throughput],
      pacing: [
        { label: 'one sale', result: one },
        { label: 'three sales', result: three },
      ],
      scale: [throughput],
      api,
    });
    expect(report.floors.map((f) => [f.fans, f.ratio, f.met])).toEqual([
      [1000, 1.25, true],
      [10_000, 1.5, false],
    ]);
    // 1,000 notifications each: CPU seconds × 1000 ÷ 1000 = ms per notification, by process.
    expect(report.floors[0]?.cpuMsPerNotification).toEqual([
      { name: 'pipeline', run: 5, floor: 3 },
      { name: 'sms-process-child.ts', run: 0.5, floor: 0 },
      { name: 'dynalite-child.cjs', run: 4.5, floor: 4 },
    ]);
    expect(report.economy.per1k.transitions).toBe(20);
    expect(report.economy.per1k.lambdaInvocations).toBe(8);
    expect(report.economy.met.discovery).toBe(false);
    expect(report.economy.bitlyPerLink).toBe(1);
    expect(report.pacing.map((p) => [p.label, p.sales, p.met])).toEqual([
      ['one sale', 1, true],
      ['three sales', 3, false],
    ]);
    expect(report.pacing[1]?.share).toBeCloseTo(0.96);
    expect(report.scale[0]?.requestsPerNotification).toBe(3);
    expect(report.scale[0]?.msPerNotification).toBe(10);
    const table = formatReport(report).join('\n');
    expect(table).toMatch(/p95 < 50 ok, p99 < 100 ok/);
    expect(table).toMatch(/cold miss \(event in no cache, one request\)\s+40 ms/);
    expect(table).toMatch(/three sales: throttling errors\s+1\s+= 0 MISSED/);
  });

  it('reports each process and its growth from 10,000 fans to the biggest size', () => {
    const at = (fans: number, pipeline: number, store: number) =>
      windowResult({
        fans,
        processes: [
          { name: 'pipeline', pid: 1, peakRssMb: pipeline },
          { name: 'dynalite-child.cjs', pid: 2, peakRssMb: store },
        ],
      });
    const memory = memoryFigures([at(50_000, 550, 900), at(1000, 400, 150), at(10_000, 500, 300)]);

    expect(memory.points.map((p) => [p.fans, p.largestMb])).toEqual([
      [1000, 400],
      [10_000, 500],
      [50_000, 900],
    ]);
    expect(memory.growth?.byProcess.pipeline).toBeCloseTo(0.1);
    expect(memory.growth?.byProcess['dynalite-child.cjs']).toBeCloseTo(2);
    expect(memory.met).toEqual({ largest: true, growth: { pipeline: true, 'dynalite-child.cjs': false } });
  });
});
