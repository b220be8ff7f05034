import { ProviderRateLimitedError, ProviderUnavailableError } from '#shared/clients/errors';
import { DiscoveryBackoffError } from '#shared/events/errors';
import { EventCache, type EventCacheOptions, hitRate } from '#shared/events/event-cache';
import { clock, discoveryPayload, FakeDiscovery, MARISOL_ID } from '#test/helpers/fakes';
import { MemoryEvents, MemorySales } from '#test/helpers/memory-stores';

const TTL = 3600;

function setup(overrides: Partial<EventCacheOptions> = {}) {
  const time = clock();
  const events = new MemoryEvents();
  const sales = new MemorySales();
  const discovery = new FakeDiscovery();
  const cache = new EventCache({
    events: events.asRepository(),
    sales: sales.asRepository(),
    discovery,
    ttlSeconds: TTL,
    now: time.now,
    ...overrides,
  });
  return { time, events, sales, discovery, cache };
}

describe('EventCache', () => {
  it('miss: fetches from Discovery, stores the event and syncs its sales', async () => {
    const { cache, events, sales, discovery } = setup();

    const lookup = await cache.get(MARISOL_ID);

    expect(lookup.source).toBe('discovery');
    expect(discovery.calls).toBe(1);
    expect(events.items.get(MARISOL_ID)?.fetchedAt).toBe('2026-11-28T12:00:00.000Z');
    expect(sales.syncs).toHaveLength(1);
    expect(sales.syncs[0]?.previous).toEqual([]);
    expect(sales.syncs[0]?.current.length).toBeGreaterThan(0);
    expect(cache.stats()).toMatchObject({ lookups: 1, misses: 1, hits: 0, discoveryCalls: 1 });
  });

  it('hit: a fresh record is served without calling Discovery', async () => {
    const { cache, discovery, time } = setup();
    await cache.get(MARISOL_ID);
    time.advance(TTL - 1);

    const lookup = await cache.get(MARISOL_ID);

    expect(lookup.source).toBe('cache');
    expect(discovery.calls).toBe(1);
    expect(cache.stats()).toMatchObject({ lookups: 2, hits: 1, misses: 1 });
    expect(hitRate(cache.stats())).toBe(0.5);
  });

  it('concurrent misses for one event make one Discovery call', async () => {
    const { cache, discovery } = setup();
    discovery.hold();

    const pending = Array.from({ length: 25 }, () => cache.get(MARISOL_ID));
    await new Promise((resolve) => setImmediate(resolve));
    discovery.open();
    const lookups = await Promise.all(pending);

    expect(discovery.calls).toBe(1);
    expect(lookups.every((lookup) => lookup.event.eventId === MARISOL_ID)).toBe(true);
  });

  it('past the TTL without stale-while-revalidate: waits for the refresh', async () => {
    const { cache, discovery, time } = setup();
    await cache.get(MARISOL_ID);
    time.advance(TTL + 1);

    const lookup = await cache.get(MARISOL_ID);

    expect(lookup.source).toBe('discovery');
    expect(discovery.calls).toBe(2);
  });

  it('stale-while-revalidate: serves the stale record at once and refreshes it in the background', async () => {
    const { cache, discovery, events, time, sales } = setup({ staleWhileRevalidateSeconds: 600 });
    await cache.get(MARISOL_ID);
    time.advance(TTL + 60);
    discovery.hold();

    const lookup = await cache.get(MARISOL_ID);

    expect(lookup.source).toBe('stale');
    expect(lookup.event.fetchedAt).toBe('2026-11-28T12:00:00.000Z');
    expect(discovery.calls).toBe(2);
    // A second reader during the refresh neither waits nor starts another call.
    expect((await cache.get(MARISOL_ID)).source).toBe('stale');
    expect(discovery.calls).toBe(2);

    discovery.open();
    await cache.settled();
    expect(events.items.get(MARISOL_ID)?.fetchedAt).toBe('2026-11-28T13:01:00.000Z');
    expect(sales.syncs[1]?.previous.length).toBeGreaterThan(0);
    expect((await cache.get(MARISOL_ID)).source).toBe('cache');
    expect(cache.stats()).toMatchObject({ staleHits: 2, hits: 1, misses: 1 });
  });

  it('beyond the stale allowance the reader waits for Discovery again', async () => {
    const { cache, discovery, time } = setup({ staleWhileRevalidateSeconds: 600 });
    await cache.get(MARISOL_ID);
    time.advance(TTL + 601);

    expect((await cache.get(MARISOL_ID)).source).toBe('discovery');
    expect(discovery.calls).toBe(2);
  });

  it.each([
    ['500', new ProviderUnavailableError({ provider: 'discovery', operation: 'getEvent', httpStatus: 500 })],
    ['429', new ProviderRateLimitedError({ provider: 'discovery', operation: 'getEvent', httpStatus: 429 })],
  ])('Discovery %s: the stale record is served', async (_status, error) => {
    const { cache, discovery, time } = setup();
    await cache.get(MARISOL_ID);
    time.advance(TTL * 24);
    discovery.failWith = error;

    const lookup = await cache.get(MARISOL_ID);

    expect(lookup.source).toBe('stale');
    expect(lookup.event.name).toContain('Marisol Reyes');
    expect(cache.stats()).toMatchObject({ staleFallbacks: 1, discoveryFailures: 1 });
  });

  it('Discovery failing with nothing cached: the error reaches the caller', async () => {
    const { cache, discovery } = setup();
    discovery.failWith = new ProviderUnavailableError({ provider: 'discovery', operation: 'getEvent' });

    await expect(cache.get(MARISOL_ID)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('after a 429 Discovery is left alone for the Retry-After, then called again', async () => {
    const { cache, discovery, time } = setup({ backoffBaseMs: 1000 });
    discovery.payloads.set('OTHER', { ...discoveryPayload(), id: 'OTHER' });
    await cache.get(MARISOL_ID);
    time.advance(TTL + 1);
    discovery.failWith = new ProviderRateLimitedError({
      provider: 'discovery',
      operation: 'getEvent',
      httpStatus: 429,
      retryAfterMs: 5000,
    });
    expect((await cache.get(MARISOL_ID)).source).toBe('stale');
    expect(discovery.calls).toBe(2);
    expect(cache.isBackingOff()).toBe(true);

    // During the pause: stale copies are served and misses fail fast, without a call.
    expect((await cache.get(MARISOL_ID)).source).toBe('stale');
    const paused = cache.get('OTHER');
    await expect(paused).rejects.toBeInstanceOf(DiscoveryBackoffError);
    // Step Functions retries it by this name, as a 429 from Discovery.
    await expect(paused).rejects.toMatchObject({ name: 'ProviderRateLimitedError', retryAfterMs: 5000 });
    expect(discovery.calls).toBe(2);
    expect(cache.stats().backoffSkips).toBe(2);

    time.advance(5);
    discovery.failWith = undefined;
    expect((await cache.get(MARISOL_ID)).source).toBe('discovery');
    expect(discovery.calls).toBe(3);
  });

  it('successive 429s double the pause', async () => {
    const { cache, discovery, time } = setup({ backoffBaseMs: 1000, backoffMaxMs: 10_000 });
    discovery.failWith = new ProviderRateLimitedError({ provider: 'discovery', operation: 'getEvent' });
    await expect(cache.get(MARISOL_ID)).rejects.toBeInstanceOf(ProviderRateLimitedError);
    time.advance(1);
    await expect(cache.get(MARISOL_ID)).rejects.toBeInstanceOf(ProviderRateLimitedError);
    time.advance(1.5);
    expect(cache.isBackingOff()).toBe(true);
    time.advance(0.5);
    expect(cache.isBackingOff()).toBe(false);
  });

  it('a moved sale: the refresh hands the old and new sales to the sales table sync', async () => {
    const { cache, discovery, sales, time } = setup();
    await cache.get(MARISOL_ID);
    const payload = discoveryPayload() as { sales: { public: { startDateTime: string } } };
    payload.sales.public.startDateTime = '2026-12-12T16:00:00Z';
    discovery.payloads.set(MARISOL_ID, payload);
    time.advance(TTL + 1);

    const lookup = await cache.get(MARISOL_ID);

    const moved = lookup.event.sales.find((sale) => sale.type === 'public');
    expect(moved?.startsAt).toBe('2026-12-12T16:00:00.000Z');
    const sync = sales.syncs[1];
    expect(sync?.previous.find((sale) => sale.saleId === moved?.saleId)?.startsAt).toBe(
      '2026-12-11T15:00:00.000Z',
    );
    expect(sync?.current.find((sale) => sale.saleId === moved?.saleId)?.startsAt).toBe(
      '2026-12-12T16:00:00.000Z',
    );
  });

  it('the in-process copy answers without a table read while it lasts', async () => {
    const { cache, events, time } = setup({ memoryTtlMs: 5000 });
    await cache.get(MARISOL_ID);
    const reads = events.gets;

    expect((await cache.get(MARISOL_ID)).source).toBe('cache');
    expect(events.gets).toBe(reads);
    time.advance(6);
    expect((await cache.get(MARISOL_ID)).source).toBe('cache');
    expect(events.gets).toBe(reads + 1);
    expect(cache.stats().memoryHits).toBe(1);
  });

  it('forceRefresh bypasses a fresh record', async () => {
    const { cache, discovery } = setup({ memoryTtlMs: 5000 });
    await cache.get(MARISOL_ID);

    expect((await cache.get(MARISOL_ID, { forceRefresh: true })).source).toBe('discovery');
    expect(discovery.calls).toBe(2);
  });
});
