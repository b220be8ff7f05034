/**
 * What the window's steps need from storage and providers, as small interfaces: the DynamoDB repositories
 * (shared/data/) and the provider clients satisfy them in the Lambdas, in-memory fakes in unit tests.
 * Each step names only the interfaces it uses.
 */
import type { Audience, DemandItem, DemandPage } from '#shared/data/demand-repository';
import type { CachedEvent } from '#shared/data/events-repository';
import type {
  CreateOutcome,
  NotificationError,
  NotificationRecord,
} from '#shared/data/notifications-repository';
import type { OptOutRecord } from '#shared/data/opt-outs-repository';
import type { SaleRow } from '#shared/data/sales-repository';
import type { Channel } from '#shared/domain/model';
import type { Window } from '#shared/domain/windows';

/** The notification records of a window: conditional create (dedup), lease and outcomes. */
export interface NotificationStore {
  /** Creates the record unless one exists with its key; then returns the existing one. */
  createIfAbsent(record: NotificationRecord): Promise<CreateOutcome>;
  /** Takes the TRIGGERED lease: the record when this caller may send it, undefined otherwise. */
  lease(pk: string, now: string): Promise<NotificationRecord | undefined>;
  markQueued(pk: string, providerMessageId: string, now: string): Promise<void>;
  markRetryPending(pk: string, error: NotificationError, now: string): Promise<void>;
  /** Gives a lease back unused (the provider refused our configuration): resendable, attempt not counted. */
  releaseLease(pk: string, error: NotificationError, now: string): Promise<void>;
  markFailed(
    pk: string,
    failureReason: string,
    error: NotificationError | undefined,
    now: string,
  ): Promise<void>;
  /**
   * Stops a notification that was never handed over (CREATED, or TRIGGERED waiting for a retry): with
   * `release`, a CREATED record is deleted (a later window renders it again, for the sale as it is then);
   * otherwise, or when it is waiting for a retry, it ends FAILED with `reason`. A record already handed
   * over is left alone ('untouched').
   */
  stopUnsent(pk: string, reason: string, now: string, release: boolean): Promise<StopOutcome>;
}

export type StopOutcome = 'released' | 'failed' | 'untouched';

/** The sign-ups of an event, paged by shard, and their contacts. */
export interface DemandStore {
  page(eventId: string, shard: number, limit: number, cursor?: string): Promise<DemandPage>;
  /** Sign-ups in one shard of an event. */
  countShard(eventId: string, shard: number): Promise<number>;
  /** The sign-ups found among `fans`, by demand sort key (`fanId#channel`). */
  contacts(
    eventId: string,
    fans: Array<{ fanId: string; channel: Channel }>,
  ): Promise<Map<string, DemandItem>>;
}

/** Which locales, brands and channels an event's sign-ups use (Shorten makes only their links). */
export interface AudienceStore {
  audiences(eventId: string, complete?: (found: Audience[]) => boolean): Promise<Audience[]>;
}

/** Contacts (by hash) that must never be messaged again. */
export interface OptOutStore {
  /** The subset of `hashes` that opted out. */
  optedOut(hashes: string[]): Promise<Set<string>>;
  add(record: OptOutRecord): Promise<void>;
}

/** Consents of contacts' owners to fans' sign-ups (contact hash + fan). */
export interface ConsentStore {
  /** The confirmed pairs among `keys`, as `${contactHash}|${fanId}`. */
  confirmed(keys: Array<{ contactHash: string; fanId: string }>): Promise<Set<string>>;
}

/** The cached events with their short links. */
export interface EventStore {
  get(eventId: string): Promise<CachedEvent | undefined>;
  setShortUrl(eventId: string, linkKey: string, url: string): Promise<string>;
}

/** The sales table, by start time. */
export interface SaleStore {
  inWindow(window: Window): Promise<SaleRow[]>;
}

/** The SMS and email providers, as Send uses them. */
export interface ProviderSenders {
  sms(input: {
    to: string;
    body: string;
    notificationKey: string;
    /** Seconds the provider may hold the message before dropping it: until the sale starts. */
    validityPeriodSeconds?: number;
  }): Promise<{ messageId: string }>;
  /** The SMS the provider already has for this recipient and body since `since`, if any. */
  findSms?(input: { to: string; body: string; since: string }): Promise<{ messageId: string } | undefined>;
  email(input: {
    to: string;
    templateName: string;
    templateData: Record<string, unknown>;
    notificationKey: string;
    /** The signed one-click unsubscribe link of this recipient (headers and body). */
    unsubscribeUrl?: string;
  }): Promise<{ messageId: string }>;
}
