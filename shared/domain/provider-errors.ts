/**
 * Classification of provider failures (Twilio error codes, SES error names, HTTP statuses) as a pure
 * function: retryable errors get another attempt (up to MAX_SEND_ATTEMPTS), permanent ones fail the
 * notification at once, and numbers that are opted out or unusable also go to the opt-out table.
 *
 * A configuration error (credentials refused, account suspended, permission or template missing) says
 * nothing about the fan: every send of the run would fail the same way. It fails no notification; the
 * run stops and the fans stay resendable once the configuration is fixed.
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
  kind: 'retryable' | 'permanent' | 'configuration';
  /** Add the contact to the opt-out table: never send to it again. */
  optOut: boolean;
  reason: string;
}

export const SEND_TIMEOUT_MS = 30_000;

const configuration = (reason: string): ProviderErrorClass => ({
  kind: 'configuration',
  optOut: false,
  reason,
});

/**
 * Provider codes with a fixed meaning, whatever the HTTP status. Twilio:
 * https://www.twilio.com/docs/api/errors (20003 Authentication Error, 20005 Account not active, 30001
 * Queue overflow and 30008 Unknown error: worth another attempt). SES v2 error names:
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html#API_SendEmail_Errors and
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/CommonErrors.html.
 */
export const PROVIDER_CODES: Readonly<Record<string, ProviderErrorClass>> = Object.freeze({
  '20003': configuration('PROVIDER_AUTH_FAILED'),
  '20005': configuration('PROVIDER_ACCOUNT_INACTIVE'),
  '30001': { kind: 'retryable', optOut: false, reason: 'QUEUE_OVERFLOW' },
  '30008': { kind: 'retryable', optOut: false, reason: 'UNKNOWN_DELIVERY_ERROR' },
  InvalidClientTokenId: configuration('PROVIDER_AUTH_FAILED'),
  UnrecognizedClientException: configuration('PROVIDER_AUTH_FAILED'),
  SignatureDoesNotMatch: configuration('PROVIDER_AUTH_FAILED'),
  ExpiredTokenException: configuration('PROVIDER_AUTH_FAILED'),
  AccessDeniedException: configuration('PROVIDER_FORBIDDEN'),
  AccountSuspendedException: configuration('PROVIDER_ACCOUNT_INACTIVE'),
  SendingPausedException: configuration('PROVIDER_ACCOUNT_INACTIVE'),
  MailFromDomainNotVerifiedException: configuration('PROVIDER_SENDER_NOT_VERIFIED'),
  NotFoundException: configuration('PROVIDER_TEMPLATE_MISSING'),
  // A stage whose SES account is in the sandbox (EMAIL_SANDBOX) sending to an unverified recipient: IAM or
  // SES refuses that one address (shared/clients/email-client.ts); the run goes on for everyone else.
  SandboxRecipientNotVerified: { kind: 'permanent', optOut: false, reason: 'SANDBOX_RECIPIENT_NOT_VERIFIED' },
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
    if (status === 401) return configuration('PROVIDER_AUTH_FAILED');
    if (status === 403) return configuration('PROVIDER_FORBIDDEN');
    if (status === 429) return { kind: 'retryable', optOut: false, reason: 'RATE_LIMITED' };
    if (status === 408) return { kind: 'retryable', optOut: false, reason: 'TIMEOUT' };
    if (status >= 500 && status <= 599) return { kind: 'retryable', optOut: false, reason: 'SERVER_ERROR' };
    if (status >= 400 && status <= 499) return { kind: 'permanent', optOut: false, reason: 'CLIENT_ERROR' };
  }
  if (failure.networkError) return { kind: 'retryable', optOut: false, reason: 'NETWORK_ERROR' };
  return { kind: 'permanent', optOut: false, reason: 'UNKNOWN_ERROR' };
}
