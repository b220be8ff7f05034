import { fixedClock } from '#shared/time/clock';
import { saleChangeSincePlanning } from '#shared/window/sale-change';
import { type SendDeps, sendPage } from '#shared/window/send-page';
import { anEvent, aSale, createdNotification, pageState } from '#test/helpers/factories';
import { ScriptedSenders } from '#test/helpers/fakes';
import { MemoryDemand, MemoryEvents, MemoryNotifications, MemoryOptOuts } from '#test/helpers/memory-stores';

const PLANNED = '2026-12-09T15:00:00.000Z';
const sale = aSale({ saleId: 'S1', eventId: 'E1', startsAt: PLANNED });

describe('saleChangeSincePlanning', () => {
  it('names what changed since the plan, and nothing when the sale is as planned', () => {
    expect(saleChangeSincePlanning(anEvent({ sales: [sale] }), 'S1', PLANNED)).toBeUndefined();
    expect(saleChangeSincePlanning(anEvent({ sales: [sale] }), 'S1', '2026-12-09T15:00:00Z')).toBeUndefined();
    expect(
      saleChangeSincePlanning(
        anEvent({ sales: [{ ...sale, startsAt: '2026-12-09T18:00:00.000Z' }] }),
        'S1',
        PLANNED,
      ),
    ).toBe('SALE_MOVED');
    expect(saleChangeSincePlanning(anEvent({ sales: [] }), 'S1', PLANNED)).toBe('SALE_REMOVED');
    expect(saleChangeSincePlanning(anEvent({ status: 'cancelled', sales: [sale] }), 'S1', PLANNED)).toBe(
      'EVENT_CANCELLED',
    );
    expect(saleChangeSincePlanning(anEvent({ status: 'postponed', sales: [sale] }), 'S1', PLANNED)).toBe(
      'EVENT_POSTPONED',
    );
  });
});

describe('sendPage when the sale changed since planning', () => {
  function setup(event: ReturnType<typeof anEvent>) {
    const demand = new MemoryDemand();
    const notifications = new MemoryNotifications();
    const events = new MemoryEvents();
    const senders = new ScriptedSenders();
    events.put({ ...event, fetchedAt: '2026-12-09T14:25:00.000Z', expiresAt: 2_000_000_000 });
    const deps: SendDeps = {
      demand,
      notifications,
      optOuts: new MemoryOptOuts(),
      events,
      senders,
      clock: fixedClock('2026-12-09T14:31:00.000Z'),
    };
    const fans = ['fan-1', 'fan-2'].map((fanId, i) => {
      const item = demand.add({
        eventId: 'E1',
        fanId,
        channel: 'SMS',
        contact: `+1415555000${i}`,
        brand: 'ticketmaster',
        createdAt: '2026-12-01T00:00:00.000Z',
      });
      const record = createdNotification('S1', item);
      notifications.put(record);
      return { sk: item.sk, pk: record.pk };
    });
    const state = pageState({ startsAt: PLANNED, send: fans.map((fan) => fan.sk), cursor: 'next-page' });
    return { deps, notifications, senders, fans, state };
  }

  it('hands nothing over for a cancelled event: the page ends SALE_CHANGED and the shard stops', async () => {
    const { deps, notifications, senders, fans, state } = setup(
      anEvent({ status: 'cancelled', sales: [sale] }),
    );
    const next = await sendPage(state, deps);
    expect(senders.sent).toEqual([]);
    expect(next).toMatchObject({ send: [], cursor: null, retryCount: 0 });
    expect(next.totals.failed).toBe(2);
    expect(next.totals.failedByReason).toEqual({ SALE_CHANGED: 2 });
    for (const fan of fans) {
      expect(notifications.expect(fan.pk)).toMatchObject({ status: 'FAILED', failureReason: 'SALE_CHANGED' });
    }
  });

  it('releases a moved sale’s unsent records, so the window of its new time reminds them afresh', async () => {
    const moved = anEvent({ sales: [{ ...sale, startsAt: '2026-12-09T18:00:00.000Z' }] });
    const { deps, notifications, senders, fans, state } = setup(moved);
    const next = await sendPage(state, deps);
    expect(senders.sent).toEqual([]);
    expect(next.totals.failedByReason).toEqual({ SALE_CHANGED: 2 });
    for (const fan of fans) expect(notifications.get(fan.pk)).toBeUndefined();
  });

  it('never touches a record already handed over', async () => {
    const { deps, notifications, fans, state } = setup(anEvent({ status: 'postponed', sales: [sale] }));
    const [first] = fans;
    if (!first) throw new Error('no fan');
    const queued = notifications.expect(first.pk);
    notifications.put({ ...queued, status: 'QUEUED', statusRank: 2, providerMessageId: 'SM1' });
    const next = await sendPage(state, deps);
    expect(notifications.expect(first.pk)).toMatchObject({ status: 'QUEUED', providerMessageId: 'SM1' });
    expect(next.totals.failedByReason).toEqual({ SALE_CHANGED: 1 });
  });

  it('sends as usual when the sale is as planned', async () => {
    const { deps, senders, state } = setup(anEvent({ sales: [sale] }));
    const next = await sendPage(state, deps);
    expect(senders.sent).toHaveLength(2);
    expect(next.totals.queued).toBe(2);
    expect(next.cursor).toBe('next-page');
  });
});
