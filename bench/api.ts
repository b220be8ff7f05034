/**
 * eventDetails latency on a warm cache: the local GraphQL server (the AppSync-style front of the resolver
 * Lambda) over the session's stack, measured with measureEventDetails (bench/api-latency.ts): one warm-up
 * request, then `requests` requests with `concurrency` in flight. The hit rate is the share of answers
 * served from the cache (cacheStatus HIT or STALE); Discovery calls during the measurement are counted too.
 */
import { type LambdaHandler, startApiServer } from '#local/api/server';
import { startSession } from '#local/session';
import { measureEventDetails } from './api-latency';

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
}

export async function measureApi(concurrency: number, requests: number, eventId: string): Promise<ApiResult> {
  const session = await startSession({ logLevel: 'ERROR', delivery: false });
  try {
    await session.seedEvents();
    const { handler } = (await import('#functions/api/handler')) as { handler: LambdaHandler };
    const server = await startApiServer({ handler, port: 0 });
    try {
      const { discovery } = session.stack.sandboxes;
      discovery.resetCounters();
      const report = await measureEventDetails({ url: server.url, eventId, requests, concurrency });
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
      };
    } finally {
      await server.stop();
    }
  } finally {
    await session.stop();
  }
}
