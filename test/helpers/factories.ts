import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DemandItem } from '#shared/data/demand-repository';
import type { NotificationRecord } from '#shared/data/notifications-repository';
import { notificationKey } from '#shared/domain/keys';
import { type EventRecord, type Sale, STATUS_RANK } from '#shared/domain/model';
import { type PageLoopState, pageLoopSchema } from '#shared/window/state';
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

/** The page-loop state of one shard, as the state machine hands it to RenderPage and SendPage. */
export function pageState(overrides: Partial<PageLoopState> = {}): PageLoopState {
  return pageLoopSchema.parse({
    saleId: 'S1',
    eventId: 'E1',
    shard: 0,
    iterationMps: 1000,
    executionName: 'unit',
    ...overrides,
  });
}

/** A notification as RenderPage leaves it for `fan` of sale `saleId`: CREATED with its message. */
export function createdNotification(
  saleId: string,
  fan: DemandItem,
  overrides: Partial<NotificationRecord> = {},
): NotificationRecord {
  return {
    pk: notificationKey(saleId, fan.fanId, fan.channel),
    saleId,
    eventId: fan.eventId,
    fanId: fan.fanId,
    channel: fan.channel,
    shard: fan.shard,
    status: 'CREATED',
    statusRank: STATUS_RANK.CREATED,
    attempts: 0,
    locale: fan.locale ?? 'en-us',
    brand: fan.brand,
    message:
      fan.channel === 'SMS'
        ? { text: `Reminder for ${saleId}`, encoding: 'GSM-7', segments: 1 }
        : { template: 'onsale-reminder-en', variables: { saleId } },
    createdAt: '2026-12-09T14:30:00.000Z',
    updatedAt: '2026-12-09T14:30:00.000Z',
    expiresAt: 1_800_000_000,
    ...overrides,
  };
}
