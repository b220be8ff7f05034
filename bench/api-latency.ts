/**
 * Latency of eventDetails against a running API (npm run api, or a deployed stage with its API key), as a
 * latency benchmark is taken: a warm-up phase that is not counted, then the measured phase.
 *
 * - Warm-up: `warmupRequests` requests at full concurrency (default 5,000). It opens every connection of
 *   the keep-alive pool (opening 100 at once, some SYNs wait for a retransmission: a 1 s tail that is not
 *   the API's) and lets the JIT of both processes settle: measured from a cold process, the first ~1.5 s
 *   ran at half the steady throughput with medians of 55-100 ms, against ~22 ms after, so one request per
 *   connection left the warm-up inside the measurement.
 * - Measurement: `requests` requests with at most `concurrency` in flight, each timed from the send to the
 *   parsed answer. Enough of them for a stable p99 (the bench takes 10,000: its p99 is the 100th worst).
 *
 * The phases are announced on stderr (`phase: measure`, `phase: done`) so that a caller can take the
 * server's CPU over the measured phase only. The hit rate is the share of measured answers served from
 * the cache (cacheStatus HIT or STALE).
 *
 *   npx tsx bench/api-latency.ts [--url URL] [--event ID] [--requests N] [--warmup N] [--concurrency N]
 *     [--api-key KEY] [--cold]
 */
import { Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { parse } from '#cli/args';

export interface MeasureOptions {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  eventId: string;
  requests: number;
  concurrency: number;
  /** Requests sent before the measurement and not counted (default DEFAULT_WARMUP_REQUESTS). */
  warmupRequests?: number;
  /** Sent as x-api-key (AppSync API key auth). */
  apiKey?: string;
  /** No warm-up at all (measure a cold cache). */
  cold?: boolean;
}

export interface LatencyReport {
  /** Milliseconds, over the measured requests. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Share of measured answers served from the cache (0..1). */
  hitRate: number;
  /** Measured requests. */
  requests: number;
  errors: number;
  /** Requests sent before the measurement, not counted, and how many of them failed. */
  warmupRequests: number;
  warmupErrors: number;
  /** Measured requests per second. */
  throughput: number;
  /** The generator's own CPU time per measured request, ms. */
  cpuMsPerRequest: number;
}

/** A few thousand requests at full concurrency: about 1.5 s on the bench machine, past the JIT's warm-up. */
export const DEFAULT_WARMUP_REQUESTS = 5_000;

/** The stderr lines that mark the start and the end of the measured phase. */
export const PHASE_MEASURE = 'phase: measure';
export const PHASE_DONE = 'phase: done';

const QUERY =
  'query Details($eventId: ID!) { eventDetails(eventId: $eventId) { eventId name city timeZone url cacheStatus ' +
  'sales { saleId name type startsAt localStart { short } suppressed suppressionReasons } } }';

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

interface Outcome {
  ms: number;
  ok: boolean;
  status: string | undefined;
}

/**
 * One POST over a keep-alive agent of node:http(s), a client as light as the platform allows: the request
 * options and the body are built once (the body is the same for every request), so the generator's own
 * cost, which shares the machine with the server, stays small.
 */
function poster(options: MeasureOptions, agent: HttpAgent): () => Promise<Outcome> {
  const url = new URL(options.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = Buffer.from(JSON.stringify({ query: QUERY, variables: { eventId: options.eventId } }));
  const requestOptions: RequestOptions = {
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    method: 'POST',
    agent,
    headers: {
      'content-type': 'application/json',
      'content-length': body.length,
      ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
    },
  };
  return () =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const req = send(requestOptions, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          try {
            const answer = JSON.parse(text) as {
              data?: { eventDetails?: { cacheStatus?: string } | null } | null;
              errors?: unknown[];
            };
            const status = answer.data?.eventDetails?.cacheStatus;
            const ok = res.statusCode === 200 && !answer.errors && status !== undefined;
            resolve({ ms: performance.now() - started, ok, status });
          } catch (error: unknown) {
            reject(error);
          }
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}

interface Phase {
  latencies: number[];
  hits: number;
  errors: number;
}

/** `requests` requests by `concurrency` workers, each sending its next request when its answer is in. */
async function runPhase(post: () => Promise<Outcome>, requests: number, concurrency: number): Promise<Phase> {
  const phase: Phase = { latencies: [], hits: 0, errors: 0 };
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next += 1;
      try {
        const result = await post();
        phase.latencies.push(result.ms);
        if (!result.ok) phase.errors += 1;
        if (result.status === 'HIT' || result.status === 'STALE') phase.hits += 1;
      } catch {
        phase.errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return phase;
}

export async function measureEventDetails(options: MeasureOptions): Promise<LatencyReport> {
  const concurrency = Math.max(1, options.concurrency);
  const agent = new (new URL(options.url).protocol === 'https:' ? HttpsAgent : HttpAgent)({
    keepAlive: true,
    maxSockets: concurrency,
  });
  const post = poster(options, agent);
  // At least one request per connection, so that the measurement runs on open connections only.
  const warmupRequests = options.cold
    ? 0
    : Math.max(concurrency, options.warmupRequests ?? DEFAULT_WARMUP_REQUESTS);
  const warmup = await runPhase(post, warmupRequests, concurrency);
  process.stderr.write(`${PHASE_MEASURE}\n`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const measured = await runPhase(post, options.requests, concurrency);
  const elapsedS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  process.stderr.write(`${PHASE_DONE}\n`);
  agent.destroy();
  const { latencies, hits, errors } = measured;
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
    hitRate: latencies.length === 0 ? 0 : hits / latencies.length,
    requests: latencies.length,
    errors,
    warmupRequests,
    warmupErrors: warmup.errors,
    throughput: Math.round(latencies.length / elapsedS),
    cpuMsPerRequest:
      latencies.length === 0 ? 0 : Math.round((used.user + used.system) / latencies.length) / 1000,
  };
}

if (require.main === module) {
  const { values } = parse(process.argv.slice(2), {
    url: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
    event: { type: 'string', default: 'vvG1fZ4Ax3kTpQ' },
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '100' },
    warmup: { type: 'string', default: String(DEFAULT_WARMUP_REQUESTS) },
    'api-key': { type: 'string' },
    cold: { type: 'boolean', default: false },
  });
  measureEventDetails({
    url: values.url,
    eventId: values.event,
    requests: Number(values.requests),
    concurrency: Number(values.concurrency),
    warmupRequests: Number(values.warmup),
    cold: values.cold,
    ...(values['api-key'] ? { apiKey: values['api-key'] } : {}),
  }).then(
    (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
