import { emptyTotals } from '#shared/window/state';
import { summarize, summarizeStep } from '#shared/window/summarize';

const window = { start: '2026-12-08T15:00:00.000Z', end: '2026-12-08T15:30:00.000Z' };

/** One shard's counts as the tallies table holds them. */
const tally = (saleId: string, overrides: Partial<ReturnType<typeof emptyTotals>>) => ({
  saleId,
  totals: { ...emptyTotals(), ...overrides },
});

const planned = (saleId: string, eventId: string, startsAt = '2026-12-08T15:00:00.000Z') => ({
  saleId,
  eventId,
  startsAt,
});

const VF_TALLIES = [
  tally('vf', {
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
  tally('vf', {
    created: 40,
    queued: 40,
    handedOver: {
      onTime: 40,
      late: 0,
      first: '2026-12-08T14:30:40.000Z',
      last: '2026-12-08T14:40:00.000Z',
    },
  }),
];

describe('summarize', () => {
  const summary = summarize(
    {
      window,
      executionName: 'window-20261208T1500Z',
      shards: [0, 1],
      skipped: [
        { saleId: 'big', eventId: 'E9', startsAt: '2026-12-08T15:25:00.000Z', reasons: ['STARTED_EARLIER'] },
      ],
      // The Sales map's items and, in the same order, what each sale child returned.
      sales: [planned('vf', 'E1'), planned('reg', 'E2', '2026-12-08T15:10:00.000Z'), planned('gone', 'E3')],
      results: [
        { name: 'Verified Fan Presale', suppressed: false, reasons: [], shards: [0, 1] },
        {
          prepared: { saleName: 'Registration', startsAt: '2026-12-08T15:10:00.000Z' },
          suppressed: true,
          reasons: ['REGISTRATION_SALE'],
          shards: [],
        },
        { suppressed: true, reasons: ['EVENT_NOT_FOUND'], shards: [] },
      ],
    },
    VF_TALLIES,
  );

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

  it('counts a failed shard child as unfinished and resumes its sale, whose counts so far stay in the summary', () => {
    const vf = planned('vf', 'E1');
    const failedChild = { Error: 'Runtime.ExitError', Cause: 'signal: killed' };
    const output = summarizeStep(
      {
        window,
        shards: [0, 1],
        sales: [vf],
        mapRun: { pass: 1 },
        results: [{ name: 'VF', suppressed: false, reasons: [], shards: [0, failedChild] }],
        carry: { salesConcurrency: 1 },
      },
      { tallies: VF_TALLIES },
    );
    expect(output.pass).toBe(1);
    expect(output.carry).toEqual({ salesConcurrency: 1 });
    expect(output.summary.unfinished).toEqual({
      sales: 1,
      shards: 1,
      resume: [vf],
      errors: { 'Runtime.ExitError': 1 },
    });
    expect(output.summary.notifications.created).toBe(100);
  });

  it('keeps, in the second pass, the first pass rows of the sales it did not run again, and counts every pass once', () => {
    const first = summarize(
      {
        window,
        shards: [0],
        sales: [planned('reg', 'E2'), planned('vf', 'E1')],
        results: [
          { suppressed: true, reasons: ['REGISTRATION_SALE'], shards: [] },
          { name: 'VF', suppressed: false, reasons: [], shards: [{ Error: 'X' }] },
        ],
      },
      [VF_TALLIES[0] as (typeof VF_TALLIES)[0]],
    );
    const second = summarize(
      {
        window,
        shards: [0],
        mapRun: { pass: 2 },
        sales: first.unfinished.resume,
        results: [{ name: 'VF', suppressed: false, reasons: [], shards: [0] }],
      },
      // Both passes' tallies of the run: the first pass's shard and the second pass's.
      VF_TALLIES,
      first,
    );
    expect(second.sales).toMatchObject({ total: 2, processed: 1, suppressed: 1 });
    expect(second.sales.detail.find((sale) => sale.saleId === 'vf')).toMatchObject({
      name: 'VF',
      created: 100,
    });
    expect(second.suppressionReasons).toEqual({ REGISTRATION_SALE: 1 });
    expect(second.notifications.created).toBe(100);
    expect(second.unfinished.sales).toBe(0);
  });
});
