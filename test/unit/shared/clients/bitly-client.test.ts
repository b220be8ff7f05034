import { type BitlySandbox, startBitlySandbox } from '#local/sandboxes/bitly';
import { BitlyClient } from '#shared/clients/bitly-client';
import {
  ProviderRejectedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '#shared/clients/errors';
import { scriptedRandom, thrown } from '#test/helpers/clients';

const LONG_URL = 'https://www.ticketmaster.com/event/vvG1IZ9KBtMx4d?lang=en-us&brand=tm';

describe('BitlyClient against the Bitly sandbox', () => {
  let sandbox: BitlySandbox;
  let random: () => number = () => 0.99;

  beforeAll(async () => {
    sandbox = await startBitlySandbox({ random: () => random() });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.setFaults({});
    sandbox.resetCounters();
    random = () => 0.99;
  });

  const client = (overrides: Partial<ConstructorParameters<typeof BitlyClient>[0]> = {}) =>
    new BitlyClient({ baseUrl: sandbox.baseUrl, token: sandbox.token, retryBaseDelayMs: 5, ...overrides });

  it('shortens to a deterministic bit.ly link, the same on every call', async () => {
    const first = await client().shorten(LONG_URL);
    const second = await client().shorten(LONG_URL);
    const other = await client().shorten(`${LONG_URL}&x=1`);

    expect(first.link).toMatch(/^https:\/\/bit\.ly\/[0-9A-Za-z]{7}$/);
    expect(first.id).toBe(first.link.replace('https://', ''));
    expect(second).toEqual(first);
    expect(other.link).not.toBe(first.link);
    expect(sandbox.counters).toMatchObject({ calls: 3, created: 2 });
  });

  it('uses the branded domain when configured', async () => {
    const link = await client({ domain: 'tmtix.co' }).shorten(LONG_URL);
    expect(link.link).toMatch(/^https:\/\/tmtix\.co\/[0-9A-Za-z]{7}$/);
  });

  it('maps a wrong token to a permanent rejection, not retried, without the token in the message', async () => {
    const error = await thrown(() => client({ token: 'secret-token' }).shorten(LONG_URL));

    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error).toMatchObject({ provider: 'bitly', httpStatus: 403, code: 'FORBIDDEN', retryable: false });
    expect((error as Error).message).not.toContain('secret-token');
    expect(sandbox.counters.calls).toBe(1);
  });

  it('rejects an invalid long URL with INVALID_ARG_LONG_URL', async () => {
    const error = await thrown(() => client().shorten('not a url'));
    expect(error).toMatchObject({ httpStatus: 400, code: 'INVALID_ARG_LONG_URL', retryable: false });
  });

  it('retries a 500 and returns the link', async () => {
    sandbox.setFaults({ rate500: 0.5 });
    random = scriptedRandom(0, 0.99);

    await expect(client().shorten(LONG_URL)).resolves.toMatchObject({
      link: expect.stringContaining('bit.ly'),
    });
    expect(sandbox.counters.calls).toBe(2);
  });

  it('reports a Bitly outage as ProviderUnavailableError after its retries', async () => {
    sandbox.setFaults({ down: true });

    const error = await thrown(() => client({ maxRetries: 2 }).shorten(LONG_URL));

    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ httpStatus: 503, code: 'TEMPORARILY_UNAVAILABLE', retryable: true });
    expect(sandbox.counters.calls).toBe(3);
  });

  it('times out with ProviderTimeoutError', async () => {
    sandbox.setFaults({ latencyMs: 300 });
    const error = await thrown(() => client({ timeoutMs: 50, maxRetries: 0 }).shorten(LONG_URL));
    expect(error).toBeInstanceOf(ProviderTimeoutError);
  });
});
