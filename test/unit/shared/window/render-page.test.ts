import { hashContact } from '#shared/domain/contacts';
import { notificationKey } from '#shared/domain/keys';
import type { Channel, Locale } from '#shared/domain/model';
import { RetryableError } from '#shared/lambda/errors';
import { fixedClock } from '#shared/time/clock';
import { type RenderDeps, renderPage } from '#shared/window/render-page';
import type { PageLoopState } from '#shared/window/state';
import { anEvent, aSale, createdNotification, pageState } from '#test/helpers/factories';
import {
  MemoryConsents,
  MemoryDemand,
  MemoryEvents,
  MemoryNotifications,
  MemoryOptOuts,
} from '#test/helpers/memory-stores';

const NOW = '2026-12-09T14:30:05.000Z';
const SALE = aSale({ saleId: 'S1', eventId: 'E1', startsAt: '2026-12-09T15:00:00.000Z' });

function setup(pageSize = 10) {
  const demand = new MemoryDemand(1);
  const notifications = new MemoryNotifications();
  const optOuts = new MemoryOptOuts();
  const events = new MemoryEvents();
  events.put({
    ...anEvent({ eventId: 'E1', sales: [SALE] }),
    fetchedAt: '2026-12-09T14:00:00.000Z',
    expiresAt: 1_900_000_000,
    shortUrls: {
      'en-us|ticketmaster|SMS': 'https://tmtr.me/en-us',
      'fr-ca|ticketmaster|SMS': 'https://tmtr.me/fr-ca',
      'en-us|livenation|SMS': 'https://lnev.me/en-us',
      'en-us|ticketmaster|EMAIL': 'https://tmtr.me/en-us-email',
    },
  });
  const consents = new MemoryConsents();
  const deps: RenderDeps = {
    demand,
    notifications,
    optOuts,
    consents,
    events,
    pageSize,
    clock: fixedClock(NOW),
  };
  let next = 0;
  const fan = (channel: Channel = 'SMS', extra: { contact?: string; locale?: Locale } = {}) => {
    next += 1;
    const fanId = `fan-${String(next).padStart(3, '0')}`;
    return demand.add({
      eventId: 'E1',
      fanId,
      channel,
      contact:
        extra.contact ??
        (channel === 'SMS' ? `+1415555${String(next).padStart(4, '0')}` : `${fanId}@example.com`),
      brand: 'ticketmaster',
      createdAt: '2026-12-01T00:00:00.000Z',
      ...(extra.locale ? { locale: extra.locale } : {}),
    });
  };
  const render = (overrides: Partial<PageLoopState> = {}) =>
    renderPage(pageState({ iterationMps: 5, ...overrides }), deps);
  return { demand, notifications, optOuts, consents, events, deps, fan, render };
}

describe('renderPage', () => {
  it('creates one CREATED notification per fan with its rendered message, and hands them all to Send', async () => {
    const { notifications, fan, render } = setup();
    const sms = fan('SMS');
    const email = fan('EMAIL');

    const next = await render();

    expect(next.send).toEqual([sms.sk, email.sk]);
    expect(next.totals).toMatchObject({ created: 2, duplicates: 0, resumed: 0, optedOut: 0, invalid: 0 });
    const smsRecord = notifications.expect(notificationKey('S1', sms.fanId, 'SMS'));
    expect(smsRecord).toMatchObject({
      status: 'CREATED',
      attempts: 0,
      saleId: 'S1',
      eventId: 'E1',
      shard: 0,
      locale: 'en-us',
      executionName: 'unit',
      createdAt: NOW,
      // Kept 90 days after the sale starts.
      expiresAt: Date.parse(SALE.startsAt) / 1000 + 90 * 24 * 3600,
    });
    expect(smsRecord.message?.text).toContain('https://tmtr.me/en-us');
    expect(smsRecord.message?.encoding).toBe('GSM-7');
    expect(smsRecord.message?.segments).toBeGreaterThanOrEqual(1);
    const emailRecord = notifications.expect(notificationKey('S1', email.fanId, 'EMAIL'));
    expect(emailRecord.message?.template).toEqual(expect.any(String));
    expect(JSON.stringify(emailRecord.message?.variables)).toContain('https://tmtr.me/en-us');
  });

  it('never puts a contact in the state it returns', async () => {
    const { fan, render } = setup();
    const sms = fan('SMS');
    const email = fan('EMAIL');

    const next = await render();

    expect(JSON.stringify(next)).not.toContain(sms.contact);
    expect(JSON.stringify(next)).not.toContain(email.contact);
  });

  it('renders each fan in their own locale, with the opt-out sentence the stage configured', async () => {
    const { notifications, fan, render, deps } = setup();
    deps.optOutText = { en: 'Txt STOPALL to end', fr: 'Ecrivez STOPALL' };
    const english = fan('SMS');
    const french = fan('SMS', { locale: 'fr-ca' });

    await render();

    const en = notifications.expect(notificationKey('S1', english.fanId, 'SMS'));
    const fr = notifications.expect(notificationKey('S1', french.fanId, 'SMS'));
    expect(fr.locale).toBe('fr-ca');
    expect(en.message?.text).toContain('Txt STOPALL to end');
    expect(fr.message?.text).toContain('Ecrivez STOPALL');
    expect(fr.message?.text).toContain('https://tmtr.me/fr-ca');
  });

  it('counts a fan already notified for this sale as a duplicate and does not send again', async () => {
    const { notifications, fan, render } = setup();
    const done = fan('SMS');
    const queued = createdNotification('S1', done, { status: 'QUEUED', statusRank: 2, attempts: 1 });
    notifications.put(queued);

    const next = await render();

    expect(next.send).toEqual([]);
    expect(next.totals).toMatchObject({ created: 0, duplicates: 1 });
    expect(notifications.expect(queued.pk)).toEqual(queued);
  });

  it("hands an earlier run's unsent notification (CREATED, or a pending retry) to Send again as resumed", async () => {
    const { notifications, fan, render } = setup();
    const created = fan('SMS');
    const pending = fan('SMS');
    const held = fan('SMS');
    notifications.put(createdNotification('S1', created));
    notifications.put(
      createdNotification('S1', pending, {
        status: 'TRIGGERED',
        statusRank: 1,
        attempts: 1,
        retryPending: true,
      }),
    );
    notifications.put(createdNotification('S1', held, { status: 'TRIGGERED', statusRank: 1, attempts: 1 }));

    const next = await render();

    expect(next.send).toEqual([created.sk, pending.sk]);
    expect(next.totals).toMatchObject({ created: 0, resumed: 2, duplicates: 1 });
  });

  it('records an opted-out fan FAILED (OPTED_OUT) and does not send', async () => {
    const { notifications, optOuts, fan, render } = setup();
    const out = fan('SMS');
    optOuts.optOut(hashContact(out.contact));

    const next = await render();

    expect(next.send).toEqual([]);
    expect(next.totals).toMatchObject({ created: 0, optedOut: 1, failedByReason: { OPTED_OUT: 1 } });
    const record = notifications.expect(notificationKey('S1', out.fanId, 'SMS'));
    expect(record).toMatchObject({ status: 'FAILED', failureReason: 'OPTED_OUT', failedAt: NOW });
    expect(record.message).toBeUndefined();
  });

  it('records a fan whose contact’s owner has not confirmed FAILED (CONSENT_PENDING) and does not send', async () => {
    const { notifications, consents, fan, render } = setup();
    const pending = fan('SMS');
    const confirmed = fan('SMS');
    consents.markPending(hashContact(pending.contact), pending.fanId);

    const next = await render();

    expect(next.send).toEqual([confirmed.sk]);
    expect(next.totals).toMatchObject({
      created: 1,
      consentPending: 1,
      failedByReason: { CONSENT_PENDING: 1 },
    });
    expect(notifications.expect(notificationKey('S1', pending.fanId, 'SMS'))).toMatchObject({
      status: 'FAILED',
      failureReason: 'CONSENT_PENDING',
    });
  });

  it('keeps on each record the keyed hash of the contact it was rendered for', async () => {
    const { notifications, fan, render } = setup();
    const sms = fan('SMS');
    const email = fan('EMAIL', { contact: 'Jo@Example.com' });

    await render();

    expect(notifications.expect(notificationKey('S1', sms.fanId, 'SMS')).contactHash).toBe(
      hashContact(sms.contact),
    );
    expect(notifications.expect(notificationKey('S1', email.fanId, 'EMAIL')).contactHash).toBe(
      hashContact('jo@example.com'),
    );
  });

  it.each([
    ['whose contact cannot be used', 'INVALID_CONTACT', { contact: 'not a number' }],
    [
      'whose locale and brand got no short link (never sent without one)',
      'NO_SHORT_LINK',
      { locale: 'en-ca' },
    ],
  ] as const)('records an SMS fan %s FAILED (%s) and goes on with the page', async (_, reason, overrides) => {
    const { notifications, fan, render } = setup();
    const bad = fan('SMS', overrides);
    const good = fan('SMS');

    const next = await render();

    expect(next.send).toEqual([good.sk]);
    expect(next.totals).toMatchObject({ created: 1, invalid: 1, failedByReason: { [reason]: 1 } });
    expect(notifications.expect(notificationKey('S1', bad.fanId, 'SMS'))).toMatchObject({
      status: 'FAILED',
      failureReason: reason,
    });
  });

  it('counts an opted-out fan already recorded by an earlier run as a duplicate, not twice as opted out', async () => {
    const { optOuts, fan, render } = setup();
    const out = fan('SMS');
    optOuts.optOut(hashContact(out.contact));
    const first = await render();

    const again = await render({ totals: first.totals });

    expect(again.totals).toMatchObject({ optedOut: 1, duplicates: 1, failedByReason: { OPTED_OUT: 1 } });
  });

  it("adds the page's counts to the shard's totals so far", async () => {
    const { fan, render } = setup();
    fan('SMS');

    const next = await render({
      totals: { ...pageState().totals, created: 7, queued: 7, failedByReason: { OPTED_OUT: 2 } },
    });

    expect(next.totals).toMatchObject({ created: 8, queued: 7, failedByReason: { OPTED_OUT: 2 } });
  });

  describe('page boundaries', () => {
    it('reads the shard a page at a time, each page starting after the last fan of the page before', async () => {
      const { demand, fan, render, deps } = setup(2);
      const fans = [fan(), fan(), fan(), fan(), fan()];

      const first = await render();
      const second = await renderPage(first, deps);
      const third = await renderPage(second, deps);

      expect([first.send, second.send, third.send]).toEqual([
        [fans[0]?.sk, fans[1]?.sk],
        [fans[2]?.sk, fans[3]?.sk],
        [fans[4]?.sk],
      ]);
      expect(demand.pages.map((page) => page.cursor)).toEqual([undefined, fans[1]?.sk, fans[3]?.sk]);
      expect([first.cursor, second.cursor, third.cursor]).toEqual([fans[1]?.sk, fans[3]?.sk, null]);
      expect([first.page, second.page, third.page]).toEqual([1, 2, 3]);
      expect(third.totals.created).toBe(5);
    });

    it('ends the shard with an empty page when the last page was exactly full', async () => {
      const { fan, render, deps } = setup(2);
      const fans = [fan(), fan()];

      const full = await render();
      const empty = await renderPage(full, deps);

      expect(full).toMatchObject({ cursor: fans[1]?.sk, send: [fans[0]?.sk, fans[1]?.sk] });
      expect(empty).toMatchObject({ cursor: null, send: [], page: 2 });
      expect(empty.totals.created).toBe(2);
    });

    it("starts each page at the first send round, whatever the previous page's retries were", async () => {
      const { fan, render } = setup();
      fan();

      const next = await render({ round: 2, retryCount: 3, ambiguousRetry: true, backoffSeconds: 30 });

      expect(next).toMatchObject({ round: 0, retryCount: 0, ambiguousRetry: false, backoffSeconds: 0 });
    });

    it('returns a done shard for an event nobody signed up for', async () => {
      const { render } = setup();

      const next = await render();

      expect(next).toMatchObject({ page: 1, cursor: null, send: [] });
      expect(next.totals.created).toBe(0);
    });
  });

  it('asks for another try when the event is not in the cache yet', async () => {
    const { events, render } = setup();
    events.items.clear();

    await expect(render()).rejects.toThrow(new RetryableError('event E1 is not in the cache'));
  });

  it('asks for another try when the sale is not on the cached event', async () => {
    const { render } = setup();

    await expect(render({ saleId: 'S2' })).rejects.toThrow(RetryableError);
    await expect(render({ saleId: 'S2' })).rejects.toThrow('sale S2 is not on event E1');
  });
});

describe('renderPage pacing', () => {
  it('paces a shard by its share of the sale when the sale runs every shard at once', async () => {
    const { deps, fan, render } = setup();
    deps.shardCount = 1;
    fan();
    fan();
    fan();

    // The sale: 4 reminders at 5 msg/s per sender, one sender per shard; this shard holds 3 of them.
    const next = await render({ iterationMps: 5, senders: 1, saleMessages: 4 });
    expect(next.shardMps).toBeCloseTo(3.75, 9);

    // Later pages keep the pace found on the first.
    const again = await render({ ...next, send: [], cursor: null });
    expect(again.shardMps).toBe(next.shardMps);
  });

  it('staggers the first pages of a sale that runs every shard at once: shard k of n gets (k+1)/n of a page', async () => {
    const { deps, fan, render } = setup(8);
    deps.shardCount = 4;
    const fans = Array.from({ length: 12 }, () => fan());

    // Shard 0 of 4, two pages' worth: a quarter of the page first, then full pages.
    const first = await render({ shard: 0, senders: 4, saleMessages: 48 });
    expect(first.send).toEqual(fans.slice(0, 2).map((f) => f.sk));
    const second = await render({ ...first, send: [] });
    expect(second.send).toEqual(fans.slice(2, 10).map((f) => f.sk));
  });

  it('renders whole a shard that fits one page, before its first hand-over', async () => {
    const { deps, fan, render } = setup(8);
    deps.shardCount = 4;
    const fans = Array.from({ length: 8 }, () => fan());

    const first = await render({ shard: 0, senders: 4, saleMessages: 32 });
    expect(first.send).toEqual(fans.map((f) => f.sk));
  });

  it('keeps the iteration pace for each shard when the sale runs fewer senders than shards', async () => {
    const { deps, fan, render } = setup();
    deps.shardCount = 4;
    fan();

    const next = await render({ iterationMps: 5, senders: 2, saleMessages: 40 });
    expect(next.shardMps).toBe(5);
  });

  it('renders smaller pages for a slow shard, so a Send page never holds more than PAGE_SIZE s of sends', async () => {
    const { fan, render } = setup(10);
    const fans = Array.from({ length: 5 }, () => fan());

    // 0.2 msg/s: 10 fans would take 50 s, more than the 10 s a page of 10 takes at 1 msg/s.
    const next = await render({ iterationMps: 0.2 });
    expect(next.send).toEqual(fans.slice(0, 2).map((f) => f.sk));
    expect(next.cursor).toBe(fans[1]?.sk);
  });
});
