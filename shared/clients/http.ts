/**
 * One HTTP request over node:http / node:https with a keep-alive agent per protocol: one time-out per
 * request, JSON parsing, and the mapping of transport failures to the typed errors of ./errors. Status
 * codes are left to each client, which knows its provider's error body. Not the global fetch: per request
 * it cost about twice the client CPU (web streams, its own promise chain), and every window run makes one
 * request per SMS.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
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
  /** Header names in lower case, as node:http gives them. */
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
  /** True when the body was non-empty but did not parse as JSON. */
  malformed: boolean;
}

/**
 * Connections are kept open between requests (a provider call then costs no TCP or TLS handshake), for
 * every client of the process, as the AWS SDK keeps its own. An idle connection is closed by us before the
 * server closes it: a request sent on a connection at the moment the server closes it fails with
 * ECONNRESET, which for an SMS is an ambiguous failure (the pipeline must ask the provider before sending
 * again). Node's agent closes idle sockets after `timeout`, or 1 s before the server's `Keep-Alive:
 * timeout=N` hint when that is sooner, but ignores the hint when no `timeout` is set
 * (https://nodejs.org/api/http.html#new-agentoptions).
 */
const IDLE_CONNECTION_MS = 4_000;
const transports = {
  'http:': { request: http.request, agent: new http.Agent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }) },
  'https:': {
    request: https.request,
    agent: new https.Agent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
  },
} as const;

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let i = 0; i < 5 && typeof current === 'object' && current !== null; i += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}

function parsed(status: number, headers: IncomingHttpHeaders, text: string): HttpResponse {
  let json: unknown;
  let malformed = false;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      malformed = true;
    }
  }
  return { status, headers, text, json, malformed };
}

/** Sends one request. Throws ProviderTimeoutError or ProviderUnavailableError when no response arrives. */
export function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const base = { provider: req.provider, operation: req.operation };
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    // Nothing was sent. Not the parser's error: its message repeats the URL, which may carry a key.
    return Promise.reject(new ProviderUnavailableError({ ...base, code: 'INVALID_URL', ambiguous: false }));
  }
  const transport =
    url.protocol === 'https:' || url.protocol === 'http:' ? transports[url.protocol] : undefined;
  if (!transport) {
    // Nothing was sent: a configuration error, not an outage.
    return Promise.reject(
      new ProviderUnavailableError({ ...base, code: 'UNSUPPORTED_PROTOCOL', ambiguous: false }),
    );
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    let timedOut = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (timedOut) {
        reject(new ProviderTimeoutError({ ...base, timeoutMs: req.timeoutMs, cause: error }));
        return;
      }
      const code = networkCode(error);
      // A refused connection never reached the provider; anything else may have been processed.
      reject(
        new ProviderUnavailableError({
          ...base,
          ...(code === undefined ? {} : { code }),
          ambiguous: code !== 'ECONNREFUSED' && code !== 'ENOTFOUND',
          cause: error,
        }),
      );
    };
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const request = transport.request(
      url,
      { method: req.method, headers, agent: transport.agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(parsed(response.statusCode ?? 0, response.headers, Buffer.concat(chunks).toString('utf8')));
        });
        // Closed before its end: the connection dropped in the middle of the body.
        response.on('close', () => {
          if (!response.complete)
            fail(Object.assign(new Error('response closed before its end'), { code: 'ECONNRESET' }));
        });
      },
    );
    request.on('error', fail);
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(new Error(`no answer within ${req.timeoutMs} ms`));
    }, req.timeoutMs);
    request.end(req.body);
  });
}

/** Retry-After in milliseconds (seconds or HTTP date), if the response carries one. */
export function retryAfterMs(headers: IncomingHttpHeaders, now: number = Date.now()): number | undefined {
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
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
