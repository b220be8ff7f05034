/**
 * A small wrapper around Node's global fetch: one time-out per request, JSON parsing, and the mapping
 * of transport failures to the typed errors of ./errors. Status codes are left to each client, which
 * knows its provider's error body.
 */
import {
  ProviderError,
  type ProviderName,
  ProviderRateLimitedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from './errors';
import { sleep } from './rate-limiter';

export interface HttpRequest {
  provider: ProviderName;
  operation: string;
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
  /** True when the body was non-empty but did not parse as JSON. */
  malformed: boolean;
}

// Duck-typed on purpose: fetch's errors may come from another realm (instanceof Error fails there).
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let i = 0; i < 5 && typeof current === 'object' && current !== null; i += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}

function isAbort(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** Sends one request. Throws ProviderTimeoutError or ProviderUnavailableError when no response arrives. */
export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const base = { provider: req.provider, operation: req.operation };
  let response: Response;
  let text: string;
  try {
    const init: RequestInit = { method: req.method, signal: AbortSignal.timeout(req.timeoutMs) };
    if (req.headers) init.headers = req.headers;
    if (req.body !== undefined) init.body = req.body;
    response = await fetch(req.url, init);
    text = await response.text();
  } catch (error: unknown) {
    if (isAbort(error)) {
      throw new ProviderTimeoutError({ ...base, timeoutMs: req.timeoutMs, cause: error });
    }
    const code = networkCode(error);
    // A refused connection never reached the provider; anything else may have been processed.
    throw new ProviderUnavailableError({
      ...base,
      ...(code === undefined ? {} : { code }),
      ambiguous: code !== 'ECONNREFUSED' && code !== 'ENOTFOUND',
      cause: error,
    });
  }
  let json: unknown;
  let malformed = false;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      malformed = true;
    }
  }
  return { status: response.status, headers: response.headers, text, json, malformed };
}

/** Retry-After in milliseconds (seconds or HTTP date), if the response carries one. */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RetryOptions {
  /** Retries after the first attempt (0 = one attempt). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
}

/** Full-jitter exponential backoff; a rate-limit error's retryAfterMs is a floor. */
export function backoffMs(attempt: number, error: ProviderError, opts: RetryOptions): number {
  const random = opts.random ?? Math.random;
  const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** attempt);
  const jittered = Math.round(random() * cap);
  const floor = error instanceof ProviderRateLimitedError ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(jittered, floor);
}

/** Runs `fn` and retries it while it throws a retryable ProviderError. */
export async function withRetries<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (error: unknown) {
      if (!(error instanceof ProviderError) || !error.retryable || attempt >= opts.maxRetries) throw error;
      await sleep(backoffMs(attempt, error, opts));
    }
  }
}
