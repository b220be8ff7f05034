import fc from 'fast-check';
import type { Locale } from '#shared/domain/model';
import { InvalidSaleTimeError, InvalidTimeZoneError } from '#shared/messages/errors';
import {
  artistLabel,
  formatSaleTime,
  longestSaleTime,
  pickLocale,
  quebecTime,
} from '#shared/messages/format';
import { foldToGsm, measureSms } from '#shared/messages/gsm';

const sale = { saleId: 'sale-1', startsAt: '2026-12-04T15:00:00Z' };

describe('formatSaleTime', () => {
  it('writes the sale time in the event time zone for each locale, with plain spaces', () => {
    expect(formatSaleTime(sale, 'America/New_York', 'en-us')).toEqual({
      short: 'Fri Dec 4, 10:00 AM EST',
      date: 'Friday, December 4, 2026',
      time: '10:00 AM',
      zone: 'EST',
    });
    expect(formatSaleTime(sale, 'America/Toronto', 'en-ca')).toEqual({
      short: 'Fri Dec 4, 10:00 a.m. EST',
      date: 'Friday, December 4, 2026',
      time: '10:00 a.m.',
      zone: 'EST',
    });
    expect(formatSaleTime(sale, 'America/Toronto', 'fr-ca')).toEqual({
      short: 'ven. 4 déc. à 10 h HNE',
      date: 'vendredi 4 décembre 2026',
      time: '10 h',
      zone: 'HNE',
    });
  });

  it('follows the zone and daylight saving time', () => {
    expect(formatSaleTime(sale, 'America/Los_Angeles', 'en-us').short).toBe('Fri Dec 4, 7:00 AM PST');
    expect(
      formatSaleTime({ ...sale, startsAt: '2026-07-10T14:00:00Z' }, 'America/Toronto', 'en-ca').short,
    ).toBe('Fri Jul 10, 10:00 a.m. EDT');
    expect(formatSaleTime(sale, 'America/Halifax', 'fr-ca').short).toBe('ven. 4 déc. à 11 h HNA');
  });

  it('writes French times as Quebec does: no leading zero, no zero minutes', () => {
    const at = (iso: string) => formatSaleTime({ saleId: 's', startsAt: iso }, 'America/Montreal', 'fr-ca');
    expect(at('2026-12-04T14:00:00Z')).toMatchObject({ time: '9 h', short: 'ven. 4 déc. à 9 h HNE' });
    expect(at('2026-12-04T14:30:00Z').time).toBe('9 h 30');
    expect(at('2026-12-04T19:05:00Z').time).toBe('14 h 05');
    expect(at('2026-12-05T05:00:00Z').time).toBe('0 h');
    expect(quebecTime('09', '00')).toBe('9 h');
    expect(quebecTime('21', '45')).toBe('21 h 45');
  });

  it('never contains a no-break or narrow no-break space', () => {
    for (const locale of ['en-us', 'en-ca', 'fr-ca'] as const) {
      const formatted = formatSaleTime(sale, 'America/Toronto', locale);
      expect(Object.values(formatted).join('|')).not.toMatch(/[\u00A0\u202F]/);
    }
  });

  it('rejects an unknown time zone and an invalid instant with typed errors', () => {
    expect(() => formatSaleTime(sale, 'Mars/Olympus_Mons', 'en-us')).toThrow(InvalidTimeZoneError);
    const error = (() => {
      try {
        formatSaleTime({ saleId: 'sale-9', startsAt: 'soon' }, 'America/Toronto', 'en-us');
      } catch (caught: unknown) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidSaleTimeError);
    expect(error).toMatchObject({ name: 'InvalidSaleTimeError', saleId: 'sale-9', startsAt: 'soon' });
  });
});

describe('longestSaleTime', () => {
  const septets = (locale: Locale) => (text: string) => measureSms(foldToGsm(text, locale)).length;

  it('puts together the longest weekday, month, day, time and zone name each locale writes', () => {
    expect(longestSaleTime('en-us', septets('en-us'))).toBe('Mon Jan 28, 12:30 AM GMT+10:30');
    expect(longestSaleTime('en-ca', septets('en-ca'))).toBe('Mon Jan 28, 12:30 a.m. GMT+10:30');
    expect(longestSaleTime('fr-ca', septets('fr-ca'))).toBe('lun. 28 juill. à 10 h 30 UTC+10:30');
  });

  it('is never shorter than a real sale time, in any zone of the US and Canada or a half-hour one (property)', () => {
    const zones = [
      'America/New_York',
      'America/Chicago',
      'America/Denver',
      'America/Phoenix',
      'America/Los_Angeles',
      'America/Anchorage',
      'America/Adak',
      'Pacific/Honolulu',
      'America/Puerto_Rico',
      'America/Toronto',
      'America/Winnipeg',
      'America/Regina',
      'America/Edmonton',
      'America/Vancouver',
      'America/Halifax',
      'America/St_Johns',
      'America/Whitehorse',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
    ];
    const longest = Object.fromEntries(
      (['en-us', 'en-ca', 'fr-ca'] as const).map((locale) => [
        locale,
        septets(locale)(longestSaleTime(locale, septets(locale))),
      ]),
    ) as Record<Locale, number>;
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2025-01-01T00:00:00Z'),
          max: new Date('2035-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...zones),
        fc.constantFrom<Locale>('en-us', 'en-ca', 'fr-ca'),
        (instant, zone, locale) => {
          const { short } = formatSaleTime({ saleId: 's', startsAt: instant.toISOString() }, zone, locale);
          expect(septets(locale)(short)).toBeLessThanOrEqual(longest[locale]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('artistLabel', () => {
  it('lists one, two, or the first two artists and more', () => {
    expect(artistLabel([], 'en-us', 'short')).toBe('');
    expect(artistLabel(['Drake'], 'en-us', 'short')).toBe('Drake');
    expect(artistLabel(['Drake', 'Future'], 'en-ca', 'short')).toBe('Drake & Future');
    expect(artistLabel(['Drake', 'Future', 'Metro Boomin'], 'en-us', 'short')).toBe('Drake, Future & more');
    expect(artistLabel(['Drake', 'Future', 'Metro Boomin'], 'en-us', 'full')).toBe(
      'Drake, Future & Metro Boomin',
    );
    expect(artistLabel(['Les Colocs', 'Kaïn'], 'fr-ca', 'short')).toBe('Les Colocs et Kaïn');
    expect(artistLabel(['A', 'B', 'C'], 'fr-ca', 'short')).toBe('A, B et plus');
  });
});

describe('pickLocale', () => {
  it("takes the fan's choice, else the event's locale", () => {
    expect(pickLocale('fr-ca', 'en-ca')).toBe('fr-ca');
    expect(pickLocale(undefined, 'en-ca')).toBe('en-ca');
  });
});
