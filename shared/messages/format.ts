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

type Parts = Partial<Record<Intl.DateTimeFormatPartTypes, string>>;

function partsOf(instant: Date, timeZone: string, locale: Locale): Parts {
  const parts: Parts = {};
  for (const part of formatter('parts', locale, timeZone).formatToParts(instant)) {
    parts[part.type] = plainSpaces(part.value);
  }
  return parts;
}

function timeOfDay(parts: Parts, locale: Locale): string {
  const { hour = '', minute = '', dayPeriod } = parts;
  return locale === 'fr-ca'
    ? quebecTime(hour, minute)
    : `${hour}:${minute}${dayPeriod ? ` ${dayPeriod}` : ''}`;
}

function shortForm(
  locale: Locale,
  p: { weekday: string; month: string; day: string; time: string; zone: string },
): string {
  return locale === 'fr-ca'
    ? `${p.weekday} ${p.day} ${p.month} à ${p.time} ${p.zone}`
    : `${p.weekday} ${p.month} ${p.day}, ${p.time} ${p.zone}`;
}

/** Formats a sale's start in the event's time zone for a locale. */
export function formatSaleTime(
  sale: { saleId: string; startsAt: string },
  timeZone: string,
  locale: Locale,
): SaleTime {
  const instant = new Date(sale.startsAt);
  if (Number.isNaN(instant.getTime())) throw new InvalidSaleTimeError(sale.saleId, sale.startsAt);

  const parts = partsOf(instant, timeZone, locale);
  const { weekday = '', month = '', day = '', timeZoneName = '' } = parts;
  const time = timeOfDay(parts, locale);
  return {
    short: shortForm(locale, { weekday, month, day, time, zone: timeZoneName }),
    date: plainSpaces(formatter('date', locale, timeZone).format(instant)),
    time,
    zone: timeZoneName,
  };
}

/**
 * Zones whose short names are the longest a sale time carries: four-letter abbreviations (AKST, HAST,
 * NDT), the French forms of Canada (HNT, HAA), and a zone the locale has no name for, written as its
 * offset with minutes ("GMT+10:30").
 */
const LONG_ZONE_NAMES = [
  'America/St_Johns',
  'America/Halifax',
  'America/Toronto',
  'America/Regina',
  'America/Vancouver',
  'America/Anchorage',
  'America/Adak',
  'Pacific/Honolulu',
  'America/Puerto_Rico',
  'Australia/Lord_Howe',
] as const;

const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

/**
 * The longest short sale time (`SaleTime.short`) of a locale as `length` measures it: the longest weekday,
 * month, two-digit day, time of day and zone name the formatter writes, together (any weekday falls in any
 * month on some day past the 9th, so they can all meet). Used to check configured text against the
 * worst-case message.
 */
export function longestSaleTime(locale: Locale, length: (text: string) => number): string {
  const longest = (values: readonly string[]): string =>
    values.reduce((best, value) => (length(value) > length(best) ? value : best), '');
  const at = (month: number, day: number, hour: number, zone = 'UTC'): Parts =>
    partsOf(new Date(Date.UTC(2026, month, day, hour, 30)), zone, locale);
  return shortForm(locale, {
    weekday: longest(range(7).map((offset) => at(0, 5 + offset, 12).weekday ?? '')),
    month: longest(range(12).map((month) => at(month, 15, 12).month ?? '')),
    day: '28',
    time: longest(range(24).map((hour) => timeOfDay(at(0, 15, hour), locale))),
    zone: longest(
      LONG_ZONE_NAMES.flatMap((zone) => [0, 6].map((month) => at(month, 15, 12, zone).timeZoneName ?? '')),
    ),
  });
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
