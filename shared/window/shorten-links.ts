/**
 * Shorten: the links the fans of a sale will receive, one per (locale, brand, channel) their sign-ups
 * use, made once and kept on the event record, so each long URL costs one Bitly call ever (REQ-006,
 * CONST-001). A combination no fan signed up with gets no link.
 */
import { z } from 'zod';
import type { Audience } from '#shared/data/demand-repository';
import { BRANDS, CHANNELS, LOCALES, type Locale } from '#shared/domain/model';
import { RetryableError } from '#shared/lambda/errors';
import { pickLocale } from '#shared/messages/format';
import { linkKey, longUrlFor } from '#shared/messages/links';
import type { AudienceStore, EventStore } from './stores';

export const shortenInputSchema = z.object({
  eventId: z.string().min(1),
  saleId: z.string().min(1).optional(),
  executionName: z.string().optional(),
});
export type ShortenInput = z.infer<typeof shortenInputSchema>;

export { longUrlFor } from '#shared/messages/links';

export interface ShortenResult {
  eventId: string;
  /** Links the sale's fans need. */
  links: number;
  /** Of those, made now (the others were on the event already). */
  created: number;
}

const ALL_COMBINATIONS = LOCALES.length * BRANDS.length * CHANNELS.length;

/** The link keys an audience needs: a fan without a locale reads the event's. */
export function neededLinks(audiences: readonly Audience[], eventLocale: Locale): Set<string> {
  return new Set(
    audiences.map((audience) =>
      linkKey(pickLocale(audience.locale, eventLocale), audience.brand, audience.channel),
    ),
  );
}

export async function shortenLinks(
  input: ShortenInput,
  deps: {
    events: EventStore;
    demand: AudienceStore;
    shorten: (longUrl: string) => Promise<string>;
  },
): Promise<ShortenResult> {
  const event = await deps.events.get(input.eventId);
  // PrepareSale stores the event before Shorten runs; its absence is a race worth one more try.
  if (!event) throw new RetryableError(`event ${input.eventId} is not in the cache yet`);
  const audiences = await deps.demand.audiences(
    event.eventId,
    (found) => neededLinks(found, event.locale).size === ALL_COMBINATIONS,
  );
  const needed = neededLinks(audiences, event.locale);
  // The missing links are made at once; two keys with the same long URL share one Bitly call (and link).
  const byLongUrl = new Map<string, Promise<string>>();
  const missing: Array<{ key: string; longUrl: string }> = [];
  for (const locale of LOCALES) {
    for (const brand of BRANDS) {
      for (const channel of CHANNELS) {
        const key = linkKey(locale, brand, channel);
        if (!needed.has(key) || event.shortUrls?.[key]) continue;
        missing.push({ key, longUrl: longUrlFor(event.url, locale, brand, channel) });
      }
    }
  }
  await Promise.all(
    missing.map(async ({ key, longUrl }) => {
      let link = byLongUrl.get(longUrl);
      if (link === undefined) {
        link = deps.shorten(longUrl);
        byLongUrl.set(longUrl, link);
      }
      await deps.events.setShortUrl(event.eventId, key, await link);
    }),
  );
  return { eventId: event.eventId, links: needed.size, created: missing.length };
}
