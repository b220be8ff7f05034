/**
 * Ticketmaster Discovery API v2 client. Returns the raw JSON: parsing into the domain model belongs to
 * shared/domain. One token bucket per instance keeps us under Discovery's 5 requests a second; 429,
 * 5xx and time-outs are retried with backoff, 404 is DiscoveryNotFoundError at once.
 */
import {
  DiscoveryNotFoundError,
  ProviderMalformedResponseError,
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderUnavailableError,
} from './errors';
import { type HttpResponse, httpRequest, retryAfterMs, withRetries } from './http';
import { TokenBucket } from './rate-limiter';

export const DISCOVERY_DEFAULT_BASE_URL = 'https://app.ticketmaster.com/discovery/v2';

export interface DiscoveryClientOptions {
  /** e.g. https://app.ticketmaster.com/discovery/v2 (no trailing slash needed). */
  baseUrl: string;
  apiKey: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Retries after the first attempt for 429/5xx/time-out; default 3. */
  maxRetries?: number;
  /** Default 5 (Discovery's per-second quota). */
  requestsPerSecond?: number;
  /** First backoff step; default 250 ms (doubles, full jitter, capped at 5 s). */
  retryBaseDelayMs?: number;
}

/** Discovery error bodies: `{ errors: [{ code, detail, status }] }` or Apigee's `{ fault: { detail: { errorcode } } }`. */
function discoveryErrorCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (Array.isArray(errors)) {
    const code = (errors[0] as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') return code;
  }
  const fault = (body as { fault?: { detail?: { errorcode?: unknown } } }).fault;
  const errorcode = fault?.detail?.errorcode;
  return typeof errorcode === 'string' ? errorcode : undefined;
}

export class DiscoveryClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly limiter: TokenBucket;

  constructor(opts: DiscoveryClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.apiKey = opts.apiKey;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxRetries = opts.maxRetries ?? 3;
    this.retryBaseDelayMs = opts.retryBaseDelayMs ?? 250;
    // No burst: evenly spaced requests leave the provider's own bucket slack for network jitter.
    this.limiter = new TokenBucket(opts.requestsPerSecond ?? 5, 1);
  }

  /** GET /events/{id}.json?locale=* (all locales unless one is asked for). */
  getEvent(eventId: string, opts: { locale?: string } = {}): Promise<unknown> {
    const path = `/events/${encodeURIComponent(eventId)}.json`;
    return this.get('getEvent', path, { locale: opts.locale ?? '*' }, eventId);
  }

  /** GET /events.json with Discovery's search parameters (id, keyword, size, page, ...). */
  searchEvents(params: Record<string, string>): Promise<unknown> {
    return this.get('searchEvents', '/events.json', params);
  }

  private get(
    operation: string,
    path: string,
    params: Record<string, string>,
    eventId?: string,
  ): Promise<unknown> {
    const query = new URLSearchParams({ apikey: this.apiKey, ...params });
    const url = `${this.baseUrl}${path}?${query.toString()}`;
    return withRetries(
      async () => {
        await this.limiter.take();
        const res = await httpRequest({
          provider: 'discovery',
          operation,
          method: 'GET',
          url,
          headers: { accept: 'application/json' },
          timeoutMs: this.timeoutMs,
        });
        return this.interpret(operation, res, eventId);
      },
      { maxRetries: this.maxRetries, baseDelayMs: this.retryBaseDelayMs, maxDelayMs: 5_000 },
    );
  }

  private interpret(operation: string, res: HttpResponse, eventId: string | undefined): unknown {
    const base = { provider: 'discovery' as const, operation, httpStatus: res.status };
    const code = discoveryErrorCode(res.json);
    const withCode = code === undefined ? base : { ...base, code };
    if (res.status >= 200 && res.status < 300) {
      if (res.malformed || typeof res.json !== 'object' || res.json === null) {
        throw new ProviderMalformedResponseError(base);
      }
      return res.json;
    }
    if (res.status === 404 && eventId !== undefined) {
      throw new DiscoveryNotFoundError({ ...withCode, eventId });
    }
    if (res.status === 429) {
      const after = retryAfterMs(res.headers);
      throw new ProviderRateLimitedError(
        after === undefined ? withCode : { ...withCode, retryAfterMs: after },
      );
    }
    if (res.status >= 500) throw new ProviderUnavailableError(withCode);
    throw new ProviderRejectedError(withCode);
  }
}
