import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EventRecord, Sale } from '#shared/domain/model';
import { FIXTURES } from '#test/helpers/paths';

export function readFixture(file: string, dir = FIXTURES): unknown {
  return JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
}

export function aSale(overrides: Partial<Sale> = {}): Sale {
  return {
    saleId: 'E1.presale.fan-club-presale',
    eventId: 'E1',
    name: 'Fan Club Presale',
    type: 'presale',
    startsAt: '2026-12-09T15:00:00.000Z',
    endsAt: '2026-12-10T04:00:00.000Z',
    ...overrides,
  };
}

export function anEvent(overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    eventId: 'E1',
    name: 'Marisol Reyes – Luz y Sombra World Tour',
    url: 'https://www.ticketmaster.com/event/E1',
    locale: 'en-us',
    timezone: 'America/New_York',
    status: 'onsale',
    segment: 'Music',
    genre: 'Pop',
    artists: [{ id: 'K8vZ917Gmr0', name: 'Marisol Reyes' }],
    venue: { name: 'Madison Square Garden', city: 'New York', stateCode: 'NY', countryCode: 'US' },
    sales: [aSale()],
    ...overrides,
  };
}

/** Test payloads are edited freely, also into invalid shapes. */
// biome-ignore lint/suspicious/noExplicitAny: a deliberately untyped JSON tree for building bad payloads
export type LooseJson = any;

/** A minimal valid Discovery event payload; `patch` edits a deep copy. */
export function aDiscoveryEvent(patch: (event: LooseJson) => void = () => {}): LooseJson {
  const event: LooseJson = {
    id: 'vvG1fZ4Atest1',
    name: 'Test Event',
    type: 'event',
    url: 'https://www.ticketmaster.com/test-event/event/0000',
    locale: 'en-us',
    dates: {
      start: { localDate: '2027-04-17', localTime: '19:30:00', dateTime: '2027-04-17T23:30:00Z' },
      timezone: 'America/New_York',
      status: { code: 'onsale' },
    },
    sales: {
      public: { startDateTime: '2026-12-11T15:00:00Z', endDateTime: '2027-04-17T23:30:00Z', startTBD: false },
      presales: [
        {
          name: 'Citi® Cardmember Presale',
          startDateTime: '2026-12-09T15:00:00Z',
          endDateTime: '2026-12-10T04:00:00Z',
        },
      ],
    },
    classifications: [
      { primary: true, segment: { id: 'KZFzniwnSyZfZ7v7nJ', name: 'Music' }, genre: { name: 'Pop' } },
    ],
    _embedded: {
      venues: [
        {
          id: 'KovZpZA7AAEA',
          name: 'Madison Square Garden',
          city: { name: 'New York' },
          state: { stateCode: 'NY' },
          country: { countryCode: 'US' },
          timezone: 'America/New_York',
        },
      ],
      attractions: [{ id: 'K8vZ917Gmr0', name: 'Marisol Reyes' }],
    },
  };
  patch(event);
  return event;
}
