/**
 * Latency of eventDetails against a running API (npm run api, or a deployed stage with its API key):
 * one warm-up request, then `requests` requests with at most `concurrency` in flight. The hit rate is
 * the share of answers served from the cache (cacheStatus HIT or STALE).
 *
 *   npx tsx bench/api-latency.ts [--url URL] [--event ID] [--requests N] [--concurrency N] [--api-key KEY] [--cold]
 */
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

async function once(options: MeasureOptions): Promise<{ ms: number; status?: string; ok: boolean }> {
  const started = performance.now();
  const response = await fetch(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
    },
    body: JSON.stringify({ query: QUERY, variables: { eventId: options.eventId } }),
  });
  const body = (await response.json()) as {
    data?: { eventDetails?: { cacheStatus?: string } | null } | null;
    errors?: unknown[];
  };
  const ms = performance.now() - started;
  const status = body.data?.eventDetails?.cacheStatus;
  return { ms, ok: response.ok && !body.errors && status !== undefined, ...(status ? { status } : {}) };
}

export async function measureEventDetails(options: MeasureOptions): Promise<LatencyReport> {
  if (!options.cold) await once(options);
  const latencies: number[] = [];
  let hits = 0;
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.requests) {
      next += 1;
      try {
        const result = await once(options);
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
