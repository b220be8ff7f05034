import { type SmsSandbox, startSmsSandbox } from '#local/sandboxes/sms';
import {
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '#shared/clients/errors';
import { notificationKeyFromUrl, SmsClient, withNotificationKey } from '#shared/clients/sms-client';
import { thrown } from '#test/helpers/clients';

const TO = '+14165550123';
const KEY = 'sale-1#fan-42#SMS';
const CALLBACK = 'https://hooks.example.com/sms/status';

describe('SmsClient against the Twilio-shaped sandbox', () => {
  let sandbox: SmsSandbox;

  beforeAll(async () => {
    sandbox = await startSmsSandbox({ status: { enabled: false } });
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    sandbox.setFaults({});
    sandbox.resetCounters();
    sandbox.messages.length = 0;
  });

  const client = (overrides: Partial<ConstructorParameters<typeof SmsClient>[0]> = {}) =>
    new SmsClient({
      baseUrl: sandbox.baseUrl,
      accountSid: sandbox.accountSid,
      authToken: sandbox.authToken,
      messagingServiceSid: 'MG00000000000000000000000000000001',
      statusCallbackUrl: CALLBACK,
      ...overrides,
    });

  it('finds a message the provider took, by recipient and exact body, and nothing else', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const sent = await client().send({ to: TO, body: 'Presale starts at 10:00', notificationKey: KEY });

    await expect(client().findSent({ to: TO, body: 'Presale starts at 10:00', since })).resolves.toEqual({
      sid: sent.sid,
      status: 'queued',
    });
    await expect(client().findSent({ to: TO, body: 'Another text', since })).resolves.toBeUndefined();
    await expect(
      client().findSent({ to: '+14165550199', body: 'Presale starts at 10:00', since }),
    ).resolves.toBeUndefined();
  });

  it('finds a message still queued (no date_sent yet) behind newer messages to the same number, across pages', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const sent = await client().send({ to: TO, body: 'Presale starts at 10:00', notificationKey: KEY });
    for (let i = 0; i < 60; i++) await client().send({ to: TO, body: `later ${i}`, notificationKey: KEY });

    expect(sandbox.messages.find((m) => m.sid === sent.sid)?.sentAt).toBeUndefined();
    await expect(client().findSent({ to: TO, body: 'Presale starts at 10:00', since })).resolves.toEqual({
      sid: sent.sid,
      status: 'queued',
    });
  });

  it('does not match a message created before the first attempt', async () => {
    await client().send({ to: TO, body: 'Presale starts at 10:00', notificationKey: KEY });
    const since = new Date(Date.now() + 5000).toISOString();
    await expect(
      client().findSent({ to: TO, body: 'Presale starts at 10:00', since }),
    ).resolves.toBeUndefined();
  });

  it('sends and returns the message SID and status; the callback URL carries our key', async () => {
    const result = await client().send({ to: TO, body: 'Tickets on sale at 10:00', notificationKey: KEY });

    expect(result.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result.status).toBe('queued');
    const [recorded] = sandbox.messages;
    expect(recorded).toMatchObject({
      sid: result.sid,
      to: TO,
      body: 'Tickets on sale at 10:00',
      segments: 1,
    });
    expect(recorded?.messagingServiceSid).toBe('MG00000000000000000000000000000001');
    expect(notificationKeyFromUrl(recorded?.statusCallback ?? '')).toBe(KEY);
    expect(recorded?.statusCallback).toBe(withNotificationKey(CALLBACK, KEY));
  });

  it('maps an invalid number to ProviderRejectedError 21211 without the number in the message', async () => {
    const error = await thrown(() => client().send({ to: '+1416555', body: 'x' }));

    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect(error).toMatchObject({
      name: 'ProviderRejectedError',
      httpStatus: 400,
      code: 21211,
      retryable: false,
    });
    expect((error as Error).message).not.toContain('416555');
    expect(sandbox.counters.rejected['21211']).toBe(1);
  });

  it.each([
    ['+15005550004', 21610],
    ['+15005550009', 21614],
  ])('maps Twilio magic number %s to code %i', async (to, code) => {
    const error = await thrown(() => client().send({ to, body: 'x' }));
    expect(error).toMatchObject({ code, retryable: false });
  });

  it('maps 429/20429 to ProviderRateLimitedError when the account rate is exceeded', async () => {
    const limited = await startSmsSandbox({
      messagesPerSecond: 2,
      clock: () => 0,
      status: { enabled: false },
    });
    try {
      const c = new SmsClient({
        baseUrl: limited.baseUrl,
        accountSid: limited.accountSid,
        authToken: limited.authToken,
        from: '+15550001111',
      });
      const results = await Promise.allSettled([1, 2, 3, 4].map(() => c.send({ to: TO, body: 'x' })));
      const rejected = results.filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);

      expect(rejected).toHaveLength(2);
      for (const e of rejected) {
        expect(e).toBeInstanceOf(ProviderRateLimitedError);
        expect(e).toMatchObject({ httpStatus: 429, code: 20429, retryable: true });
      }
      expect(limited.counters.throttled).toBe(2);
    } finally {
      await limited.stop();
    }
  });

  it('maps 500 to ProviderUnavailableError and does not retry by default', async () => {
    sandbox.setFaults({ errorRates: { '500': 1 } });

    const error = await thrown(() => client().send({ to: TO, body: 'x' }));

    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ httpStatus: 500, code: 20500, retryable: true });
    expect(sandbox.counters.requests).toBe(1);
    expect(sandbox.messages).toHaveLength(0);
  });

  it('follows a per-number script: first 500, then accepted', async () => {
    sandbox.setFaults({ perNumber: { [TO]: [500, 'ok'] } });
    const c = client({ maxRetries: 1, retryBaseDelayMs: 1 });

    await expect(c.send({ to: TO, body: 'x' })).resolves.toMatchObject({ status: 'queued' });
    expect(sandbox.counters.rejected['20500']).toBe(1);
    expect(sandbox.counters.accepted).toBe(1);
  });

  it('times out with ProviderTimeoutError (ambiguous) when the provider never answers', async () => {
    sandbox.setFaults({ timeoutRate: 1 });

    const error = await thrown(() => client({ timeoutMs: 100 }).send({ to: TO, body: 'x' }));

    expect(error).toBeInstanceOf(ProviderTimeoutError);
    expect(error).toMatchObject({ timedOut: true, retryable: true, ambiguous: true, timeoutMs: 100 });
    expect(sandbox.counters.timedOut).toBe(1);
  });

  it('reports a connection dropped after acceptance as ambiguous: the message was recorded', async () => {
    sandbox.setFaults({ crashAfterAcceptRate: 1 });

    const error = await thrown(() => client().send({ to: TO, body: 'x' }));

    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ ambiguous: true, retryable: true });
    expect(sandbox.messages).toHaveLength(1);
    expect(sandbox.counters.dropped).toBe(1);
  });

  it('maps wrong credentials to 20003 without leaking the token', async () => {
    const error = await thrown(() => client({ authToken: 'secret-auth-token' }).send({ to: TO, body: 'x' }));
    expect(error).toMatchObject({ httpStatus: 401, code: 20003, retryable: false });
    expect((error as Error).message).not.toContain('secret-auth-token');
  });

  it('reports a refused connection as unavailable but not ambiguous (nothing reached the provider)', async () => {
    const gone = await startSmsSandbox({ status: { enabled: false } });
    await gone.stop();
    const c = new SmsClient({
      baseUrl: gone.baseUrl,
      accountSid: 'AC1',
      authToken: 't',
      from: '+15550001111',
    });

    const error = await thrown(() => c.send({ to: TO, body: 'x' }));

    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', ambiguous: false, retryable: true });
  });

  it('refuses to build without a sender', () => {
    expect(() => new SmsClient({ baseUrl: 'http://x', accountSid: 'AC1', authToken: 't' })).toThrow(
      TypeError,
    );
  });
});
