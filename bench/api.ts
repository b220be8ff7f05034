/**
 * eventDetails latency: the local GraphQL server (the AppSync-style front of the resolver Lambda) over the
 * session's stack, in this process; the load generator (bench/api-latency.ts) in a process of its own, so
 * the server and the client do not share an event loop. First one request for an event that is in no cache
 * (the cold miss: the events table is empty, so the resolver calls Discovery), then the events are seeded
 * and the warm figure is taken on the big event: a warm-up phase of `warmupRequests` requests at full
 * concurrency that is not counted (it opens the connections and lets the JIT of both processes settle; see
 * bench/api-latency.ts), then `requests` measured requests with `concurrency` in flight. The hit rate is the
 * share of answers served from the cache (cacheStatus HIT or STALE); Discovery calls during the warm run
 * are counted too. The server's CPU is taken between the generator's phase marks, so it is the measured
 * requests' only.
 */
import { lastJsonLine, runChild, TSX } from '#cli/child';
import { type LambdaHandler, startApiServer } from '#local/api/server';
import { startSession } from '#local/session';
import { DEFAULT_WARMUP_REQUESTS, type LatencyReport, PHASE_DONE, PHASE_MEASURE } from './api-latency';

/**
 * Node flags of the process that hosts the API server (this scenario's, and `npm run api`'s): a young
 * generation of 64 MB semi-spaces instead of V8's default of 16 MB. With 100 requests in flight, each
 * request's garbage (graphql-js's execution, the resolver's view, the HTTP objects) outlives more of the
 * small scavenges; measured back to back, 3,046 → 3,671 requests/s and 0.40 → 0.32 ms of server CPU per
 * request. V8 sizes the heap when the process starts, so it has to be a flag of the process.
 */
export const API_SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

export interface ApiResult {
  kind: 'api';
  concurrency: number;
  /** Measured requests. */
  requests: number;
  /** Requests of the warm-up phase before them, not counted. */
  warmupRequests: number;
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
  /**
   * CPU time per measured request of the server's process (GraphQL server, resolver, stack) and of the
   * generator, ms.
   */
  serverCpuMsPerRequest: number;
  clientCpuMsPerRequest: number;
}

/** Runs bench/api-latency.ts in its own Node process and reads the report on its last stdout line. */
export async function runLoadGenerator(args: {
  url: string;
  eventId: string;
  requests: number;
  concurrency: number;
  warmupRequests?: number;
  cold?: boolean;
  /** Called when the generator starts and ends its measured phase. */
  onPhase?: (phase: 'measure' | 'done') => void;
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
    ...(args.warmupRequests === undefined ? [] : ['--warmup', String(args.warmupRequests)]),
    ...(args.cold ? ['--cold'] : []),
  ];
  const { code, stdout, stderr } = await runChild(TSX, argv, {
    onStderrLine: (line) => {
      if (line === PHASE_MEASURE) args.onPhase?.('measure');
      else if (line === PHASE_DONE) args.onPhase?.('done');
    },
  });
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
  warmupRequests = DEFAULT_WARMUP_REQUESTS,
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
      let cpu = process.cpuUsage();
      let used = { user: 0, system: 0 };
      const report = await runLoadGenerator({
        url: server.url,
        eventId,
        requests,
        concurrency,
        warmupRequests,
        onPhase: (phase) => {
          if (phase === 'measure') cpu = process.cpuUsage();
          else used = process.cpuUsage(cpu);
        },
      });
      return {
        kind: 'api',
        concurrency,
        requests: report.requests,
        warmupRequests: report.warmupRequests,
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
        serverCpuMsPerRequest: (used.user + used.system) / 1000 / report.requests,
        clientCpuMsPerRequest: report.cpuMsPerRequest,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await session.stop();
  }
}
