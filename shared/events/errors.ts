/** Errors of the event cache. */

/** Discovery rate-limited us recently and the event is not cached: try again after `retryAfterMs`. */
export class DiscoveryBackoffError extends Error {
  readonly eventId: string;
  readonly retryAfterMs: number;
  readonly retryable = true;

  constructor(eventId: string, retryAfterMs: number) {
    super(
      `Discovery calls paused after a rate limit; event ${eventId} not cached, retry in ${retryAfterMs} ms`,
    );
    this.name = 'DiscoveryBackoffError';
    this.eventId = eventId;
    this.retryAfterMs = Math.max(0, retryAfterMs);
  }
}
