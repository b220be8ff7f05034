import type { Audience } from '#shared/data/demand-repository';
import type { CachedEvent } from '#shared/data/events-repository';
import { linkKey, longUrlFor } from '#shared/messages/links';
import { shortenLinks } from '#shared/window/shorten-links';

const EVENT_URL = 'https://www.universe.com/events/breakaway-dallas-2026-tickets-HCTQ84?ref=ticketmaster';

function event(): CachedEvent {
  return {
    eventId: 'ev1',
    name: 'Breakaway Dallas',
    url: EVENT_URL,
    locale: 'en-us',
    timezone: 'America/Chicago',
    status: 'onsale',
    artists: [],
    sales: [],
    fetchedAt: '2026-01-01T00:00:00Z',
    expiresAt: 0,
  };
}

/** The event store and the demand's audiences in memory; Bitly as a counter of calls per long URL. */
function world(audiences: Audience[]) {
  const stored = event();
  const calls: string[] = [];
  let scans = 0;
  return {
    calls,
    stored,
    scans: () => scans,
    deps: {
      events: {
        get: async () => structuredClone(stored),
        setShortUrl: async (_id: string, key: string, url: string) => {
          stored.shortUrls = { ...stored.shortUrls, [key]: stored.shortUrls?.[key] ?? url };
          return stored.shortUrls[key] ?? url;
        },
      },
      demand: {
        audiences: async (_eventId: string, complete?: (found: Audience[]) => boolean) => {
          const found: Audience[] = [];
          for (const audience of audiences) {
            scans++;
            found.push(audience);
            if (complete?.(found)) break;
          }
          return found;
        },
      },
      shorten: async (longUrl: string) => {
        calls.push(longUrl);
        return `https://tmev.co/${calls.length}`;
      },
    },
  };
}

describe('shortenLinks', () => {
  it("shortens only the links the sale's fans will receive, on the event's own host", async () => {
    const w = world([
      { brand: 'ticketmaster', channel: 'SMS' },
      { brand: 'ticketmaster', channel: 'SMS' },
      { locale: 'fr-ca', brand: 'livenation', channel: 'EMAIL' },
    ]);
    const result = await shortenLinks({ eventId: 'ev1' }, w.deps);
    expect(result).toEqual({ eventId: 'ev1', links: 2, created: 2 });
    expect(w.calls).toEqual([
      longUrlFor(EVENT_URL, 'en-us', 'ticketmaster', 'SMS'),
      longUrlFor(EVENT_URL, 'fr-ca', 'livenation', 'EMAIL'),
    ]);
    for (const call of w.calls) expect(new URL(call).host).toBe('www.universe.com');
    expect(Object.keys(w.stored.shortUrls ?? {}).sort()).toEqual([
      linkKey('en-us', 'ticketmaster', 'SMS'),
      linkKey('fr-ca', 'livenation', 'EMAIL'),
    ]);
  });

  it('calls Bitly once per link, ever: a second run makes none', async () => {
    const w = world([{ brand: 'livenation', channel: 'SMS' }]);
    await shortenLinks({ eventId: 'ev1' }, w.deps);
    const again = await shortenLinks({ eventId: 'ev1' }, w.deps);
    expect(again).toEqual({ eventId: 'ev1', links: 1, created: 0 });
    expect(w.calls).toHaveLength(1);
  });

  it('stops reading the demand once every combination is seen, and shares a link between identical long URLs', async () => {
    const every: Audience[] = [];
    for (const locale of ['en-us', 'en-ca', 'fr-ca'] as const) {
      for (const brand of ['ticketmaster', 'livenation'] as const) {
        for (const channel of ['SMS', 'EMAIL'] as const) every.push({ locale, brand, channel });
      }
    }
    const w = world([...every, ...every, ...every]);
    const result = await shortenLinks({ eventId: 'ev1' }, w.deps);
    expect(result.links).toBe(12);
    expect(w.scans()).toBe(12);
    // Universe has no French page: the locales share a long URL, and one Bitly call each.
    expect(w.calls).toHaveLength(4);
    expect(Object.keys(w.stored.shortUrls ?? {})).toHaveLength(12);
  });

  it('makes no link for an event nobody signed up for', async () => {
    const w = world([]);
    expect(await shortenLinks({ eventId: 'ev1' }, w.deps)).toEqual({ eventId: 'ev1', links: 0, created: 0 });
    expect(w.calls).toEqual([]);
  });
});
