import type { Channel } from '#shared/domain/model';

/** Base of every error raised by the domain modules. */
export class DomainError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DomainError';
  }
}

/**
 * A Discovery payload (event or search response) that does not have the shape this system needs.
 * `path` names the offending field, e.g. `dates.start.dateTime` or `_embedded.events[2].id`.
 */
export class InvalidDiscoveryPayloadError extends DomainError {
  readonly path: string;
  readonly eventId?: string;

  constructor(
    message: string,
    details: { path: string; eventId?: string | undefined },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'InvalidDiscoveryPayloadError';
    this.path = details.path;
    if (details.eventId !== undefined) this.eventId = details.eventId;
  }
}

/**
 * A phone number or email that cannot be used. The message and fields never contain the contact
 * itself: these errors end up in logs.
 */
export class InvalidContactError extends DomainError {
  readonly channel: Channel;
  readonly reason: string;

  constructor(channel: Channel, reason: string, options?: ErrorOptions) {
    super(`Invalid ${channel === 'SMS' ? 'phone number' : 'email address'}: ${reason}`, options);
    this.name = 'InvalidContactError';
    this.channel = channel;
    this.reason = reason;
  }
}

/** A string that is not a notification key (`saleId#fanId#channel`). */
export class InvalidNotificationKeyError extends DomainError {
  constructor(reason: string) {
    super(`Invalid notification key: ${reason}`);
    this.name = 'InvalidNotificationKeyError';
  }
}

/** A window or scheduled time that cannot be used (unparseable instant, bad lead). */
export class InvalidWindowError extends DomainError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidWindowError';
  }
}

/** A shard count that is not a positive integer. */
export class InvalidShardCountError extends DomainError {
  readonly shardCount: number;

  constructor(shardCount: number) {
    super(`Shard count must be a positive integer, got ${shardCount}`);
    this.name = 'InvalidShardCountError';
    this.shardCount = shardCount;
  }
}
