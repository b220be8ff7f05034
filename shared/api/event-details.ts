/**
 * eventDetails: the cached event as the sites and apps show it, with sale and show times written in the
 * event's time zone for the locale asked for, and each sale's suppression decision.
 */
import { DiscoveryNotFoundError, ProviderError } from '#shared/clients/errors';
import type { CachedEvent } from '#shared/data/events-repository';
import { shortUrlKey } from '#shared/data/events-repository';
import type { Brand, Locale, Sale } from '#shared/domain/model';
import { evaluateSuppression, type SuppressionRules } from '#shared/domain/suppression';
import { DiscoveryBackoffError } from '#shared/events/errors';
import type { CachedLookup, CacheSource, EventCache } from '#shared/events/event-cache';
import { formatSaleTime, pickLocale, type SaleTime } from '#shared/messages/format';
import { localeToGraphQl, saleTypeToGraphQl, toEnumName } from './arguments';
import { DiscoveryUnavailableError, EventNotFoundError } from './errors';

export type CacheStatus = 'HIT' | 'STALE' | 'MISS';

const CACHE_STATUS: Record<CacheSource, CacheStatus> = { cache: 'HIT', stale: 'STALE', discovery: 'MISS' };

export interface SaleDetailsView {
  saleId: string;
  name: string;
  type: string;
  startsAt: string;
  localStart: SaleTime;
  endsAt: string | null;
  suppressed: boolean;
  suppressionReasons: string[];
}

export interface EventDetailsView {
  eventId: string;
  name: string;
  status: string;
  artists: Array<{ id: string; name: string }>;
  venue: {
    id: string | null;
    name: string;
    city: string | null;
    stateCode: string | null;
    countryCode: string | null;
  } | null;
  city: string | null;
  startsAt: string | null;
  localStart: SaleTime | null;
  localDate: string | null;
  timeZone: string;
  locale: string;
  url: string;
  shortUrl: string | null;
  sales: SaleDetailsView[];
  fetchedAt: string;
  cacheStatus: CacheStatus;
}

const MAX_FORMATTED_TIMES = 5000;
const formattedTimes = new Map<string, SaleTime>();

/** formatSaleTime, remembered per instant, zone and locale: a warm event's times are written once. */
function localTime(id: string, startsAt: string, timeZone: string, locale: Locale): SaleTime {
  const key = `${startsAt}|${timeZone}|${locale}`;
  let time = formattedTimes.get(key);
  if (time === undefined) {
    time = formatSaleTime({ saleId: id, startsAt }, timeZone, locale);
    if (formattedTimes.size >= MAX_FORMATTED_TIMES) formattedTimes.clear();
    formattedTimes.set(key, time);
  }
  return time;
}

/** The event from the cache, with Discovery's failures turned into the API's errors. */
export async function loadEvent(cache: EventCache, eventId: string): Promise<CachedLookup> {
  try {
    return await cache.get(eventId);
  } catch (error: unknown) {
    if (error instanceof DiscoveryNotFoundError) throw new EventNotFoundError(eventId, { cause: error });
    if (error instanceof DiscoveryBackoffError || (error instanceof ProviderError && error.retryable)) {
      throw new DiscoveryUnavailableError(eventId, { cause: error });
    }
    throw error;
  }
}

export function eventDetailsView(
  lookup: CachedLookup,
  request: { locale: Locale | undefined; brand: Brand },
  rules: SuppressionRules,
  now: Date,
): EventDetailsView {
  const { event } = lookup;
  const locale = pickLocale(request.locale, event.locale);
  const venue = event.venue;
  return {
    eventId: event.eventId,
    name: event.name,
    status: toEnumName(event.status),
    artists: event.artists.map((artist) => ({ id: artist.id, name: artist.name })),
    venue: venue
      ? {
          id: venue.id ?? null,
          name: venue.name,
          city: venue.city ?? null,
          stateCode: venue.stateCode ?? null,
          countryCode: venue.countryCode ?? null,
        }
      : null,
    city: venue?.city ?? null,
    startsAt: event.startsAt ?? null,
    localStart: event.startsAt ? localTime(event.eventId, event.startsAt, event.timezone, locale) : null,
    localDate: event.localDate ?? null,
    timeZone: event.timezone,
    locale: localeToGraphQl(locale),
    url: event.url,
    // The SMS link (the one made when fans of the event signed up for SMS), else none yet.
    shortUrl: event.shortUrls?.[shortUrlKey(locale, request.brand, 'SMS')] ?? null,
    sales: salesView(event, locale, rules, now),
    fetchedAt: event.fetchedAt,
    cacheStatus: CACHE_STATUS[lookup.source],
  };
}

/** A sale's fields that do not depend on the time of the request, in the order of the answer. */
type SaleStatics = Omit<SaleDetailsView, 'suppressed' | 'suppressionReasons'>;

/**
 * The time-independent part of the sales list, per cached event object and locale: the event cache hands
 * out the same object for as long as it keeps it in memory, so a warm event's sales are sorted and
 * formatted once, not per request. Suppression depends on the current time: it is decided per request.
 */
const saleStatics = new WeakMap<CachedEvent, Map<Locale, ReadonlyArray<{ sale: Sale; view: SaleStatics }>>>();

function staticsOf(event: CachedEvent, locale: Locale): ReadonlyArray<{ sale: Sale; view: SaleStatics }> {
  let byLocale = saleStatics.get(event);
  if (byLocale === undefined) {
    byLocale = new Map();
    saleStatics.set(event, byLocale);
  }
  let statics = byLocale.get(locale);
  if (statics === undefined) {
    statics = [...event.sales]
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))
      .map((sale) => ({
        sale,
        view: {
          saleId: sale.saleId,
          name: sale.name,
          type: saleTypeToGraphQl(sale.type),
          startsAt: sale.startsAt,
          localStart: localTime(sale.saleId, sale.startsAt, event.timezone, locale),
          endsAt: sale.endsAt ?? null,
        },
      }));
    byLocale.set(locale, statics);
  }
  return statics;
}

function salesView(
  event: CachedEvent,
  locale: Locale,
  rules: SuppressionRules,
  now: Date,
): SaleDetailsView[] {
  return staticsOf(event, locale).map(({ sale, view }) => {
    const decision = evaluateSuppression(event, sale, rules, now);
    return {
      ...view,
      // Each answer its own copies: nothing a caller does to one reaches the cached ones.
      localStart: { ...view.localStart },
      suppressed: decision.suppressed,
      suppressionReasons: [...decision.reasons],
    };
  });
}
