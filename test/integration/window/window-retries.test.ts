/**
 * The window run end to end on the local stack: the real ASL file on aws-local-stepfunctions, every Task
 * bound to its handler module, dynalite, kinesalite and the provider sandboxes.
 */

import { notificationKey } from '#shared/domain/keys';
import {
  DEMO_WINDOW,
  processedSales,
  putSmsFan,
  seedFansOf,
  US_EVENT,
  useWindowSession,
} from '#test/helpers/window';

describe('window run: retries and provider errors', () => {
  const setup = useWindowSession();

  it('retries a Task that throws a retryable error', async () => {
    const { session } = setup;
    await seedFansOf(setup, US_EVENT, 10);
    const run = await session.run({
      scheduledTime: DEMO_WINDOW,
      intercept: {
        PrepareSale: async (input, invoke, attempt) => {
          if (attempt === 1) {
            const error = new Error('Discovery answered 503');
            error.name = 'RetryableError';
            throw error;
          }
          return invoke(input);
        },
      },
    });
    expect(run.status).toBe('SUCCEEDED');
    const retried = run.trace.filter(
      (entry) => entry.type === 'StateRetried' && entry.state === 'PrepareSale',
    );
    expect(retried.length).toBe(5);
    expect((run.output as { sales: { processed: number } }).sales.processed).toBe(2);
  });

  it('attempts a contact whose sends fail with 500 exactly 3 times, then FAILED; one 500 then success is QUEUED on attempt 2', async () => {
    const saleId = `${US_EVENT}.presale.verified-fan-presale`;
    const { session, events } = setup;
    const event = events.find((candidate) => candidate.eventId === US_EVENT);
    const sale = event?.sales.find((candidate) => candidate.startsAt.startsWith('2026-12-08T15:00'));
    expect(sale).toBeDefined();
    await putSmsFan(session, 'always-500', '+12125550142');
    await putSmsFan(session, 'flaky', '+12125550143');
    session.stack.sandboxes.sms.setFaults({
      perNumber: { '+12125550142': [500, 500, 500, 500], '+12125550143': [500, 'ok'] },
    });

    const run = await session.run({ scheduledTime: DEMO_WINDOW });
    expect(run.status).toBe('SUCCEEDED');
    const id = sale?.saleId ?? saleId;
    const failing = await session.repos.notifications.get(notificationKey(id, 'always-500', 'SMS'));
    expect(failing).toMatchObject({ status: 'FAILED', attempts: 3, failureReason: 'RETRIES_EXHAUSTED' });
    const rejected = Object.values(session.stack.sandboxes.sms.counters.rejected).reduce(
      (sum, n) => sum + n,
      0,
    );
    expect(rejected).toBeGreaterThanOrEqual(4);
    const flaky = await session.repos.notifications.get(notificationKey(id, 'flaky', 'SMS'));
    expect(flaky?.attempts).toBe(2);
    expect(['QUEUED', 'SENT', 'DELIVERED']).toContain(flaky?.status);
  });

  it('fails an invalid number (21211) after one attempt and skips it in the next window', async () => {
    const { session } = setup;
    // A well-formed number the provider rejects as invalid.
    await putSmsFan(session, 'bad-number', '+12125550199');
    session.stack.sandboxes.sms.setFaults({ perNumber: { '+12125550199': 21211 } });
    const first = await session.run({ scheduledTime: DEMO_WINDOW });
    expect(first.status).toBe('SUCCEEDED');
    const firstSale = processedSales(first, US_EVENT)[0];
    const failed = await session.repos.notifications.get(
      notificationKey(firstSale?.saleId ?? '', 'bad-number', 'SMS'),
    );
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, failureReason: 'INVALID_NUMBER' });
    const sentBefore = session.stack.sandboxes.sms.messagesTo('+12125550199').length;

    // The next window with a sale of the same event: 2026-12-09 15:00 UTC.
    const next = await session.run({ scheduledTime: '2026-12-09T14:30:00.000Z' });
    expect(next.status).toBe('SUCCEEDED');
    const nextSales = processedSales(next, US_EVENT);
    expect(nextSales.length).toBeGreaterThan(0);
    for (const sale of nextSales) {
      const record = await session.repos.notifications.get(notificationKey(sale.saleId, 'bad-number', 'SMS'));
      expect(record).toMatchObject({ status: 'FAILED', failureReason: 'OPTED_OUT', attempts: 0 });
    }
    expect(session.stack.sandboxes.sms.messagesTo('+12125550199').length).toBe(sentBefore);
  });

  it('does not resend a message the provider took although the connection dropped before its answer', async () => {
    const { session } = setup;
    await putSmsFan(session, 'dropped', '+12125550177');
    session.stack.sandboxes.sms.setFaults({ perNumber: { '+12125550177': ['drop', 'ok'] } });
    // Acknowledgement wait cut to 50 ms: the retry round must find the message at the provider itself.
    const run = await session.run({ scheduledTime: DEMO_WINDOW, ackWaitMs: 50 });
    expect(run.status).toBe('SUCCEEDED');
    expect(await session.settleDelivery(30_000)).toBe(true);
    const sale = processedSales(run, US_EVENT)[0];
    const record = await session.repos.notifications.get(
      notificationKey(sale?.saleId ?? '', 'dropped', 'SMS'),
    );
    // Confirmed by the status callback or found by the provider lookup: one message either way.
    expect(session.stack.sandboxes.sms.messagesTo('+12125550177')).toHaveLength(1);
    expect(record?.attempts).toBeLessThanOrEqual(2);
    expect(['QUEUED', 'SENT', 'DELIVERED']).toContain(record?.status);
  }, 90_000);
});
