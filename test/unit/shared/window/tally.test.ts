import fc from 'fast-check';
import { emptyTotals } from '#shared/window/state';
import { type RenderOutcome, type SendOutcome, tallyRender, tallySend } from '#shared/window/tally';

const renderOutcome: fc.Arbitrary<RenderOutcome> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), sk: fc.constant('f#SMS'), resumed: fc.boolean() }),
  fc.constant({ kind: 'duplicate' as const }),
  fc.constant({ kind: 'optedOut' as const }),
  fc.constant({ kind: 'invalid' as const }),
);

const sendOutcome: fc.Arbitrary<SendOutcome> = fc.oneof(
  fc.constant({ kind: 'queued' as const }),
  fc.record({ kind: fc.constant('retry' as const), sk: fc.constant('f#SMS'), ambiguous: fc.boolean() }),
  fc.record({
    kind: fc.constant('failed' as const),
    reason: fc.constantFrom('INVALID_NUMBER', 'RETRIES_EXHAUSTED'),
  }),
  fc.constant({ kind: 'notLeased' as const }),
);

describe('tallyRender', () => {
  it('counts each outcome of a rendered page under its own heading', () => {
    const outcomes: RenderOutcome[] = [
      { kind: 'send', sk: 'a#SMS', resumed: false },
      { kind: 'send', sk: 'b#SMS', resumed: true },
      { kind: 'duplicate' },
      { kind: 'optedOut' },
      { kind: 'invalid' },
      { kind: 'invalid' },
    ];

    expect(outcomes.reduce(tallyRender, emptyTotals())).toEqual({
      ...emptyTotals(),
      created: 1,
      resumed: 1,
      duplicates: 1,
      optedOut: 1,
      invalid: 2,
      failedByReason: { OPTED_OUT: 1, INVALID_CONTACT: 2 },
    });
  });

  it('counts every fan of the page once and leaves the totals it is given untouched', () => {
    fc.assert(
      fc.property(fc.array(renderOutcome), (outcomes) => {
        const start = { ...emptyTotals(), created: 3, failedByReason: { OPTED_OUT: 1 } };
        const snapshot = structuredClone(start);
        const end = outcomes.reduce(tallyRender, start);
        expect(start).toEqual(snapshot);
        const counted = end.created + end.resumed + end.duplicates + end.optedOut + end.invalid;
        expect(counted - 3).toBe(outcomes.length);
      }),
    );
  });
});

describe('tallySend', () => {
  it('counts a leased fan as triggered and then by what the provider said', () => {
    const outcomes: SendOutcome[] = [
      { kind: 'queued' },
      { kind: 'retry', sk: 'a#SMS', ambiguous: true },
      { kind: 'failed', reason: 'INVALID_NUMBER' },
      { kind: 'failed', reason: 'INVALID_NUMBER' },
      { kind: 'notLeased' },
    ];

    expect(outcomes.reduce(tallySend, emptyTotals())).toEqual({
      ...emptyTotals(),
      triggered: 4,
      queued: 1,
      retried: 1,
      failed: 2,
      notLeased: 1,
      failedByReason: { INVALID_NUMBER: 2 },
    });
  });

  it('keeps triggered equal to queued + retried + failed, for any page', () => {
    fc.assert(
      fc.property(fc.array(sendOutcome), (outcomes) => {
        const start = emptyTotals();
        const end = outcomes.reduce(tallySend, start);
        expect(start).toEqual(emptyTotals());
        expect(end.triggered).toBe(end.queued + end.retried + end.failed);
        expect(end.triggered + end.notLeased).toBe(outcomes.length);
        const reasons = Object.values(end.failedByReason).reduce((sum, n) => sum + n, 0);
        expect(reasons).toBe(end.failed);
      }),
    );
  });
});
