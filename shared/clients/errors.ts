/**
 * Typed errors of the provider clients. Step Functions `Retry`/`Catch` match on error *names*, so the
 * `name` of every class below is part of the contract (listed in ./README.md): do not rename.
 *
 * Messages name the provider, the operation and the HTTP status or code, never contact data, URLs
 * with credentials, or the provider's own message text (which may echo a phone number or address).
 */

export type ProviderName = 'discovery' | 'bitly' | 'sms' | 'email';

export interface ProviderErrorDetails {
  provider: ProviderName;
  /** What we were doing: 'getEvent', 'searchEvents', 'shorten', 'send'. */
  operation: string;
  httpStatus?: number;
  /** The provider's error code (Twilio 21211, Bitly 'FORBIDDEN', SES 'MessageRejected', 'ECONNRESET'...). */
  code?: number | string;
  retryable: boolean;
  timedOut?: boolean;
  /**
   * True when the request may have reached the provider and been processed although we got no answer
   * (time-out, connection dropped after sending): a blind resend could duplicate a message.
   */
  ambiguous?: boolean;
  cause?: unknown;
}

function describe(d: ProviderErrorDetails, what: string): string {
  const parts = [`${d.provider} ${d.operation}: ${what}`];
  if (d.httpStatus !== undefined) parts.push(`HTTP ${d.httpStatus}`);
  if (d.code !== undefined) parts.push(`code ${d.code}`);
  return parts.join(', ');
}

export class ProviderError extends Error {
  readonly provider: ProviderName;
  readonly operation: string;
  readonly httpStatus?: number;
  readonly code?: number | string;
  readonly retryable: boolean;
  readonly timedOut?: boolean;
  readonly ambiguous: boolean;

  constructor(details: ProviderErrorDetails, what = 'provider error') {
    super(describe(details, what), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ProviderError';
    this.provider = details.provider;
    this.operation = details.operation;
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
    if (details.code !== undefined) this.code = details.code;
    this.retryable = details.retryable;
    if (details.timedOut !== undefined) this.timedOut = details.timedOut;
    this.ambiguous = details.ambiguous ?? false;
  }
}

type Details = Omit<ProviderErrorDetails, 'retryable'> & { retryable?: boolean };

/** No answer within the time-out (PERF-003: 30 s for a send). Retryable; the request may have been processed. */
export class ProviderTimeoutError extends ProviderError {
  readonly timeoutMs: number;
  constructor(details: Details & { timeoutMs: number }) {
    super(
      { ambiguous: true, ...details, retryable: true, timedOut: true },
      `no answer within ${details.timeoutMs} ms`,
    );
    this.name = 'ProviderTimeoutError';
    this.timeoutMs = details.timeoutMs;
  }
}

/** HTTP 429, Twilio 20429, SES TooManyRequests/Throttling. Retryable after a pause. */
export class ProviderRateLimitedError extends ProviderError {
  readonly retryAfterMs?: number;
  constructor(details: Details & { retryAfterMs?: number }) {
    super({ ...details, retryable: true }, 'rate limited');
    this.name = 'ProviderRateLimitedError';
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** 5xx, or the connection failed. Retryable. */
export class ProviderUnavailableError extends ProviderError {
  constructor(details: Details) {
    super({ ...details, retryable: details.retryable ?? true }, 'unavailable');
    this.name = 'ProviderUnavailableError';
  }
}

/** 4xx with the provider's code: the request itself is wrong (invalid number, opted out, bad key). Permanent. */
export class ProviderRejectedError extends ProviderError {
  constructor(details: Details, what = 'rejected') {
    super({ ...details, retryable: details.retryable ?? false }, what);
    this.name = 'ProviderRejectedError';
  }
}

/** A 2xx answer whose body is not what the wire format promises (truncated or invalid JSON, missing fields). */
export class ProviderMalformedResponseError extends ProviderError {
  constructor(details: Details) {
    super({ ...details, retryable: details.retryable ?? true }, 'malformed response');
    this.name = 'ProviderMalformedResponseError';
  }
}

/** Discovery answered 404 for an event id: the event is gone (or never existed). Permanent. */
export class DiscoveryNotFoundError extends ProviderRejectedError {
  readonly eventId: string;
  constructor(details: Omit<Details, 'provider'> & { eventId: string }) {
    super({ ...details, provider: 'discovery', retryable: false }, 'event not found');
    this.name = 'DiscoveryNotFoundError';
    this.eventId = details.eventId;
  }
}

/**
 * The provider refused the run's own configuration (credentials, account, permissions, template): every
 * send would fail the same way, so Send stops and fails its Task with this error, which no `Retry` lists.
 * The notifications stay resendable (none is failed); a redrive after the fix resumes them.
 */
export class ProviderConfigurationError extends Error {
  readonly provider: ProviderName;
  readonly reason: string;

  constructor(error: ProviderError, reason: string) {
    const parts = [`${error.provider} ${error.operation}: the provider refused the configuration (${reason}`];
    if (error.httpStatus !== undefined) parts.push(`HTTP ${error.httpStatus}`);
    if (error.code !== undefined) parts.push(`code ${error.code}`);
    super(
      `${parts.join(', ')}); no notification was failed: fix the ${error.provider} credentials or settings, then redrive the run`,
    );
    this.name = 'ProviderConfigurationError';
    this.provider = error.provider;
    this.reason = reason;
  }
}

/** Every error name a Step Functions `Retry` may list for provider trouble worth retrying. */
export const RETRYABLE_PROVIDER_ERROR_NAMES = [
  'ProviderTimeoutError',
  'ProviderRateLimitedError',
  'ProviderUnavailableError',
  'ProviderMalformedResponseError',
] as const;

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
