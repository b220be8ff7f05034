import { readdirSync } from 'node:fs';
import { mapLocale, parseDiscoveryDocument, parseDiscoveryEvent } from '#shared/domain/discovery';
import { InvalidDiscoveryPayloadError } from '#shared/domain/errors';
import { aDiscoveryEvent, type LooseJson, readFixture } from '#test/helpers/factories';
import { FIXTURES, INVALID_FIXTURES } from '#test/helpers/paths';

function parseError(json: unknown): InvalidDiscoveryPayloadError {
  try {
    parseDiscoveryEvent(json);
  } catch (error: unknown) {
    if (error instanceof InvalidDiscoveryPayloadError) return error;
    throw error;
  }
  throw new Error('expected InvalidDiscoveryPayloadError');
}

describe('parseDiscoveryEvent', () => {
  it('normalizes an event with its public sale and presales', () => {
    const event = parseDiscoveryEvent(readFixture('us-music-marisol-reyes.json'));
    expect(event).toMatchObject({
      eventId: 'vvG1fZ4Ax3kTpQ',
      name: 'Marisol Reyes – Luz y Sombra World Tour',
      locale: 'en-us',
      timezone: 'America/New_York',
      status: 'onsale',
      segment: 'Music',
      genre: 'Pop',
      startsAt: '2027-04-17T23:30:00.000Z',
      localDate: '2027-04-17',
      artists: [{ id: 'K8vZ917Gmr0', name: 'Marisol Reyes' }],
      venue: {
        id: 'KovZpZA7AAEA',
        name: 'Madison Square Garden',
        city: 'New York',
        stateCode: 'NY',
        countryCode: 'US',
      },
    });
    expect(event.url).toMatch(/^https:\/\/www\.ticketmaster\.com\//);
    expect(event.sales.map((s) => [s.saleId, s.type, s.startsAt])).toEqual([
      ['vvG1fZ4Ax3kTpQ.presale.verified-fan-presale', 'verified_fan', '2026-12-08T15:00:00.000Z'],
      ['vvG1fZ4Ax3kTpQ.presale.citi-cardmember-presale', 'card_member', '2026-12-09T15:00:00.000Z'],
      ['vvG1fZ4Ax3kTpQ.presale.official-platinum', 'vip', '2026-12-09T15:00:00.000Z'],
      ['vvG1fZ4Ax3kTpQ.presale.vip-package-presale', 'vip', '2026-12-09T15:00:00.000Z'],
      ['vvG1fZ4Ax3kTpQ.presale.spotify-fans-first-presale', 'presale', '2026-12-09T17:00:00.000Z'],
      ['vvG1fZ4Ax3kTpQ.public', 'public', '2026-12-11T15:00:00.000Z'],
    ]);
    const citi = event.sales.find((s) => s.type === 'card_member');
    expect(citi).toMatchObject({ name: 'Citi® Cardmember Presale', endsAt: '2026-12-10T04:00:00.000Z' });
  });

  it('gives the same saleIds on every refresh, none containing #', () => {
    const a = parseDiscoveryEvent(readFixture('us-music-marisol-reyes.json'));
    const b = parseDiscoveryEvent(readFixture('us-music-marisol-reyes.json'));
    expect(a.sales.map((s) => s.saleId)).toEqual(b.sales.map((s) => s.saleId));
    for (const s of a.sales) expect(s.saleId).not.toContain('#');
  });

  it('keeps saleIds when presales are reordered', () => {
    const original = parseDiscoveryEvent(readFixture('us-music-marisol-reyes.json'));
    const reordered = parseDiscoveryEvent(
      (() => {
        const raw = readFixture('us-music-marisol-reyes.json') as { sales: { presales: unknown[] } };
        raw.sales.presales.reverse();
        return raw;
      })(),
    );
    expect(new Set(reordered.sales.map((s) => s.saleId))).toEqual(
      new Set(original.sales.map((s) => s.saleId)),
    );
  });

  it('disambiguates presales with the same name by their start time', () => {
    const event = parseDiscoveryEvent(readFixture('us-music-zoe-montclair-long-name.json'));
    const fanClub = event.sales.filter((s) => s.name === 'Fan Club Presale').map((s) => s.saleId);
    expect(fanClub).toEqual([
      'vvG1fZ4AlngNm.presale.fan-club-presale.20270210T1800Z',
      'vvG1fZ4AlngNm.presale.fan-club-presale.20270211T1800Z',
    ]);
    expect(new Set(event.sales.map((s) => s.saleId)).size).toBe(event.sales.length);
  });

  it('maps Canadian events to en-ca / fr-ca and takes the zone from dates.timezone', () => {
    expect(parseDiscoveryEvent(readFixture('ca-music-northbound-collective.json')).locale).toBe('en-ca');
    const fr = parseDiscoveryEvent(readFixture('ca-fr-eclaireurs.json'));
    expect(fr).toMatchObject({ locale: 'fr-ca', timezone: 'America/Toronto' });
    expect(fr.venue?.city).toBe('Montréal');
    // Discovery writes en-us for many Canadian events: the venue country decides.
    expect(parseDiscoveryEvent(readFixture('ca-music-aurora-lane-postponed.json'))).toMatchObject({
      locale: 'en-ca',
      status: 'postponed',
      timezone: 'America/Vancouver',
    });
  });

  it('tolerates TBA dates, a TBD public sale, no attractions and missing venue parts', () => {
    const event = parseDiscoveryEvent(readFixture('us-music-velvet-static-tba.json'));
    expect(event.startsAt).toBeUndefined();
    expect(event.localDate).toBeUndefined();
    expect(event.artists).toEqual([]);
    expect(event.status).toBe('rescheduled');
    expect(event.sales.map((s) => s.type)).toEqual(['verified_fan']);
    // No dates.timezone, no venue timezone, no state: fallback by country.
    expect(event.timezone).toBe('America/New_York');
  });

  it('falls back to the state zone, then to the country zone', () => {
    const noZones = (state?: string) =>
      aDiscoveryEvent((e) => {
        delete e.dates.timezone;
        delete e._embedded.venues[0].timezone;
        e._embedded.venues[0].state = state ? { stateCode: state } : null;
      });
    expect(parseDiscoveryEvent(noZones('CA')).timezone).toBe('America/Los_Angeles');
    expect(parseDiscoveryEvent(noZones()).timezone).toBe('America/New_York');
  });

  it('tolerates absent and null optional blocks', () => {
    const event = parseDiscoveryEvent({
      id: 'vvG1min',
      name: 'Bare Event',
      sales: null,
      dates: null,
      _embedded: null,
    });
    expect(event).toMatchObject({
      eventId: 'vvG1min',
      status: 'unknown',
      locale: 'en-us',
      timezone: 'UTC',
      sales: [],
    });
    expect(event.url).toBe('https://www.ticketmaster.com/event/vvG1min');
    expect(event.venue).toBeUndefined();
  });

  it('ignores fields it does not use and "Undefined" classification levels', () => {
    const event = parseDiscoveryEvent(
      aDiscoveryEvent((e) => {
        e.images = [{ url: 'x' }];
        e.classifications = [{ primary: true, segment: { name: 'Undefined' }, genre: { name: 'Undefined' } }];
      }),
    );
    expect(event.segment).toBeUndefined();
    expect(event.genre).toBeUndefined();
  });

  it('uses the primary classification, not the first one', () => {
    const event = parseDiscoveryEvent(
      aDiscoveryEvent((e) => {
        e.classifications = [
          { primary: false, segment: { name: 'Sports' } },
          { primary: true, segment: { name: 'Arts & Theatre' }, genre: { name: 'Theatre' } },
        ];
      }),
    );
    expect(event.segment).toBe('Arts & Theatre');
  });

  it.each([
    ['cancelled', 'cancelled'],
    ['canceled', 'cancelled'],
    ['postponed', 'postponed'],
    ['offsale', 'offsale'],
    ['rescheduled', 'rescheduled'],
    ['somethingNew', 'unknown'],
  ])('maps status code %s to %s', (code, status) => {
    const event = parseDiscoveryEvent(aDiscoveryEvent((e) => (e.dates.status.code = code)));
    expect(event.status).toBe(status);
  });

  it('converts offsets to UTC instants', () => {
    const event = parseDiscoveryEvent(
      aDiscoveryEvent((e) => (e.sales.presales[0].startDateTime = '2026-12-09T10:00:00-05:00')),
    );
    expect(event.sales[0]?.startsAt).toBe('2026-12-09T15:00:00.000Z');
  });

  describe('invalid payloads name the field path', () => {
    it.each([
      ['id', (e: LooseJson) => delete e.id, 'id'],
      ['name', (e: LooseJson) => (e.name = 42), 'name'],
      ['id with #', (e: LooseJson) => (e.id = 'a#b'), 'id'],
      [
        'presale start',
        (e: LooseJson) => (e.sales.presales[0].startDateTime = 'soon'),
        'sales.presales[0].startDateTime',
      ],
      ['presale name', (e: LooseJson) => delete e.sales.presales[0].name, 'sales.presales[0].name'],
      [
        'public end',
        (e: LooseJson) => (e.sales.public.endDateTime = '2026-13-45T99:00:00Z'),
        'sales.public.endDateTime',
      ],
      ['show time', (e: LooseJson) => (e.dates.start.dateTime = 1234), 'dates.start.dateTime'],
      [
        'venue country',
        (e: LooseJson) => (e._embedded.venues[0].country = 'US'),
        '_embedded.venues[0].country',
      ],
      [
        'attraction id',
        (e: LooseJson) => delete e._embedded.attractions[0].id,
        '_embedded.attractions[0].id',
      ],
      ['presales list', (e: LooseJson) => (e.sales.presales = {}), 'sales.presales'],
    ])('%s', (_label, patch, path) => {
      const error = parseError(aDiscoveryEvent(patch));
      expect(error).toBeInstanceOf(InvalidDiscoveryPayloadError);
      expect(error.name).toBe('InvalidDiscoveryPayloadError');
      expect(error.path).toBe(path);
      expect(error.message).toContain(path);
    });

    it('names the event when its id is readable', () => {
      const error = parseError(aDiscoveryEvent((e) => (e.sales.presales[0].startDateTime = 'soon')));
      expect(error.eventId).toBe('vvG1fZ4Atest1');
      expect(error.message).toContain('vvG1fZ4Atest1');
    });

    it('says a required field is missing', () => {
      expect(parseError(aDiscoveryEvent((e) => delete e.id)).message).toContain('required field is missing');
    });
  });
});

describe('parseDiscoveryDocument', () => {
  it('accepts a search response', () => {
    const { events, errors } = parseDiscoveryDocument(readFixture('search-response.json'));
    expect(errors).toEqual([]);
    expect(events.map((e) => e.eventId)).toEqual(['vvG1fZ4Ax3kTpQ', 'Z7r9jZ1AeKq3P', 'Z7r9jZ1AeFrCa']);
  });

  it('accepts a single event', () => {
    const { events, errors } = parseDiscoveryDocument(readFixture('us-sports-wolves-stars.json'));
    expect(errors).toEqual([]);
    expect(events).toHaveLength(1);
  });

  it('keeps the good events of a search response with one bad event', () => {
    const { events, errors } = parseDiscoveryDocument(
      readFixture('search-one-bad-event.json', INVALID_FIXTURES),
    );
    expect(events.map((e) => e.eventId)).toEqual(['vvG1fZ4Ax3kTpQ', 'Z7r9jZ1AeFrCa']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      path: '_embedded.events[1]._embedded.attractions[0].name',
      eventId: 'vvG1fZ4AbadAt',
    });
  });

  it('treats an empty result page as no events', () => {
    expect(
      parseDiscoveryDocument({ page: { size: 20, totalElements: 0, totalPages: 0, number: 0 } }),
    ).toEqual({
      events: [],
      errors: [],
    });
  });

  it.each([
    [[1, 2], '(root)'],
    ['text', '(root)'],
    [null, '(root)'],
    [{ _embedded: { events: {} } }, '_embedded.events'],
    [{ _links: {} }, 'id'],
  ])('reports a document that is neither (%j)', (json, path) => {
    const { events, errors } = parseDiscoveryDocument(json);
    expect(events).toEqual([]);
    expect(errors.map((e) => e.path)).toEqual([path]);
  });

  it('parses every sample file without error, and the malformed ones with errors', () => {
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))) {
      expect({ file, errors: parseDiscoveryDocument(readFixture(file)).errors }).toEqual({
        file,
        errors: [],
      });
    }
    for (const file of ['missing-id.json', 'bad-presale-date.json', 'array-not-object.json']) {
      expect(parseDiscoveryDocument(readFixture(file, INVALID_FIXTURES)).errors).toHaveLength(1);
    }
  });
});

describe('sample data', () => {
  const all = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => parseDiscoveryDocument(readFixture(f)).events);

  it('has every sale start in the future of 2026-11-28', () => {
    for (const sale of all.flatMap((e) => e.sales))
      expect(Date.parse(sale.startsAt)).toBeGreaterThan(Date.parse('2026-11-28T23:59:59Z'));
  });

  it('covers every sale type, several slots, and an event with 3+ sales in one slot', () => {
    const sales = all.flatMap((e) => e.sales);
    expect(new Set(sales.map((s) => s.type))).toEqual(
      new Set(['public', 'presale', 'verified_fan', 'card_member', 'vip', 'registration']),
    );
    expect(new Set(sales.map((s) => s.startsAt)).size).toBeGreaterThan(10);
    const perSlot = new Map<string, number>();
    for (const s of sales)
      perSlot.set(`${s.eventId}@${s.startsAt}`, (perSlot.get(`${s.eventId}@${s.startsAt}`) ?? 0) + 1);
    expect(Math.max(...perSlot.values())).toBeGreaterThanOrEqual(3);
  });

  it('covers US and CA, fr-ca, a sports event, cancelled and postponed events', () => {
    expect(new Set(all.map((e) => e.venue?.countryCode))).toEqual(new Set(['US', 'CA']));
    expect(all.some((e) => e.locale === 'fr-ca')).toBe(true);
    expect(all.some((e) => e.segment === 'Sports')).toBe(true);
    expect(all.some((e) => e.status === 'cancelled')).toBe(true);
    expect(all.some((e) => e.status === 'postponed')).toBe(true);
  });
});

describe('mapLocale', () => {
  it.each([
    ['en-us', 'US', 'en-us'],
    ['en-us', 'CA', 'en-ca'],
    ['fr-ca', 'CA', 'fr-ca'],
    ['fr', 'CA', 'fr-ca'],
    ['FR_CA', undefined, 'fr-ca'],
    ['en-ca', undefined, 'en-ca'],
    ['en-us,fr-ca', 'CA', 'en-ca'],
    [undefined, undefined, 'en-us'],
    ['de-de', 'DE', 'en-us'],
  ] as const)('%s in %s → %s', (locale, country, expected) => {
    expect(mapLocale(locale, country)).toBe(expected);
  });
});

describe('oversized Discovery fields', () => {
  it('rejects a huge event name and a huge id with the field path, before anything is stored', () => {
    const base = {
      id: 'vvG1fZ4Ax3kTpQ',
      name: 'x'.repeat(1_000_000),
      dates: { start: { localDate: '2027-01-01' }, timezone: 'America/New_York' },
    };
    expect(() => parseDiscoveryEvent(base)).toThrow(/name/);
    expect(() => parseDiscoveryEvent({ ...base, name: 'Show', id: 'a'.repeat(10_000) })).toThrow(/id/);
    let message = '';
    try {
      parseDiscoveryEvent({ ...base, name: 'Show', id: 'a'.repeat(10_000) });
    } catch (error: unknown) {
      message = (error as Error).message;
    }
    expect(message.length).toBeLessThan(300);
  });
});
