/**
 * SMS rendering: one GSM-7 segment, always. See README.md for the message shapes and the shortening order.
 */
import type { Brand, EventRecord, Locale, Sale } from '#shared/domain/model';
import { InvalidShortUrlError, MissingShortUrlError, SmsTooLongError } from '#shared/messages/errors';
import { artistLabel, BRAND_NAMES, formatSaleTime } from '#shared/messages/format';
import {
  foldToGsm,
  GSM_SINGLE_SEGMENT,
  measureSms,
  type SmsEncoding,
  truncateGsm,
} from '#shared/messages/gsm';

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
  /** True when the city, the call to action or a name was left out or cut to fit. */
  shortened: boolean;
}

/** Links up to this length always fit, whatever the names. */
export const MAX_SHORT_URL_LENGTH = 30;

export const DEFAULT_OPT_OUT: Readonly<Record<Locale, string>> = {
  'en-us': 'Reply STOP to opt out',
  'en-ca': 'Reply STOP to opt out',
  'fr-ca': 'Répondez ARRET pour vous désabonner',
};

const GENERIC: Readonly<Record<'en' | 'fr', { event: string; presale: string }>> = {
  en: { event: 'your event', presale: 'Presale' },
  fr: { event: 'votre événement', presale: 'Prévente' },
};

/** Names are first cut down to no less than this many septets (dots included). */
const SOFT_FLOOR = 12;
/** The shortest a cut name gets: at least one character (two septets if extended) and "...". */
const HARD_FLOOR = 5;

interface Parts {
  brand: string;
  /** Present for presales only: public sales do not name the sale. */
  saleName: string | undefined;
  artist: string;
  venue: string | undefined;
  time: string;
  callToAction: boolean;
  link: string;
  optOut: string;
}

function renderEnglish(p: Parts): string {
  const at = p.venue === undefined ? '' : ` at ${p.venue}`;
  const what =
    p.saleName === undefined
      ? `Tickets for ${p.artist}${at} go on sale ${p.time}.`
      : `${p.saleName} for ${p.artist}${at} starts ${p.time}.`;
  return `${p.brand}: ${what}${p.callToAction ? ' Get tickets:' : ''} ${p.link}${p.optOut ? ` ${p.optOut}` : ''}`;
}

function renderFrench(p: Parts): string {
  // The venue goes in parentheses: "au"/"à la"/"à l'" would depend on the venue's name.
  const where = p.venue === undefined ? '' : ` (${p.venue})`;
  const what =
    p.saleName === undefined
      ? `Mise en vente pour ${p.artist}${where} le ${p.time}.`
      : `${p.saleName} pour ${p.artist}${where} le ${p.time}.`;
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

type SlotName = 'saleName' | 'venue' | 'artist';
/** Cut first to last: the presale name, then the venue, then the artist. */
const CUT_ORDER: readonly SlotName[] = ['saleName', 'venue', 'artist'];

interface Step {
  city: boolean;
  callToAction: boolean;
  /** undefined: nothing is cut. */
  floor: number | undefined;
}

const STEPS: readonly Step[] = [
  { city: true, callToAction: true, floor: undefined },
  { city: false, callToAction: true, floor: undefined },
  { city: false, callToAction: false, floor: undefined },
  { city: false, callToAction: false, floor: SOFT_FLOOR },
  { city: false, callToAction: false, floor: HARD_FLOOR },
];

/**
 * Renders the reminder SMS. Always one GSM-7 segment: names are folded into GSM-7 and, when needed, the
 * city, then the call to action are left out, then the presale name, venue and artist cut with "...";
 * the brand, the sale time, the link and the opt-out words are never altered.
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
  const saleName =
    sale.type === 'public' ? undefined : (meaningful(fold(sale.name)) ?? GENERIC[language].presale);
  const venueName = meaningful(fold(event.venue?.name ?? ''));
  const city = meaningful(fold(event.venue?.city ?? ''));
  const venueWithCity =
    venueName !== undefined && city !== undefined && !venueName.toLowerCase().includes(city.toLowerCase())
      ? `${venueName}, ${city}`
      : venueName;

  const fixed = {
    brand: BRAND_NAMES[input.brand],
    time: fold(formatSaleTime(sale, event.timezone, locale).short),
    link,
    optOut: input.optOutText === undefined ? DEFAULT_OPT_OUT[locale] : fold(input.optOutText),
  };

  let shortest = Number.POSITIVE_INFINITY;
  for (const [index, step] of STEPS.entries()) {
    const full: Record<SlotName, string | undefined> = {
      saleName,
      venue: step.city ? venueWithCity : venueName,
      artist,
    };
    const skeleton = render({
      ...fixed,
      callToAction: step.callToAction,
      saleName: saleName === undefined ? undefined : '',
      venue: venueName === undefined ? undefined : '',
      artist: '',
    });
    const budget = GSM_SINGLE_SEGMENT - measureSms(skeleton).length;
    const slots = fitSlots(full, budget, step.floor);
    if (slots === undefined) continue;
    const text = render({
      ...fixed,
      callToAction: step.callToAction,
      ...slots,
      artist: slots.artist ?? artist,
    });
    const measured = measureSms(text);
    if (measured.encoding === 'GSM-7' && measured.segments === 1) {
      // Each step after the first leaves out or cuts something the previous one could not fit.
      return { text, ...measured, shortened: index > 0 };
    }
    shortest = Math.min(shortest, measured.length);
  }
  throw new SmsTooLongError(event.eventId, sale.saleId, Number.isFinite(shortest) ? shortest : 0);
}

/**
 * Fits the variable parts into a septet budget. Without a floor nothing is cut (undefined when they do
 * not fit); with one, the parts are cut in CUT_ORDER, none below the floor.
 */
function fitSlots(
  full: Record<SlotName, string | undefined>,
  budget: number,
  floor: number | undefined,
): Record<SlotName, string | undefined> | undefined {
  const lengths = Object.fromEntries(
    CUT_ORDER.map((slot) => [slot, measureSms(full[slot] ?? '').length]),
  ) as Record<SlotName, number>;
  let excess = CUT_ORDER.reduce((sum, slot) => sum + lengths[slot], 0) - budget;
  if (excess <= 0) return full;
  if (floor === undefined) return undefined;
  const result = { ...full };
  for (const slot of CUT_ORDER) {
    const text = full[slot];
    if (excess <= 0) break;
    if (text === undefined || lengths[slot] <= floor) continue;
    const cut = Math.min(excess, lengths[slot] - floor);
    result[slot] = truncateGsm(text, lengths[slot] - cut);
    excess -= lengths[slot] - measureSms(result[slot] ?? '').length;
  }
  return excess <= 0 ? result : undefined;
}
