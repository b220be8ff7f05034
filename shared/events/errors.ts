/** Errors of the event cache. */
import { ProviderRateLimitedError } from '#shared/clients/errors';

/**
 * Discovery rate-limited us recently and the event is not cached: try again after `retryAfterMs`. It is
 * a rate limit answered locally, so it keeps the name `ProviderRateLimitedError`: the window's Step
 * Functions Retry (RETRYABLE_PROVIDER_ERROR_NAMES) retries it like a 429 from Discovery itself.
 */
export class DiscoveryBackoffError extends ProviderRateLimitedError {
  readonly eventId: string;

  constructor(eventId: string, retryAfterMs: number) {
    super({
      provider: 'discovery',
      operation: 'getEvent',
      code: 'LOCAL_BACKOFF',
      retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)),
    });
    this.eventId = eventId;
  }
}
