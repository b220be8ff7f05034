import { InvalidSaleTimeError, InvalidTimeZoneError } from '#shared/messages/errors';
import { artistLabel, formatSaleTime, pickLocale, quebecTime } from '#shared/messages/format';

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
