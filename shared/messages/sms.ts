/**
 * SMS rendering: one GSM-7 segment, always, and a presale always named by its program. See README.md for
 * the message shapes and the shortening order.
 */
import type { Brand, EventRecord, Locale, Sale } from '#shared/domain/model';
import { InvalidShortUrlError, MissingShortUrlError, SmsTooLongError } from '#shared/messages/errors';
import { artistLabel, BRAND_NAMES, formatSaleTime, longestSaleTime } from '#shared/messages/format';
import {
  foldToGsm,
  GSM_SINGLE_SEGMENT,
  measureSms,
  type SmsEncoding,
  truncateGsm,
} from '#shared/messages/gsm';
import { PRESALE_PROGRAMS, presaleLabel } from '#shared/messages/presale-programs';

export interface SmsRenderInput {
  event: EventRecord;
  sale: Sale;
  locale: Locale;
  brand: Brand;
  shortUrl: string | undefined;
  /** Replaces the locale's opt-out sentence; '' sends none (when the carrier appends its own). */
  optOutText?: string;
}

export interface RenderedSms {
  text: string;
  encoding: SmsEncoding;
  length: number;
  segments: number;
  /** True when the venue, the city, the call to action or a name was left out or cut to fit. */
  shortened: boolean;
  /** The presale as the message names it ("Citi presale", "Prévente Citi"); absent for a public sale. */
  presale?: { label: string; program: string | undefined; keyword: string };
}

/** Links up to this length always fit, whatever the names. */
export const MAX_SHORT_URL_LENGTH = 30;

/**
 * The back-half Bitly generates after the domain (`bit.ly/3xYzAbC`): 7 characters in the links it returns.
 * Bitly does not document the length, so a branded domain must leave this room within MAX_SHORT_URL_LENGTH.
 */
export const SHORT_LINK_BACK_HALF = 7;

/** The longest branded short domain whose links still fit MAX_SHORT_URL_LENGTH (`https://<domain>/<back-half>`). */
export const MAX_SHORT_DOMAIN_LENGTH = MAX_SHORT_URL_LENGTH - 'https://'.length - 1 - SHORT_LINK_BACK_HALF;

export const DEFAULT_OPT_OUT: Readonly<Record<Locale, string>> = {
  'en-us': 'Reply STOP to opt out',
  'en-ca': 'Reply STOP to opt out',
  'fr-ca': 'Répondez ARRET pour vous désabonner',
};

/** The opt-out sentence when room is short: the keyword and what it does, still. */
export const SHORT_OPT_OUT: Readonly<Record<Locale, string>> = {
  'en-us': 'STOP to opt out',
  'en-ca': 'STOP to opt out',
  'fr-ca': 'ARRET pour se désabonner',
};

const GENERIC: Readonly<Record<'en' | 'fr', { event: string; presale: string }>> = {
  en: { event: 'your event', presale: 'Presale' },
  fr: { event: 'votre événement', presale: 'Prévente' },
};

/** The artist is first cut down to no less than this many septets (dots included). */
const SOFT_FLOOR = 12;
/** The shortest a cut artist gets: at least one character (two septets if extended) and "...". */
const HARD_FLOOR = 5;
/** A presale's own name is cut no shorter than its first word(s), themselves at most this long. */
const KEYWORD_CAP = 20;

interface Parts {
  brand: string;
  /** Present for presales only: public sales do not name the sale. */
  label: string | undefined;
  artist: string;
  venue: string | undefined;
  city: string | undefined;
  time: string;
  callToAction: boolean;
  link: string;
  optOut: string;
}

function renderEnglish(p: Parts): string {
  const where =
    p.venue !== undefined
      ? ` at ${p.venue}${p.city !== undefined ? `, ${p.city}` : ''}`
      : p.city !== undefined
        ? ` in ${p.city}`
        : '';
  const what =
    p.label === undefined
      ? `Tickets for ${p.artist}${where} go on sale ${p.time}.`
      : `${p.label} for ${p.artist}${where} starts ${p.time}.`;
  return `${p.brand}: ${what}${p.callToAction ? ' Get tickets:' : ''} ${p.link}${p.optOut ? ` ${p.optOut}` : ''}`;
}

function renderFrench(p: Parts): string {
  // The place goes in parentheses: "au", "à la" or "à l'" would depend on the venue's name.
  const place = [p.venue, p.city].filter((part) => part !== undefined).join(', ');
  const where = place === '' ? '' : ` (${place})`;
  const what =
    p.label === undefined
      ? `Vente générale pour ${p.artist}${where} le ${p.time}.`
      : `${p.label} pour ${p.artist}${where} le ${p.time}.`;
  return `${p.brand} : ${what}${p.callToAction ? ' Billets :' : ''} ${p.link}${p.optOut ? ` ${p.optOut}` : ''}`;
}

const HAS_CONTENT = /[\p{L}\p{N}]/u;

function meaningful(text: string): string | undefined {
  return HAS_CONTENT.test(text) ? text : undefined;
}

function checkedLink(eventId: string, shortUrl: string | undefined): string {
  if (shortUrl === undefined || shortUrl.trim() === '') throw new MissingShortUrlError(eventId);
  if (!URL.canParse(shortUrl)) throw new InvalidShortUrlError(eventId, shortUrl);
  const { protocol } = new URL(shortUrl);
  const usable =
    (protocol === 'https:' || protocol === 'http:') &&
    !/\s/u.test(shortUrl) &&
    measureSms(shortUrl).encoding === 'GSM-7';
  if (!usable) throw new InvalidShortUrlError(eventId, shortUrl);
  return shortUrl;
}

interface Step {
  venue: boolean;
  city: boolean;
  callToAction: boolean;
  shortOptOut: boolean;
  /** undefined: the artist is not cut. */
  artistFloor: number | undefined;
  /** The presale's own name (never a program's short form) may be cut after its first word(s). */
  cutLabel: boolean;
}

/**
 * Tried in order; the first that fits one segment is sent. Room is made by leaving out the venue, then
 * the city, then the connecting words (the call to action), then by the short opt-out sentence, and only
 * then by cutting names: the artist first, the presale's own name last and never below its first word.
 */
const STEPS: readonly Step[] = (
  [
    {},
    { venue: false },
    { city: false },
    { callToAction: false },
    { shortOptOut: true },
    { artistFloor: SOFT_FLOOR },
    { cutLabel: true },
    { artistFloor: HARD_FLOOR },
  ] satisfies Partial<Step>[]
).reduce<Step[]>((steps, change) => {
  // Each step is the one before with one more way of making room.
  const before = steps.at(-1) ?? {
    venue: true,
    city: true,
    callToAction: true,
    shortOptOut: false,
    artistFloor: undefined,
    cutLabel: false,
  };
  steps.push({ ...before, ...change });
  return steps;
}, []);

/**
 * Renders the reminder SMS. Always one GSM-7 segment: names are folded into GSM-7; a presale is named
 * by its program's short form ("Citi presale", "Prévente Citi"), which is never cut; when room is short
 * the venue, the city, the call to action go first, then the opt-out sentence takes its short form, then
 * the artist and a presale's own name are cut with "...". The brand, the sale time and the link are
 * never altered.
 *
 * @throws MissingShortUrlError without a short URL (REQ-006)
 * @throws InvalidShortUrlError, InvalidSaleTimeError, InvalidTimeZoneError on unusable input
 * @throws SmsTooLongError when even the shortest form does not fit (links over 30 characters only)
 */
export function renderSms(input: SmsRenderInput): RenderedSms {
  const { event, sale, locale } = input;
  const link = checkedLink(event.eventId, input.shortUrl);
  const language = locale === 'fr-ca' ? 'fr' : 'en';
  const render = language === 'fr' ? renderFrench : renderEnglish;
  const fold = (text: string): string => foldToGsm(text, locale);

  const artistNames = event.artists.map((artist) => fold(artist.name)).filter((name) => meaningful(name));
  const artist =
    artistNames.length > 0
      ? artistLabel(artistNames, locale, 'short')
      : (meaningful(fold(event.name)) ?? GENERIC[language].event);
  const presale =
    sale.type === 'public' ? undefined : presaleLabel(fold(sale.name), language, GENERIC[language].presale);
  const venueName = meaningful(fold(event.venue?.name ?? ''));
  const cityName = meaningful(fold(event.venue?.city ?? ''));
  // The city is left out when the venue's name already says it ("Rogers Centre Toronto").
  const cityAfterVenue =
    cityName !== undefined && venueName?.toLowerCase().includes(cityName.toLowerCase()) !== true;

  const override = input.optOutText === undefined ? undefined : fold(input.optOutText);
  const fixed = {
    brand: BRAND_NAMES[input.brand],
    time: fold(formatSaleTime(sale, event.timezone, locale).short),
    link,
  };

  let shortest = Number.POSITIVE_INFINITY;
  for (const [index, step] of STEPS.entries()) {
    const venue = step.venue ? venueName : undefined;
    const city = step.city && (venue === undefined || cityAfterVenue) ? cityName : undefined;
    const optOut = override ?? (step.shortOptOut ? SHORT_OPT_OUT : DEFAULT_OPT_OUT)[locale];
    const skeleton = render({
      ...fixed,
      callToAction: step.callToAction,
      optOut,
      label: presale === undefined ? undefined : '',
      artist: '',
      venue,
      city,
    });
    const budget = GSM_SINGLE_SEGMENT - measureSms(skeleton).length;
    const fitted = fitNames(artist, presale, budget, step);
    if (fitted === undefined) continue;
    const text = render({ ...fixed, callToAction: step.callToAction, optOut, venue, city, ...fitted });
    const measured = measureSms(text);
    if (measured.encoding === 'GSM-7' && measured.segments === 1) {
      return {
        text,
        ...measured,
        // Each step after the first leaves out or cuts something the previous one could not fit.
        shortened: index > 0,
        ...(presale === undefined
          ? {}
          : {
              presale: {
                label: fitted.label ?? presale.text,
                program: presale.program,
                keyword: presale.keyword,
              },
            }),
      };
    }
    shortest = Math.min(shortest, measured.length);
  }
  throw new SmsTooLongError(event.eventId, sale.saleId, Number.isFinite(shortest) ? shortest : 0);
}

/**
 * Fits the artist and the presale label into a septet budget: nothing is cut unless the step allows it;
 * then the artist down to its floor, then a presale's own name down to its first word(s). A program's
 * short form is never cut. undefined when they do not fit.
 */
function fitNames(
  artist: string,
  presale: ReturnType<typeof presaleLabel> | undefined,
  budget: number,
  step: Step,
): { artist: string; label: string | undefined } | undefined {
  const length = (text: string): number => measureSms(text).length;
  let label = presale?.text;
  let artistText = artist;
  let excess = length(artistText) + length(label ?? '') - budget;
  if (excess <= 0) return { artist: artistText, label };
  if (step.artistFloor === undefined) return undefined;
  const artistLength = length(artistText);
  if (artistLength > step.artistFloor) {
    artistText = truncateGsm(artistText, artistLength - Math.min(excess, artistLength - step.artistFloor));
    excess -= artistLength - length(artistText);
  }
  if (excess > 0 && step.cutLabel && presale !== undefined && !presale.fixed && label !== undefined) {
    const labelLength = length(label);
    const floor = Math.min(length(presale.keyword), KEYWORD_CAP) + 3;
    if (labelLength > floor) {
      label = truncateGsm(label, labelLength - Math.min(excess, labelLength - floor));
      excess -= labelLength - length(label);
    }
  }
  return excess <= 0 ? { artist: artistText, label } : undefined;
}

export interface WorstCaseSms {
  /** The message the renderer would have to send: its shortest form for the longest parts it keeps. */
  text: string;
  /** Its length in septets (GSM-7; extension characters count 2). */
  length: number;
  /** Septets over one segment (160); 0 or less when it fits. */
  overflow: number;
}

/**
 * The longest message `renderSms` can be left with once it has done all it can (venue, city and call to
 * action left out, the artist cut to its floor, a sale's own name cut to its first word(s)) for a locale
 * and an opt-out sentence that replaces the default (an override is never shortened): the longest brand,
 * the longest presale label that is never cut (a program's short form) or the longest a cut name keeps,
 * the longest sale time the locale writes, and a link of MAX_SHORT_URL_LENGTH characters, the longest the
 * renderer promises to fit. An opt-out sentence for which this fits one segment always fits.
 */
export function worstCaseSms(locale: Locale, optOutText: string): WorstCaseSms {
  const language = locale === 'fr-ca' ? 'fr' : 'en';
  const render = language === 'fr' ? renderFrench : renderEnglish;
  const septets = (text: string): number => measureSms(foldToGsm(text, locale)).length;
  const longest = (values: readonly string[]): string =>
    values.reduce((best, value) => (septets(value) > septets(best) ? value : best), '');
  const cutName = `${'N'.repeat(KEYWORD_CAP)}...`;
  const base = {
    brand: longest(Object.values(BRAND_NAMES)),
    artist: truncateGsm('A'.repeat(HARD_FLOOR + 1), HARD_FLOOR),
    venue: undefined,
    city: undefined,
    time: longestTime(locale),
    callToAction: false,
    link: `https://${'l'.repeat(MAX_SHORT_URL_LENGTH - 'https://'.length)}`,
    optOut: foldToGsm(optOutText, locale),
  };
  const labels = [undefined, cutName, ...PRESALE_PROGRAMS.map((known) => foldToGsm(known[language], locale))];
  const text = labels
    .map((label) => render({ ...base, label }))
    .reduce((worst, candidate) =>
      measureSms(candidate).length > measureSms(worst).length ? candidate : worst,
    );
  const { length } = measureSms(text);
  return { text, length, overflow: length - GSM_SINGLE_SEGMENT };
}

const longestTimes = new Map<Locale, string>();

function longestTime(locale: Locale): string {
  let time = longestTimes.get(locale);
  if (time === undefined) {
    time = foldToGsm(
      longestSaleTime(locale, (text) => measureSms(foldToGsm(text, locale)).length),
      locale,
    );
    longestTimes.set(locale, time);
  }
  return time;
}

/** The locales whose messages carry each configurable opt-out sentence. */
const OPT_OUT_LOCALES: Readonly<Record<'en' | 'fr', readonly Locale[]>> = {
  en: ['en-us', 'en-ca'],
  fr: ['fr-ca'],
};

export interface OptOutTextProblem {
  language: 'en' | 'fr';
  /** What is wrong, by how much, and the worst-case message it was measured in. */
  problem: string;
}

/**
 * What is wrong with configured opt-out sentences (empty when nothing): each must leave the worst-case
 * message of its locales (`worstCaseSms`) within one segment. The caller names the setting.
 */
export function optOutTextProblems(texts: {
  en?: string | undefined;
  fr?: string | undefined;
}): OptOutTextProblem[] {
  return (['en', 'fr'] as const).flatMap((language) => {
    const text = texts[language];
    if (text === undefined) return [];
    const worst = OPT_OUT_LOCALES[language]
      .map((locale) => ({ locale, ...worstCaseSms(locale, text) }))
      .reduce((a, b) => (b.overflow > a.overflow ? b : a));
    if (worst.overflow <= 0) return [];
    const length = measureSms(foldToGsm(text, worst.locale)).length;
    return [
      {
        language,
        problem:
          `${length} characters make the longest ${worst.locale} reminder ${worst.length} GSM-7 characters, ` +
          `${worst.overflow} over one SMS segment (${GSM_SINGLE_SEGMENT}): shorten it by ${worst.overflow} ` +
          `(the longest brand, presale label and sale time with a ${MAX_SHORT_URL_LENGTH}-character link, ` +
          `venue and city left out, the artist cut: ${JSON.stringify(worst.text)})`,
      },
    ];
  });
}
