/**
 * The presale programs fans know, and how a reminder names them. Discovery lists presales under free
 * text ("Citi® Cardmember Presales", "Fan Club Presale", "Official Platinum Onsale", "Stifel PreSale");
 * whether a fan is eligible (a Citi card, an Amex, a fan club membership, a Verified Fan code) is the
 * point of a presale reminder, so a message names the program in a short form that never gets cut:
 * "Citi presale" / "Prévente Citi".
 *
 * Names are matched after `foldSaleName` (lower case ASCII words), first match wins: a more specific
 * program ("Verified Fan") comes before a broader one ("fan club"). A name no program matches keeps its
 * own words (see `presaleLabel`).
 */
import { foldSaleName } from '#shared/domain/sale-type';

export interface PresaleProgram {
  /** Stable id, e.g. 'citi' (reports, preview). */
  id: string;
  /** Over the folded name. */
  patterns: RegExp[];
  /** Short English form, sentence case: "Citi presale". */
  en: string;
  /** Short French form, sentence case: "Prévente Citi". */
  fr: string;
  /**
   * The words a fan recognizes the program by, as they appear in `en` / `fr`: a message that names the
   * presale always contains them whole.
   */
  keyword: { en: string; fr: string };
}

const program = (
  id: string,
  patterns: RegExp[],
  en: string,
  fr: string,
  keyword: string | { en: string; fr: string },
): PresaleProgram => ({
  id,
  patterns,
  en,
  fr,
  keyword: typeof keyword === 'string' ? { en: keyword, fr: keyword } : keyword,
});

/** First match wins. Programs seen in real Discovery payloads and the card programs of the US and Canada. */
export const PRESALE_PROGRAMS: readonly PresaleProgram[] = [
  program(
    'verified-fan',
    [/\bverified ?fans?\b/, /\bfans? verifies?\b/],
    'Verified Fan presale',
    'Prévente Verified Fan',
    'Verified Fan',
  ),
  program(
    'official-platinum',
    [/\bofficial platinum\b/, /\bplatine officiel\b/],
    'Official Platinum sale',
    'Vente Official Platinum',
    'Official Platinum',
  ),
  program('citi', [/\bciti(bank)?\b/], 'Citi presale', 'Prévente Citi', 'Citi'),
  program('amex', [/\bamerican express\b/, /\bamex\b/], 'Amex presale', 'Prévente Amex', 'Amex'),
  program(
    'chase',
    [/\bchase (card ?members?|card ?holders?|sapphire|freedom|presale|pre sale)\b/],
    'Chase presale',
    'Prévente Chase',
    'Chase',
  ),
  program('capital-one', [/\bcapital one\b/], 'Capital One presale', 'Prévente Capital One', 'Capital One'),
  program('rbc', [/\brbc\b/, /\broyal bank\b/, /\bbanque royale\b/], 'RBC presale', 'Prévente RBC', 'RBC'),
  program('td', [/\btd\b/], 'TD presale', 'Prévente TD', 'TD'),
  program('scene-plus', [/\bscene\b/], 'Scene+ presale', 'Prévente Scène+', { en: 'Scene+', fr: 'Scène+' }),
  program('mastercard', [/\bmastercard\b/], 'Mastercard presale', 'Prévente Mastercard', 'Mastercard'),
  program('visa', [/\bvisa\b/], 'Visa presale', 'Prévente Visa', 'Visa'),
  program(
    'bank-of-america',
    [/\bbank of america\b/],
    'Bank of America presale',
    'Prévente Bank of America',
    'Bank of America',
  ),
  program('wells-fargo', [/\bwells fargo\b/], 'Wells Fargo presale', 'Prévente Wells Fargo', 'Wells Fargo'),
  program('stifel', [/\bstifel\b/], 'Stifel presale', 'Prévente Stifel', 'Stifel'),
  program(
    'rogers',
    [/\brogers (presale|pre sale|insiders?|members?|customers?)\b/],
    'Rogers presale',
    'Prévente Rogers',
    'Rogers',
  ),
  program('spotify', [/\bspotify\b/], 'Spotify presale', 'Prévente Spotify', 'Spotify'),
  program('bandsintown', [/\bbandsintown\b/], 'Bandsintown presale', 'Prévente Bandsintown', 'Bandsintown'),
  program('live-nation', [/\blive ?nation\b/], 'Live Nation presale', 'Prévente Live Nation', 'Live Nation'),
  program(
    'ticketmaster',
    [/\bticketmaster\b/],
    'Ticketmaster presale',
    'Prévente Ticketmaster',
    'Ticketmaster',
  ),
  program(
    'fan-club',
    [/\bfan ?club\b/, /\bfan-club\b/, /\bofficial fan\b/, /\bclub (de|des) fans?\b/],
    'Fan club presale',
    'Prévente fan-club',
    { en: 'Fan club', fr: 'fan-club' },
  ),
  program('artist', [/\bartist\b/, /\bartiste\b/], 'Artist presale', "Prévente de l'artiste", {
    en: 'Artist',
    fr: 'artiste',
  }),
  program('venue', [/\bvenue\b/, /\bsalle\b/, /\bbox office\b/], 'Venue presale', 'Prévente de la salle', {
    en: 'Venue',
    fr: 'salle',
  }),
  program('vip', [/\bvip\b/], 'VIP package sale', 'Vente VIP', 'VIP'),
  program('local', [/\blocal\b/, /\blocale\b/], 'Local presale', 'Prévente locale', {
    en: 'Local',
    fr: 'locale',
  }),
  program(
    'season-ticket',
    [/\bseason ticket\b/, /\babonnes?\b/],
    'Season ticket holder presale',
    'Prévente abonnés',
    { en: 'Season ticket', fr: 'abonnés' },
  ),
  program(
    'generic',
    [/^(pre ?sale|presales?|prevente|presale offers?|pre sale offers?)$/],
    'Presale',
    'Prévente',
    { en: 'Presale', fr: 'Prévente' },
  ),
];

export function findProgram(saleName: string): PresaleProgram | undefined {
  const folded = foldSaleName(saleName);
  return PRESALE_PROGRAMS.find((candidate) => candidate.patterns.some((pattern) => pattern.test(folded)));
}

export interface PresaleLabel {
  /** The words the message uses: "Citi presale", "Prévente Citi", or the sale's own name. */
  text: string;
  /** The program, when one matched. */
  program: string | undefined;
  /** What must stay whole in the message: the program's keyword, else the name's first word. */
  keyword: string;
  /** True when the text is a program's short form (never cut); a sale's own name may be cut after its keyword. */
  fixed: boolean;
}

const PRESALE_WORDS = /\b(pre-?sales?|pré-?ventes?|prevente)\b/giu;

const HAS_CONTENT = /[\p{L}\p{N}]/u;

/**
 * Presales named after a sponsor no list can hold, read by their wording (names seen in the real
 * payloads of test/fixtures/discovery-real):
 * - an employer's presale for its staff, "<Employer> Employee Offer" ("Ruoff Employee Offer": Ruoff
 *   Music Center's sponsor) or "... Employee(s) Presale": the employee program of that employer, "Ruoff
 *   employee presale" / "Prévente employés Ruoff", so its staff see it is theirs and other fans that it
 *   is not;
 * - "<Sponsor> Presale Offer(s)" ("Aisle Seat Presale Offer"): Discovery's "Presale Offer" wording of a
 *   presale (as "Presale Offers" alone is the generic presale), read as "<Sponsor> Presale".
 * A sponsor with its own program word ("Argos Insider Presale") needs no rule: the name is kept.
 */
const EMPLOYEE_OFFER = /^(.+?)\s+employees?\s+(?:offers?|pre-?sales?|sales?)$/iu;
const PRESALE_OFFER = /^(.+?)\s+(pre-?sales?)\s+offers?$/iu;

/**
 * How a message names a presale. A known program gets its short form; an employer's staff presale is
 * named for that employer; another name is kept (English) or introduced as "Prévente ..." (French, the
 * presale word of the name dropped). `fallback` is used when the name has nothing left (empty, only
 * symbols).
 */
export function presaleLabel(saleName: string, language: 'en' | 'fr', fallback: string): PresaleLabel {
  const found = findProgram(saleName);
  if (found !== undefined) {
    return { text: found[language], program: found.id, keyword: found.keyword[language], fixed: true };
  }
  const written = saleName.replace(/\s+/gu, ' ').trim();
  if (!HAS_CONTENT.test(written))
    return { text: fallback, program: undefined, keyword: fallback, fixed: true };
  const employer = EMPLOYEE_OFFER.exec(written)?.[1];
  if (employer !== undefined && HAS_CONTENT.test(employer)) {
    // The keyword leads the text, so a cut keeps it.
    return language === 'fr'
      ? {
          text: `Prévente employés ${employer}`,
          program: 'employee',
          keyword: `Prévente employés ${employer}`,
          fixed: false,
        }
      : {
          text: `${employer} employee presale`,
          program: 'employee',
          keyword: `${employer} employee`,
          fixed: false,
        };
  }
  const offer = PRESALE_OFFER.exec(written);
  const sponsor = offer?.[1];
  const name = offer ? `${offer[1]} ${offer[2]}` : written;
  const text =
    language === 'fr'
      ? `${fallback} ${name.replace(PRESALE_WORDS, ' ').replace(/\s+/gu, ' ').trim()}`.trim()
      : name;
  const keyword =
    sponsor === undefined
      ? firstWords(text, language === 'fr' ? 2 : 1)
      : language === 'fr'
        ? `${fallback} ${sponsor}`
        : sponsor;
  return { text, program: undefined, keyword, fixed: false };
}

function firstWords(text: string, count: number): string {
  return text.split(' ').slice(0, count).join(' ');
}
