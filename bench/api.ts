/**
 * eventDetails latency: the local GraphQL server (the AppSync-style front of the resolver Lambda) over the
 * session's stack, in this process; the load generator (bench/api-latency.ts) in a process of its own, so
 * the server and the client do not share an event loop. First one request for an event that is in no cache
 * (the cold miss: the events table is empty, so the resolver calls Discovery), then the events are seeded
 * and the warm figure is taken on the big event: one warm-up request per connection, then `requests` requests with
 * `concurrency` in flight. The hit rate is the share of answers served from the cache (cacheStatus HIT or
 * STALE); Discovery calls during the warm measurement are counted too.
 */
import { lastJsonLine, runChild, TSX } from '#cli/child';
import { type LambdaHandler, startApiServer } from '#local/api/server';
import { startSession } from '#local/session';
import type { LatencyReport } from './api-latency';

export interface ApiResult {
  kind: 'api';
  concurrency: number;
  requests: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  requestsPerSecond: number;
  hitRate: number;
  discoveryRequests: number;
  /** One request for an event in no cache (Discovery fetch, normalisation, table writes). */
  coldMissMs: number;
  /** Where the load generator ran. */
  loadGenerator: 'own process';
  /** CPU time per request of the server's process (GraphQL server, resolver, stack) and of the generator, ms. */
  serverCpuMsPerRequest: number;
  clientCpuMsPerRequest: number;
}

/** Runs bench/api-latency.ts in its own Node process and reads the report on its last stdout line. */
export async function runLoadGenerator(args: {
  url: string;
  eventId: string;
  requests: number;
  concurrency: number;
  cold?: boolean;
}): Promise<LatencyReport> {
  const argv = [
    'bench/api-latency.ts',
    '--url',
    args.url,
    '--event',
    args.eventId,
    '--requests',
    String(args.requests),
    '--concurrency',
    String(args.concurrency),
    ...(args.cold ? ['--cold'] : []),
  ];
  const { code, stdout, stderr } = await runChild(TSX, argv);
  if (code !== 0) throw new Error(`load generator exited with ${code}: ${stderr.trim()}`);
  const report = lastJsonLine<LatencyReport>(stdout);
  if (report === undefined) throw new Error(`load generator printed no report: ${stderr.trim()}`);
  return report;
}

export async function measureApi(
  concurrency: number,
  requests: number,
  eventId: string,
  coldEventId: string,
): Promise<ApiResult> {
  const session = await startSession({ logLevel: 'ERROR', delivery: false });
  try {
    const { handler } = (await import('#functions/api/handler')) as { handler: LambdaHandler };
    const server = await startApiServer({ handler, port: 0 });
    try {
      const cold = await runLoadGenerator({
        url: server.url,
        eventId: coldEventId,
        requests: 1,
        concurrency: 1,
        cold: true,
      });
      if (cold.errors > 0 || cold.hitRate > 0) {
        throw new Error(`the cold request for ${coldEventId} was not a successful miss`);
      }
      await session.seedEvents();
      const { discovery } = session.stack.sandboxes;
      discovery.resetCounters();
      const cpu = process.cpuUsage();
      const report = await runLoadGenerator({ url: server.url, eventId, requests, concurrency });
      const used = process.cpuUsage(cpu);
      return {
        kind: 'api',
        concurrency,
        requests: report.requests,
        errors: report.errors,
        p50Ms: report.p50,
        p95Ms: report.p95,
        p99Ms: report.p99,
        maxMs: report.max,
        requestsPerSecond: report.throughput,
        hitRate: report.hitRate,
        discoveryRequests: discovery.counters.requests,
        coldMissMs: cold.p50,
        loadGenerator: 'own process',
        // The warm-up requests (one per connection) are served too.
        serverCpuMsPerRequest: (used.user + used.system) / 1000 / (report.requests + concurrency),
        clientCpuMsPerRequest: report.cpuMsPerRequest,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await session.stop();
  }
}
