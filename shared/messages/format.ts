/**
 * Locale-aware pieces shared by SMS and email: brand names, sale times in the event's time zone,
 * artist labels, the locale choice.
 */
import type { Brand, Locale } from '#shared/domain/model';
import { InvalidSaleTimeError, InvalidTimeZoneError } from '#shared/messages/errors';

export const BRAND_NAMES: Readonly<Record<Brand, string>> = {
  ticketmaster: 'Ticketmaster',
  livenation: 'Live Nation',
};

/** BCP 47 tags for Intl. */
export const INTL_LOCALES: Readonly<Record<Locale, string>> = {
  'en-us': 'en-US',
  'en-ca': 'en-CA',
  'fr-ca': 'fr-CA',
};

/** The fan's choice, else the event's locale. */
export function pickLocale(fanLocale: Locale | undefined, eventLocale: Locale): Locale {
  return fanLocale ?? eventLocale;
}

export interface SaleTime {
  /** Compact form for SMS: "Fri Dec 4, 10:00 AM EST", "Fri Dec 4, 10:00 a.m. EST", "ven. 4 déc. à 10 h HNE". */
  short: string;
  /** Long date: "Friday, December 4, 2026", "vendredi 4 décembre 2026". */
  date: string;
  /** Time of day: "10:00 AM", "10:00 a.m.", "10 h", "9 h 30". */
  time: string;
  /** Short zone name as the locale writes it: "EST", "HNE", "UTC+1". */
  zone: string;
}

type FormatterKind = 'parts' | 'date' | 'time';

const formatters = new Map<string, Intl.DateTimeFormat>();

const FORMAT_OPTIONS: Readonly<Record<FormatterKind, Intl.DateTimeFormatOptions>> = {
  parts: {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  },
  date: { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' },
  time: { hour: 'numeric', minute: '2-digit' },
};

function formatter(kind: FormatterKind, locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${locale}|${timeZone}`;
  let cached = formatters.get(key);
  if (cached === undefined) {
    try {
      cached = new Intl.DateTimeFormat(INTL_LOCALES[locale], { ...FORMAT_OPTIONS[kind], timeZone });
    } catch (error: unknown) {
      if (error instanceof RangeError) throw new InvalidTimeZoneError(timeZone, { cause: error });
      throw error;
    }
    formatters.set(key, cached);
  }
  return cached;
}

/** Intl writes U+202F / U+00A0 around AM/PM and "h": plain spaces read the same and stay GSM-7. */
function plainSpaces(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/**
 * Quebec writes the hour without a leading zero and leaves out zero minutes: "9 h", "9 h 30", "14 h 05"
 * (Office québécois de la langue française, Banque de dépannage linguistique, "Écriture de l'heure").
 */
export function quebecTime(hour: string, minute: string): string {
  const h = Number.parseInt(hour, 10);
  const m = Number.parseInt(minute, 10);
  if (Number.isNaN(h) || Number.isNaN(m)) return `${hour} h ${minute}`;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}

/** Formats a sale's start in the event's time zone for a locale. */
export function formatSaleTime(
  sale: { saleId: string; startsAt: string },
  timeZone: string,
  locale: Locale,
): SaleTime {
  const instant = new Date(sale.startsAt);
  if (Number.isNaN(instant.getTime())) throw new InvalidSaleTimeError(sale.saleId, sale.startsAt);

  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatter('parts', locale, timeZone).formatToParts(instant)) {
    parts[part.type] = plainSpaces(part.value);
  }
  const { weekday = '', month = '', day = '', hour = '', minute = '', dayPeriod, timeZoneName = '' } = parts;
  const time =
    locale === 'fr-ca' ? quebecTime(hour, minute) : `${hour}:${minute}${dayPeriod ? ` ${dayPeriod}` : ''}`;
  const short =
    locale === 'fr-ca'
      ? `${weekday} ${day} ${month} à ${time} ${timeZoneName}`
      : `${weekday} ${month} ${day}, ${time} ${timeZoneName}`;

  return {
    short,
    date: plainSpaces(formatter('date', locale, timeZone).format(instant)),
    time,
    zone: timeZoneName,
  };
}

const AND_MORE: Readonly<Record<Locale, { and: string; more: string }>> = {
  'en-us': { and: '&', more: '& more' },
  'en-ca': { and: '&', more: '& more' },
  'fr-ca': { and: 'et', more: 'et plus' },
};

/**
 * "A", "A & B", "A, B & more" ("A et B", "A, B et plus" in French). For a short label (SMS) only the
 * first two names are spelled out; otherwise every name is listed ("A, B & C").
 */
export function artistLabel(names: readonly string[], locale: Locale, style: 'short' | 'full'): string {
  const { and, more } = AND_MORE[locale];
  const [first, second, ...rest] = names;
  if (first === undefined) return '';
  if (second === undefined) return first;
  if (rest.length === 0) return `${first} ${and} ${second}`;
  if (style === 'short') return `${first}, ${second} ${more}`;
  const last = rest[rest.length - 1];
  return `${[first, second, ...rest.slice(0, -1)].join(', ')} ${and} ${last}`;
}
