/**
 * Email rendering: the SES v2 template to use and its variables. The template texts are in
 * email-templates.ts; the infrastructure creates them in SES.
 */
import type { Brand, EventRecord, Locale, Sale, SaleType } from '#shared/domain/model';
import { artistLabel, BRAND_NAMES, formatSaleTime } from '#shared/messages/format';
import { longUrlFor } from '#shared/messages/links';
import { presaleLabel } from '#shared/messages/presale-programs';

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
  /** Local time: "10:00 AM" / "10:00 a.m." / "10 h" / "9 h 30". */
  saleTime: string;
  /** Short zone name as the locale writes it: "EST", "HNE". */
  timeZone: string;
  url: string;
  brand: string;
  locale: Locale;
  eventName: string;
  /**
   * Headline of the sale: in English the presale's name as listed; in French the program's French form
   * ("Prévente Citi") when the name is a known program; "Public on-sale" / "Vente générale" for a public sale.
   */
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
  'fr-ca': 'Vente générale',
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

function presaleHeadline(name: string, locale: Locale): string {
  if (locale !== 'fr-ca') return name;
  const label = presaleLabel(name, 'fr', 'Prévente');
  return label.program === undefined ? name : label.text;
}

/**
 * Template name and variables of the reminder email. Names keep their accents (email has no GSM-7
 * limit). The link is the short URL when there is one, else the event page tagged for email.
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
    saleLabel: isPresale ? presaleHeadline(sale.name, locale) : PUBLIC_SALE_LABEL[locale],
    eventName: event.name,
    url: input.shortUrl?.trim() || longUrlFor(event.url, locale, input.brand, 'EMAIL'),
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
