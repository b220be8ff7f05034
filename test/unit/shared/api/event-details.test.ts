import { eventDetailsView } from '#shared/api/event-details';
import type { CachedEvent } from '#shared/data/events-repository';
import type { SuppressionRules } from '#shared/domain/suppression';

const rules: SuppressionRules = {
  suppressedArtistIds: [],
  supportedCountries: [],
  allowedSegments: [],
  suppressedSaleTypes: [],
};

/** Listed out of order: the answer sorts them by start. */
const event: CachedEvent = {
  eventId: 'ev-1',
  name: 'Northbound',
  url: 'https://example.com/ev-1',
  locale: 'en-us',
  timezone: 'America/Chicago',
  status: 'onsale',
  artists: [{ id: 'a1', name: 'Band' }],
  sales: [
    { saleId: 's-public', eventId: 'ev-1', name: 'Public', type: 'public', startsAt: '2026-03-02T16:00:00Z' },
    { saleId: 's-pre', eventId: 'ev-1', name: 'Presale', type: 'presale', startsAt: '2026-03-01T16:00:00Z' },
  ],
  fetchedAt: '2026-02-01T00:00:00Z',
  expiresAt: 0,
};

const view = (now: string) =>
  eventDetailsView(
    { event, source: 'cache' },
    { locale: undefined, brand: 'ticketmaster' },
    rules,
    new Date(now),
  );

describe('eventDetailsView', () => {
  it('decides suppression at the time of each request, for the same cached event', () => {
    const before = view('2026-02-28T00:00:00Z');
    const between = view('2026-03-01T20:00:00Z');

    expect(before.sales.map((sale) => sale.saleId)).toEqual(['s-pre', 's-public']);
    expect(before.sales.map((sale) => sale.suppressed)).toEqual([false, false]);
    expect(between.sales.map((sale) => sale.saleId)).toEqual(['s-pre', 's-public']);
    expect(between.sales.map((sale) => sale.suppressionReasons)).toEqual([['SALE_STARTED'], []]);
  });

  it('gives each answer its own objects', () => {
    const first = view('2026-02-28T00:00:00Z');
    const sale = first.sales[0];
    if (!sale) throw new Error('no sale');
    sale.localStart.short = 'changed';
    sale.suppressionReasons.push('SALE_ENDED');

    const second = view('2026-02-28T00:00:00Z');
    expect(second.sales[0]?.localStart.short).not.toBe('changed');
    expect(second.sales[0]?.suppressionReasons).toEqual([]);
  });
});
