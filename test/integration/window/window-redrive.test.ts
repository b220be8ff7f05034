/**
 * A shard that fails for good, on the local stack with the Map Runs, tolerated failures and redrive of
 * the service: every other shard of every sale completes, the run ends failed (after Summarize reported),
 * and a redrive of the run completes only the failed work, each fan sent once.
 */
import { parseNotificationKey, shardOf } from '#shared/domain/keys';
import type { WindowSummary } from '#shared/window/summarize';
import {
  DEMO_WINDOW,
  FR_EVENT,
  seedValidSmsFans,
  sendsByKey,
  US_EVENT,
  useWindowSession,
} from '#test/helpers/window';

const SHARDS = 4;
const BROKEN_SHARD = 1;
const FANS_PER_SALE = 80;

describe('window run: a shard that fails for good, then a redrive', () => {
  const setup = useWindowSession({ shardCount: SHARDS, pageSize: 10 });

  it('runs every other shard of every sale to completion, fails the run, and redrives only the failed shard', async () => {
    const { session } = setup;
    await seedValidSmsFans(setup, US_EVENT, FANS_PER_SALE);
    await seedValidSmsFans(setup, FR_EVENT, FANS_PER_SALE);
    let broken = true;
    let brokenSale: string | undefined;
    const run = await session.run({
      scheduledTime: DEMO_WINDOW,
      intercept: {
        // One shard of one sale: its first page goes out, then its Lambda fails on every later page
        // (an error no Retry matches), in the first pass and in the second alike.
        SendPage: async (input, invoke) => {
          const page = input as { saleId: string; shard: number; page: number };
          brokenSale ??= page.saleId;
          if (broken && page.saleId === brokenSale && page.shard === BROKEN_SHARD && page.page > 1) {
            const error = new Error('Runtime exited with error: signal: killed');
            error.name = 'Runtime.ExitError';
            throw error;
          }
          return invoke(input);
        },
      },
    });

    expect(run.status).toBe('FAILED');
    expect(run.error?.error).toBe('States.ExceedToleratedFailureThreshold');
    // Summarize reported the first pass, with the shard left unfinished.
    const summary = run.summary as WindowSummary;
    expect(summary.unfinished).toEqual(
      expect.objectContaining({
        sales: 1,
        shards: 1,
        resume: [expect.objectContaining({ saleId: brokenSale })],
      }),
    );
    expect(summary.sales.processed).toBe(2);

    // Every fan of every other shard of every sale was sent exactly once; the broken shard only in part.
    const processed = summary.sales.detail
      .filter((sale) => sale.status === 'processed')
      .map((sale) => sale.saleId);
    const records = await session.lifecycle(processed);
    const sent = sendsByKey(session);
    expect(Math.max(...sent.values())).toBe(1);
    const unsent = [...records.keys].filter((key) => !sent.has(key));
    expect(unsent.length).toBeGreaterThan(0);
    for (const key of unsent) {
      const { saleId, fanId } = parseNotificationKey(key);
      expect({ saleId, shard: shardOf(fanId, SHARDS) }).toEqual({ saleId: brokenSale, shard: BROKEN_SHARD });
    }
    const brokenShardSent = [...sent.keys()].filter((key) => {
      const { saleId, fanId } = parseNotificationKey(key);
      return saleId === brokenSale && shardOf(fanId, SHARDS) === BROKEN_SHARD;
    });
    expect(brokenShardSent.length).toBeGreaterThan(0);

    // The redrive: only the failed sale's map run, only its failed (or aborted) shards, nothing sent twice.
    broken = false;
    const sentBefore = session.stack.sandboxes.sms.counters.accepted;
    const redriven = await session.redrive(run.executionName);
    expect(redriven.status).toBe('SUCCEEDED');
    expect(redriven.redrives).toBe(1);
    expect(redriven.invocations['plan-window']).toBeUndefined();
    expect(redriven.invocations['prepare-sale']).toBeUndefined();
    const salesIterations = redriven.trace.filter(
      (entry) => entry.type === 'MapIterationStarted' && entry.parent === 'Sales',
    );
    expect(salesIterations).toHaveLength(1);
    // The broken shard's unsent fans: those with a record not sent, and those its pages never reached.
    const fans = 2 * FANS_PER_SALE;
    expect(unsent.length).toBeLessThanOrEqual(fans - sent.size);
    expect(session.stack.sandboxes.sms.counters.accepted - sentBefore).toBe(fans - sent.size);
    const after = sendsByKey(session);
    expect(after.size).toBe(fans);
    expect(Math.max(...after.values())).toBe(1);
    expect((redriven.output as WindowSummary).unfinished.sales).toBe(0);
  }, 180_000);
});
