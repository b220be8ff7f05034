import { emptyTotals } from '#shared/window/state';
import { summarize } from '#shared/window/summarize';

const window = { start: '2026-12-08T15:00:00.000Z', end: '2026-12-08T15:30:00.000Z' };

const shard = (shardNo: number, overrides: Partial<ReturnType<typeof emptyTotals>>) => ({
  shard: shardNo,
  pages: 1,
  totals: { ...emptyTotals(), ...overrides },
});

describe('summarize', () => {
  const summary = summarize({
    window,
    executionName: 'window-20261208T1500Z',
    skipped: [
      { saleId: 'big', eventId: 'E9', startsAt: '2026-12-08T15:25:00.000Z', reasons: ['STARTED_EARLIER'] },
    ],
    results: [
      {
        saleId: 'vf',
        eventId: 'E1',
        sale: { saleId: 'vf', eventId: 'E1', startsAt: '2026-12-08T15:00:00.000Z' },
        prepared: { saleName: 'Verified Fan Presale', startsAt: '2026-12-08T15:00:00.000Z' },
        suppressed: false,
        reasons: [],
        shards: [
          shard(0, {
            created: 60,
            queued: 55,
            failed: 3,
            invalid: 2,
            failedByReason: { SALE_STARTED: 3, INVALID_CONTACT: 2 },
            handedOver: {
              onTime: 50,
              late: 5,
              first: '2026-12-08T14:31:00.000Z',
              last: '2026-12-08T14:59:00.000Z',
            },
          }),
          shard(1, {
            created: 40,
            queued: 40,
            handedOver: {
              onTime: 40,
              late: 0,
              first: '2026-12-08T14:30:40.000Z',
              last: '2026-12-08T14:40:00.000Z',
            },
          }),
        ],
      },
      {
        saleId: 'reg',
        eventId: 'E2',
        prepared: { saleName: 'Registration', startsAt: '2026-12-08T15:10:00.000Z' },
        suppressed: true,
        reasons: ['REGISTRATION_SALE'],
        shards: [],
      },
      { saleId: 'gone', eventId: 'E3', suppressed: true, reasons: ['EVENT_NOT_FOUND'], shards: [] },
    ],
  });

  it('lists each sale of the window with its status, reasons, counts and hand-over times', () => {
    expect(summary.sales).toMatchObject({ total: 4, processed: 1, suppressed: 1, skipped: 2 });
    const vf = summary.sales.detail.find((sale) => sale.saleId === 'vf');
    expect(vf).toEqual({
      saleId: 'vf',
      eventId: 'E1',
      name: 'Verified Fan Presale',
      startsAt: '2026-12-08T15:00:00.000Z',
      status: 'processed',
      reasons: [],
      created: 100,
      queued: 95,
      failed: 5,
      firstHandedOverAt: '2026-12-08T14:30:40.000Z',
      lastHandedOverAt: '2026-12-08T14:59:00.000Z',
    });
    expect(summary.sales.detail.find((sale) => sale.saleId === 'reg')).toMatchObject({
      status: 'suppressed',
      reasons: ['REGISTRATION_SALE'],
    });
    expect(summary.sales.detail.find((sale) => sale.saleId === 'gone')?.status).toBe('skipped');
    expect(summary.sales.detail.find((sale) => sale.saleId === 'big')).toMatchObject({
      status: 'skipped',
      reasons: ['STARTED_EARLIER'],
      startsAt: '2026-12-08T15:25:00.000Z',
    });
  });

  it('counts reminders on time (5 minutes before the start), late, and not handed over because the sale started', () => {
    expect(summary.onTime).toEqual({
      handedOverBeforeStart: 90,
      late: 5,
      skippedStarted: 3,
      rate: Math.round((90 / 98) * 10_000) / 10_000,
    });
  });

  it('has no on-time rate for a run that handed nothing over', () => {
    expect(summarize({ window, results: [] }).onTime).toEqual({
      handedOverBeforeStart: 0,
      late: 0,
      skippedStarted: 0,
      rate: null,
    });
  });
});
