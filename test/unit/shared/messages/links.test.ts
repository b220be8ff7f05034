import { InvalidEventUrlError, linkKey, longUrlFor } from '#shared/messages/links';

describe('longUrlFor', () => {
  it("keeps the event URL's host and path, whoever sells it", () => {
    const urls = [
      'https://www.ticketmaster.com/andrea-bocelli-in-concert-inglewood-california-12-08-2024/event/0900607B3A826C23',
      'https://concerts.livenation.com/shania-twain-queen-of-me-tour-noblesville-indiana-07-15-2023/event/05005D55DD6D454E',
      'https://www.universe.com/events/breakaway-dallas-2026-tickets-HCTQ84?ref=ticketmaster',
      'https://www.ticketweb.com/event/max-styler-la-state-historic-park-on-tickets/13470374',
      'https://www.ticketmaster.ca/toronto-argonauts-vs-bc-lions-toronto-ontario-07-03-2023/event/10005E75CA6C1D40',
    ];
    for (const eventUrl of urls) {
      for (const locale of ['en-us', 'en-ca', 'fr-ca'] as const) {
        for (const brand of ['ticketmaster', 'livenation'] as const) {
          const long = new URL(longUrlFor(eventUrl, locale, brand, 'SMS'));
          const original = new URL(eventUrl);
          expect(long.host).toBe(original.host);
          expect(long.pathname).toBe(original.pathname);
          for (const [name, value] of original.searchParams) expect(long.searchParams.get(name)).toBe(value);
        }
      }
    }
  });

  it('names the channel in utm_medium and the brand in utm_campaign', () => {
    const eventUrl = 'https://www.ticketmaster.com/event/0900607B3A826C23';
    expect(longUrlFor(eventUrl, 'en-us', 'ticketmaster', 'SMS')).toBe(
      `${eventUrl}?utm_source=onsale-reminder&utm_medium=sms&utm_campaign=ticketmaster`,
    );
    expect(longUrlFor(eventUrl, 'en-us', 'livenation', 'EMAIL')).toBe(
      `${eventUrl}?utm_source=onsale-reminder&utm_medium=email&utm_campaign=livenation`,
    );
  });

  it('adds the language only where the site takes one (Ticketmaster Canada)', () => {
    const canada = 'https://www.ticketmaster.ca/event/10005E75CA6C1D40';
    expect(new URL(longUrlFor(canada, 'fr-ca', 'ticketmaster', 'SMS')).searchParams.get('language')).toBe(
      'fr-ca',
    );
    expect(new URL(longUrlFor(canada, 'en-ca', 'ticketmaster', 'SMS')).searchParams.get('language')).toBe(
      'en-ca',
    );
    const universe = 'https://www.universe.com/events/x-tickets-HCTQ84?ref=ticketmaster';
    expect(new URL(longUrlFor(universe, 'fr-ca', 'ticketmaster', 'SMS')).searchParams.has('language')).toBe(
      false,
    );
    const livenation = 'https://concerts.livenation.com/x/event/05005D55DD6D454E';
    expect(new URL(longUrlFor(livenation, 'fr-ca', 'livenation', 'EMAIL')).searchParams.has('language')).toBe(
      false,
    );
  });

  it('refuses what is not an http(s) URL', () => {
    for (const bad of ['', 'ticketmaster.com/event/1', 'javascript:alert(1)', 'ftp://x/y']) {
      expect(() => longUrlFor(bad, 'en-us', 'ticketmaster', 'SMS')).toThrow(InvalidEventUrlError);
    }
  });

  it('keys links by locale, brand and channel', () => {
    expect(linkKey('fr-ca', 'livenation', 'EMAIL')).toBe('fr-ca|livenation|EMAIL');
  });
});
