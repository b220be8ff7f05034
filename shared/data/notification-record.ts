/**
 * A notification record as the notifications table keeps it, and the parts of it its two indexes copy
 * (shared/data/tables.ts builds the indexes from the lists here, the repository types its queries with
 * them). No AWS SDK here: the Pulumi program reads this module through tables.ts.
 */
import type { Brand, Channel, Locale, NotificationStatus } from '#shared/domain/model';

export interface RenderedMessage {
  /** SMS text, or the email template name. */
  text?: string;
  encoding?: 'GSM-7' | 'UCS-2';
  segments?: number;
  template?: string;
  variables?: Record<string, unknown>;
}

export interface NotificationError {
  code: string;
  reason: string;
  retryable: boolean;
  /** The provider may have taken the message although the attempt failed (time-out, dropped connection). */
  ambiguous?: boolean;
}

export interface NotificationRecord {
  pk: string;
  saleId: string;
  eventId: string;
  fanId: string;
  channel: Channel;
  shard: number;
  status: NotificationStatus;
  statusRank: number;
  attempts: number;
  /** Set when the last attempt failed with a retryable error and another attempt may follow. */
  retryPending?: boolean;
  locale: Locale;
  brand: Brand;
  /** Keyed hash of the contact the message was rendered for (absent for an unusable contact). */
  contactHash?: string;
  message?: RenderedMessage;
  providerMessageId?: string;
  lastError?: NotificationError;
  failureReason?: string;
  createdAt: string;
  updatedAt: string;
  triggeredAt?: string;
  queuedAt?: string;
  sentAt?: string;
  deliveredAt?: string;
  failedAt?: string;
  /** Status-stream event times applied, for latency metrics. */
  lastStatusAt?: string;
  executionName?: string;
  /** Set by reconciliation: left TRIGGERED past the time-out with no status to settle it. */
  review?: boolean;
  reviewReason?: string;
  reviewAt?: string;
  expiresAt: number;
}

/**
 * The attributes of a notification the `bySale` index copies: what reconciliation, the run's lifecycle
 * counts and the chaos invariants read (besides pk, saleId and status, its keys). Not the message, the
 * contact hash or the errors: those are read from the table by key.
 */
export const NOTIFICATION_SALE_VIEW = [
  'fanId',
  'channel',
  'attempts',
  'retryPending',
  'triggeredAt',
  'queuedAt',
  'failureReason',
  'providerMessageId',
  'executionName',
] as const satisfies ReadonlyArray<keyof NotificationRecord>;

/** The attributes of a notification the `byFan` index copies: what the reminder status API shows. */
export const NOTIFICATION_FAN_VIEW = [
  'eventId',
  'channel',
  'status',
  'attempts',
  'createdAt',
  'triggeredAt',
  'queuedAt',
  'sentAt',
  'deliveredAt',
  'failedAt',
  'failureReason',
] as const satisfies ReadonlyArray<keyof NotificationRecord>;

/** A notification as the `bySale` index has it: its keys and NOTIFICATION_SALE_VIEW. */
export type NotificationSaleView = Pick<
  NotificationRecord,
  'pk' | 'saleId' | 'status' | (typeof NOTIFICATION_SALE_VIEW)[number]
>;

/** A notification as the `byFan` index has it: its keys and NOTIFICATION_FAN_VIEW. */
export type NotificationFanView = Pick<
  NotificationRecord,
  'pk' | 'fanId' | 'saleId' | (typeof NOTIFICATION_FAN_VIEW)[number]
>;
