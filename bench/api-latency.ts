/**
 * Latency of eventDetails against a running API (npm run api, or a deployed stage with its API key):
 * one warm-up request per connection, then `requests` requests with at most `concurrency` in flight. The hit rate is
 * the share of answers served from the cache (cacheStatus HIT or STALE).
 *
 *   npx tsx bench/api-latency.ts [--url URL] [--event ID] [--requests N] [--concurrency N] [--api-key KEY] [--cold]
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { parse } from '#cli/args';

export interface MeasureOptions {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  eventId: string;
  requests: number;
  concurrency: number;
  /** Sent as x-api-key (AppSync API key auth). */
  apiKey?: string;
  /** Skip the warm-up request (measure a cold cache). */
  cold?: boolean;
}

export interface LatencyReport {
  /** Milliseconds. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Share of answers served from the cache (0..1). */
  hitRate: number;
  requests: number;
  errors: number;
  /** Requests per second over the whole run. */
  throughput: number;
  /** The generator's own CPU time per request, ms. */
  cpuMsPerRequest: number;
}

const QUERY =
  'query Details($eventId: ID!) { eventDetails(eventId: $eventId) { eventId name city timeZone url cacheStatus ' +
  'sales { saleId name type startsAt localStart { short } suppressed suppressionReasons } } }';

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

/**
 * One POST over a keep-alive agent of node:http(s): a client as light as the platform allows, so the
 * generator's own cost (it shares the machine) stays small next to the server's.
 */
function post(
  url: URL,
  agent: HttpAgent,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function once(
  options: MeasureOptions,
  agent: HttpAgent,
): Promise<{ ms: number; status?: string; ok: boolean }> {
  const started = performance.now();
  const response = await post(
    new URL(options.url),
    agent,
    {
      'content-type': 'application/json',
      ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
    },
    JSON.stringify({ query: QUERY, variables: { eventId: options.eventId } }),
  );
  const body = JSON.parse(response.text) as {
    data?: { eventDetails?: { cacheStatus?: string } | null } | null;
    errors?: unknown[];
  };
  const ms = performance.now() - started;
  const status = body.data?.eventDetails?.cacheStatus;
  const ok = response.status === 200 && !body.errors && status !== undefined;
  return { ms, ok, ...(status ? { status } : {}) };
}

export async function measureEventDetails(options: MeasureOptions): Promise<LatencyReport> {
  const agent = new (new URL(options.url).protocol === 'https:' ? HttpsAgent : HttpAgent)({
    keepAlive: true,
    maxSockets: Math.max(1, options.concurrency),
  });
  // Warm-up: one request per connection of the pool, so that the measurement runs on open keep-alive
  // connections (opening 100 at once, some SYNs wait for a retransmission, a 1 s tail that is not the API's).
  if (!options.cold) {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, () => once(options, agent)));
  }
  const latencies: number[] = [];
  let hits = 0;
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const worker = async () => {
    while (next < options.requests) {
      next += 1;
      try {
        const result = await once(options, agent);
        latencies.push(result.ms);
        if (!result.ok) errors += 1;
        if (result.status === 'HIT' || result.status === 'STALE') hits += 1;
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  agent.destroy();
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
    'api-key': { type: 'string' },
    cold: { type: 'boolean', default: false },
  });
  measureEventDetails({
    url: values.url,
    eventId: values.event,
    requests: Number(values.requests),
    concurrency: Number(values.concurrency),
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
