/**
 * The window run end to end on the local stack: the real ASL file on aws-local-stepfunctions, every Task
 * bound to its handler module, dynalite, kinesalite and the provider sandboxes.
 */

import type { WindowSummary } from '#shared/window/summarize';
import {
  DEMO_WINDOW,
  demandCount,
  FR_EVENT,
  sendsByKey,
  US_EVENT,
  useWindowSession,
} from '#test/helpers/window';

describe('window run on the local stack', () => {
  const setup = useWindowSession({
    shardCount: 4,
    pageSize: 10,
    seed: async (session, events) => {
      await session.seedFans(
        events.filter((event) => [US_EVENT, FR_EVENT].includes(event.eventId)),
        120,
        { mix: { invalidShare: 0.05, landlineShare: 0, failingShare: 0, flakyShare: 0 } },
      );
    },
  });

  it('notifies every fan of every processed sale once per channel, records suppression reasons and invalid contacts', async () => {
    const { session } = setup;
    const run = await session.run({ scheduledTime: DEMO_WINDOW });
    expect(run.status).toBe('SUCCEEDED');
    const summary = run.output as WindowSummary;
    expect(summary.sales).toMatchObject({ total: 5, suppressed: 3, processed: 2, skipped: 0 });
    expect(summary.suppressionReasons).toEqual({
      EVENT_CANCELLED: 1,
      REGISTRATION_SALE: 1,
      SEGMENT_UNSUPPORTED: 1,
    });

    const processed = summary.sales.detail
      .filter((sale) => sale.status === 'processed')
      .map((sale) => sale.saleId);
    const lifecycle = await session.lifecycle(processed);
    expect(lifecycle.total).toBe(await demandCount(session, [US_EVENT, FR_EVENT]));
    expect(summary.notifications.invalid).toBeGreaterThan(0);
    expect(lifecycle.failuresByReason.INVALID_CONTACT).toBe(summary.notifications.invalid);
    expect(summary.notifications.created + summary.notifications.invalid).toBe(lifecycle.total);

    const sends = sendsByKey(session);
    expect(Math.max(...sends.values())).toBe(1);
    expect(sends.size).toBe(session.stack.sandboxes.sms.counters.accepted);
  });

  it('pages through a shard larger than one page', async () => {
    const { session } = setup;
    const runs = await session.store.list();
    const first = runs[0];
    expect(first).toBeDefined();
    const renders =
      first?.trace.filter((entry) => entry.type === 'StateExited' && entry.state === 'RenderPage') ?? [];
    // 2 sales × 4 shards, ~60 fans per event at 10 per page: more pages than shards.
    expect(renders.length).toBeGreaterThan(2 * 4);
  });

  it('treats a rerun of the same window as a no-op', async () => {
    const { session } = setup;
    const accepted = session.stack.sandboxes.sms.counters.accepted;
    const rerun = await session.run({ scheduledTime: DEMO_WINDOW });
    expect(rerun.status).toBe('SUCCEEDED');
    const notifications = (
      rerun.output as { notifications: { created: number; triggered: number; duplicates: number } }
    ).notifications;
    expect(notifications.created).toBe(0);
    expect(notifications.triggered).toBe(0);
    expect(notifications.duplicates).toBeGreaterThan(0);
    expect(session.stack.sandboxes.sms.counters.accepted).toBe(accepted);
  });
});
