import type { CachedEvent } from '#shared/data/events-repository';
import type { Sale } from '#shared/domain/model';
import { monitorSales, type SaleMonitorDeps } from '#shared/monitoring/sale-monitor';
import { ManualClock } from '#shared/time/clock';
import { anEvent, aSale } from '#test/helpers/factories';
import { MemorySales } from '#test/helpers/memory-stores';

const NOW = '2026-12-08T14:25:00.000Z';
const HORIZON = { horizonHours: 48, maxRequests: 100 };

const cached = (eventId: string, sales: Sale[], overrides: Partial<CachedEvent> = {}): CachedEvent => ({
  ...anEvent({ eventId, sales }),
  fetchedAt: '2026-12-07T12:00:00.000Z',
  expiresAt: 2_000_000_000,
  ...overrides,
});

/**
 * The stores of a pass: stored events and their sales rows, sign-ups by event, and "Discovery" (what a
 * refresh returns), with the sales table kept in step as the event cache's refresh does.
 */
function world() {
  const sales = new MemorySales();
  const stored = new Map<string, CachedEvent>();
  const discovery = new Map<string, CachedEvent | Error>();
  const signedUp = new Set<string>();
  const refreshed: string[] = [];
  const clock = new ManualClock(NOW);
  const store = (event: CachedEvent) => {
    stored.set(event.eventId, event);
    for (let i = sales.rows.length - 1; i >= 0; i--) {
      if (sales.rows[i]?.eventId === event.eventId) sales.rows.splice(i, 1);
    }
    for (const sale of event.sales) sales.add(sale);
  };
  const deps: SaleMonitorDeps = {
    sales,
    demand: { hasSignUps: async (eventId) => signedUp.has(eventId) },
    events: { get: async (eventId) => stored.get(eventId) },
    refresh: async (eventId) => {
      refreshed.push(eventId);
      const answer = discovery.get(eventId);
      if (answer instanceof Error) throw answer;
      if (!answer) throw new Error(`no Discovery event ${eventId}`);
      const saved = { ...answer, fetchedAt: clock.now().toISOString() };
      store(saved);
      return saved;
    },
    clock,
  };
  /** An event as stored and as Discovery has it now (`now` defaults to unchanged), with sign-ups or not. */
  const event = (
    eventId: string,
    startsAt: string[],
    options: { fans?: boolean; now?: CachedEvent } = {},
  ) => {
    const base = cached(
      eventId,
      startsAt.map((at, i) => aSale({ eventId, saleId: `${eventId}.presale.p${i}`, startsAt: at })),
    );
    store(base);
    discovery.set(eventId, options.now ?? base);
    if (options.fans ?? true) signedUp.add(eventId);
    return base;
  };
  return { deps, event, discovery, refreshed, sales, clock };
}

describe('monitorSales', () => {
  it('refreshes the events with sign-ups and a sale in the next 48 hours, soonest sale first', async () => {
    const w = world();
    w.event('LATER', ['2026-12-09T20:00:00.000Z']);
    w.event('SOON', ['2026-12-08T15:00:00.000Z', '2026-12-12T15:00:00.000Z']);
    w.event('NO_FANS', ['2026-12-08T16:00:00.000Z'], { fans: false });
    w.event('BEYOND', ['2026-12-10T14:25:00.000Z']);
    w.event('STARTED', ['2026-12-08T14:00:00.000Z']);

    const report = await monitorSales(HORIZON, w.deps);

    expect(w.refreshed).toEqual(['SOON', 'LATER']);
    expect(report).toMatchObject({
      at: NOW,
      horizon: { start: NOW, end: '2026-12-10T14:25:00.000Z' },
      events: 3,
      watched: 2,
      refreshed: 2,
      discoveryRequests: 2,
      added: [],
      moved: [],
      removed: [],
      unreached: [],
      failed: [],
    });
  });

  it('reports added, moved and removed sales and newly cancelled or postponed events', async () => {
    const w = world();
    const base = w.event('E1', ['2026-12-08T15:00:00.000Z', '2026-12-08T16:00:00.000Z']);
    const [first, second] = base.sales as [Sale, Sale];
    w.discovery.set('E1', {
      ...base,
      sales: [
        { ...first, startsAt: '2026-12-08T18:00:00.000Z' },
        aSale({ eventId: 'E1', saleId: 'E1.presale.added', startsAt: '2026-12-08T15:15:00.000Z' }),
      ],
    });
    const cancelled = w.event('E2', ['2026-12-09T15:00:00.000Z']);
    w.discovery.set('E2', { ...cancelled, status: 'cancelled' });
    const postponed = w.event('E3', ['2026-12-09T16:00:00.000Z']);
    w.discovery.set('E3', { ...postponed, status: 'postponed' });

    const report = await monitorSales(HORIZON, w.deps);

    expect(report.moved).toEqual([
      { saleId: first.saleId, eventId: 'E1', from: first.startsAt, to: '2026-12-08T18:00:00.000Z' },
    ]);
    expect(report.added).toEqual([
      { saleId: 'E1.presale.added', eventId: 'E1', startsAt: '2026-12-08T15:15:00.000Z' },
    ]);
    expect(report.removed).toEqual([{ saleId: second.saleId, eventId: 'E1' }]);
    expect(report.cancelled).toEqual(['E2']);
    expect(report.postponed).toEqual(['E3']);
    // The table follows: the moved sale under its new time only, the added one planned in its window.
    const rows = w.sales.rows.filter((row) => row.eventId === 'E1').map((row) => [row.saleId, row.startsAt]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [first.saleId, '2026-12-08T18:00:00.000Z'],
        ['E1.presale.added', '2026-12-08T15:15:00.000Z'],
      ]),
    );
    expect(rows).toHaveLength(2);
  });

  it('stops at its request budget and reports the events it could not reach, soonest first', async () => {
    const w = world();
    for (let hour = 15; hour < 20; hour++) w.event(`E${hour}`, [`2026-12-08T${hour}:00:00.000Z`]);

    const report = await monitorSales({ horizonHours: 48, maxRequests: 2 }, w.deps);

    expect(w.refreshed).toEqual(['E15', 'E16']);
    expect(report.discoveryRequests).toBe(2);
    expect(report.unreached).toEqual(['E17', 'E18', 'E19']);
  });

  it('stops before its deadline and reports the rest as unreached', async () => {
    const w = world();
    for (let hour = 15; hour < 18; hour++) w.event(`E${hour}`, [`2026-12-08T${hour}:00:00.000Z`]);
    let left = 2;
    const report = await monitorSales(HORIZON, { ...w.deps, remainingMs: () => left-- * 1000 });
    expect(w.refreshed).toEqual(['E15', 'E16']);
    expect(report.unreached).toEqual(['E17']);
  });

  it('keeps going when Discovery fails for one event and reports it', async () => {
    const w = world();
    w.event('E1', ['2026-12-08T15:00:00.000Z']);
    w.event('E2', ['2026-12-08T16:00:00.000Z']);
    w.discovery.set('E1', new Error('Discovery answered 503'));

    const report = await monitorSales(HORIZON, w.deps);

    expect(report.failed).toEqual([{ eventId: 'E1', error: 'Error: Discovery answered 503' }]);
    expect(report.refreshed).toBe(1);
    expect(w.refreshed).toEqual(['E1', 'E2']);
  });

  it('paces every Discovery request it makes', async () => {
    const w = world();
    w.event('E1', ['2026-12-08T15:00:00.000Z']);
    w.event('E2', ['2026-12-08T16:00:00.000Z']);
    const paced: string[] = [];
    await monitorSales(HORIZON, {
      ...w.deps,
      pace: async () => {
        paced.push(`before ${w.refreshed.length}`);
      },
    });
    expect(paced).toEqual(['before 0', 'before 1']);
  });

  it('watches from the clock’s time, so a replayed day sees that day’s sales', async () => {
    const w = world();
    w.event('OLD', ['2022-03-22T14:00:00.000Z']);
    w.clock.set('2022-03-22T13:25:00.000Z');
    const report = await monitorSales(HORIZON, w.deps);
    expect(w.refreshed).toEqual(['OLD']);
    expect(report.at).toBe('2022-03-22T13:25:00.000Z');
  });
});
