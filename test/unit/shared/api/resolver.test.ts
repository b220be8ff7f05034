import { lambdaContext } from '#local/lambda-context';
import { createApiResolver } from '#shared/api/resolver';
import { DiscoveryNotFoundError, ProviderUnavailableError } from '#shared/clients/errors';
import type { NotificationRecord } from '#shared/data/notifications-repository';
import { hashContact } from '#shared/domain/contacts';
import {
  cognitoIdentity,
  discoveryPayload,
  MARISOL_ID,
  memoryApi,
  SIGN_UP_SETTINGS,
} from '#test/helpers/fakes';

const HARBOR_ID = 'vvG1fZ4AregVF';
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: jest.fn() };
const context = lambdaContext('api');

function setup() {
  const api = memoryApi();
  const app = createApiResolver(api.dependencies, silent);
  /** An AppSync direct Lambda resolver event for one field, by fan-1 (a user pool caller) by default. */
  const call = (
    parentTypeName: 'Query' | 'Mutation',
    fieldName: string,
    args: Record<string, unknown>,
    identity: unknown = cognitoIdentity('fan-1'),
    headers: Record<string, string> = {},
  ) =>
    app.resolve(
      {
        arguments: args,
        identity,
        source: null,
        request: { headers, domainName: null },
        info: { fieldName, parentTypeName, variables: {}, selectionSetList: [] },
        prev: null,
        stash: {},
      },
      context,
    ) as Promise<Record<string, unknown>>;
  return { ...api, app, call };
}

const signUp = (overrides: Record<string, unknown> = {}) => ({
  input: {
    eventId: MARISOL_ID,
    channel: 'SMS',
    contact: '(212) 736-4567',
    locale: 'EN_US',
    brand: 'TICKETMASTER',
    ...overrides,
  },
});

describe('eventDetails', () => {
  it('returns the event with localized sale times, suppression and the cache status', async () => {
    const { call } = setup();

    const details = await call('Query', 'eventDetails', { eventId: MARISOL_ID, locale: 'FR_CA' });

    expect(details).toMatchObject({
      eventId: MARISOL_ID,
      city: 'New York',
      timeZone: 'America/New_York',
      locale: 'FR_CA',
      cacheStatus: 'MISS',
      status: 'ONSALE',
    });
    const sales = details.sales as Array<Record<string, unknown>>;
    const publicSale = sales.find((sale) => sale.type === 'PUBLIC');
    expect(publicSale?.localStart).toMatchObject({ time: '10 h', zone: 'HNE' });
    expect(sales.some((sale) => sale.suppressed === false)).toBe(true);
    expect((await call('Query', 'eventDetails', { eventId: MARISOL_ID })).cacheStatus).toBe('HIT');
  });

  it.each([
    [{ eventId: '' }, 'eventId'],
    [{ eventId: 'a#b' }, 'eventId'],
    [{ eventId: MARISOL_ID, locale: 'de-DE' }, 'locale'],
    [{}, 'eventId'],
  ])('rejects bad arguments %j with InvalidArgument', async (args, field) => {
    const { call, discovery } = setup();

    const result = await call('Query', 'eventDetails', args);

    expect(result.apiError).toMatchObject({ type: 'InvalidArgument', info: { field } });
    expect(discovery.calls).toBe(0);
  });

  it('an unknown event is EventNotFound', async () => {
    const { call, discovery } = setup();
    discovery.failWith = new DiscoveryNotFoundError({
      operation: 'getEvent',
      httpStatus: 404,
      eventId: 'NOPE',
    });

    const result = await call('Query', 'eventDetails', { eventId: 'NOPE' });

    expect(result.apiError).toMatchObject({ type: 'EventNotFound', message: 'Event NOPE was not found' });
  });

  it('Discovery down with nothing cached is DiscoveryUnavailable (retryable)', async () => {
    const { call, discovery } = setup();
    discovery.failWith = new ProviderUnavailableError({ provider: 'discovery', operation: 'getEvent' });

    const result = await call('Query', 'eventDetails', { eventId: MARISOL_ID });

    expect(result.apiError).toMatchObject({ type: 'DiscoveryUnavailable', info: { retryable: true } });
  });

  it('Discovery down with a cached copy: the stale details are served', async () => {
    const { call, discovery, time } = setup();
    await call('Query', 'eventDetails', { eventId: MARISOL_ID });
    time.advance(2 * 3600);
    discovery.failWith = new ProviderUnavailableError({ provider: 'discovery', operation: 'getEvent' });

    const details = await call('Query', 'eventDetails', { eventId: MARISOL_ID });

    expect(details).toMatchObject({ eventId: MARISOL_ID, cacheStatus: 'STALE' });
  });

  it('an unexpected failure is InternalError, its message kept out of the answer', async () => {
    const { call, discovery } = setup();
    discovery.failWith = new TypeError('secret internals');

    const result = await call('Query', 'eventDetails', { eventId: MARISOL_ID });

    expect(result.apiError).toEqual({ type: 'InternalError', message: 'Internal error', info: {} });
    expect(silent.error).toHaveBeenCalled();
  });
});

describe('requestReminder', () => {
  it('records the sign-up with the normalized contact and answers it masked', async () => {
    const { call, demand, sales } = setup();

    const reminder = await call('Mutation', 'requestReminder', signUp());

    expect(reminder).toMatchObject({
      eventId: MARISOL_ID,
      fanId: 'fan-1',
      channel: 'SMS',
      maskedContact: '+1******4567',
      locale: 'EN_US',
      brand: 'TICKETMASTER',
      created: true,
      optedOut: false,
      createdAt: '2026-11-28T12:00:00.000Z',
    });
    expect(JSON.stringify(reminder)).not.toContain('7364567');
    expect([...demand.items.values()]).toEqual([
      expect.objectContaining({ contact: '+12127364567', locale: 'en-us', brand: 'ticketmaster' }),
    ]);
    // The event was unknown: fetching it wrote its sales to the sales table for the windows.
    expect(sales.syncs).toHaveLength(1);
    expect(reminder.upcomingSales).toBeGreaterThan(0);
  });

  it('the same input twice is one record, with its first createdAt', async () => {
    const { call, demand, time } = setup();
    const first = await call('Mutation', 'requestReminder', signUp());
    time.advance(60);

    const second = await call('Mutation', 'requestReminder', signUp({ contact: '+1 212 736 4567' }));

    expect(second).toMatchObject({ created: false, createdAt: first.createdAt });
    expect(demand.items.size).toBe(1);
    expect(demand.puts).toBe(1);
  });

  it('a changed contact refreshes the same sign-up', async () => {
    const { call, demand, time } = setup();
    const first = await call('Mutation', 'requestReminder', signUp());
    time.advance(60);

    const second = await call('Mutation', 'requestReminder', signUp({ contact: '212-736-9999' }));

    expect(second).toMatchObject({
      created: false,
      createdAt: first.createdAt,
      maskedContact: '+1******9999',
    });
    expect(demand.items.size).toBe(1);
    expect([...demand.items.values()][0]?.contact).toBe('+12127369999');
  });

  it.each([
    ['SMS', '12345', 'Invalid phone number'],
    ['SMS', '+44 20 7946 0958', 'Invalid phone number: UNSUPPORTED_COUNTRY'],
    ['EMAIL', 'not-an-email', 'Invalid email address: INVALID_EMAIL'],
  ])('%s contact %s is an InvalidContact error that does not echo it', async (channel, contact, message) => {
    const { call, demand } = setup();

    const result = await call('Mutation', 'requestReminder', signUp({ channel, contact }));

    const error = result.apiError as { type: string; message: string; info: { field: string } };
    expect(error.type).toBe('InvalidContact');
    expect(error.message).toContain(message);
    expect(error.info.field).toBe('input.contact');
    expect(JSON.stringify(result)).not.toContain(contact);
    expect(demand.items.size).toBe(0);
  });

  it('an unknown channel is InvalidArgument', async () => {
    const { call } = setup();

    const result = await call('Mutation', 'requestReminder', signUp({ channel: 'PIGEON' }));

    expect(result.apiError).toMatchObject({ type: 'InvalidArgument', info: { field: 'input.channel' } });
  });

  it('an opted-out contact is accepted and reported', async () => {
    const { call, optOuts } = setup();
    optOuts.optOut(hashContact('fan@example.com'));

    const reminder = await call(
      'Mutation',
      'requestReminder',
      signUp({ channel: 'EMAIL', contact: 'fan@EXAMPLE.com' }),
    );

    expect(reminder).toMatchObject({ optedOut: true, maskedContact: 'f***@example.com', created: true });
  });
});

describe('cancelReminder and reminderStatus', () => {
  it('cancel removes the sign-up once', async () => {
    const { call, demand } = setup();
    await call('Mutation', 'requestReminder', signUp());
    const input = { eventId: MARISOL_ID, channel: 'SMS' };

    expect(await call('Mutation', 'cancelReminder', { input })).toMatchObject({ cancelled: true });
    expect(await call('Mutation', 'cancelReminder', { input })).toMatchObject({ cancelled: false });
    expect(demand.items.size).toBe(0);
  });

  it('status: one entry per sale and channel, with the lifecycle times of sent reminders', async () => {
    const { call, notifications } = setup();
    await call('Mutation', 'requestReminder', signUp());
    const details = await call('Query', 'eventDetails', { eventId: MARISOL_ID });
    const sales = details.sales as Array<{
      saleId: string;
      suppressed: boolean;
      suppressionReasons: string[];
    }>;
    const sent = sales.find((sale) => !sale.suppressed);
    if (!sent) throw new Error('fixture has no reminded sale');
    notifications.put({
      pk: `${sent.saleId}#fan-1#SMS`,
      saleId: sent.saleId,
      eventId: MARISOL_ID,
      fanId: 'fan-1',
      channel: 'SMS',
      status: 'DELIVERED',
      attempts: 1,
      createdAt: '2026-12-08T14:30:01.000Z',
      queuedAt: '2026-12-08T14:30:02.000Z',
      deliveredAt: '2026-12-08T14:30:05.000Z',
    } as NotificationRecord);

    const status = await call('Query', 'reminderStatus', { eventId: MARISOL_ID });

    const reminders = status.reminders as Array<Record<string, unknown>>;
    expect(reminders).toHaveLength(sales.length);
    expect(reminders.find((r) => r.saleId === sent.saleId)).toMatchObject({
      state: 'DELIVERED',
      attempts: 1,
      deliveredAt: '2026-12-08T14:30:05.000Z',
    });
    expect(reminders.filter((r) => r.state === 'SCHEDULED').length).toBeGreaterThan(0);
    expect(status.signUps).toEqual([
      expect.objectContaining({ channel: 'SMS', maskedContact: '+1******4567' }),
    ]);
  });

  it('status: a registration sale is SUPPRESSED with its reason', async () => {
    const { call, discovery } = setup();
    discovery.payloads.set(HARBOR_ID, discoveryPayload('us-music-harbor-lights-registration.json'));
    await call('Mutation', 'requestReminder', signUp({ eventId: HARBOR_ID }));

    const status = await call('Query', 'reminderStatus', { eventId: HARBOR_ID });

    const reminders = status.reminders as Array<{ state: string; suppressionReasons: string[] }>;
    expect(reminders).toContainEqual(
      expect.objectContaining({ state: 'SUPPRESSED', suppressionReasons: ['REGISTRATION_SALE'] }),
    );
  });
});

describe('identity: the fan is the verified caller', () => {
  it.each([
    ['no identity (API key)', null],
    ['an identity pool guest (IAM)', { accountId: '1', userArn: 'arn:x', cognitoIdentityPoolId: 'pool' }],
  ])('%s cannot sign up, cancel or read a status', async (_what, identity) => {
    const { call, demand } = setup();

    const results = await Promise.all([
      call('Mutation', 'requestReminder', signUp(), identity),
      call('Mutation', 'cancelReminder', { input: { eventId: MARISOL_ID, channel: 'SMS' } }, identity),
      call('Query', 'reminderStatus', { eventId: MARISOL_ID }, identity),
    ]);

    for (const result of results) expect(result.apiError).toMatchObject({ type: 'Unauthorized' });
    expect(demand.items.size).toBe(0);
  });

  it('an API key still reads eventDetails', async () => {
    const { call } = setup();
    const details = await call('Query', 'eventDetails', { eventId: MARISOL_ID }, null);
    expect(details).toMatchObject({ eventId: MARISOL_ID });
  });

  it('a fanId argument is not accepted: the sign-up is the caller’s', async () => {
    const { call, demand } = setup();
    const result = await call(
      'Mutation',
      'requestReminder',
      signUp({ fanId: 'fan-victim' }),
      cognitoIdentity('fan-2'),
    );
    expect(result.fanId).toBe('fan-2');
    expect([...demand.items.values()].map((item) => item.fanId)).toEqual(['fan-2']);
  });

  it('fan B neither sees nor cancels fan A’s sign-up', async () => {
    const { call, demand } = setup();
    await call('Mutation', 'requestReminder', signUp(), cognitoIdentity('fan-a'));

    const status = await call('Query', 'reminderStatus', { eventId: MARISOL_ID }, cognitoIdentity('fan-b'));
    const cancel = await call(
      'Mutation',
      'cancelReminder',
      { input: { eventId: MARISOL_ID, channel: 'SMS' } },
      cognitoIdentity('fan-b'),
    );

    expect(status).toMatchObject({ fanId: 'fan-b', signUps: [], reminders: [] });
    expect(cancel).toMatchObject({ cancelled: false });
    expect([...demand.items.values()].map((item) => item.fanId)).toEqual(['fan-a']);
  });

  it('an IAM caller acts for the fan of x-fan-id, and needs it', async () => {
    const { call } = setup();
    const iam = { accountId: '123456789012', userArn: 'arn:aws:sts::123456789012:assumed-role/partner/x' };

    const ok = await call('Mutation', 'requestReminder', signUp(), iam, { 'x-fan-id': 'fan-9' });
    const missing = await call('Mutation', 'requestReminder', signUp(), iam);

    expect(ok).toMatchObject({ fanId: 'fan-9' });
    expect(missing.apiError).toMatchObject({ type: 'Unauthorized' });
  });
});

describe('consent', () => {
  it('a new SMS contact is PENDING and gets one confirmation SMS; a repeat sends none', async () => {
    const { call, confirmations, consents, time } = setup();

    const first = await call('Mutation', 'requestReminder', signUp());
    time.advance(60);
    const again = await call('Mutation', 'requestReminder', signUp());

    expect(first.consent).toBe('PENDING');
    expect(again.consent).toBe('PENDING');
    expect(confirmations.sms).toEqual([{ to: '+12127364567', body: expect.stringContaining('Reply YES') }]);
    const [record] = [...consents.records.values()];
    expect(record).toMatchObject({
      fanId: 'fan-1',
      status: 'PENDING',
      textVersion: expect.any(String),
      locale: 'en-us',
      originHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      confirmationSentAt: '2026-11-28T12:00:00.000Z',
    });
  });

  it('a French sign-up is asked "Répondez OUI"', async () => {
    const { call, confirmations } = setup();
    await call('Mutation', 'requestReminder', signUp({ locale: 'FR_CA' }));
    expect(confirmations.sms[0]?.body).toContain('répondez OUI');
  });

  it('an email gets a link whose token confirms it once; a forged token is refused', async () => {
    const { call, confirmations } = setup();
    const reminder = await call(
      'Mutation',
      'requestReminder',
      signUp({ channel: 'EMAIL', contact: 'Jo@Example.com' }),
    );
    const link = new URL(/https:\S+/.exec(confirmations.emails[0]?.text ?? '')?.[0] ?? 'https://x');
    const token = link.searchParams.get('token') ?? '';
    const [ref] = token.split('.');

    const forged = await call('Mutation', 'confirmContact', { token: `${ref}.AAAA` }, null);
    const confirmed = await call('Mutation', 'confirmContact', { token }, null);
    const status = await call(
      'Mutation',
      'requestReminder',
      signUp({ channel: 'EMAIL', contact: 'Jo@Example.com' }),
    );

    expect(reminder.consent).toBe('PENDING');
    expect(forged.apiError).toMatchObject({ type: 'InvalidArgument', info: { reason: 'INVALID_TOKEN' } });
    expect(confirmed).toEqual({ channel: 'EMAIL', consent: 'CONFIRMED' });
    expect(status.consent).toBe('CONFIRMED');
  });
});

describe('limits', () => {
  it('a fan signs up at most SIGNUP_FAN_DAILY_CONTACTS different contacts a day', async () => {
    const { call, confirmations } = setup();
    const results = [];
    for (let i = 0; i < 8; i++) {
      results.push(await call('Mutation', 'requestReminder', signUp({ contact: `212-736-45${10 + i}` })));
    }
    const limited = results.filter(
      (r) => (r.apiError as { type?: string } | undefined)?.type === 'LimitExceeded',
    );
    expect(results.length - limited.length).toBe(SIGN_UP_SETTINGS.SIGNUP_FAN_DAILY_CONTACTS);
    expect(limited[0]?.apiError).toMatchObject({ info: { reason: 'FAN_DAILY_CONTACTS' } });
    expect(confirmations.sms).toHaveLength(SIGN_UP_SETTINGS.SIGNUP_FAN_DAILY_CONTACTS);
  });

  it('a contact is one fan’s per event: another fan signing it up is refused', async () => {
    const { call } = setup();
    await call('Mutation', 'requestReminder', signUp(), cognitoIdentity('fan-a'));
    const other = await call('Mutation', 'requestReminder', signUp(), cognitoIdentity('fan-b'));
    expect(other.apiError).toMatchObject({ type: 'LimitExceeded', info: { reason: 'CONTACT_EVENT_LIMIT' } });
    expect(JSON.stringify(other)).not.toContain('4567');
  });

  it('a cancelled sign-up frees the contact for the event', async () => {
    const { call } = setup();
    await call('Mutation', 'requestReminder', signUp(), cognitoIdentity('fan-a'));
    await call(
      'Mutation',
      'cancelReminder',
      { input: { eventId: MARISOL_ID, channel: 'SMS' } },
      cognitoIdentity('fan-a'),
    );
    const other = await call('Mutation', 'requestReminder', signUp(), cognitoIdentity('fan-b'));
    expect(other).toMatchObject({ fanId: 'fan-b', created: true });
  });

  it('every call counts against SIGNUP_FAN_DAILY_REQUESTS', async () => {
    const { call } = setup();
    const results = [];
    for (let i = 0; i < SIGN_UP_SETTINGS.SIGNUP_FAN_DAILY_REQUESTS + 2; i++) {
      results.push(await call('Mutation', 'requestReminder', signUp()));
    }
    expect(results.at(-1)?.apiError).toMatchObject({ info: { reason: 'FAN_DAILY_REQUESTS' } });
    expect(results.filter((r) => r.apiError === undefined)).toHaveLength(
      SIGN_UP_SETTINGS.SIGNUP_FAN_DAILY_REQUESTS,
    );
  });
});
