import type { DemandItem } from '#shared/data/demand-repository';
import type { NotificationRecord } from '#shared/data/notifications-repository';
import { notificationKey } from '#shared/domain/keys';
import type { Clock } from '#shared/time/clock';
import { SALE_STARTED, type SendDeps, secondsUntilStart, sendPage } from '#shared/window/send-page';
import { type PageLoopState, pageLoopSchema } from '#shared/window/state';

const SALE = 'E1.presale.fan';
const STARTS_AT = '2026-12-08T15:00:00.000Z';

/** A clock that moves forward with every sleep of the pacing (no real waiting). */
function steppingClock(start: string): Clock & { sleep(ms: number): Promise<void> } {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

function fixture(fans: number, clock: Clock & { sleep(ms: number): Promise<void> }) {
  const records = new Map<string, NotificationRecord>();
  const handedOver: Array<{ at: string; validityPeriodSeconds: number | undefined }> = [];
  const sks: string[] = [];
  const contacts = new Map<string, DemandItem>();
  for (let i = 0; i < fans; i++) {
    const fanId = `fan-${i}`;
    const sk = `${fanId}#SMS`;
    sks.push(sk);
    const pk = notificationKey(SALE, fanId, 'SMS');
    records.set(pk, {
      pk,
      saleId: SALE,
      eventId: 'E1',
      fanId,
      channel: 'SMS',
      status: 'CREATED',
      statusRank: 0,
      attempts: 0,
      message: { text: 'Presale opens at 10:00', encoding: 'GSM-7', segments: 1 },
    } as unknown as NotificationRecord);
    contacts.set(sk, { sk, contact: `+1415555${String(1000 + i)}` } as DemandItem);
  }
  const deps: SendDeps = {
    clock,
    sleep: clock.sleep,
    maxInFlight: 1,
    demand: { contacts: async () => contacts },
    optOuts: { add: async () => undefined, optedOut: async () => new Set<string>() },
    notifications: {
      lease: async (pk) => {
        const record = records.get(pk);
        if (record?.status !== 'CREATED') return undefined;
        const leased = { ...record, status: 'TRIGGERED' as const, attempts: record.attempts + 1 };
        records.set(pk, leased);
        return leased;
      },
      markQueued: async (pk, _id, now) => {
        records.set(pk, { ...(records.get(pk) as NotificationRecord), status: 'QUEUED', queuedAt: now });
      },
      markRetryPending: async () => undefined,
      releaseLease: async () => undefined,
      markFailed: async (pk, reason) => {
        records.set(pk, {
          ...(records.get(pk) as NotificationRecord),
          status: 'FAILED',
          failureReason: reason,
        });
      },
    },
    senders: {
      sms: async (input) => {
        handedOver.push({
          at: clock.now().toISOString(),
          validityPeriodSeconds: input.validityPeriodSeconds,
        });
        return { messageId: `SM${handedOver.length}` };
      },
      email: async () => ({ messageId: 'email' }),
    },
  };
  const state: PageLoopState = pageLoopSchema.parse({
    saleId: SALE,
    eventId: 'E1',
    shard: 0,
    startsAt: STARTS_AT,
    iterationMps: 1,
    send: sks,
  });
  return { deps, state, records, handedOver };
}

describe('sendPage at the sale start', () => {
  it('hands nothing over after the sale started: the rest end FAILED with SALE_STARTED and are counted', async () => {
    // 10 fans at 1 msg/s, starting 5 s before the sale: 5 can go, 5 cannot.
    const clock = steppingClock('2026-12-08T14:59:55.000Z');
    const { deps, state, records, handedOver } = fixture(10, clock);

    const next = await sendPage(state, deps);

    expect(handedOver).toHaveLength(5);
    for (const send of handedOver) expect(Date.parse(send.at)).toBeLessThan(Date.parse(STARTS_AT));
    expect(next.totals.queued).toBe(5);
    expect(next.totals.failed).toBe(5);
    expect(next.totals.failedByReason).toEqual({ [SALE_STARTED]: 5 });
    // Handed over in the last 5 minutes before the start: late, not on time.
    expect(next.totals.handedOver).toEqual({
      onTime: 0,
      late: 5,
      first: '2026-12-08T14:59:55.000Z',
      last: '2026-12-08T14:59:59.000Z',
    });
    const failed = [...records.values()].filter((record) => record.status === 'FAILED');
    expect(failed.map((record) => record.failureReason)).toEqual(Array(5).fill(SALE_STARTED));
    // The fans after the start did not wait for their turn.
    expect(clock.now().toISOString()).toBe(STARTS_AT);
  });

  it('gives every SMS a validity period that ends at the sale start', async () => {
    const clock = steppingClock('2026-12-08T14:50:00.000Z');
    const { deps, state, handedOver } = fixture(3, clock);

    await sendPage(state, deps);

    expect(handedOver.map((send) => send.validityPeriodSeconds)).toEqual([600, 599, 598]);
    for (const send of handedOver) {
      expect(Date.parse(send.at) + (send.validityPeriodSeconds ?? 0) * 1000).toBeLessThanOrEqual(
        Date.parse(STARTS_AT),
      );
    }
  });

  it('keeps the validity period inside what Twilio accepts (1 to 36,000 s)', () => {
    expect(secondsUntilStart(STARTS_AT, new Date('2026-12-07T00:00:00Z'))).toBe(36_000);
    expect(secondsUntilStart(STARTS_AT, new Date('2026-12-08T14:59:59.200Z'))).toBe(0);
    expect(secondsUntilStart(STARTS_AT, new Date('2026-12-08T16:00:00Z'))).toBe(0);
    expect(secondsUntilStart(undefined, new Date())).toBeUndefined();
  });
});
