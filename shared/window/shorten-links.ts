/**
 * Shorten: every link a reminder of this event may carry (one per locale and brand), made once and kept
 * on the event record, so each long URL costs one Bitly call ever (REQ-006, CONST-001).
 */
import { z } from 'zod';
import { shortUrlKey } from '#shared/data/events-repository';
import { BRANDS, type Brand, LOCALES, type Locale } from '#shared/domain/model';
import { RetryableError } from '#shared/lambda/errors';
import type { EventStore } from './stores';

export const shortenInputSchema = z.object({
  eventId: z.string().min(1),
  saleId: z.string().min(1).optional(),
  executionName: z.string().optional(),
});
export type ShortenInput = z.infer<typeof shortenInputSchema>;

const BRAND_HOSTS: Record<Brand, Record<Locale, string>> = {
  ticketmaster: {
    'en-us': 'www.ticketmaster.com',
    'en-ca': 'www.ticketmaster.ca',
    'fr-ca': 'www.ticketmaster.ca',
  },
  livenation: { 'en-us': 'www.livenation.com', 'en-ca': 'www.livenation.com', 'fr-ca': 'www.livenation.com' },
};

/** The event page for a brand and locale, tagged so clicks from reminders can be counted. */
export function longUrlFor(eventUrl: string, locale: Locale, brand: Brand): string {
  const url = new URL(eventUrl);
  url.host = BRAND_HOSTS[brand][locale];
  if (locale === 'fr-ca') url.searchParams.set('language', 'fr-ca');
  url.searchParams.set('utm_source', 'onsale-reminder');
  url.searchParams.set('utm_medium', 'sms');
  return url.toString();
}

export interface ShortenResult {
  eventId: string;
  links: number;
  created: number;
}

export async function shortenLinks(
  input: ShortenInput,
  deps: { events: EventStore; shorten: (longUrl: string) => Promise<string> },
): Promise<ShortenResult> {
  const event = await deps.events.get(input.eventId);
  // PrepareSale stores the event before Shorten runs; its absence is a race worth one more try.
  if (!event) throw new RetryableError(`event ${input.eventId} is not in the cache yet`);
  let created = 0;
  for (const locale of LOCALES) {
    for (const brand of BRANDS) {
      const key = shortUrlKey(locale, brand);
      if (event.shortUrls?.[key]) continue;
      const link = await deps.shorten(longUrlFor(event.url, locale, brand));
      await deps.events.setShortUrl(event.eventId, key, link);
      created++;
    }
  }
  return { eventId: event.eventId, links: LOCALES.length * BRANDS.length, created };
}
