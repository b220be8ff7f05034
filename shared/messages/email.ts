/**
 * Email rendering: the SES v2 template to use and its variables. The template texts are in
 * email-templates.ts; the infrastructure creates them in SES.
 */
import type { Brand, EventRecord, Locale, Sale, SaleType } from '#shared/domain/model';
import { artistLabel, BRAND_NAMES, formatSaleTime } from '#shared/messages/format';

export interface EmailVariables {
  /** Every artist, unfolded ("A, B & C"); the event name when the event lists none. */
  artist: string;
  venue: string;
  city: string;
  /** The sale's name as the event lists it (also for public sales). */
  saleName: string;
  saleType: SaleType;
  /** Long local date: "Friday, December 4, 2026" / "vendredi 4 décembre 2026". */
  saleDate: string;
  /** Local time: "10:00 AM" / "10:00 a.m." / "10 h 00". */
  saleTime: string;
  /** Short zone name as the locale writes it: "EST", "HNE". */
  timeZone: string;
  url: string;
  brand: string;
  locale: Locale;
  eventName: string;
  /** Headline of the sale: the presale's name, or "Public on-sale" / "Vente au grand public". */
  saleLabel: string;
  isPresale: boolean;
  /** The IANA zone the times are written in. */
  timeZoneId: string;
  /** The same text fields escaped for HTML: SES inserts variables without escaping. */
  html: EmailHtmlVariables;
}

export type EmailHtmlVariables = Pick<
  EmailVariables,
  'artist' | 'venue' | 'city' | 'saleName' | 'saleLabel' | 'eventName' | 'url'
>;

export interface EmailRenderInput {
  event: EventRecord;
  sale: Sale;
  locale: Locale;
  brand: Brand;
  shortUrl: string | undefined;
}

export const EMAIL_TEMPLATE_PREFIX = 'onsale-reminder';

/** SES template name per locale, e.g. 'onsale-reminder-en-us'. */
export function emailTemplateName(locale: Locale): string {
  return `${EMAIL_TEMPLATE_PREFIX}-${locale}`;
}

const PUBLIC_SALE_LABEL: Readonly<Record<Locale, string>> = {
  'en-us': 'Public on-sale',
  'en-ca': 'Public on-sale',
  'fr-ca': 'Vente au grand public',
};

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * Template name and variables of the reminder email. Names keep their accents (email has no GSM-7
 * limit). The link is the short URL when there is one, else the event page.
 */
export function renderEmail(input: EmailRenderInput): { template: string; variables: EmailVariables } {
  const { event, sale, locale } = input;
  const time = formatSaleTime(sale, event.timezone, locale);
  const names = event.artists.map((artist) => artist.name.trim()).filter((name) => name !== '');
  const isPresale = sale.type !== 'public';
  const text = {
    artist: names.length > 0 ? artistLabel(names, locale, 'full') : event.name,
    venue: event.venue?.name ?? '',
    city: event.venue?.city ?? '',
    saleName: sale.name,
    saleLabel: isPresale ? sale.name : PUBLIC_SALE_LABEL[locale],
    eventName: event.name,
    url: input.shortUrl?.trim() || event.url,
  };
  return {
    template: emailTemplateName(locale),
    variables: {
      ...text,
      saleType: sale.type,
      saleDate: time.date,
      saleTime: time.time,
      timeZone: time.zone,
      brand: BRAND_NAMES[input.brand],
      locale,
      isPresale,
      timeZoneId: event.timezone,
      html: {
        artist: escapeHtml(text.artist),
        venue: escapeHtml(text.venue),
        city: escapeHtml(text.city),
        saleName: escapeHtml(text.saleName),
        saleLabel: escapeHtml(text.saleLabel),
        eventName: escapeHtml(text.eventName),
        url: escapeHtml(text.url),
      },
    },
  };
}
