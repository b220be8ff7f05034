import type { Demand } from '#shared/domain/model';
import { DEFAULT_SUPPRESSION_RULES } from '#shared/domain/suppression';
import { fixedClock } from '#shared/time/clock';
import { type PlanSettings, planWindow, suppressedByStoredEvent } from '#shared/window/plan-window';
import { anEvent, aSale, createdNotification } from '#test/helpers/factories';
import { MemoryDemand, MemoryEvents, MemoryNotifications, MemorySales } from '#test/helpers/memory-stores';

const SETTINGS: PlanSettings = {
  leadMinutes: 30,
  shardCount: 16,
  providerMps: 100,
  iterationMps: 25,
  lookAheadMinutes: 180,
};
const SCHEDULED = '2026-12-09T14:30:00Z';

const aFan = (eventId: string, i: number): Demand => ({
  eventId,
  fanId: `fan-${eventId}-${i}`,
  channel: 'SMS',
  contact: '+14155550100',
  brand: 'ticketmaster',
  createdAt: SCHEDULED,
});

function stores() {
  const sales = new MemorySales();
  const demand = new MemoryDemand(16);
  const notifications = new MemoryNotifications();
  const signUps = (eventId: string, count: number) => {
    for (let i = 0; i < count; i++) {
      demand.add(aFan(eventId, i));
    }
  };
  return { sales, demand, notifications, signUps, clock: fixedClock(SCHEDULED), settings: SETTINGS };
}

describe('planWindow', () => {
  it('plans the sales starting in the window after the scheduled time, earliest first, each with its pace', async () => {
    const deps = stores();
    deps.sales.add(aSale({ saleId: 'late', eventId: 'E2', startsAt: '2026-12-09T15:20:00Z' }));
    deps.sales.add(aSale({ saleId: 'b-early', eventId: 'E1', startsAt: '2026-12-09T15:00:00Z' }));
    deps.sales.add(aSale({ saleId: 'a-early', eventId: 'E3', startsAt: '2026-12-09T15:00:00Z' }));
    deps.sales.add(aSale({ saleId: 'next-window', eventId: 'E1', startsAt: '2026-12-09T15:30:00Z' }));
    deps.sales.add(aSale({ saleId: 'this-window', eventId: 'E1', startsAt: '2026-12-09T14:59:59Z' }));
    deps.signUps('E1', 30);
    deps.signUps('E2', 300);
    deps.signUps('E3', 10);

    const plan = await planWindow({ scheduledTime: SCHEDULED, executionName: 'run-1' }, deps);

    expect(plan.window).toEqual({ start: '2026-12-09T15:00:00.000Z', end: '2026-12-09T15:30:00.000Z' });
    expect(plan.sales.map((sale) => sale.saleId)).toEqual(['a-early', 'b-early', 'late']);
    expect(plan.sales[0]).toMatchObject({
      saleId: 'a-early',
      eventId: 'E3',
      startsAt: '2026-12-09T15:00:00.000Z',
    });
    expect(plan.sales.map((sale) => sale.messages)).toEqual([10, 30, 300]);
    expect(plan).toMatchObject({
      executionName: 'window-20261209T1500Z',
      plannedSales: 3,
      salesConcurrency: 3,
      skipped: [],
    });
    // Every sale has at least one sender; the paces follow the sizes and add up to the budget at most.
    const paces = plan.sales.map((sale) => (sale.fansConcurrency ?? 0) * (sale.iterationMps ?? 0));
    expect(paces[2]).toBeGreaterThan(paces[1] ?? 0);
    expect(paces.reduce((sum, pace) => sum + pace, 0)).toBeLessThanOrEqual(100);
    expect(plan.sales.every((sale) => sale.onTime)).toBe(true);
    expect(plan.shards).toEqual(Array.from({ length: 16 }, (_, shard) => shard));
  });

  it('starts a later sale too big for its own window now, and the next run skips it', async () => {
    const deps = stores();
    // 250,000 reminders at 100 msg/s take 42 minutes: more than the run of its own window has.
    deps.sales.add(aSale({ saleId: 'stadium', eventId: 'BIG', startsAt: '2026-12-09T15:45:00Z' }));
    deps.demand.count = async (eventId) => (eventId === 'BIG' ? 250_000 : 0);

    // Its own run is the one at 15:00 (window 15:30-16:00); the run at 14:30 must start it.
    const early = await planWindow({ scheduledTime: SCHEDULED, executionName: 'run-1430' }, deps);
    expect(early.window.start).toBe('2026-12-09T15:00:00.000Z');
    expect(early.sales.map((sale) => sale.saleId)).toEqual(['stadium']);
    expect(early.sales[0]?.onTime).toBe(true);

    const fan = deps.demand.add(aFan('BIG', 0));
    deps.notifications.put(createdNotification('stadium', fan, { executionName: early.executionName }));
    const own = await planWindow(
      { scheduledTime: '2026-12-09T15:00:00Z', executionName: 'run-1500' },
      { ...deps, clock: fixedClock('2026-12-09T15:00:00Z') },
    );
    expect(own.sales).toEqual([]);
    expect(own.skipped).toEqual([
      {
        saleId: 'stadium',
        eventId: 'BIG',
        startsAt: '2026-12-09T15:45:00.000Z',
        reasons: ['STARTED_EARLIER'],
      },
    ]);
    expect(own.reservedMps).toBeGreaterThan(0);
  });

  it('keys the run by its window, whatever the execution is called, and plans nothing for an empty window', async () => {
    const scheduled = await planWindow(
      { scheduledTime: SCHEDULED, executionName: '3f1e2d4c-aaaa-bbbb-cccc-0123456789ab' },
      stores(),
    );
    const byHand = await planWindow({ scheduledTime: SCHEDULED }, stores());

    expect(scheduled).toMatchObject({ executionName: 'window-20261209T1500Z', plannedSales: 0, sales: [] });
    expect(byHand.executionName).toBe(scheduled.executionName);
  });

  it('a backfill of a window that already ran plans its sales again (its own records), not as taken earlier', async () => {
    const deps = stores();
    deps.sales.add(aSale({ saleId: 'club', eventId: 'SMALL', startsAt: '2026-12-09T15:10:00Z' }));
    deps.demand.count = async () => 1;
    const first = await planWindow({ scheduledTime: SCHEDULED, executionName: 'scheduler-run' }, deps);
    deps.notifications.put(
      createdNotification('club', deps.demand.add(aFan('SMALL', 0)), { executionName: first.executionName }),
    );

    const backfill = await planWindow(
      { scheduledTime: SCHEDULED, executionName: 'window-20261209T1500Z' },
      deps,
    );
    expect(backfill.sales.map((sale) => sale.saleId)).toEqual(['club']);
    expect(backfill.skipped).toEqual([]);
  });
});

describe('planWindow with the stored events', () => {
  it('gives no budget to a sale the stored event already suppresses; PrepareSale still decides', async () => {
    const deps = stores();
    const events = new MemoryEvents();
    const cancelled = aSale({ saleId: 'cancelled', eventId: 'E1', startsAt: '2026-12-09T15:00:00Z' });
    const open = aSale({ saleId: 'open', eventId: 'E2', startsAt: '2026-12-09T15:00:00Z' });
    for (const [sale, status] of [
      [cancelled, 'cancelled'],
      [open, 'onsale'],
    ] as const) {
      deps.sales.add(sale);
      events.put({
        ...anEvent({ eventId: sale.eventId, sales: [sale], status }),
        fetchedAt: SCHEDULED,
        expiresAt: 1_900_000_000,
      });
    }
    deps.signUps('E1', 300);
    deps.signUps('E2', 100);

    const plan = await planWindow(
      { scheduledTime: SCHEDULED, executionName: 'run-1' },
      { ...deps, suppressed: suppressedByStoredEvent(events, DEFAULT_SUPPRESSION_RULES, deps.clock) },
    );

    expect(plan.sales.map((sale) => [sale.saleId, sale.messages])).toEqual([
      ['cancelled', 0],
      ['open', 100],
    ]);
    const open100 = plan.sales[1];
    expect((open100?.fansConcurrency ?? 0) * (open100?.iterationMps ?? 0)).toBeGreaterThan(99);
    // One read per event, whatever the number of its sales.
    expect(events.gets).toBe(2);
  });
});
