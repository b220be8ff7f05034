/**
 * The link a reminder carries: the event's own Discovery `url` (Ticketmaster, Live Nation, Universe,
 * TicketWeb... host and path kept, query kept), tagged with what the sites accept: a language parameter
 * where the site takes one, and UTM parameters naming the channel, so clicks from reminders can be
 * counted per channel. Discovery's URL is the page where the event is sold: moving it to another host
 * sends the fan to a page that does not exist.
 */
import type { Brand, Channel, Locale } from '#shared/domain/model';

export const UTM_SOURCE = 'onsale-reminder';

/**
 * Sites that serve a French page for a `language` parameter. Ticketmaster Canada switches language with
 * `language=fr-ca` (its own language selector writes it); Live Nation, Universe and TicketWeb have no
 * French page, so their links stay as they are.
 */
const LANGUAGE_PARAMETER: ReadonlyArray<{
  host: RegExp;
  name: string;
  values: Partial<Record<Locale, string>>;
}> = [{ host: /(^|\.)ticketmaster\.ca$/i, name: 'language', values: { 'fr-ca': 'fr-ca', 'en-ca': 'en-ca' } }];

export class InvalidEventUrlError extends Error {
  readonly eventUrl: string;

  constructor(eventUrl: string) {
    super(`Not an http(s) event URL: ${JSON.stringify(eventUrl.slice(0, 200))}`);
    this.name = 'InvalidEventUrlError';
    this.eventUrl = eventUrl;
  }
}

/**
 * The long URL of a reminder: the event's URL with the locale's language parameter (where the site has
 * one) and `utm_source=onsale-reminder&utm_medium=sms|email&utm_campaign=<brand>`. The host and the path
 * are never changed; parameters already in the URL (`?ref=ticketmaster`, `REFERRAL_ID`) are kept.
 *
 * @throws InvalidEventUrlError when the event URL is not an absolute http(s) URL
 */
export function longUrlFor(eventUrl: string, locale: Locale, brand: Brand, channel: Channel): string {
  if (!URL.canParse(eventUrl)) throw new InvalidEventUrlError(eventUrl);
  const url = new URL(eventUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidEventUrlError(eventUrl);
  for (const site of LANGUAGE_PARAMETER) {
    const value = site.values[locale];
    if (site.host.test(url.hostname) && value !== undefined) url.searchParams.set(site.name, value);
  }
  url.searchParams.set('utm_source', UTM_SOURCE);
  url.searchParams.set('utm_medium', channel === 'SMS' ? 'sms' : 'email');
  url.searchParams.set('utm_campaign', brand);
  return url.toString();
}

/** The key of a short link on the event record: `${locale}|${brand}|${channel}`. */
export function linkKey(locale: Locale, brand: Brand, channel: Channel): string {
  return `${locale}|${brand}|${channel}`;
}
