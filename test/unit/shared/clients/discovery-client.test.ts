import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DiscoverySandbox, startDiscoverySandbox } from '#local/sandboxes/discovery';
import { DiscoveryClient } from '#shared/clients/discovery-client';
import {
  DiscoveryNotFoundError,
  ProviderMalformedResponseError,
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '#shared/clients/errors';
import { scriptedRandom, thrown } from '#test/helpers/clients';
import { DISCOVERY_CLIENT_FIXTURES } from '#test/helpers/paths';

const EVENT_ID = 'Z7r9jZ1A7j8fK';

describe('DiscoveryClient against the Discovery sandbox', () => {
  let sandbox: DiscoverySandbox;
  let random: () => number = () => 0.99;

  beforeAll(async () => {
    sandbox = await startDiscoverySandbox({
      dir: DISCOVERY_CLIENT_FIXTURES,
      rateLimitPerSecond: 0,
      random: () => random(),
    });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.setFaults({});
    sandbox.resetCounters();
    random = () => 0.99;
  });

  const client = (overrides: Partial<ConstructorParameters<typeof DiscoveryClient>[0]> = {}) =>
    new DiscoveryClient({
      baseUrl: sandbox.baseUrl,
      apiKey: sandbox.apiKey,
      retryBaseDelayMs: 5,
      requestsPerSecond: 1000,
      ...overrides,
    });

  it('returns the raw event JSON as Discovery serves it', async () => {
    const expected: unknown = JSON.parse(
      readFileSync(join(DISCOVERY_CLIENT_FIXTURES, 'single-event.json'), 'utf8'),
    );

    const event = await client().getEvent(EVENT_ID);

    expect(event).toEqual(expected);
    expect(sandbox.counters.byEvent[EVENT_ID]).toBe(1);
  });

  it('finds events that came inside a search response file', async () => {
    const event = (await client().getEvent('G5diZ9Yb_Xq3p')) as { name: string };
    expect(event.name).toBe('Hamilton');
  });

  it('maps 404 to DiscoveryNotFoundError without retrying', async () => {
    const error = await thrown(() => client().getEvent('missing-event'));

    expect(error).toBeInstanceOf(DiscoveryNotFoundError);
    expect(error).toMatchObject({
      name: 'DiscoveryNotFoundError',
      eventId: 'missing-event',
      httpStatus: 404,
      code: 'DIS1004',
      retryable: false,
    });
    expect(sandbox.counters.requests).toBe(1);
  });

  it('maps a bad API key to a permanent rejection that does not reveal the key', async () => {
    const error = await thrown(() => client({ apiKey: 'secret-wrong-key' }).getEvent(EVENT_ID));

    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error).toMatchObject({ httpStatus: 401, code: 'oauth.v2.InvalidApiKey', retryable: false });
    expect(String((error as Error).message)).not.toContain('secret-wrong-key');
    expect(sandbox.counters.requests).toBe(1);
  });

  it('retries a 429 and succeeds when the quota frees up', async () => {
    sandbox.setFaults({ rate429: 0.5 });
    random = scriptedRandom(0, 0, 0.99);

    await expect(client().getEvent(EVENT_ID)).resolves.toMatchObject({ id: EVENT_ID });
    expect(sandbox.counters.throttled).toBe(2);
    expect(sandbox.counters.requests).toBe(3);
  });

  it('gives up on 429 after maxRetries with ProviderRateLimitedError', async () => {
    sandbox.setFaults({ rate429: 1 });

    const error = await thrown(() => client({ maxRetries: 2 }).getEvent(EVENT_ID));

    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect(error).toMatchObject({ name: 'ProviderRateLimitedError', httpStatus: 429, retryable: true });
    expect(sandbox.counters.requests).toBe(3);
  });

  it('retries a 500 then succeeds; persistent 500 is ProviderUnavailableError', async () => {
    sandbox.setFaults({ rate500: 0.5 });
    random = scriptedRandom(0, 0.99);
    await expect(client().getEvent(EVENT_ID)).resolves.toMatchObject({ id: EVENT_ID });
    expect(sandbox.counters.requests).toBe(2);

    sandbox.resetCounters();
    sandbox.setFaults({ rate500: 1 });
    const error = await thrown(() => client({ maxRetries: 1 }).getEvent(EVENT_ID));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ httpStatus: 500, retryable: true });
    expect(sandbox.counters.requests).toBe(2);
  });

  it('times out slow answers with ProviderTimeoutError after retrying', async () => {
    sandbox.setFaults({ latencyMs: 300 });

    const error = await thrown(() => client({ timeoutMs: 50, maxRetries: 1 }).getEvent(EVENT_ID));

    expect(error).toBeInstanceOf(ProviderTimeoutError);
    expect(error).toMatchObject({ name: 'ProviderTimeoutError', timedOut: true, timeoutMs: 50 });
    expect(sandbox.counters.requests).toBe(2);
  });

  it('treats a truncated body as ProviderMalformedResponseError', async () => {
    sandbox.setFaults({ malformed: true });
    const error = await thrown(() => client({ maxRetries: 0 }).getEvent(EVENT_ID));
    expect(error).toBeInstanceOf(ProviderMalformedResponseError);
  });

  it('searches with Discovery paging', async () => {
    const page0 = (await client().searchEvents({ size: '2', page: '0' })) as {
      _embedded: { events: { id: string }[] };
      page: Record<string, number>;
    };
    const page1 = (await client().searchEvents({ size: '2', page: '1' })) as {
      _embedded: { events: { id: string }[] };
      page: Record<string, number>;
    };
    const byId = (await client().searchEvents({ id: EVENT_ID })) as {
      _embedded: { events: { id: string }[] };
    };
    const none = (await client().searchEvents({ keyword: 'no such show' })) as Record<string, unknown>;

    expect(page0.page).toEqual({ size: 2, totalElements: 3, totalPages: 2, number: 0 });
    expect(page0._embedded.events).toHaveLength(2);
    expect(page1._embedded.events).toHaveLength(1);
    expect(byId._embedded.events.map((e) => e.id)).toEqual([EVENT_ID]);
    expect(none._embedded).toBeUndefined();
    expect(none.page).toMatchObject({ totalElements: 0 });
  });

  it('paces its own requests to stay under the provider quota', async () => {
    const limited = await startDiscoverySandbox({ dir: DISCOVERY_CLIENT_FIXTURES, rateLimitPerSecond: 5 });
    try {
      const c = new DiscoveryClient({ baseUrl: limited.baseUrl, apiKey: limited.apiKey, maxRetries: 0 });
      const started = Date.now();

      await Promise.all(Array.from({ length: 8 }, () => c.getEvent(EVENT_ID)));

      expect(Date.now() - started).toBeGreaterThanOrEqual(1300);
      expect(limited.counters.throttled).toBe(0);
      expect(limited.counters.byEvent[EVENT_ID]).toBe(8);
    } finally {
      await limited.stop();
    }
  });
});
