import fc from 'fast-check';
import { type Locale, SALE_TYPES } from '#shared/domain/model';
import { artistLabel, BRAND_NAMES, formatSaleTime } from '#shared/messages/format';
import { foldToGsm, measureSms } from '#shared/messages/gsm';
import { findProgram, PRESALE_PROGRAMS } from '#shared/messages/presale-programs';
import { DEFAULT_OPT_OUT, optOutTextProblems, renderSms, SHORT_OPT_OUT } from '#shared/messages/sms';
import { makeEvent, makeSale } from '#test/helpers/message-factories';

const tricky = [
  '🎸',
  '👨‍👩‍👧',
  '🇨🇦',
  'é',
  'ê',
  'ç',
  'Ç',
  '®',
  '€',
  '[',
  '~',
  '’',
  '—',
  'Ω',
  '방',
  '東',
  ' ',
  '\u202F',
  'a',
  'Z',
  '1',
];

/** Names as they come: any Unicode, emoji, extension characters, very long ones. */
const nameArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...tricky), maxLength: 200 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 150, maxLength: 400 }),
);

const URL_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'.split('');
/** Short links of at most 30 characters. */
const linkArb = fc
  .tuple(
    fc.constantFrom('https://tmev.co/', 'https://bit.ly/', 'http://t.co/'),
    fc.string({ unit: fc.constantFrom(...URL_CHARS), minLength: 1, maxLength: 14 }),
  )
  .map(([host, path]) => `${host}${path}`.slice(0, 30));

const ZONES = [
  'America/New_York',
  'America/Toronto',
  'America/Los_Angeles',
  'America/St_Johns',
  'America/Halifax',
  'America/Vancouver',
  'Pacific/Honolulu',
  'Europe/Paris',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
];

const inputArb = fc.record({
  artists: fc.array(fc.record({ id: fc.string({ maxLength: 5 }), name: nameArb }), { maxLength: 4 }),
  eventName: nameArb,
  venue: fc.option(fc.record({ name: nameArb, city: fc.option(nameArb, { nil: undefined }) }), {
    nil: undefined,
  }),
  saleName: nameArb,
  saleType: fc.constantFrom(...SALE_TYPES),
  startsAt: fc
    .date({
      min: new Date('2025-01-01T00:00:00Z'),
      max: new Date('2030-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString()),
  timezone: fc.constantFrom(...ZONES),
  locale: fc.constantFrom<Locale>('en-us', 'en-ca', 'fr-ca'),
  brand: fc.constantFrom('ticketmaster' as const, 'livenation' as const),
  link: linkArb,
});

const HAS_CONTENT = /[\p{L}\p{N}]/u;

/** The text holds the value whole, or its first characters (at least one) followed by "...". */
function holdsPossiblyCut(text: string, value: string): boolean {
  if (text.includes(value)) return true;
  for (let keep = value.length - 1; keep >= 1; keep -= 1) {
    const head = value.slice(0, keep).trimEnd();
    if (head !== '' && text.includes(`${head}...`)) return true;
  }
  return false;
}

/** Presale names as Discovery lists them (test/fixtures/discovery-real) and as Canadian programs write them. */
const REAL_PRESALE_NAMES = [
  'Citi® Cardmember Presale',
  'Citi® Cardmember Presales',
  'Citi Presale',
  'Citi Cardmember Preferred Tickets',
  'Citi® Cardmember Preferred Tickets',
  'American Express® Card Member Presale',
  'Chase Cardmember Presale',
  'Capital One Cardholder Presale',
  'RBC Avion Presale',
  'TD Presale',
  'Scene+ Presale',
  'Verified Fan Presale',
  'Fan Club Verified Fan Presale',
  'Fan Club Presale',
  'Spotify Presale',
  'Live Nation Presale',
  'Live Nation Mobile App Presale',
  'Ticketmaster Presale',
  'Venue Presale',
  'Artist Presale',
  'Local Presale',
  'Stifel PreSale',
  'Bandsintown Presale',
  'Official Platinum',
  'Official Platinum Presale',
  'Official Platinum Onsale',
  'VIP Packages Presale',
  'VIP Package Public Onsale',
  'VIP Sale',
  'Season Ticket Holder Offer',
  'Presale Offers',
  'Presale',
];

type Generated = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;

/** The event of the generated names, venue and time zone, in `locale`. */
const eventOf = (generated: Generated, locale: Locale) =>
  makeEvent({
    name: generated.eventName,
    artists: generated.artists,
    venue: generated.venue,
    timezone: generated.timezone,
    locale,
  });

describe('renderSms for any names (property)', () => {
  it('is one GSM-7 segment holding brand, time, link, opt-out, artist and presale', () => {
    fc.assert(
      fc.property(inputArb, (generated) => {
        const { locale } = generated;
        const event = eventOf(generated, locale);
        const sale = makeSale({
          name: generated.saleName,
          type: generated.saleType,
          startsAt: generated.startsAt,
        });

        const sms = renderSms({ event, sale, locale, brand: generated.brand, shortUrl: generated.link });

        expect(sms.segments).toBe(1);
        expect(sms.encoding).toBe('GSM-7');
        expect(measureSms(sms.text)).toEqual({ encoding: 'GSM-7', length: sms.length, segments: 1 });
        expect(sms.text.startsWith(BRAND_NAMES[generated.brand])).toBe(true);
        expect(sms.text).toContain(foldToGsm(formatSaleTime(sale, event.timezone, locale).short, locale));
        expect(sms.text).toContain(` ${generated.link} `);
        expect(
          sms.text.endsWith(` ${DEFAULT_OPT_OUT[locale]}`) || sms.text.endsWith(` ${SHORT_OPT_OUT[locale]}`),
        ).toBe(true);

        const fold = (text: string) => foldToGsm(text, locale);
        const artistNames = generated.artists
          .map((artist) => fold(artist.name))
          .filter((n) => HAS_CONTENT.test(n));
        const eventName = fold(generated.eventName);
        const artist =
          artistNames.length > 0
            ? artistLabel(artistNames, locale, 'short')
            : HAS_CONTENT.test(eventName)
              ? eventName
              : locale === 'fr-ca'
                ? 'votre événement'
                : 'your event';
        expect(holdsPossiblyCut(sms.text, artist)).toBe(true);

        if (generated.saleType === 'public') {
          expect(sms.presale).toBeUndefined();
        } else {
          // The presale is named, at least by its first word (a program's keyword, whole).
          expect(sms.presale).toBeDefined();
          expect(sms.text).toContain(sms.presale?.label ?? '\u0000');
          const keyword = sms.presale?.keyword ?? '';
          expect(sms.text).toContain(keyword.length > 20 ? keyword.slice(0, 1) : keyword);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('names every known program whole, by its keyword, in every locale, whatever the other names', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.constantFrom(...REAL_PRESALE_NAMES),
        fc.constantFrom<Locale>('en-us', 'en-ca', 'fr-ca'),
        (generated, saleName, locale) => {
          const event = eventOf(generated, locale);
          const sale = makeSale({ name: saleName, type: 'presale', startsAt: generated.startsAt });
          const sms = renderSms({ event, sale, locale, brand: generated.brand, shortUrl: generated.link });
          const program = findProgram(saleName);
          expect(program).toBeDefined();
          const language = locale === 'fr-ca' ? 'fr' : 'en';
          expect(sms.segments).toBe(1);
          expect(sms.encoding).toBe('GSM-7');
          expect(sms.text).toContain(program?.[language] ?? '\u0000');
          expect(sms.text).toContain(program?.keyword[language] ?? '\u0000');
        },
      ),
      { numRuns: 600 },
    );
  });

  it('fits any opt-out sentence the configuration check accepts, whatever the names, zone and link', () => {
    const optOutArb = fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz STOPARRETéà€[~'.split('')),
      minLength: 1,
      maxLength: 50,
    });
    fc.assert(
      fc.property(
        inputArb,
        fc.oneof(nameArb, fc.constantFrom(...REAL_PRESALE_NAMES)),
        optOutArb,
        (generated, saleName, optOutText) => {
          const { locale } = generated;
          const language = locale === 'fr-ca' ? 'fr' : 'en';
          const folded = foldToGsm(optOutText, locale);
          fc.pre(HAS_CONTENT.test(folded));
          fc.pre(optOutTextProblems({ [language]: optOutText }).length === 0);
          const event = eventOf(generated, locale);
          const sale = makeSale({ name: saleName, type: generated.saleType, startsAt: generated.startsAt });
          const sms = renderSms({
            event,
            sale,
            locale,
            brand: generated.brand,
            shortUrl: generated.link,
            optOutText,
          });
          expect(sms.segments).toBe(1);
          expect(sms.encoding).toBe('GSM-7');
          expect(sms.text.endsWith(` ${folded}`)).toBe(true);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('has a distinct keyword for every program in both languages', () => {
    for (const language of ['en', 'fr'] as const) {
      const keywords = PRESALE_PROGRAMS.map((program) => program.keyword[language]);
      expect(new Set(keywords).size).toBe(keywords.length);
      for (const program of PRESALE_PROGRAMS) expect(program[language]).toContain(program.keyword[language]);
    }
  });
});
