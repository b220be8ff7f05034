import { concurrencyFor, type PlanSettings, planWindow } from '#shared/window/plan-window';
import { aSale } from '#test/helpers/factories';
import { MemorySales } from '#test/helpers/window-stores';

const SETTINGS: PlanSettings = {
  leadMinutes: 30,
  shardCount: 16,
  providerMps: 100,
  iterationMps: 25,
  salesConcurrency: 1,
};

describe('planWindow', () => {
  it('plans the sales starting in the window after the scheduled time, earliest first', async () => {
    const sales = new MemorySales();
    sales.add(aSale({ saleId: 'late', eventId: 'E2', startsAt: '2026-12-09T15:20:00Z' }));
    sales.add(aSale({ saleId: 'b-early', eventId: 'E1', startsAt: '2026-12-09T15:00:00Z' }));
    sales.add(aSale({ saleId: 'a-early', eventId: 'E3', startsAt: '2026-12-09T15:00:00Z' }));
    sales.add(aSale({ saleId: 'next-window', eventId: 'E1', startsAt: '2026-12-09T15:30:00Z' }));
    sales.add(aSale({ saleId: 'this-window', eventId: 'E1', startsAt: '2026-12-09T14:59:59Z' }));

    const plan = await planWindow(
      { scheduledTime: '2026-12-09T14:30:00Z', executionName: 'run-1' },
      { sales, settings: SETTINGS },
    );

    expect(plan.window).toEqual({ start: '2026-12-09T15:00:00.000Z', end: '2026-12-09T15:30:00.000Z' });
    expect(plan.sales.map((sale) => sale.saleId)).toEqual(['a-early', 'b-early', 'late']);
    expect(plan.sales[0]).toEqual({ saleId: 'a-early', eventId: 'E3', startsAt: '2026-12-09T15:00:00.000Z' });
    expect(plan).toMatchObject({
      executionName: 'run-1',
      plannedSales: 3,
      fansConcurrency: 4,
      iterationMps: 25,
    });
    expect(plan.shards).toEqual(Array.from({ length: 16 }, (_, shard) => shard));
  });

  it('names a run started by hand "manual" and plans nothing for an empty window', async () => {
    const plan = await planWindow(
      { scheduledTime: '2026-12-09T14:30:00Z' },
      { sales: new MemorySales(), settings: SETTINGS },
    );

    expect(plan).toMatchObject({ executionName: 'manual', plannedSales: 0, sales: [] });
  });
});

describe('concurrencyFor', () => {
  it('runs as many Send iterations as the provider budget needs, no more than there are shards', () => {
    expect(concurrencyFor(SETTINGS)).toEqual({ salesConcurrency: 1, fansConcurrency: 4, iterationMps: 25 });
    expect(concurrencyFor({ ...SETTINGS, shardCount: 2 })).toEqual({
      salesConcurrency: 1,
      fansConcurrency: 2,
      iterationMps: 50,
    });
  });

  it('splits the budget over sales run at once, and never plans less than 0.1 message per second', () => {
    expect(concurrencyFor({ ...SETTINGS, salesConcurrency: 4 })).toEqual({
      salesConcurrency: 4,
      fansConcurrency: 1,
      iterationMps: 25,
    });
    expect(concurrencyFor({ ...SETTINGS, providerMps: 1, salesConcurrency: 20 }).iterationMps).toBe(0.1);
    expect(concurrencyFor({ ...SETTINGS, salesConcurrency: 0 }).salesConcurrency).toBe(1);
  });
});
