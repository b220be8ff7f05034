/**
 * Errors the API reports to its clients. Each carries the GraphQL `errorType` clients match on and an
 * optional `errorInfo`; messages name fields and reasons, never a phone number or email.
 */

export const API_ERROR_TYPES = [
  'InvalidArgument',
  'InvalidContact',
  'EventNotFound',
  'DiscoveryUnavailable',
  'Unauthorized',
  'LimitExceeded',
  'InternalError',
] as const;
export type ApiErrorType = (typeof API_ERROR_TYPES)[number];

export interface ApiErrorInfo {
  /** The argument at fault, as a path ('input.contact'). */
  field?: string;
  reason?: string;
  /** Every problem found, for InvalidArgument. */
  issues?: string[];
  /** True when the same request may succeed later. */
  retryable?: boolean;
}

export class ApiError extends Error {
  readonly errorType: ApiErrorType;
  readonly info: ApiErrorInfo;

  constructor(errorType: ApiErrorType, message: string, info: ApiErrorInfo = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApiError';
    this.errorType = errorType;
    this.info = info;
  }
}

/** Arguments that fail validation (missing, wrong type, unknown enum value, too long). */
export class InvalidArgumentError extends ApiError {
  constructor(issues: string[], field?: string) {
    super('InvalidArgument', `Invalid arguments: ${issues.join('; ')}`, {
      issues,
      ...(field === undefined ? {} : { field }),
    });
    this.name = 'InvalidArgumentError';
  }
}

/** A phone number or email that cannot receive reminders; `reason` is the domain's code. */
export class InvalidContactArgumentError extends ApiError {
  constructor(message: string, reason: string, options?: ErrorOptions) {
    super('InvalidContact', message, { field: 'input.contact', reason }, options);
    this.name = 'InvalidContactArgumentError';
  }
}

export class EventNotFoundError extends ApiError {
  readonly eventId: string;

  constructor(eventId: string, options?: ErrorOptions) {
    super('EventNotFound', `Event ${eventId} was not found`, { field: 'eventId' }, options);
    this.name = 'EventNotFoundError';
    this.eventId = eventId;
  }
}

/** Discovery cannot be reached (down, rate limiting) and the event is not cached. */
export class DiscoveryUnavailableError extends ApiError {
  readonly eventId: string;

  constructor(eventId: string, options?: ErrorOptions) {
    super(
      'DiscoveryUnavailable',
      `Event ${eventId} is not cached and the event source is unavailable; try again shortly`,
      { retryable: true },
      options,
    );
    this.name = 'DiscoveryUnavailableError';
    this.eventId = eventId;
  }
}

/** No verified caller (API key, anonymous, bad identity) for a field that acts for a fan. */
export class UnauthorizedError extends ApiError {
  constructor(reason: string) {
    super('Unauthorized', `Unauthorized: ${reason}`, { reason });
    this.name = 'UnauthorizedError';
  }
}

/** A sign-up limit was reached (per fan per day, per contact and event, confirmation messages). */
export class LimitExceededError extends ApiError {
  constructor(reason: string, message: string, field?: string) {
    super('LimitExceeded', message, {
      reason,
      retryable: reason !== 'CONTACT_EVENT_LIMIT',
      ...(field ? { field } : {}),
    });
    this.name = 'LimitExceededError';
  }
}

/** Anything unexpected: the client gets this, the log gets the cause. */
export class InternalApiError extends ApiError {
  constructor(options?: ErrorOptions) {
    super('InternalError', 'Internal error', {}, options);
    this.name = 'InternalApiError';
  }
}
