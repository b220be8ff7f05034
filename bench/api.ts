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
 * generation of two 128 MB semi-spaces from the start. Node 24's default here is already up to 64 MB, but
 * V8 grows a semi-space only when much of it survives, so a larger maximum alone changes nothing (measured:
 * 39 and 41 scavenges); the minimum makes it so. With 100 requests in flight each scavenge copies (and
 * promotes) the live requests' objects, ~5 MB, a pause of 20-40 ms on the shared 2 cores that every
 * request in flight waits out: half as many scavenges, half as many such pauses (one run of 5,000 + 10,000
 * requests: 14 scavenges instead of 39). The cost is up to 256 MB of young generation, for a local server.
 * V8 sizes the heap when the process starts, so these have to be flags of the process.
 */
export const API_SERVER_NODE_FLAGS: readonly string[] = [
  '--min-semi-space-size=128',
  '--max-semi-space-size=128',
];

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
