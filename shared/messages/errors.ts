/**
 * Errors of message rendering. Names are stable: the pipeline counts and routes on them.
 */

export class MessageRenderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MessageRenderError';
  }
}

/** An SMS was asked for an event that has no short link yet (REQ-006): shorten first, then render. */
export class MissingShortUrlError extends MessageRenderError {
  readonly eventId: string;

  constructor(eventId: string) {
    super(`Event ${eventId} has no short URL: an SMS is only rendered with one`);
    this.name = 'MissingShortUrlError';
    this.eventId = eventId;
  }
}

/** The short link is not an http(s) URL written in the GSM-7 alphabet. */
export class InvalidShortUrlError extends MessageRenderError {
  readonly eventId: string;
  readonly shortUrl: string;

  constructor(eventId: string, shortUrl: string) {
    super(`Event ${eventId} has an unusable short URL: ${JSON.stringify(shortUrl)}`);
    this.name = 'InvalidShortUrlError';
    this.eventId = eventId;
    this.shortUrl = shortUrl;
  }
}

/** The sale's start is not a valid instant. */
export class InvalidSaleTimeError extends MessageRenderError {
  readonly saleId: string;
  readonly startsAt: string;

  constructor(saleId: string, startsAt: string) {
    super(`Sale ${saleId} has an invalid start time: ${JSON.stringify(startsAt)}`);
    this.name = 'InvalidSaleTimeError';
    this.saleId = saleId;
    this.startsAt = startsAt;
  }
}

/** The event's time zone is not an IANA zone the runtime knows. */
export class InvalidTimeZoneError extends MessageRenderError {
  readonly timeZone: string;

  constructor(timeZone: string, options?: ErrorOptions) {
    super(`Unknown time zone: ${JSON.stringify(timeZone)}`, options);
    this.name = 'InvalidTimeZoneError';
    this.timeZone = timeZone;
  }
}

/**
 * Even with every variable part at its minimum the SMS does not fit one segment: only possible with a
 * link longer than 30 characters or a long custom opt-out text.
 */
export class SmsTooLongError extends MessageRenderError {
  readonly eventId: string;
  readonly saleId: string;
  /** Septets of the shortest candidate. */
  readonly length: number;

  constructor(eventId: string, saleId: string, length: number) {
    super(`SMS for event ${eventId}, sale ${saleId} needs ${length} characters even when shortened`);
    this.name = 'SmsTooLongError';
    this.eventId = eventId;
    this.saleId = saleId;
    this.length = length;
  }
}
