import type { EventRecord, Sale } from '#shared/domain/model';

/** A presale of the test event; override any field. */
export function makeSale(overrides: Partial<Sale> = {}): Sale {
  return {
    saleId: 'sale-citi',
    eventId: 'vvG1zZ9pKbBCqh',
    name: 'Citi Presale',
    type: 'card_member',
    // 10:00 AM in New York / Toronto (EST, UTC-5) on Friday, December 4, 2026.
    startsAt: '2026-12-04T15:00:00Z',
    ...overrides,
  };
}

export function makePublicSale(overrides: Partial<Sale> = {}): Sale {
  return makeSale({ saleId: 'sale-public', name: 'Public Onsale', type: 'public', ...overrides });
}

/** An event with one artist and a venue with a city; override any field. */
export function makeEvent(overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    eventId: 'vvG1zZ9pKbBCqh',
    name: 'Drake: Anita Max Win Tour',
    url: 'https://www.ticketmaster.com/event/vvG1zZ9pKbBCqh',
    locale: 'en-us',
    timezone: 'America/New_York',
    status: 'onsale',
    segment: 'Music',
    artists: [{ id: 'K8vZ9171C-f', name: 'Drake' }],
    venue: {
      name: 'Madison Square Garden',
      city: 'New York',
      countryCode: 'US',
      timezone: 'America/New_York',
    },
    sales: [],
    ...overrides,
  };
}

export const SHORT_URL = 'https://tmev.co/abc1234';
