import fc from 'fast-check';
import {
  type BudgetSettings,
  ON_TIME_MARGIN_SECONDS,
  paceFor,
  planRun,
  type SaleDemand,
  SLOWEST_SENDER_MPS,
  shareBudget,
  startSlots,
} from '#shared/window/deadline-plan';

const settings: BudgetSettings = {
  providerMps: 100,
  senderMps: 25,
  maxSendersPerSale: 16,
  leadMinutes: 30,
  startupSeconds: 60,
};
const T = '2026-12-08T14:30:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T) + minutes * 60_000).toISOString();
const sale = (
  saleId: string,
  startsInMinutes: number,
  messages: number,
  extra: Partial<SaleDemand> = {},
) => ({
  saleId,
  eventId: `E-${saleId}`,
  startsAt: at(startsInMinutes),
  messages,
  ...extra,
});
const window = { start: at(30), end: at(60) };
const deadline = (s: { startsAt: string }) => Date.parse(s.startsAt) - ON_TIME_MARGIN_SECONDS * 1000;
const usedMps = (sales: Array<{ senders: number; senderMps: number }>) =>
  sales.reduce((sum, s) => sum + s.senders * s.senderMps, 0);

describe('shareBudget', () => {
  it('shares one budget by message counts so sales of different sizes each finish before their start', () => {
    const sales = [sale('small', 31, 1_000), sale('medium', 40, 20_000), sale('large', 55, 60_000)];
    const plan = shareBudget(sales, new Date(T), 100, settings);

    expect(plan.map((s) => s.saleId)).toEqual(['small', 'medium', 'large']);
    for (const s of plan) {
      expect(s.onTime).toBe(true);
      expect(Date.parse(s.finishesAt)).toBeLessThanOrEqual(deadline(s));
    }
    // Bigger sales get more senders; together they stay inside the provider's budget.
    const [small, medium, large] = plan;
    expect(large?.mps).toBeGreaterThan(medium?.mps ?? 0);
    expect(medium?.mps).toBeGreaterThan(small?.mps ?? 0);
    expect(usedMps(plan)).toBeLessThanOrEqual(100);
  });

  it('serves the earliest start first when sharing by size would make it late', () => {
    // By size alone the first sale would get 100 × 30k/180k ≈ 16.7 msg/s: 30 minutes, after its start.
    const first = sale('first', 31, 30_000);
    const second = sale('second', 59, 150_000);
    const plan = shareBudget([second, first], new Date(T), 100, settings);

    expect(plan.map((s) => s.saleId)).toEqual(['first', 'second']);
    const needFirst = 30_000 / ((deadline(first) - Date.parse(T) - 60_000) / 1000);
    expect(plan[0]?.mps).toBeGreaterThanOrEqual(needFirst);
    expect(plan.every((s) => s.onTime)).toBe(true);
    expect(usedMps(plan)).toBeLessThanOrEqual(100);
  });

  it('says which sale cannot be on time when the budget is too small for the run', () => {
    const plan = shareBudget([sale('a', 31, 100_000), sale('b', 35, 100_000)], new Date(T), 100, settings);

    expect(plan[0]?.onTime).toBe(true);
    expect(plan[1]?.onTime).toBe(false);
  });

  it('keeps every sender between the slowest pace and the per-sender limit, for any rate', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 10_000, noNaN: true }), (rate) => {
        const pace = paceFor(rate, settings);
        expect(pace.senders).toBeGreaterThanOrEqual(1);
        expect(pace.senders).toBeLessThanOrEqual(settings.maxSendersPerSale);
        expect(pace.senderMps).toBeGreaterThanOrEqual(SLOWEST_SENDER_MPS);
        expect(pace.senderMps).toBeLessThanOrEqual(settings.senderMps);
        if (rate >= SLOWEST_SENDER_MPS) expect(pace.mps).toBeLessThanOrEqual(rate + 1e-9);
        // Within a thousandth per sender of the rate asked for, up to what the senders can push.
        const most = settings.maxSendersPerSale * settings.senderMps;
        if (rate >= SLOWEST_SENDER_MPS * settings.maxSendersPerSale) {
          expect(pace.senders).toBe(settings.maxSendersPerSale);
          expect(pace.mps).toBeGreaterThanOrEqual(Math.min(rate, most) - 0.001 * pace.senders - 1e-9);
        }
      }),
    );
  });
});

describe('startSlots', () => {
  it('keeps a sale that fits its lead time in its own window', () => {
    const slots = startSlots([sale('fits', 45, 50_000)], settings);
    expect(slots.get('fits')).toBe(T);
  });

  it('starts a sale too big for its window in an earlier window, as many windows back as it needs', () => {
    // 250,000 reminders at 100 msg/s take 41.7 minutes: more than the 39 minutes its own run has.
    const slots = startSlots([sale('big', 45, 250_000)], settings);
    expect(slots.get('big')).toBe(at(-30));
    // 1,000,000 take 2.8 hours.
    expect(startSlots([sale('huge', 45, 1_000_000)], settings).get('huge')).toBe(at(-150));
  });

  it('starts a sale that fits its own window earlier when a bigger later one needs the budget before it', () => {
    expect(startSlots([sale('first', 35, 100_000)], settings).get('first')).toBe(T);
    const slots = startSlots([sale('first', 35, 100_000), sale('big', 55, 300_000)], settings);
    expect(slots.get('big')).toBe(at(-30));
    expect(slots.get('first')).toBe(at(-30));
  });
});

describe('planRun', () => {
  const lookAhead = [sale('now', 35, 5_000), sale('big-next', 75, 250_000), sale('later', 95, 1_000)];

  it('hands over its own sales and the later sale that needs to start now; leaves the rest', () => {
    const plan = planRun({ scheduledTime: T, now: new Date(T), window, sales: lookAhead, settings });

    expect(plan.sales.map((s) => s.saleId)).toEqual(['now', 'big-next']);
    expect(plan.sales.every((s) => s.onTime)).toBe(true);
    expect(plan.reservedMps).toBe(0);
    expect(usedMps(plan.sales)).toBeLessThanOrEqual(100);
  });

  it('lets the next run skip the sale an earlier run started, keeping its share of the budget', () => {
    const next = at(30);
    const sales = lookAhead.map((s) => (s.saleId === 'big-next' ? { ...s, takenEarlier: true } : s));
    const plan = planRun({
      scheduledTime: next,
      now: new Date(next),
      window: { start: at(60), end: at(90) },
      sales,
      settings,
    });

    expect(plan.sales.map((s) => s.saleId)).toEqual([]);
    expect(plan.startedEarlier.map((s) => s.saleId)).toEqual(['big-next']);
    expect(plan.reservedMps).toBeGreaterThan(0);
  });

  it('still hands over a sale an earlier run should have started but did not take', () => {
    const next = at(30);
    const plan = planRun({
      scheduledTime: next,
      now: new Date(next),
      window: { start: at(60), end: at(90) },
      sales: lookAhead,
      settings,
    });
    expect(plan.sales.map((s) => s.saleId)).toEqual(['big-next']);
    expect(plan.sales[0]?.onTime).toBe(false);
  });

  it('hands every sale of a busy afternoon over in exactly one run, which starts before the sale', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            start: fc.integer({ min: 35, max: 240 }),
            messages: fc.integer({ min: 0, max: 90_000 }),
          }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        (specs) => {
          const sales = specs.map((spec, i) => sale(`s${i}`, spec.start, spec.messages));
          const slots = startSlots(sales, settings);
          // Replay the runs from the earliest start slot: every sale is handed over by exactly one run.
          const first = Math.min(...[...slots.values()].map((slot) => Date.parse(slot)));
          const taken = new Set<string>();
          for (let run = first; run <= Date.parse(at(240)); run += 30 * 60_000) {
            const scheduledTime = new Date(run).toISOString();
            const plan = planRun({
              scheduledTime,
              now: new Date(run),
              window: {
                start: new Date(run + 30 * 60_000).toISOString(),
                end: new Date(run + 60 * 60_000).toISOString(),
              },
              sales: sales.map((s) => ({ ...s, takenEarlier: taken.has(s.saleId) })),
              settings,
            });
            for (const planned of plan.sales) {
              expect(taken.has(planned.saleId)).toBe(false);
              expect(Date.parse(planned.startsAt)).toBeGreaterThan(run);
              taken.add(planned.saleId);
            }
          }
          expect([...taken].sort()).toEqual(sales.map((s) => s.saleId).sort());
        },
      ),
      { numRuns: 200 },
    );
  });
});
