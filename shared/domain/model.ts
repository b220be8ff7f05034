/**
 * The domain model every part of the pipeline shares: an event normalized from the Discovery API,
 * its sales, the fans' demand and the notification lifecycle.
 */

export const LOCALES = ['en-us', 'en-ca', 'fr-ca'] as const;
export type Locale = (typeof LOCALES)[number];

export const BRANDS = ['ticketmaster', 'livenation'] as const;
export type Brand = (typeof BRANDS)[number];

export const CHANNELS = ['SMS', 'EMAIL'] as const;
export type Channel = (typeof CHANNELS)[number];

export const SALE_TYPES = [
  'public',
  'presale',
  'verified_fan',
  'card_member',
  'vip',
  'registration',
] as const;
export type SaleType = (typeof SALE_TYPES)[number];

export const EVENT_STATUSES = [
  'onsale',
  'offsale',
  'cancelled',
  'postponed',
  'rescheduled',
  'unknown',
] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface Artist {
  id: string;
  name: string;
}

export interface Venue {
  id?: string;
  name: string;
  city?: string;
  stateCode?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  countryCode?: string;
  /** IANA time zone, e.g. America/Toronto. */
  timezone?: string;
}

export interface Sale {
  /** Stable across refreshes of the same event; never contains '#'. */
  saleId: string;
  eventId: string;
  name: string;
  type: SaleType;
  /** ISO-8601 instant (UTC, with Z). */
  startsAt: string;
  endsAt?: string;
}

/**
 * A public sale Discovery lists without a start the pipeline can schedule: `1900-01-01T…` (Discovery's
 * placeholder for "already on sale") or TBD/TBA. It never enters the sales table; preview reports it.
 */
export interface UnscheduledSale {
  saleId: string;
  name: string;
  reason: 'ONSALE_DATE_PLACEHOLDER' | 'ONSALE_DATE_TBD';
  /** As Discovery wrote it, when it wrote one. */
  startDateTime?: string;
}

export interface EventRecord {
  eventId: string;
  name: string;
  /** Ticketmaster / Live Nation event page. */
  url: string;
  locale: Locale;
  /** IANA time zone of the event (venue's), used to format sale times. */
  timezone: string;
  status: EventStatus;
  segment?: string;
  genre?: string;
  /** ISO instant of the show, absent when TBA/TBD. */
  startsAt?: string;
  /** Local date of the show (YYYY-MM-DD) when known. */
  localDate?: string;
  artists: Artist[];
  venue?: Venue;
  sales: Sale[];
  /** Public sales listed without a usable start (not stored with the event). */
  unscheduledSales?: UnscheduledSale[];
}

/** A fan's opt-in for reminders for one event on one channel. */
export interface Demand {
  eventId: string;
  fanId: string;
  channel: Channel;
  /** E.164 phone number or normalized email: never logged, never in state payloads. */
  contact: string;
  locale?: Locale;
  brand: Brand;
  createdAt: string;
  /** Epoch seconds: the sign-up expires (DynamoDB TTL) some days after the event's last sale. */
  expiresAt?: number;
}

export const NOTIFICATION_STATUSES = [
  'CREATED',
  'TRIGGERED',
  'QUEUED',
  'SENT',
  'DELIVERED',
  'FAILED',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** Forward-only order of the lifecycle: a status update never lowers the rank. */
export const STATUS_RANK: Record<NotificationStatus, number> = {
  CREATED: 0,
  TRIGGERED: 1,
  QUEUED: 2,
  SENT: 3,
  DELIVERED: 4,
  FAILED: 4,
};

export const MAX_SEND_ATTEMPTS = 3;
