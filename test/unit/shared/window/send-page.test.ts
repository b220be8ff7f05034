import {
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '#shared/clients/errors';
import type { DemandItem } from '#shared/data/demand-repository';
import type { NotificationRecord } from '#shared/data/notifications-repository';
import { hashContact } from '#shared/domain/contacts';
import type { Channel } from '#shared/domain/model';
import { fixedClock } from '#shared/time/clock';
import {
  AMBIGUOUS_RETRY_DELAY_SECONDS,
  backoffSeconds,
  type SendDeps,
  sendPage,
  shardPhase,
  splitSortKey,
} from '#shared/window/send-page';
import type { PageLoopState } from '#shared/window/state';
import { createdNotification, pageState } from '#test/helpers/factories';
import { ScriptedSenders } from '#test/helpers/fakes';
import { MemoryDemand, MemoryNotifications, MemoryOptOuts } from '#test/helpers/memory-stores';

const NOW = '2026-12-09T14:31:00.000Z';

function setup() {
  const demand = new MemoryDemand();
  const notifications = new MemoryNotifications();
  const optOuts = new MemoryOptOuts();
  const senders = new ScriptedSenders();
  const deps: SendDeps = { demand, notifications, optOuts, senders, clock: fixedClock(NOW) };
  /** A fan signed up for E1 whose notification of S1 is in `record` state (CREATED by default). */
  const fan = (
    fanId: string,
    channel: Channel = 'SMS',
    record: Partial<NotificationRecord> = {},
  ): DemandItem & { pk: string } => {
    const contact =
      channel === 'SMS' ? `+1415555${fanId.replace(/\D/g, '').padStart(4, '0')}` : `${fanId}@example.com`;
    const item = demand.add({
      eventId: 'E1',
      fanId,
      channel,
      contact,
      brand: 'ticketmaster',
      createdAt: '2026-12-01T00:00:00.000Z',
    });
    const notification = createdNotification('S1', item, record);
    notifications.put(notification);
    return { ...item, pk: notification.pk };
  };
  const send = (fans: Array<{ sk: string }>, overrides: Partial<PageLoopState> = {}) =>
    sendPage(pageState({ send: fans.map((f) => f.sk), ...overrides }), deps);
  return { demand, notifications, optOuts, senders, deps, fan, send };
}

describe('sendPage', () => {
  it('hands each leased fan to its channel once and records it QUEUED with the provider id', async () => {
    const { notifications, senders, fan, send } = setup();
    const sms = fan('f1', 'SMS');
    const email = fan('f2', 'EMAIL');

    const next = await send([sms, email]);

    expect(senders.sent.map((m) => [m.channel, m.to, m.notificationKey])).toEqual(
      expect.arrayContaining([
        ['SMS', sms.contact, sms.pk],
        ['EMAIL', email.contact, email.pk],
      ]),
    );
    expect(senders.sent).toHaveLength(2);
    for (const pk of [sms.pk, email.pk]) {
      const record = notifications.expect(pk);
      expect(record).toMatchObject({ status: 'QUEUED', attempts: 1, triggeredAt: NOW, queuedAt: NOW });
      expect(record.providerMessageId).toMatch(/^(SM|EM)\d{4}$/);
    }
    expect(next.totals).toMatchObject({ triggered: 2, queued: 2, failed: 0, retried: 0, notLeased: 0 });
    expect(next).toMatchObject({
      send: [],
      round: 0,
      retryCount: 0,
      ambiguousRetry: false,
      backoffSeconds: 0,
    });
  });

  it('sends the email with its template and variables, and the SMS with its text', async () => {
    const { senders, fan, send } = setup();
    const emailSpy = jest.spyOn(senders, 'email');
    const smsSpy = jest.spyOn(senders, 'sms');
    const email = fan('f2', 'EMAIL');
    const sms = fan('f1', 'SMS');

    await send([email, sms]);

    expect(emailSpy).toHaveBeenCalledWith({
      to: email.contact,
      templateName: 'onsale-reminder-en',
      templateData: { saleId: 'S1' },
      notificationKey: email.pk,
    });
    expect(smsSpy).toHaveBeenCalledWith({
      to: sms.contact,
      body: 'Reminder for S1',
      notificationKey: sms.pk,
    });
  });

  it('does not send a notification another run holds or has finished (lease refused)', async () => {
    const { notifications, senders, fan, send } = setup();
    const held = fan('f1', 'SMS', { status: 'TRIGGERED', statusRank: 1, attempts: 1 });
    const done = fan('f2', 'SMS', { status: 'QUEUED', statusRank: 2, attempts: 1, providerMessageId: 'SM9' });
    const exhausted = fan('f3', 'SMS', {
      status: 'TRIGGERED',
      statusRank: 1,
      attempts: 3,
      retryPending: true,
    });

    const next = await send([held, done, exhausted]);

    expect(senders.sent).toEqual([]);
    expect(next.totals).toMatchObject({ notLeased: 3, triggered: 0, queued: 0 });
    expect(notifications.expect(done.pk)).toMatchObject({ status: 'QUEUED', providerMessageId: 'SM9' });
    expect(next.send).toEqual([]);
  });

  it('sends each notification once when two runs of the same page send at the same time', async () => {
    const { senders, fan, deps } = setup();
    const fans = ['f1', 'f2', 'f3', 'f4'].map((id) => fan(id));
    const state = pageState({ send: fans.map((f) => f.sk) });

    const [a, b] = await Promise.all([sendPage(state, deps), sendPage(state, deps)]);

    expect(senders.sent).toHaveLength(4);
    expect(a.totals.queued + b.totals.queued).toBe(4);
    expect(a.totals.notLeased + b.totals.notLeased).toBe(4);
  });

  it('fails a fan who cancelled the reminder between render and send, without calling the provider', async () => {
    const { demand, notifications, senders, fan, send } = setup();
    const gone = fan('f1');
    demand.remove('E1', 'f1', 'SMS');

    const next = await send([gone]);

    expect(senders.sent).toEqual([]);
    expect(notifications.expect(gone.pk)).toMatchObject({
      status: 'FAILED',
      failureReason: 'REMINDER_CANCELLED',
    });
    expect(next.totals).toMatchObject({ triggered: 1, failed: 1, failedByReason: { REMINDER_CANCELLED: 1 } });
  });

  it('fails a fan whose sign-up now holds another contact than the one rendered (CONTACT_CHANGED)', async () => {
    const { demand, notifications, senders, fan, send } = setup();
    const moved = fan('f1', 'SMS', { contactHash: hashContact('+14155550001') });
    demand.add({ ...moved, contact: '+14155559999' });

    const next = await send([moved]);

    expect(senders.sent).toEqual([]);
    expect(notifications.expect(moved.pk)).toMatchObject({
      status: 'FAILED',
      failureReason: 'CONTACT_CHANGED',
    });
    expect(next.totals.failedByReason).toEqual({ CONTACT_CHANGED: 1 });
  });

  it('fails a fan whose contact opted out between render and send (OPTED_OUT), checked right before the call', async () => {
    const { optOuts, notifications, senders, fan, send } = setup();
    const stopped = fan('f1', 'SMS', { contactHash: hashContact('+14155550001') });
    const fine = fan('f2', 'SMS', { contactHash: hashContact('+14155550002') });
    optOuts.optOut(hashContact(stopped.contact), 'STOP_REPLY');

    await send([stopped, fine]);

    expect(senders.sent.map((m) => m.to)).toEqual([fine.contact]);
    expect(notifications.expect(stopped.pk)).toMatchObject({ status: 'FAILED', failureReason: 'OPTED_OUT' });
  });

  it.each([
    [
      'HTTP 500',
      new ProviderUnavailableError({ provider: 'sms', operation: 'send', httpStatus: 500 }),
      'SERVER_ERROR',
    ],
    [
      'HTTP 429',
      new ProviderRateLimitedError({ provider: 'sms', operation: 'send', httpStatus: 429 }),
      'RATE_LIMITED',
    ],
    [
      'Twilio 20429',
      new ProviderRateLimitedError({ provider: 'sms', operation: 'send', httpStatus: 429, code: 20429 }),
      'RATE_LIMITED',
    ],
    [
      'a dropped connection',
      new ProviderUnavailableError({ provider: 'sms', operation: 'send', code: 'ECONNRESET' }),
      'NETWORK_ERROR',
    ],
  ])('returns a fan to retry after a retryable failure (%s) with attempts left', async (_, error, reason) => {
    const { notifications, senders, fan, send } = setup();
    const first = fan('f1');
    senders.failNext(first.contact, error);

    const next = await send([first]);

    expect(notifications.expect(first.pk)).toMatchObject({
      status: 'TRIGGERED',
      retryPending: true,
      attempts: 1,
      lastError: { reason, retryable: true },
    });
    expect(next).toMatchObject({
      send: [first.sk],
      round: 1,
      retryCount: 1,
      ambiguousRetry: false,
      backoffSeconds: backoffSeconds(1),
    });
    expect(next.totals).toMatchObject({ triggered: 1, retried: 1, queued: 0, failed: 0, failedByReason: {} });
  });

  it('waits longer before retrying after an ambiguous failure (time-out), so the status callback can arrive', async () => {
    const { notifications, senders, fan, send } = setup();
    const first = fan('f1');
    const second = fan('f2');
    senders.failNext(
      first.contact,
      new ProviderTimeoutError({ provider: 'sms', operation: 'send', timeoutMs: 30_000 }),
    );
    senders.failNext(
      second.contact,
      new ProviderUnavailableError({ provider: 'sms', operation: 'send', httpStatus: 503 }),
    );

    const next = await send([first, second]);

    expect(next.ambiguousRetry).toBe(true);
    expect(next.backoffSeconds).toBe(AMBIGUOUS_RETRY_DELAY_SECONDS);
    expect(next.send.sort()).toEqual([first.sk, second.sk].sort());
    expect(notifications.expect(first.pk).lastError).toEqual({
      code: 'ProviderTimeoutError',
      reason: 'TIMEOUT',
      retryable: true,
      ambiguous: true,
    });
    expect(notifications.expect(second.pk).lastError).toEqual({
      code: '503',
      reason: 'SERVER_ERROR',
      retryable: true,
    });
  });

  it('retries a pending fan in the next round and backs off longer each round', async () => {
    const { notifications, senders, fan, send, deps } = setup();
    deps.maxInFlight = 1;
    const first = fan('f1');
    const unavailable = () =>
      new ProviderUnavailableError({ provider: 'sms', operation: 'send', httpStatus: 502 });
    senders.failNext(first.contact, unavailable(), unavailable());

    const round1 = await send([first]);
    const round2 = await sendPage(round1, deps);
    const round3 = await sendPage(round2, deps);

    expect(round1).toMatchObject({ round: 1, backoffSeconds: 2, send: [first.sk] });
    expect(round2).toMatchObject({ round: 2, backoffSeconds: 4, send: [first.sk] });
    expect(round3).toMatchObject({ round: 0, backoffSeconds: 0, send: [], retryCount: 0 });
    expect(notifications.expect(first.pk)).toMatchObject({ status: 'QUEUED', attempts: 3 });
    expect(senders.sentTo(first.contact)).toBe(1);
    expect(round3.totals).toMatchObject({ triggered: 3, retried: 2, queued: 1 });
  });

  it('fails a fan whose last allowed attempt fails with a retryable error (RETRIES_EXHAUSTED)', async () => {
    const { notifications, senders, fan, send } = setup();
    const last = fan('f1', 'SMS', { status: 'TRIGGERED', statusRank: 1, attempts: 2, retryPending: true });
    senders.failNext(
      last.contact,
      new ProviderUnavailableError({ provider: 'sms', operation: 'send', httpStatus: 500 }),
    );

    const next = await send([last], { round: 2 });

    expect(notifications.expect(last.pk)).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      failureReason: 'RETRIES_EXHAUSTED',
      lastError: { reason: 'SERVER_ERROR', retryable: true },
    });
    expect(notifications.expect(last.pk).retryPending).toBeUndefined();
    expect(next).toMatchObject({ send: [], round: 0, backoffSeconds: 0 });
    expect(next.totals).toMatchObject({ triggered: 1, failed: 1, failedByReason: { RETRIES_EXHAUSTED: 1 } });
  });

  it('stops the page at a refused credential (Twilio 20003): the fan stays resendable, no other fan is tried', async () => {
    const { notifications, senders, fan, send, deps } = setup();
    deps.maxInFlight = 1;
    const first = fan('f1');
    const others = [fan('f2'), fan('f3')];
    senders.failNext(
      first.contact,
      new ProviderRejectedError({ provider: 'sms', operation: 'send', httpStatus: 401, code: 20003 }),
    );

    const page = send([first, ...others]);
    await expect(page).rejects.toMatchObject({
      name: 'ProviderConfigurationError',
      message: expect.stringContaining('PROVIDER_AUTH_FAILED'),
    });
    await expect(page).rejects.not.toMatchObject({ message: expect.stringContaining(first.contact) });
    expect(notifications.expect(first.pk)).toMatchObject({
      status: 'TRIGGERED',
      retryPending: true,
      attempts: 0,
      lastError: { code: '20003', reason: 'PROVIDER_AUTH_FAILED' },
    });
    // One at a time: the page stopped before handing over anyone else.
    for (const other of others) expect(notifications.expect(other.pk).status).toBe('CREATED');
    expect(senders.sent).toHaveLength(0);

    // Once the credentials are fixed, the same page (a redrive) sends every fan.
    const next = await send([first, ...others]);
    expect(next.totals).toMatchObject({ queued: 3, failed: 0 });
    expect(notifications.expect(first.pk)).toMatchObject({ status: 'QUEUED', attempts: 1 });
  });

  it.each([
    [21211, 'INVALID_NUMBER'],
    [21614, 'NOT_MOBILE'],
    [21610, 'OPTED_OUT'],
  ])(
    'fails at once on permanent code %i and adds the number to the opt-outs by hash',
    async (code, reason) => {
      const { notifications, optOuts, senders, fan, send } = setup();
      const bad = fan('f1');
      senders.failNext(
        bad.contact,
        new ProviderRejectedError({ provider: 'sms', operation: 'send', httpStatus: 400, code }),
      );

      const next = await send([bad]);

      expect(notifications.expect(bad.pk)).toMatchObject({
        status: 'FAILED',
        attempts: 1,
        failureReason: reason,
        lastError: { code: String(code), reason, retryable: false },
      });
      expect([...optOuts.records.values()]).toEqual([
        { contactHash: hashContact(bad.contact), reason, source: 'provider-error', createdAt: NOW },
      ]);
      expect(JSON.stringify([...optOuts.records.values()])).not.toContain(bad.contact);
      expect(next.totals).toMatchObject({ failed: 1, retried: 0, failedByReason: { [reason]: 1 } });
      expect(next.send).toEqual([]);
    },
  );

  it.each([
    ['Twilio 30007 (carrier filtering)', { httpStatus: 400, code: 30007 }, 'FILTERED'],
    ['an HTTP 400 without a known code', { httpStatus: 400 }, 'CLIENT_ERROR'],
  ])('fails at once on a permanent error, %s, and keeps the contact usable', async (_, details, reason) => {
    const { notifications, optOuts, senders, fan, send } = setup();
    const bad = fan('f1');
    senders.failNext(
      bad.contact,
      new ProviderRejectedError({ provider: 'sms', operation: 'send', ...details }),
    );

    const next = await send([bad]);

    expect(notifications.expect(bad.pk)).toMatchObject({ status: 'FAILED', failureReason: reason });
    expect(optOuts.records.size).toBe(0);
    expect(next.totals.failedByReason).toEqual({ [reason]: 1 });
  });

  /** A record whose first send timed out: the provider may hold the message or not. */
  const AFTER_A_TIMEOUT = {
    status: 'TRIGGERED',
    statusRank: 1,
    attempts: 1,
    retryPending: true,
    lastError: { code: 'ProviderTimeoutError', reason: 'TIMEOUT', retryable: true, ambiguous: true },
  } as const;

  it('after an ambiguous failure, records the message the provider already holds instead of sending it again', async () => {
    const { notifications, senders, fan, send } = setup();
    const lost = fan('f1', 'SMS', AFTER_A_TIMEOUT);
    senders.held.set(`${lost.contact}|Reminder for S1`, 'SM-already');

    const next = await send([lost], { round: 1 });

    expect(senders.sent).toEqual([]);
    expect(senders.lookups).toEqual([
      { to: lost.contact, body: 'Reminder for S1', since: '2026-12-09T14:30:00.000Z' },
    ]);
    expect(notifications.expect(lost.pk)).toMatchObject({
      status: 'QUEUED',
      providerMessageId: 'SM-already',
      attempts: 2,
    });
    expect(next.totals).toMatchObject({ triggered: 1, queued: 1 });
  });

  it('after an ambiguous failure the provider does not know, sends again', async () => {
    const { notifications, senders, fan, send } = setup();
    const lost = fan('f1', 'SMS', AFTER_A_TIMEOUT);

    await send([lost], { round: 1 });

    expect(senders.lookups).toHaveLength(1);
    expect(senders.sentTo(lost.contact)).toBe(1);
    expect(notifications.expect(lost.pk)).toMatchObject({ status: 'QUEUED', providerMessageId: 'SM0001' });
  });

  it('does not ask the provider before a retry that follows an unambiguous failure, nor for email', async () => {
    const { senders, fan, send } = setup();
    const pending = { status: 'TRIGGERED', statusRank: 1, attempts: 1, retryPending: true } as const;
    const sms = fan('f1', 'SMS', {
      ...pending,
      lastError: { code: '503', reason: 'SERVER_ERROR', retryable: true },
    });
    const email = fan('f2', 'EMAIL', {
      ...pending,
      lastError: { code: 'ProviderTimeoutError', reason: 'TIMEOUT', retryable: true, ambiguous: true },
    });

    const next = await send([sms, email], { round: 1 });

    expect(senders.lookups).toEqual([]);
    expect(senders.sent).toHaveLength(2);
    expect(next.totals.queued).toBe(2);
  });

  it("lets an error that is not the provider's fail the invocation (the state machine retries it)", async () => {
    const { senders, fan, send } = setup();
    const first = fan('f1');
    senders.failNext(first.contact, new TypeError('bug'));

    await expect(send([first])).rejects.toThrow('bug');
  });

  it('names the notification whose rendered message is missing, without its contact', async () => {
    const { fan, send } = setup();
    const broken = fan('f1', 'SMS', { message: {} });

    await expect(send([broken])).rejects.toThrow(`notification ${broken.pk} has no SMS text`);
  });

  it("starts the sends of a page at the iteration's pace", async () => {
    const { fan, send, deps } = setup();
    const waits: number[] = [];
    deps.sleep = async (ms) => {
      waits.push(ms);
    };
    const fans = ['f1', 'f2', 'f3'].map((id) => fan(id));

    await send(fans, { iterationMps: 2 });

    // 2 per second: the second starts ~500 ms after the first, the third ~1000 ms after.
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThan(400);
    expect(waits[1]).toBeGreaterThan(900);
  });

  it("waits for the run's first hand-over (sendFrom) and carries the shard's schedule to its next page", async () => {
    const { fan, send, deps } = setup();
    const waits: number[] = [];
    deps.sleep = async (ms) => {
      waits.push(ms);
    };
    const fans = ['f1', 'f2'].map((id) => fan(id));
    const sendFrom = new Date(Date.parse(NOW) + 10_000).toISOString();

    const next = await send(fans, { iterationMps: 2, sendFrom });

    // The clock is fixed at NOW: the first turn is 10 s away (plus shard 0's phase, 0), the second 10.5 s.
    expect(waits).toEqual([10_000, 10_500]);
    expect(next).toMatchObject({ paceFrom: Date.parse(sendFrom), turns: 2 });
    // The next page continues the schedule: its first turn is the shard's third (11 s after NOW).
    waits.length = 0;
    const { send: _done, ...schedule } = next;
    await send([fan('f3')], schedule);
    expect(waits).toEqual([11_000]);
  });

  it("offsets each shard's turns within its interval, so the shards' first turns do not coincide", async () => {
    const phases = Array.from({ length: 16 }, (_, shard) => shardPhase(shard));
    // Sixteen shards spread over the interval: no gap between two first turns wider than 2/16 of it.
    const sorted = [...phases].sort((a, b) => a - b);
    const gaps = sorted.map((phase, i) => (sorted[i + 1] ?? (sorted[0] ?? 0) + 1) - phase);
    expect(Math.max(...gaps)).toBeLessThan(2 / 16);
    expect(Math.min(...phases)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...phases)).toBeLessThan(1);

    const { fan, send, deps } = setup();
    const waits: number[] = [];
    deps.sleep = async (ms) => {
      waits.push(ms);
    };
    await send([fan('f1')], { iterationMps: 2, shard: 3, sendFrom: NOW });
    expect(waits[0]).toBeCloseTo(shardPhase(3) * 500, 3);
  });

  it('returns the page state as it was when nobody is left to send', async () => {
    const { send, senders } = setup();
    const state = pageState({ page: 3, cursor: 'f9#SMS' });

    const next = await send([], { page: 3, cursor: 'f9#SMS' });

    expect(senders.sent).toEqual([]);
    expect(next).toEqual(state);
  });
});

describe('splitSortKey', () => {
  it('splits a demand sort key into fan and channel', () => {
    expect(splitSortKey('fan#1#EMAIL')).toEqual({ fanId: 'fan#1', channel: 'EMAIL' });
  });

  it('rejects a key without a known channel, naming where it broke', () => {
    expect(() => splitSortKey('fan-1#FAX')).toThrow('malformed demand sort key at position 5');
    expect(() => splitSortKey('SMS')).toThrow('malformed demand sort key at position -1');
  });
});
