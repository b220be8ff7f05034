/**
 * Classification of SMS provider failures (Twilio error codes and HTTP statuses) as a pure function:
 * retryable errors get another attempt (up to MAX_SEND_ATTEMPTS), permanent ones fail at once, and
 * numbers that are opted out or unusable also go to the opt-out table.
 */

export interface ProviderFailure {
  httpStatus?: number;
  /** Provider error code, e.g. Twilio 21211 (number or numeric string). */
  code?: number | string;
  /** No answer within the send time-out (30 s, PERF-003). */
  timedOut?: boolean;
  /** Connection refused/reset before any HTTP answer. */
  networkError?: boolean;
}

export interface ProviderErrorClass {
  kind: 'retryable' | 'permanent';
  /** Add the contact to the opt-out table: never send to it again. */
  optOut: boolean;
  reason: string;
}

export const SEND_TIMEOUT_MS = 30_000;

/** Provider codes with a fixed meaning, whatever the HTTP status. */
export const PROVIDER_CODES: Readonly<Record<string, ProviderErrorClass>> = Object.freeze({
  '20429': { kind: 'retryable', optOut: false, reason: 'RATE_LIMITED' },
  '21211': { kind: 'permanent', optOut: true, reason: 'INVALID_NUMBER' },
  '21614': { kind: 'permanent', optOut: true, reason: 'NOT_MOBILE' },
  '21610': { kind: 'permanent', optOut: true, reason: 'OPTED_OUT' },
  '30005': { kind: 'permanent', optOut: true, reason: 'UNKNOWN_DESTINATION' },
  '30006': { kind: 'permanent', optOut: true, reason: 'LANDLINE' },
  '30007': { kind: 'permanent', optOut: false, reason: 'FILTERED' },
});

export function classifyProviderError(failure: ProviderFailure): ProviderErrorClass {
  const code = failure.code === undefined ? undefined : String(failure.code).trim();
  const known = code === undefined ? undefined : PROVIDER_CODES[code];
  if (known) return { ...known };
  if (failure.timedOut) return { kind: 'retryable', optOut: false, reason: 'TIMEOUT' };
  const status = failure.httpStatus;
  if (status !== undefined) {
    if (status === 429) return { kind: 'retryable', optOut: false, reason: 'RATE_LIMITED' };
    if (status === 408) return { kind: 'retryable', optOut: false, reason: 'TIMEOUT' };
    if (status >= 500 && status <= 599) return { kind: 'retryable', optOut: false, reason: 'SERVER_ERROR' };
    if (status >= 400 && status <= 499) return { kind: 'permanent', optOut: false, reason: 'CLIENT_ERROR' };
  }
  if (failure.networkError) return { kind: 'retryable', optOut: false, reason: 'NETWORK_ERROR' };
  return { kind: 'permanent', optOut: false, reason: 'UNKNOWN_ERROR' };
}
